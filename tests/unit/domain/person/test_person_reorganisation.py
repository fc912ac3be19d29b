"""R-UNIT-REORG on a person's stream: when the cell ceases, an open file or a membership goes to the successor;
a closed file stays with the unit that closed it; following twice moves no one twice."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import WorkingCalendar
from domain.errors import RuleViolation
from domain.person import commands as c
from domain.person import events as ev
from domain.person.handlers import handle
from domain.person.records import PersonState
from domain.person.stages import Stage
from tests.unit.domain.person.conftest import CELL_ID

SUCCESSOR = "cell-successor"
MERGED_ON = date(2021, 6, 1)


def follow(state: PersonState, from_cell: str = CELL_ID, to_cell: str = SUCCESSOR) -> c.FollowReorganisation:
    return c.FollowReorganisation(
        person_id=state.person_id,
        occurred_on=MERGED_ON,
        acting_unit_id="unit-province",
        from_cell_id=from_cell,
        to_cell_id=to_cell,
        reference="QĐ 12-QĐ/TU",
    )


@pytest.mark.parametrize("stage", ["nominated", "sponsored", "probationary", "official"])
def test_an_open_file_or_a_membership_moves_to_the_successor(
    request: pytest.FixtureRequest, calendar: WorkingCalendar, stage: str
) -> None:
    state: PersonState = request.getfixturevalue(stage)
    after, events = handle(state, follow(state), calendar)
    assert [type(e) for e in events] == [ev.MovedByReorganisation]
    assert (after.cell_id, after.stage) == (SUCCESSOR, state.stage)


def test_a_closed_file_stays_with_the_unit_that_closed_it(calendar: WorkingCalendar, sponsored: PersonState) -> None:
    withdraw = c.WithdrawCandidate(
        person_id=sponsored.person_id, occurred_on=date(2021, 5, 11), acting_unit_id=CELL_ID, reason="Chuyển công tác"
    )
    withdrawn, _ = handle(sponsored, withdraw, calendar)
    assert withdrawn.stage is Stage.WITHDRAWN
    assert handle(withdrawn, follow(withdrawn), calendar)[1] == []


def test_following_twice_moves_no_one_twice(calendar: WorkingCalendar, nominated: PersonState) -> None:
    moved, _ = handle(nominated, follow(nominated), calendar)
    assert handle(moved, follow(moved), calendar)[1] == []


def test_a_unit_does_not_succeed_itself(calendar: WorkingCalendar, nominated: PersonState) -> None:
    with pytest.raises(RuleViolation):
        handle(nominated, follow(nominated, to_cell=CELL_ID), calendar)
