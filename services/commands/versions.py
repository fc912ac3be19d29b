"""Deciding against the version the caller saw (I2, I3): one rule for every stream.

A command is decided against its stream as it stood at `expected_version`, so a retried request decides
exactly as the first one did and the store answers with the first result (I3), while a stale new request is
refused as a conflict (I2) — also when the old version would refuse it or find nothing to change, since the
current one may not.
"""

from __future__ import annotations

from collections.abc import Callable, Sized
from typing import TypeVar

from domain.errors import DomainError
from eventstore import WrongExpectedVersion

S = TypeVar("S")
D = TypeVar("D", bound=Sized)


def decide_at(
    stream_id: str,
    current_version: int,
    expected_version: int | None,
    load_at: Callable[[int], S],
    decide: Callable[[S], D],
) -> tuple[S, D]:
    """The state at `expected_version` (the current one when None) and what `decide` makes of it.

    `load_at(v)` gives the stream's state at version `v`; a version the stream never had is a conflict.
    """
    version = current_version if expected_version is None else expected_version
    if version > current_version:
        raise WrongExpectedVersion(stream_id, version, current_version)
    state = load_at(version)
    try:
        decided = decide(state)
    except DomainError:
        if version != current_version:
            raise WrongExpectedVersion(stream_id, version, current_version) from None
        raise
    if not decided and version != current_version:
        raise WrongExpectedVersion(stream_id, version, current_version)
    return state, decided
