"""A person's file as an officer reads it first: particulars, stage, helper and sponsors by name, relatives
verified, papers and running deadlines with their dates and days left, each vote's result; and the pickers'
options of the page (members of the cell, the cells of its commune-level committee, any other cell the walls
and the rules allow found by name: `cell_pickers`).

Everything here reads within the caller's walls: a helper, sponsor or mentor outside them is not named, and a
refusal's ids are turned into names at this edge (`name_ids`), never in the domain.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from domain.person.records import PersonState
from domain.person.values import Relation
from domain.privacy import ERASED_TEXT
from domain.units.snapshot import TreeAsOf
from domain.units.state import Unit
from domain.units.tree import UnitTree
from projections import queries
from projections.person_view import open_clocks
from services.commands.actors import Actor
from services.commands.person_steps import Step
from services.commands.walls import governs, today
from services.ledger import Ledger
from services.reads import may_read_sensitive

from .cell_pickers import cell_finder, commune_of, near_cells, near_root
from .common import snapshot
from .format import vi_date
from .forms import Choices, Finder, Option, Pick, form_fields, resolve_or_none
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


def _pending_subjects(state: PersonState) -> tuple[Option, ...]:
    file = state.file
    if file is None:
        return ()
    return tuple(
        Option(f"{s.relation.value}:{s.full_name}", f"{choice_label(Relation(s.relation))} — {s.full_name}")
        for s in file.subjects
        if s.exempt_reason is None and s.key not in file.results
    )


ROLL_PICKS: Final = frozenset({Pick.MEMBER, Pick.MEMBERS, Pick.SPONSORS})
"""Pickers of the members of the file's own cell."""


def person_choices(
    ledger: Ledger,
    tree: UnitTree,
    viewer: Actor,
    state: PersonState,
    steps: Sequence[Step],
    typed: Mapping[str, str] | None = None,
) -> Choices:
    """The options of the pickers the offered steps' forms show, all within what the caller may see, and only
    those: the cells of the file's own commune-level committee (any other is found by name), and members'
    rolls read for the cells listed, never for the whole province (issue 21). `typed`: a form posted or shown
    again, whose new cell's members are offered as helpers."""
    on = today()
    view = tree.as_of(on)
    cell = state.cell_id or ""
    forms = [form_fields(s) for s in steps]
    picks = {f.pick for fields in forms for f in fields}
    root = near_root(view, viewer, cell)
    commune = commune_of(view, cell) or root
    finders: dict[Pick, Finder] = {}
    hints: dict[Pick, str] = {}
    moving = [fields for fields in forms if {f.pick for f in fields} >= {Pick.CELL, Pick.MEMBER}]
    if Pick.CELL in picks:  # within the caller's walls
        finders[Pick.CELL] = cell_finder(tree, on, viewer.unit_id, cell)
        hints[Pick.CELL] = _hint(view, root, more=root != viewer.unit_id) + (HELPERS_HINT if moving else "")
    if Pick.UNIT in picks:  # R-TRANSFER: any active cell of the province
        finders[Pick.UNIT] = cell_finder(tree, on, None, cell)
        hints[Pick.UNIT] = _hint(view, commune)
    cells = near_cells(tree, root, on, cell) if Pick.CELL in picks else ()
    named = [typed.get(f.name, "") for fields in moving for f in fields if f.pick is Pick.CELL] if typed else []
    new_cells = [c for text in named if (c := resolve_or_none(Pick.CELL, text, cells, finders.get(Pick.CELL)))]
    listed = cells if root == viewer.unit_id else ()  # the caller's own few cells, not a commune's 150
    return Choices(
        members=_member_options(ledger, viewer, [cell], leave_out=state.person_id) if picks & ROLL_PICKS else (),
        elsewhere=_elsewhere(ledger, view, viewer, state.person_id, new_cells, listed) if moving else (),
        cells=cells,
        units=near_cells(tree, commune, on, cell) if Pick.UNIT in picks else (),
        subjects=_pending_subjects(state),
        subject_name=state.particulars.full_name if state.particulars else "",
        subject_year=str(state.particulars.date_of_birth.year) if state.particulars else "",
        finders=finders,
        hints=hints,
    )


HELPERS_HINT: Final = " Khi đã chọn chi bộ, bấm “Tìm” để chọn người giúp đỡ trong các đảng viên của chi bộ đó."
"""A candidate's new helper is a member of the new cell: its roll is read once the cell is chosen, not before
(the members of a commune's 150 cells were read, and their reading recorded, for every file page)."""


def _hint(view: TreeAsOf, root: str, more: bool = True) -> str:
    """Where the list comes from, and, when there is `more` to find, how to find it."""
    unit = view.get(root)
    listed = f"Danh sách có các chi bộ thuộc {unit.name}" if unit else "Danh sách có các chi bộ gần nhất"
    return f"{listed}; chi bộ ở nơi khác: gõ tên hoặc mã chi bộ rồi bấm “Tìm”." if more else f"{listed}."


def _elsewhere(
    ledger: Ledger, view: TreeAsOf, viewer: Actor, person_id: str, new_cells: list[str], cells: tuple[Option, ...]
) -> tuple[Option, ...]:
    """Members of the cell the form names (first), and of `cells`: a helper there for a candidate moving there
    (never a sponsor)."""
    listed = [o.value for o in cells]
    names = {uid: unit.name for uid in [*new_cells, *listed] if (unit := view.get(uid)) is not None}
    first = _member_options(ledger, viewer, [c for c in new_cells if c not in listed], person_id, names)
    known = {o.value for o in first}
    rest = _member_options(ledger, viewer, listed, person_id, names)
    return first + tuple(o for o in rest if o.value not in known)


def opening_choices(ledger: Ledger, unit: Unit, viewer: Actor) -> Choices:
    """A new file's helper is a member of the cell it opens in; an enrolment's cell is that cell (the page
    fixes it)."""
    return Choices(members=_member_options(ledger, viewer, [unit.unit_id]), cells=(Option(unit.unit_id, unit.name),))
