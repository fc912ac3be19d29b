"""An erased person's idempotency records are forgotten, and nothing else about that table can change
(R-PRIVACY-ERASE, issue 20; I1, I3): the key a client chose (say, made of a citizen ID) and the digest of the
plaintext request go; which appends were made, and where, stay."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from eventstore import EventStore
from eventstore.errors import WrongExpectedVersion
from tests.support.events import CODEC, noted
from tests.support.stores import MEMORY_URL, Backdoor, open_for_test, sqlite_url

CITIZEN_KEY = "officer-7:enrol-079204001111"


def _records(store_url: str) -> list[tuple[str, bytes, str]]:
    rows = Backdoor(store_url).execute("SELECT key, request_digest, stream_id FROM idempotency_keys ORDER BY key")
    return [(str(k), bytes(d), str(s)) for k, d, s in rows]


def test_forgetting_replaces_the_key_by_its_digest_and_blanks_the_request(store: EventStore, store_url: str) -> None:
    store.append("person-a", [noted("enrolled")], expected_version=0, idempotency_key=CITIZEN_KEY)
    store.append("person-a", [noted("rated")], expected_version=1, idempotency_key="officer-7:k2")
    store.append("person-b", [noted("someone else")], expected_version=0, idempotency_key="officer-7:k3")
    erasure = store.append("person-a", [noted("erased")], expected_version=2, idempotency_key="officer-7:k4")

    assert store.forget_requests("person-a", erasure.first_position) == 2
    assert store.forget_requests("person-a", erasure.first_position) == 0, "idempotent"

    # a retry under the old key is no longer answered from the record: it meets the stream as it is now
    with pytest.raises(WrongExpectedVersion):
        store.append("person-a", [noted("enrolled")], expected_version=0, idempotency_key=CITIZEN_KEY)
    # the erasure's own record and another person's are kept and still answer their retries
    again = store.append("person-a", [noted("erased")], expected_version=2, idempotency_key="officer-7:k4")
    assert again.duplicate and again.first_position == erasure.first_position
    other = store.append("person-b", [noted("someone else")], expected_version=0, idempotency_key="officer-7:k3")
    assert other.duplicate

    if store_url != MEMORY_URL:
        records = _records(store_url)
        assert not any("079204001111" in key for key, _, _ in records)
        forgotten = "forgotten-" + hashlib.sha256(CITIZEN_KEY.encode()).hexdigest()
        assert (forgotten, b"", "person-a") in records
        assert sum(1 for _, digest, _ in records if digest == b"") == 2
        assert len(records) == 4


@pytest.mark.parametrize("store_url", ["sqlite", "postgres"], indirect=True)  # the databases' own triggers
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE idempotency_keys SET key = 'forgotten-' || key",  # blanks nothing
        "UPDATE idempotency_keys SET stream_id = 'person-z'",
        "DELETE FROM idempotency_keys",
    ],
)
def test_no_other_change_to_the_records_gets_through(store: EventStore, backdoor: Backdoor, statement: str) -> None:
    store.append("person-a", [noted()], expected_version=0, idempotency_key=CITIZEN_KEY)
    with pytest.raises(backdoor.refusal, match="append-only"):
        backdoor.execute(statement)
    assert store.append("person-a", [noted()], expected_version=0, idempotency_key=CITIZEN_KEY).duplicate


def test_a_forgotten_record_cannot_be_changed_again_on_postgres(postgres_url: str) -> None:
    """The trigger recomputes the key from the old row: a second 'forgetting' of a forgotten key is refused."""
    backdoor = Backdoor(postgres_url)
    store = open_for_test(postgres_url, CODEC)
    erasure = store.append("person-a", [noted()], expected_version=0, idempotency_key=CITIZEN_KEY)
    store.forget_requests("person-a", erasure.last_position + 1)
    with pytest.raises(backdoor.refusal, match="append-only"):
        backdoor.execute(
            "UPDATE idempotency_keys SET key = 'forgotten-' || encode(sha256(convert_to(key, 'UTF8')), 'hex')"
        )
    store.close()


def test_an_embedded_ledger_made_before_gets_the_narrowed_trigger_when_next_opened(tmp_path: Path) -> None:
    """A SQLite file from before step 8 refused every UPDATE of the records; opening it again swaps the trigger."""
    url = sqlite_url(tmp_path)
    store = open_for_test(url, CODEC)
    written = store.append("person-a", [noted()], expected_version=0, idempotency_key=CITIZEN_KEY)
    store.close()
    backdoor = Backdoor(url)
    backdoor.execute("DROP TRIGGER idempotency_keys_only_forgotten")
    backdoor.execute(
        "CREATE TRIGGER idempotency_keys_no_update BEFORE UPDATE ON idempotency_keys "
        "BEGIN SELECT RAISE(ABORT, 'the idempotency_keys table is append-only: UPDATE refused'); END"
    )
    reopened = open_for_test(url, CODEC)
    assert reopened.forget_requests("person-a", written.last_position + 1) == 1
    reopened.close()
