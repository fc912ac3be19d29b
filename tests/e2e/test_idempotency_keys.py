"""Every Idempotency-Key the document allows (8 to 200 printable characters) works, and stays the caller's own.

The log keeps `user_id:key`, at most 200 characters: a key near the document's limit made that longer and
was refused (400) although the document allowed it. Now a retry with any allowed key answers the first
result, a reused key with another request is refused, and another user's identical key is a request of
their own.
"""

from __future__ import annotations

from typing import Any

import pytest

from services.commands.actors import Role
from services.settings import Settings
from tests.e2e.conftest import Client, bearer

DAY_OFF = {"reason": "Bão số 7: nghỉ làm việc toàn tỉnh", "occurred_on": "2025-09-06"}


def declare(client: Client, settings: Settings, user: str, key: str | bytes, day: str, version: int) -> Any:
    headers: dict[str, Any] = bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province", user=user)
    headers["Idempotency-Key"] = key
    body = DAY_OFF | {"day": day, "expected_version": version}
    return client.post("/calendar/days-off", json=body, headers=headers)


@pytest.mark.parametrize("length", [8, 150, 187, 188, 199, 200])
def test_a_key_of_any_allowed_length_records_once_and_answers_a_retry(
    client: Client, settings: Settings, length: int
) -> None:
    key = ("k" * length)[:length]
    first = declare(client, settings, "user-admin", key, "2025-09-08", 0)
    retry = declare(client, settings, "user-admin", key, "2025-09-08", 0)
    reused = declare(client, settings, "user-admin", key, "2025-09-09", 1)

    assert first.status_code == 201, first.text
    assert retry.json() == first.json() | {"duplicate": True}
    assert reused.status_code == 422 and reused.json()["type"].endswith("/idempotency-key-reused"), reused.text


def test_the_same_long_key_from_two_users_is_two_requests(client: Client, settings: Settings) -> None:
    key = "x" * 200
    first = declare(client, settings, "user-admin-a", key, "2025-09-08", 0)
    other = declare(client, settings, "user-admin-b", key, "2025-09-09", 1)

    assert (first.status_code, other.status_code) == (201, 201), other.text
    assert not other.json()["duplicate"] and other.json()["stream_version"] == 2


def test_a_key_the_document_forbids_is_a_400_naming_the_header(client: Client, settings: Settings) -> None:
    for key in ("short", "k" * 201, "khóa-có-dấu-tiếng-việt".encode()):  # raw bytes: not printable ASCII
        answer = declare(client, settings, "user-admin", key, "2025-09-08", 0)
        assert answer.status_code == 400, answer.text
        assert {"idempotency_key"} == {e["key"] for e in answer.json()["errors"]}, answer.text
