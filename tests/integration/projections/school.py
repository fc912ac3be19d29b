"""The Political School of DOMAIN.md §5 as a real log: the 31 members admitted before the ledger started are
entered from the roll (`MemberEnrolled`); Hùng is recognised official, Hoa's dossier goes up, three trainees.

Events are built with the domain's own handlers (tests.unit.projections.people) and appended as the person
service files them: under the person's cell, a move also naming the receiving unit.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import sqlalchemy as sa

from domain.codec import EVENTS
from domain.particulars import Sex
from domain.person import member_commands as mc
from domain.rules.removal import ScreeningOutcome
from domain.units.events import UnitRegistered
from domain.units.kinds import UnitKind
from domain.units.tree import UnitTree
from eventstore import EventStore
from projections.person_states import PersonStates
from projections.registry import PROJECTIONS
from projections.runner import Runner
from tests.support.appending import envelope
from tests.unit.projections.people import NAMES, Ledger, Person

SCHOOL = "du-truong-chinh-tri"
BLOC = "du-khoi-co-quan-tinh"
CELL_SIZES = {"cb-dao-tao": 7, "cb-ly-luan": 7, "cb-xay-dung-dang": 6, "cb-van-phong": 6, "cb-nghien-cuu": 5}
DECEMBER = date(2021, 12, 31)


def the_tree() -> UnitTree:
    def unit(unit_id: str, kind: UnitKind, parent: str | None) -> tuple[UnitRegistered, date]:
        return UnitRegistered(unit_id, unit_id.upper(), unit_id, kind, parent, False), date(2020, 1, 1)

    return UnitTree.from_events(
        [
            unit("tinh-uy", UnitKind.PROVINCIAL_COMMITTEE, None),
            unit(BLOC, UnitKind.UPPER_COMMITTEE, "tinh-uy"),
            unit(SCHOOL, UnitKind.GRASSROOTS_COMMITTEE, BLOC),
            *(unit(cell, UnitKind.CELL, SCHOOL) for cell in CELL_SIZES),
        ]
    )


def enroll(ledger: Ledger, serial: int, cell: str) -> Person:
    member = Person(
        ledger, serial, NAMES[serial % len(NAMES)], Sex.MALE if serial % 3 else Sex.FEMALE, date(1975, 3, 3), cell
    )
    member.run(
        mc.EnrollMember(
            **member.at(date(2021, 1, 4)),
            citizen_id=member.citizen_id,
            particulars=member.particulars,
            cell_id=cell,
            admitted_on=date(2000, 5, 19),
            ceremony_on=date(2000, 6, 1),
            official_from=date(2001, 6, 1),
            roll_ref="Sổ đảng viên",
        )
    )
    return member


def the_school_in_2021() -> tuple[Ledger, Person]:
    """The 31 members from the roll, Hùng recognised, Hoa's dossier sent up, three trainees; returns Hùng too."""
    ledger = Ledger()
    places = [cell for cell, size in CELL_SIZES.items() for _ in range(size)]
    members = [enroll(ledger, serial, cell) for serial, cell in enumerate(places, start=101)]
    hung = Person(ledger, 1, "Lê Văn Hùng", Sex.MALE, date(1988, 2, 14), "cb-dao-tao")
    hung.nominate(date(2020, 1, 6))
    hung.train(date(2020, 3, 20))
    hung.verify(date(2020, 4, 1), date(2020, 6, 5))
    hung.sponsor(date(2020, 8, 20))
    hung.cell_vote(date(2020, 9, 14))
    hung.committee(date(2020, 10, 5))
    hung.decide(date(2020, 11, 16))
    hung.receive(date(2020, 11, 20))
    hung.ceremony(date(2020, 12, 10))
    hung.recognise(date(2021, 4, 20), date(2021, 12, 13), date(2021, 12, 27))
    hoa = Person(ledger, 2, "Phạm Thị Hoa", Sex.FEMALE, date(1995, 9, 2), "cb-ly-luan")
    hoa.nominate(date(2020, 9, 7))
    hoa.train(date(2020, 11, 20))
    hoa.verify(date(2021, 5, 3), date(2021, 8, 16))
    hoa.sponsor(date(2021, 10, 4))
    hoa.cell_vote(date(2021, 11, 15))
    hoa.committee(date(2021, 12, 6))
    for serial, (name, cell) in enumerate(
        (("Trịnh Văn Nam", "cb-xay-dung-dang"), ("Đỗ Thị Lan", "cb-van-phong"), ("Vũ Đức Minh", "cb-nghien-cuu")),
        start=3,
    ):
        trainee = Person(ledger, serial, name, Sex.FEMALE if "Thị" in name else Sex.MALE, date(1998, 1, 5), cell)
        trainee.nominate(date(2021, 10, 11))
        trainee.train(date(2021, 12, 17))
    for member in [*members, hung]:
        member.run(mc.RecordScreeningOutcome(**member.at(date(2021, 12, 28)), year=2021, outcome=ScreeningOutcome.KEEP))
    return ledger, hung


def append(store: EventStore, ledger: Ledger, since: int = 0) -> int:
    """Append the ledger's events from `since` on to the real log, as the person service files them."""
    for item in ledger.log[since:]:
        new = envelope(item.event, item.envelope.unit_id, item.envelope.occurred_on)
        store.append(
            item.envelope.stream_id,
            [replace(new, also_unit_id=item.envelope.also_unit_id)],
            expected_version=item.envelope.stream_version - 1,
        )
    return len(ledger.log)


def catch_up(engine: sa.Engine, store: EventStore) -> None:
    runner = Runner(engine, store, EVENTS, PROJECTIONS, enrich=PersonStates(store, EVENTS))
    for unit_id in sorted(store.unit_heads()):
        runner.catch_up(unit_id)


def head(store: EventStore) -> int:
    return max(store.unit_heads().values())
