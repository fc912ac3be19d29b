"""DOMAIN.md §5's worked example, written into the province: the Political School to December 2021.

The school's committee (not delegated to admit) has five cells and, at the end of 2021, 32 members. It enters
31 official members and one probationary member (ceremony 10/9/2020) from its roll in October 2020. In 2021
that member is recognised as official, one dossier (nominated and trained in late 2020) is completed and sent
up to the bloc committee in December, three candidates go to the awareness class, and screening removes
nobody. The decision on the dossier comes in January 2022; from 2022 the school lives like any other unit.
"""

from __future__ import annotations

from datetime import date

from domain.person.stages import Stage
from services.seed.agenda import Agenda
from services.seed.desk import Desk
from services.seed.fates import Fate
from services.seed.journey import nominate
from services.seed.plan import SCHOOL_ID
from services.seed.roll import enrol

ENROLLED_ON = date(2020, 10, 5)
PROBATIONARY_CEREMONY = date(2020, 9, 10)
TERM_TARGET = 5
DOSSIER_TIMETABLE = {
    Stage.SOURCE_POOL: date(2020, 12, 4),
    Stage.TRAINED: date(2021, 3, 1),
    Stage.VERIFIED: date(2021, 10, 4),
    Stage.SPONSORED: date(2021, 11, 15),
    Stage.CELL_APPROVED: date(2021, 12, 6),
    Stage.COMMITTEE_APPROVED: date(2022, 1, 17),
}
"""When the sent-up dossier enters each stage's step: sent up on 6/12/2021, decided on 17/1/2022."""
TRAINEES_NOMINATED = date(2021, 10, 11)
TRAINEES_CERTIFIED = date(2021, 12, 17)


def cells(desk: Desk) -> list[str]:
    return [u.unit_id for u in desk.plan.cells if u.parent_id == SCHOOL_ID]


def script(desk: Desk, agenda: Agenda) -> None:
    """Put the school's steps on the agenda; everything else about it follows from the domain."""
    agenda.at(ENROLLED_ON, lambda on: _enrol(desk, agenda, on))
    agenda.at(date(2020, 10, 19), lambda on: _dossier(desk, agenda, on))
    agenda.at(TRAINEES_NOMINATED, lambda on: _trainees(desk, agenda, on))


def _enrol(desk: Desk, agenda: Agenda, on: date) -> None:
    """31 official members as the plan sizes the cells, and the probationary member in the first cell."""
    for unit_id in cells(desk):
        cell = desk.plan_of(unit_id)
        for _ in range(cell.size):
            enrol(desk, agenda, cell, on, SCHOOL_ID, probationary=False, fate=Fate())
    first = desk.plan_of(cells(desk)[0])
    enrol(desk, agenda, first, on, SCHOOL_ID, True, ceremony_on=PROBATIONARY_CEREMONY, fate=Fate())


def _dossier(desk: Desk, agenda: Agenda, on: date) -> None:
    nominate(desk, agenda, cells(desk)[1], on, fate=Fate(), timetable=DOSSIER_TIMETABLE)


def _trainees(desk: Desk, agenda: Agenda, on: date) -> None:
    for unit_id in cells(desk)[2:]:
        nominate(desk, agenda, unit_id, on, fate=Fate(), timetable={Stage.SOURCE_POOL: TRAINEES_CERTIFIED})
