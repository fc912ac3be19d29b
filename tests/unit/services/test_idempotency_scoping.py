"""A request's key is scoped to its caller (I3) and always fits the log's 200 characters."""

from __future__ import annotations

import pytest

from services.commands.actors import Actor, Role
from services.commands.idempotency import scoped_key

ADA, BAO = Actor("user-ada", Role.VIEWER, "unit-province"), Actor("user-bao", Role.VIEWER, "unit-province")


def test_a_key_that_fits_is_kept_readable_with_its_user() -> None:
    assert scoped_key(ADA, "retry-0001") == "user-ada:retry-0001"


@pytest.mark.parametrize("length", [192, 200, 1000])
def test_a_long_key_is_kept_as_a_digest_of_user_and_key(length: int) -> None:
    key = "k" * length
    kept = scoped_key(ADA, key)
    assert len(kept) <= 200 and ":" not in kept  # never equal to anyone's readable `user:key`
    assert kept == scoped_key(ADA, key) != scoped_key(BAO, key)
    assert kept != scoped_key(ADA, key + "k")


def test_users_and_keys_that_split_alike_stay_apart() -> None:
    colon = Actor("user:a", Role.VIEWER, "unit-province")
    plain = Actor("user", Role.VIEWER, "unit-province")
    assert scoped_key(colon, "b" * 200) != scoped_key(plain, "a:" + "b" * 200)
