"""A person's file as an officer reads it first: particulars, stage, helper and sponsors by name, relatives
verified, papers and running deadlines with their dates and days left, each vote's result; and the pickers'
options of the page (members of the cell, cells of the caller's view, destinations the rules allow).

Everything here reads within the caller's walls: a helper, sponsor or mentor outside them is not named, and a
refusal's ids are turned into names at this edge (`name_ids`), never in the domain.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Final
from weakref import WeakKeyDictionary

from domain.person.records import PersonState
from domain.person.values import Relation
from domain.privacy import ERASED_TEXT
from domain.units.state import Unit
from domain.units.tree import UnitTree
from projections import queries
from projections.person_view import open_clocks
from services.commands.actors import Actor
from services.commands.walls import governs, today
from services.ledger import Ledger
from services.reads import may_read_sensitive, units_in_view

from .common import snapshot
from .format import vi_date
from .forms import Choices, Option
from .labels import choice_label, clock_label

PERSON_ID: Final = re.compile(r"person-[0-9a-f]{32}")


@dataclass(frozen=True)
class Due:
    """A running clock or a paper's last valid day, in words, with its date and the days left (calendar)."""

    label: str
    rule_id: str
    due_on: date
    days_left: int
    paper: bool = False

    @property
    def left_vi(self) -> str:
        if self.days_left < 0:
            return f"đã hết hiệu lực {-self.days_left} ngày" if self.paper else f"quá hạn {-self.days_left} ngày"
        return "hết hạn hôm nay" if self.days_left == 0 else f"còn {self.days_left} ngày"


@dataclass(frozen=True)
class Subject:
    relation: str
    full_name: str
    status: str
    birth_year: int | None = None


@dataclass(frozen=True)
class FileSummary:
    particulars: list[tuple[str, str]]
    helper: str | None
    sponsors: list[str]
    subjects: list[Subject]
    papers: list[Due]
    deadlines: list[Due]


Namer = Callable[[str], str]


def person_namer(ledger: Ledger, tree: UnitTree, viewer: Actor) -> Namer:
    """A member's name if the caller may see them, else words that reveal nothing (I8)."""

    def name(person_id: str) -> str:
        state = ledger.people.load(ledger.store, person_id) if PERSON_ID.fullmatch(person_id) else None
        if state is None or state.particulars is None or state.cell_id is None:
            return "một người không có trong sổ"
        if not governs(tree, viewer, state.cell_id):
            return "một đảng viên ngoài phạm vi của đồng chí"
        return state.particulars.full_name

    return name


def name_ids(message: str, tree: UnitTree, name_person: Namer) -> str:
    """A refusal as an officer reads it: every unit id and person id in it replaced by a name."""
    units = {u.unit_id: u.name for u in tree.all_latest()}
    if units:
        pattern = "|".join(re.escape(uid) for uid in sorted(units, key=len, reverse=True))
        message = re.sub(rf"(?<![\w-])(?:{pattern})(?![\w-])", lambda m: units[m.group(0)], message)
    return PERSON_ID.sub(lambda m: name_person(m.group(0)), message)


def _particulars(state: PersonState, viewer: Actor) -> list[tuple[str, str]]:
    p = state.particulars
    if p is None:
        return []
    if p.erased:  # placeholders and counted values only: nothing of the person is shown (R-PRIVACY-ERASE)
        return [("Thông tin cá nhân", ERASED_TEXT.capitalize())]
    rows = [
        ("Ngày sinh", vi_date(p.date_of_birth)),
        ("Giới tính", p.sex.label_vi),
        ("Quê quán", p.hometown or "—"),
        ("Trình độ học vấn", choice_label(p.education)),
        ("Nghề nghiệp", choice_label(p.occupation)),
    ]
    if may_read_sensitive(viewer):
        rows += [("Dân tộc", choice_label(p.ethnicity)), ("Tôn giáo", choice_label(p.religion))]
    m = state.membership
    if m is not None:
        rows += [("Ngày kết nạp", vi_date(m.admitted_on)), ("Lễ kết nạp", vi_date(m.ceremony_on))]
        official = ("Đảng viên chính thức từ", vi_date(m.official_from)) if m.official_from else None
        rows.append(official or ("Hết thời gian dự bị", vi_date(m.probation_ends_on)))
    return rows


def _subjects(state: PersonState) -> list[Subject]:
    file = state.file
    if file is None:
        return []
    found = []
    for s in file.subjects:
        if s.exempt_reason:
            status = f"miễn thẩm tra: {s.exempt_reason}"
        else:
            status = "đã có kết quả" if s.key in file.results else "đang chờ kết quả"
        found.append(Subject(choice_label(s.relation), s.full_name, status, s.birth_year))
    return found


def _due(rule: str, name: str, due_on: date, on: date, paper: bool = False) -> Due:
    return Due(clock_label(name, rule), rule, due_on, (due_on - on).days, paper)


