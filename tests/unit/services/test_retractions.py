"""R-RETRACT through the one use case: who may retract (walls), what is refused, and facts that forget it."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import RuleViolation
from domain.person.stages import Stage
from services.commands import log_facts
from services.commands.actors import Actor, Role
from services.commands.context import CommandContext
from services.commands.results import Recorded
from services.commands.walls import NotFound, WallDenied, today
from tests.unit.services.conftest import Bell
from tests.unit.services.officers import CELL, NEIGHBOUR, SECRETARY, SIBLING, enrol, nominate, particulars, person, take

OFFICER = Actor("canbo.truongchinhtri", Role.GRASSROOTS_OFFICER, "unit-school")


def _certificate(ctx: CommandContext, version: int, on: str = "2021-03-20", key: str = "cert") -> Recorded:
    return take(ctx, SECRETARY, "recordTrainingCertificate", person(2), key, certificate_ref="GCN 1",
                issued_on="2021-03-19", occurred_on=on, expected_version=version)  # fmt: skip


def _retract(ctx: CommandContext, actor: Actor, who: str, entry: int, version: int, key: str = "r") -> Recorded:
    return take(ctx, actor, "retractEntry", who, key, entry_version=entry, reason="Ghi nhầm ngày",
                occurred_on=today().isoformat(), expected_version=version)  # fmt: skip


@pytest.fixture
def candidate(ctx: CommandContext) -> str:
    enrol(ctx, 1)
    nominate(ctx, 2, person(1))
    return person(2)


def test_the_cell_retracts_its_own_entry_and_the_file_is_as_before(
    ctx: CommandContext, bell: Bell, candidate: str
) -> None:
    _certificate(ctx, 1, on="2021-04-20")  # the paper's date mistyped
    assert ctx.people.load(ctx.store, candidate).stage is Stage.TRAINED
    bell.rung.clear()
    done = _retract(ctx, SECRETARY, candidate, entry=2, version=2)
    state = ctx.people.load(ctx.store, candidate)
    assert (done.stream_version, state.stage, state.file and state.file.certificate_issued_on) == (
        3,
        Stage.SOURCE_POOL,
        None,
    )
    assert CELL in bell.rung
    again = _certificate(ctx, 3, key="cert-again")  # the right, earlier date is no longer out of order
    assert again.stream_version == 4


def test_a_neighbouring_cell_is_refused_like_a_missing_person(ctx: CommandContext, candidate: str) -> None:
    _certificate(ctx, 1)
    head = ctx.store.head_position()
    with pytest.raises(WallDenied) as foreign:
        _retract(ctx, NEIGHBOUR, candidate, entry=2, version=2)
    with pytest.raises(NotFound) as missing:
        _retract(ctx, NEIGHBOUR, person(9), entry=2, version=2)
    assert str(foreign.value) == str(missing.value)
    assert ctx.store.head_position() == head


def test_the_cell_may_not_retract_what_the_committee_above_recorded(ctx: CommandContext, candidate: str) -> None:
    take(ctx, OFFICER, "updateParticulars", candidate, "upd", particulars=particulars("Quần Chúng Bính"),
         occurred_on="2021-03-05", expected_version=1)  # fmt: skip
    head = ctx.store.head_position()
    with pytest.raises(WallDenied):
        _retract(ctx, SECRETARY, candidate, entry=2, version=2)
    assert ctx.store.head_position() == head
    assert _retract(ctx, OFFICER, candidate, entry=2, version=2).stream_version == 3


def test_a_committee_above_retracts_the_cells_entry(ctx: CommandContext, candidate: str) -> None:
    _certificate(ctx, 1)
    _retract(ctx, OFFICER, candidate, entry=2, version=2)
    assert ctx.people.load(ctx.store, candidate).stage is Stage.SOURCE_POOL


def test_an_entry_with_a_later_step_is_refused_until_that_one_is_retracted(ctx: CommandContext, candidate: str) -> None:
    _certificate(ctx, 1)
    take(ctx, SECRETARY, "submitApplication", candidate, "app", application_ref="Đơn",
         occurred_on="2021-03-25", expected_version=2)  # fmt: skip
    with pytest.raises(RuleViolation) as refused:
        _retract(ctx, SECRETARY, candidate, entry=2, version=3)
    assert refused.value.rule_id == "R-RETRACT"
    _retract(ctx, SECRETARY, candidate, entry=3, version=3, key="r3")
    _retract(ctx, SECRETARY, candidate, entry=2, version=4, key="r2")
    assert ctx.people.load(ctx.store, candidate).stage is Stage.SOURCE_POOL


def test_a_retraction_and_the_nomination_are_not_retracted(ctx: CommandContext, candidate: str) -> None:
    _certificate(ctx, 1)
    _retract(ctx, SECRETARY, candidate, entry=2, version=2)
    for entry, key in ((3, "again"), (1, "nomination")):
        with pytest.raises(RuleViolation, match="R-RETRACT"):
            _retract(ctx, SECRETARY, candidate, entry=entry, version=3, key=key)


def test_a_later_vote_reads_a_roll_without_the_retracted_exit(ctx: CommandContext) -> None:
    for n in (1, 2, 3):
        enrol(ctx, n)
    take(ctx, OFFICER, "grantVoluntaryExit", person(3), "exit", reason="Xin ra", decision_ref="QĐ 9",
         occurred_on="2021-01-10", expected_version=1)  # fmt: skip
    tree = ctx.tree()
    assert person(3) not in log_facts.cell_roll(ctx.store, tree, CELL, date(2021, 2, 1)).official_member_ids
    _retract(ctx, OFFICER, person(3), entry=2, version=2)
    assert person(3) in log_facts.cell_roll(ctx.store, tree, CELL, date(2021, 2, 1)).official_member_ids
    assert log_facts.person_as_of(ctx.store, person(3), date(2021, 2, 1)).state.stage is Stage.OFFICIAL


def test_a_retracted_transfer_takes_the_file_back_and_rings_both_cells(
    ctx: CommandContext, bell: Bell, candidate: str
) -> None:
    enrol(ctx, 3, actor=NEIGHBOUR, cell=SIBLING)
    take(ctx, OFFICER, "transferCandidate", candidate, "move", to_cell_id=SIBLING, helper_id=person(3),
         occurred_on="2021-04-01", expected_version=1)  # fmt: skip
    assert ctx.people.load(ctx.store, candidate).cell_id == SIBLING
    for cell_secretary in (SECRETARY, NEIGHBOUR):  # neither cell recorded it, nor governs the other one
        with pytest.raises(WallDenied):
            _retract(ctx, cell_secretary, candidate, entry=2, version=2)
    bell.rung.clear()
    _retract(ctx, OFFICER, candidate, entry=2, version=2)
    assert ctx.people.load(ctx.store, candidate).cell_id == CELL
    assert {CELL, SIBLING} <= set(bell.rung)
