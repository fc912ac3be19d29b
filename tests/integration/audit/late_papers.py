"""A grassroots committee's year 2020 as a real log, with the admission decision entered four months late.

Every paper is entered two days after its date, except the bloc's admission decision of 16/11/2020, which
reaches the ledger on 15/03/2021: on 31/12/2020 it was true, but the ledger did not know it yet.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from domain.particulars import Sex
from domain.units.events import UnitRegistered
from domain.units.kinds import UnitKind
from eventstore import EventStore
from services.commands.tree_log import UNIT_TREE_STREAM
from tests.integration.audit.conftest import MovingClock
from tests.support.appending import envelope
from tests.support.stores import settle
from tests.unit.projections.people import Delivered, Ledger, Person

SCHOOL, BLOC, PROVINCE = "du-truong-chinh-tri", "du-khoi-co-quan-tinh", "tinh-uy"
CELLS = ("cb-dao-tao", "cb-ly-luan")
DECIDED_ON = date(2020, 11, 16)
ENTERED_ON = date(2021, 3, 15)
YEAR_END = date(2020, 12, 31)


def at_nine(on: date) -> datetime:
    return datetime.combine(on, time(2), UTC)  # 09:00 in Vietnam


def register_units(store: EventStore, clock: MovingClock) -> None:
    clock.now = at_nine(date(2020, 1, 2))
    units = [
        (PROVINCE, UnitKind.PROVINCIAL_COMMITTEE, None),
        (BLOC, UnitKind.UPPER_COMMITTEE, PROVINCE),
        (SCHOOL, UnitKind.GRASSROOTS_COMMITTEE, BLOC),
        *((cell, UnitKind.CELL, SCHOOL) for cell in CELLS),
    ]
    for version, (unit_id, kind, parent) in enumerate(units):
        event = UnitRegistered(unit_id, unit_id.upper(), unit_id, kind, parent, False)
        store.append(UNIT_TREE_STREAM, [envelope(event, unit_id, date(2020, 1, 1))], expected_version=version)
    settle(store)  # what an auditor reads next is read below the horizon


def the_year() -> tuple[Ledger, Person]:
    """Hùng: nominated in January, admitted by the bloc on 16/11/2020; Hoa: nominated in September."""
    ledger = Ledger()
    hung = Person(ledger, 1, "Lê Văn Hùng", Sex.MALE, date(1988, 2, 14), CELLS[0])
    hung.nominate(date(2020, 1, 6))
    hung.train(date(2020, 3, 20))
    hung.verify(date(2020, 4, 1), date(2020, 6, 5))
    hung.sponsor(date(2020, 8, 20))
    hung.cell_vote(date(2020, 9, 14))
    hung.committee(date(2020, 10, 5))
    hung.decide(DECIDED_ON)
    hoa = Person(ledger, 2, "Phạm Thị Hoa", Sex.FEMALE, date(1995, 9, 2), CELLS[1])
    hoa.nominate(date(2020, 9, 7))
    return ledger, hung


def append(store: EventStore, clock: MovingClock, items: list[Delivered], entered_on: date | None = None) -> None:
    """Each paper entered two days after its date (or on `entered_on`), in the order given."""
    for item in items:
        clock.now = at_nine(entered_on or item.envelope.occurred_on + timedelta(days=2))
        new = envelope(item.event, item.envelope.unit_id, item.envelope.occurred_on)
        store.append(
            item.envelope.stream_id,
            [replace(new, also_unit_id=item.envelope.also_unit_id)],
            expected_version=item.envelope.stream_version - 1,
        )
    settle(store)


def on_time_and_late(ledger: Ledger) -> tuple[list[Delivered], list[Delivered]]:
    """Papers entered on time (in the order they were entered), and the late decision."""
    late = [d for d in ledger.log if d.envelope.event_type == "AdmissionDecided"]
    on_time = sorted((d for d in ledger.log if d not in late), key=lambda d: d.envelope.occurred_on)
    return on_time, late
