"""`verify --seal` on a migrated log (issue 20): the old log's last printed seal holds through the migration
record the new first seal binds; an earlier seal of the old log is named as the old log's; a record changed
behind the application's back makes the old seal not hold."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from eventstore import EventStore, open_store
from eventstore.memory import MemoryEventStore
from eventstore.store import Seal
from services.audit.log_migration import migrate_ledger
from services.audit.verifying import KeptSeal, check_kept_seal
from services.commands.context import CommandContext
from services.embedded import seed_minimal_province
from tests.support.person_ids import TEST_PERSON_ID_KEY, keyring_for_tests
from tests.support.tampering import MemoryTamperer
from tests.unit.services.conftest import Bell
from tests.unit.services.officers import enrol, nominate, person


@pytest.fixture
def migrated() -> Iterator[tuple[list[Seal], EventStore]]:
    """A plaintext log sealed twice, and the keyed log it was migrated into."""
    old = open_store("memory://")
    seed_minimal_province(old)
    ctx = CommandContext(old, Bell(), TEST_PERSON_ID_KEY)
    enrol(ctx, 1)
    old.seal()
    nominate(ctx, 2, person(1))
    old.seal()
    new = open_store("memory://", keyring=keyring_for_tests())
    migrate_ledger(old, new)
    yield old.seals(), new
    new.close()


def _kept(seal: Seal) -> KeptSeal:
    return KeptSeal.parse(seal.printable())


def test_the_old_last_seal_holds_through_the_binding(migrated: tuple[list[Seal], EventStore]) -> None:
    old_seals, new = migrated
    found = check_kept_seal(new, _kept(old_seals[-1]))
    assert found.holds, found.reason
    assert found.seal_number == old_seals[-1].seal_number
    assert "migrated from" in found.reason and "recomputed only from the old log" in found.reason


def test_an_earlier_old_seal_is_named_as_the_old_logs(migrated: tuple[list[Seal], EventStore]) -> None:
    old_seals, new = migrated
    found = check_kept_seal(new, _kept(old_seals[0]))
    assert not found.holds
    assert "migrated from an earlier one" in found.reason and old_seals[-1].seal_hash.hex() in found.reason


def test_the_new_logs_own_seal_still_holds_as_any_seal(migrated: tuple[list[Seal], EventStore]) -> None:
    _, new = migrated
    found = check_kept_seal(new, _kept(new.seals()[0]))
    assert found.holds and "as it was when sealed" in found.reason


def test_a_rewritten_record_no_longer_binds_the_old_seal(migrated: tuple[list[Seal], EventStore]) -> None:
    old_seals, new = migrated
    assert isinstance(new, MemoryEventStore)
    record = new.read_stream("ledger-migration")[0]
    MemoryTamperer(new.log).rewrite(1, data={**record.data, "migrated_events": 1})
    found = check_kept_seal(new, _kept(old_seals[-1]))
    assert not found.holds and "no longer proves the record" in found.reason