def summary(state: PersonState, viewer: Actor, name_person: Namer) -> FileSummary:
    """The file at a glance (DOMAIN §2): what a secretary checks before taking the next step."""
    on = today()
    clocks = open_clocks(state, on)
    helper_id = state.membership.mentor_id if state.membership and state.membership.mentor_id else state.helper_id
    letters = state.file.sponsors if state.file else ()
    return FileSummary(
        particulars=_particulars(state, viewer),
        helper=name_person(helper_id) if helper_id else None,
        sponsors=[f"{name_person(s.sponsor_id)} ({s.document_ref})" for s in letters],
        subjects=_subjects(state),
        papers=[_due(c.rule_id, c.name, c.due_on, on, paper=True) for c in clocks if c.stale_paper],
        deadlines=[_due(c.rule_id, c.name, c.due_on, on) for c in clocks if not c.stale_paper],
    )


def _member_options(
    ledger: Ledger, viewer: Actor, cell_ids: list[str], leave_out: str = "", where: dict[str, str] | None = None
) -> tuple[Option, ...]:
    """Members on the roll of `cell_ids`, by name and birth date (and cell, given `where`'s names)."""
    if not cell_ids:
        return ()
    roll = snapshot(ledger, queries.member_roll, cell_ids, None, None, 500, reader=viewer, units=cell_ids)
    options = []
    for m in roll.members:
        if m.stream_id == leave_out or not m.full_name:
            continue
        born = f" (sinh {vi_date(m.date_of_birth)})" if m.date_of_birth else ""
        probation = " — dự bị" if m.status == "probationary" else ""
        cell = f" — {where.get(m.unit_id, '')}" if where is not None else ""
        options.append(Option(m.stream_id, f"{m.full_name}{born}{probation}{cell}", m.full_name))
    return tuple(sorted(options, key=lambda o: o.key))


_SORTED: WeakKeyDictionary[UnitTree, dict[tuple[object, ...], tuple[Option, ...]]] = WeakKeyDictionary()
"""Sorted pickers per tree (immutable) and what else they depend on: a province's 25,000 cells were listed,
their names folded and sorted again for every person page (1.6 s of a member's file in the largest one)."""


def _sorted_once(tree: UnitTree, key: tuple[object, ...], make: Callable[[], list[Option]]) -> tuple[Option, ...]:
    known = _SORTED.get(tree, {}).get(key)
    if known is None:
        known = tuple(sorted(make(), key=lambda o: o.key))
        kept = _SORTED.setdefault(tree, {})
        if len(kept) > 64:  # a few viewers' units a day
            kept.clear()
        kept[key] = known
    return known


def _cells(tree: UnitTree, viewer: Actor, leave_out: str | None) -> tuple[Option, ...]:
    on = today()

    def make() -> list[Option]:
        found = []
        for unit_id in units_in_view(tree, viewer, viewer.unit_id):
            unit = tree.state_on(unit_id, on)
            if unit is not None and unit.kind.holds_members and unit.is_active:
                found.append(Option(unit_id, unit.name, unit.name))
        return found

    every = _sorted_once(tree, ("cells", viewer.role, viewer.unit_id, on), make)
    return tuple(option for option in every if option.value != leave_out)


def _destinations(tree: UnitTree, leave_out: str | None) -> tuple[Option, ...]:
    """Where a member's party life may move (R-TRANSFER): any active unit that keeps a roll, by name, code (as
    the pages show it) and the committee above it (two cells of two schools may share a name)."""
    on = today()

    def make() -> list[Option]:
        found = []
        for unit in tree.all_latest():
            if not unit.kind.holds_members or not unit.is_active:
                continue
            above = tree.ancestors(unit.unit_id, on)
            where = f" — {above[-1].name}" if above else ""
            found.append(Option(unit.unit_id, f"{unit.name} ({unit.code}){where}", unit.name))
        return found

    every = _sorted_once(tree, ("destinations", on), make)
    return tuple(option for option in every if option.value != leave_out)


def _pending_subjects(state: PersonState) -> tuple[Option, ...]:
    file = state.file
    if file is None:
        return ()
    return tuple(
        Option(f"{s.relation.value}:{s.full_name}", f"{choice_label(Relation(s.relation))} — {s.full_name}")
        for s in file.subjects
        if s.exempt_reason is None and s.key not in file.results
    )


def person_choices(ledger: Ledger, tree: UnitTree, viewer: Actor, state: PersonState) -> Choices:
    """The options of the person page's pickers, all within what the caller may see."""
    cell = state.cell_id or ""
    cells = _cells(tree, viewer, cell)
    names = {o.value: o.label for o in cells}
    return Choices(
        members=_member_options(ledger, viewer, [cell], leave_out=state.person_id),
        elsewhere=_member_options(ledger, viewer, list(names), state.person_id, names),
        cells=cells,
        units=_destinations(tree, cell),
        subjects=_pending_subjects(state),
        subject_name=state.particulars.full_name if state.particulars else "",
        subject_year=str(state.particulars.date_of_birth.year) if state.particulars else "",
    )


def opening_choices(ledger: Ledger, unit: Unit, viewer: Actor) -> Choices:
    """A new file's helper is a member of the cell it opens in; an enrolment's cell is that cell (the page
    fixes it)."""
    return Choices(members=_member_options(ledger, viewer, [unit.unit_id]), cells=(Option(unit.unit_id, unit.name),))
