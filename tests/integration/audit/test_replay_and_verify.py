"""I6 and I7 for auditors: replay verification against live read models, verify in a subtree, kept seals."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from domain.codec import EVENTS
from eventstore import EventStore, open_store
from eventstore.canonical import canonical_json
from eventstore.seal_signing import public_pem, seal_signer
from projections.person_states import PersonStates
from projections.registry import PROJECTIONS
from projections.runner import Runner
from projections.schema import projection_rows as pr
from services.audit.replay_check import check_replay
from services.audit.verifying import KeptSeal, check_kept_seal, check_kept_seal_signed, kept_form, verify_scope
from tests.integration.audit.late_papers import CELLS, SCHOOL
from tests.support.events import CODEC, noted
from tests.support.stores import Backdoor, settle

SUBTREE = [SCHOOL, *CELLS]


def runner_for(engine: sa.Engine, store: EventStore) -> Runner:
    settle(store)
    return Runner(engine, store, EVENTS, PROJECTIONS, enrich=PersonStates(store, EVENTS))


def test_replay_verification_passes_on_a_clean_log(school_log: EventStore, engine: sa.Engine) -> None:
    runner = runner_for(engine, school_log)
    for unit in SUBTREE:
        runner.catch_up(unit)

    report = check_replay(runner, SUBTREE)

    assert report.equal, report.summary()
    assert report.checked == len(SUBTREE) * len(PROJECTIONS)


def test_replay_verification_names_a_row_altered_behind_the_applications_back(
    school_log: EventStore, engine: sa.Engine
) -> None:
    runner = runner_for(engine, school_log)
    for unit in SUBTREE:
        runner.catch_up(unit)
    where = (pr.c.projection == "unit_dashboard", pr.c.unit_id == CELLS[0], pr.c.row_key == "funnel")
    with engine.begin() as connection:
        honest = connection.execute(sa.select(pr.c.data).where(*where)).scalar_one()
        connection.execute(sa.update(pr).where(*where).values(data={"Admitted": 40}))

    report = check_replay(runner, SUBTREE)

    assert not report.equal
    (differing,) = report.differing
    assert (differing.projection, differing.unit_id) == ("unit_dashboard", CELLS[0])
    assert differing.first_difference is not None
    assert differing.first_difference.row_key == "funnel"
    assert differing.first_difference.live == {"Admitted": 40}
    assert differing.first_difference.rebuilt == honest
    assert "funnel" in report.summary()


def _positions(store: EventStore, stream_id: str) -> list[int]:
    return [e.position for e in store.read_stream(stream_id)]


def _person_stream(store: EventStore, cell: str) -> str:
    return next(e.stream_id for e in store.unit_history(cell) if e.stream_id.startswith("person-"))


def test_a_clean_subtree_verifies(school_log: EventStore) -> None:
    report = verify_scope(school_log, SUBTREE)

    assert report.ok, report.summary()
    assert report.seals_checked == 2 and report.streams == 3  # the tree and two people


@pytest.mark.parametrize("kind", ["changed", "removed", "inserted"])
def test_verify_in_a_subtree_names_the_tampered_row(school_log: EventStore, ledger_url: str, kind: str) -> None:
    backdoor = Backdoor(ledger_url)
    backdoor.disable_append_only()
    stream = _person_stream(school_log, CELLS[0])
    positions = _positions(school_log, stream)
    expected = tamper(backdoor, kind, positions)

    report = verify_scope(school_log, SUBTREE)

    assert report.problem is not None, report.summary()
    assert (report.problem.position, report.problem.kind) == (expected, kind)


def tamper(backdoor: Backdoor, kind: str, positions: list[int]) -> int:
    """Change, remove or insert a row of a person's stream; returns the position verify must name."""
    if kind == "changed":
        backdoor.execute(
            "UPDATE event_log SET data = %s WHERE position = %s", (canonical_json({"forged": 1}).decode(), positions[2])
        )
        return positions[2]
    if kind == "removed":
        backdoor.execute("DELETE FROM event_log WHERE position = %s", (positions[2],))
        return positions[3]
    row = backdoor.execute("SELECT * FROM event_log WHERE position = %s", (positions[0],))[0]
    forged = list(row)
    head = backdoor.execute("SELECT max(position) FROM event_log")[0][0]
    forged[0], forged[2] = head + 1, len(positions) + 1
    forged[6:8] = [canonical_json(v).decode() if isinstance(v, dict) else v for v in forged[6:8]]
    backdoor.execute("INSERT INTO event_log VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", tuple(forged))
    return int(head) + 1


def test_a_kept_seal_holds_until_the_log_is_rewritten(school_log: EventStore, ledger_url: str) -> None:
    first, _ = school_log.seals()
    kept = KeptSeal.parse(kept_form(first))
    assert check_kept_seal(school_log, kept).holds

    backdoor = Backdoor(ledger_url)
    backdoor.disable_append_only()
    backdoor.execute(
        "UPDATE event_log SET data = %s WHERE position = (SELECT min(position) FROM event_log WHERE stream_id LIKE %s)",
        (canonical_json({"forged": 1}).decode(), "person-%"),
    )
    check = check_kept_seal(school_log, kept)

    assert not check.holds and "altered" in check.reason


def test_a_seal_never_issued_does_not_hold(school_log: EventStore) -> None:
    first, _ = school_log.seals()
    forged = KeptSeal(bytes(32), first.up_to_position)

    assert not check_kept_seal(school_log, forged).holds


def test_a_kept_seal_signed_by_another_key_fails_given_the_deployments_key(
    school_log: EventStore, ledger_url: str, tmp_path: Path
) -> None:
    """Given the sealing key's public half, every seal up to the kept one is checked as `verify` does (older
    unsigned seals are counted apart); a key file that cannot be read fails the check (closed)."""
    notes = open_store(ledger_url, codec=CODEC)  # a test event type, to have something new to seal
    notes.append("file-late", [noted("after the seals")], expected_version=0)
    other = notes.seal(sign=seal_signer(Ed25519PrivateKey.generate()))
    notes.close()
    assert other is not None
    kept = KeptSeal.parse(other.printable())
    public = tmp_path / "seal.pub"
    public.write_bytes(public_pem(Ed25519PrivateKey.generate()))
    broken = tmp_path / "broken.pub"
    broken.write_text("not a key")

    assert check_kept_seal_signed(school_log, kept, None).holds
    signed = check_kept_seal_signed(school_log, kept, public)
    assert not signed.holds and "seal 3 has a signature the sealing key did not make" in signed.reason
    unreadable = check_kept_seal_signed(school_log, kept, broken)
    assert not unreadable.holds and "public key cannot be read" in unreadable.reason
