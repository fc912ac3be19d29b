"""I7: a seal's RFC 3161 time-stamp token is kept beside it, append-only (the export/import tests carry it on)."""

from __future__ import annotations

from eventstore import EventStore
from tests.support.events import noted


def test_a_token_is_kept_beside_its_seal_once(store: EventStore) -> None:
    store.append("file-a", [noted()], expected_version=0)
    made = store.seal()
    assert made is not None and made.timestamp is None

    assert store.keep_timestamp(made.seal_number, b"token-1")
    assert not store.keep_timestamp(made.seal_number, b"token-2")  # the first token stays
    assert not store.keep_timestamp(made.seal_number + 1, b"token-3")  # no such seal

    assert [s.timestamp for s in store.seals()] == [b"token-1"]
    assert store.seals()[0].seal_hash == made.seal_hash


def test_later_seals_leave_an_earlier_token_as_it_was(store: EventStore) -> None:
    store.append("file-a", [noted()], expected_version=0)
    made = store.seal()
    assert made is not None
    store.keep_timestamp(made.seal_number, b"token-1")
    store.append("file-a", [noted()], expected_version=1)
    store.seal()

    seals = store.seals()
    assert [s.timestamp for s in seals] == [b"token-1", None]
