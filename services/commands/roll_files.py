"""Open files of the roll (the sheet "Hồ sơ đang xét"): each row the sequence of the domain's steps up to the
stage it has reached, decided one after the other on the person's state, as the officers' steps are.

A row at "Đã có đơn xin vào Đảng" is the nomination (with its official helper), the awareness-class
certificate, the application and, if given, the background form — each dated as on its paper, each checked
for its stage, its order and its rules (R-STAGE-ORDER, R-HELPER-OFFICIAL, R-DATE-FUTURE, …). A refusal names
the sheet, the row, the column and the person by name. Later stages (verification onwards) need papers and
votes a row cannot carry: they are refused by name, to be recorded step by step after the import.

The helper's standing is the one fact read from other people: the log's as of the nomination, or — for a
member the roll itself enrols (this file or an earlier import, which the log knows only from the day of the
import) — the roll's own dates: official from the date it gives as official.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Final

from domain.calendar import WorkingCalendar
from domain.codec import EVENTS
from domain.errors import DomainError, InvalidCommand, RuleViolation
from domain.identity import CitizenId, parse_citizen_id
from domain.paper import check_not_future
from domain.particulars import Particulars
from domain.person import commands as c
from domain.person.events import PersonEvent
from domain.person.facts import MemberFacts
from domain.person.handlers import handle
from domain.person.member_events import MemberEnrolled
from domain.person.records import PersonState
from domain.person.stages import Stage
from domain.units.tree import UnitTree
from eventstore import RecordedEvent

from . import log_facts
from .actors import Actor
from .context import CommandContext
from .people import PersonStepRequest, check_walls
from .person_facts import NOTHING_STATED, FactContext, build_facts
from .person_log import replay_records
from .person_steps import STEPS, Step
from .roll_sheets import COLUMN_OF_FIELD, IMPORTED_STAGES, OPEN_FILES_SHEET, OpenFileRow, RowProblem
from .walls import FiledElsewhere, WallDenied

STEP_OF: Final[dict[type[c.PersonCommand], Step]] = {step.command: step for step in STEPS}
DATE_COLUMN: Final[dict[type[c.PersonCommand], str]] = {
    c.NominateCandidate: COLUMN_OF_FIELD["nominated_on"],
    c.RecordTrainingCertificate: COLUMN_OF_FIELD["certificate_issued_on"],
    c.SubmitApplication: COLUMN_OF_FIELD["applied_on"],
    c.SubmitBackgroundForm: COLUMN_OF_FIELD["background_form_on"],
}
"""The column of each step's date: where a refusal of the step's order or date points."""
RULE_COLUMN: Final = {"R-HELPER-OFFICIAL": COLUMN_OF_FIELD["helper_citizen_id"]}
NEEDED: Final[dict[Stage, tuple[str, ...]]] = {
    Stage.SOURCE_POOL: (),
    Stage.TRAINED: ("certificate_ref", "certificate_issued_on"),
    Stage.APPLIED: ("certificate_ref", "certificate_issued_on", "applied_on", "application_ref"),
}
PERSON_ID: Final = re.compile(r"person-[0-9a-f]{32}")
UNIT_ID: Final = re.compile(r"unit-[A-Za-z0-9_.:-]+")

Step_ = tuple[PersonState, c.PersonCommand, tuple[PersonEvent, ...]]
"""One decided step: the state it was decided on, the command, the events it decided."""


@dataclass(frozen=True)
class RollPeople:
    """The members the roll itself enrols (this file's plan): their names, and from when each is official."""

    names: dict[str, str]
    official_from: dict[str, date]


@dataclass(frozen=True)
class PlannedFile:
    row: OpenFileRow
    before: PersonState
    steps: tuple[Step_, ...]
    key: str


class RowRefused(Exception):
    """A row's problem, already worded for the officer."""

    def __init__(self, problem: RowProblem) -> None:
        super().__init__(problem.line())
        self.problem = problem


def helper_ids(ctx: CommandContext, rows: Sequence[OpenFileRow]) -> dict[int, str]:
    """Each row's helper, by the citizen ID it gives (rows whose number is malformed are left out)."""
    citizens: dict[int, CitizenId] = {}
    for row in rows:
        try:
            citizens[row.row] = parse_citizen_id(row.helper_citizen_id)
        except DomainError:
            continue
    found = ctx.person_ids_of(citizens.values())
    return {number: found[citizen] for number, citizen in citizens.items()}


def plan_file(
    ctx: CommandContext,
    tree: UnitTree,
    calendar: WorkingCalendar,
    actor: Actor,
    row: OpenFileRow,
    person_id: str,
    helper_id: str | None,
    records: list[RecordedEvent],
    on: date,
    key: str,
    roll: RollPeople,
) -> PlannedFile:
    """Every step of the row decided in order on the person's state; `RowRefused` names the first that fails."""
    if row.stage not in IMPORTED_STAGES:
        later = (
            f"chưa nhập được hồ sơ ở giai đoạn “{row.stage.label_vi}” từ tệp: nhập đến giai đoạn "
            f"“{Stage.APPLIED.label_vi}” rồi ghi tiếp từng bước trên trang hồ sơ"
        )
        raise _refused(row, "stage", "R-STAGE-ORDER", later)
    for name in NEEDED[row.stage]:
        if getattr(row, name) is None:
            raise _refused(row, name, name, f"giai đoạn “{row.stage.label_vi}” cần cột này")
    if (row.background_form_on is None) != (row.background_form_ref is None):
        missing = "background_form_ref" if row.background_form_ref is None else "background_form_on"
        raise _refused(row, missing, missing, "ngày nộp lý lịch và số lý lịch đi cùng nhau")
    if helper_id is None:
        raise _refused(row, "helper_citizen_id", "helper_citizen_id", "số CCCD người giúp đỡ không hợp lệ")
    cell_id = tree.unit_with_code(row.cell_code)
    cell = tree.state_on(cell_id, on) if cell_id else None
    if cell_id is None or cell is None or not cell.kind.holds_members:
        raise _refused(row, "cell_code", "R-UNIT-TREE", f"không có chi bộ mã “{row.cell_code}” trong sổ hoặc trong tệp")
    state = replay_records(person_id, records)
    before, decided = state, []
    for command in _commands(row, person_id, cell_id, helper_id):
        try:
            check_not_future(command.occurred_on, on)
            request = PersonStepRequest(actor, STEP_OF[type(command)], command, NOTHING_STATED, state.version, key)
            reads = check_walls(tree, request, state)
            facts = build_facts(request.step.facts, FactContext(ctx.store, tree, state, command, reads, NOTHING_STATED))
            if isinstance(command, c.NominateCandidate):
                facts = replace(facts, member=_helper(ctx, helper_id, command.occurred_on, roll))
            after, events = handle(state, command, calendar, facts)
        except FiledElsewhere:
            raise _refused(row, "citizen_id", "R-STAGE-ORDER", "số CCCD này đã có hồ sơ ở một tổ chức khác") from None
        except WallDenied:
            raise _refused(row, "cell_code", "R-UNIT-TREE", f"không có chi bộ mã “{row.cell_code}” trong sổ") from None
        except DomainError as exc:
            names = {person_id: row.full_name, helper_id: "người giúp đỡ " + _name(ctx, helper_id, roll)}
            raise _domain_refusal(row, command, exc, tree, names) from None
        decided.append((state, command, tuple(events)))
        state = after
    return PlannedFile(row, before, tuple(decided), key)


def _commands(row: OpenFileRow, person_id: str, cell_id: str, helper_id: str) -> list[c.PersonCommand]:
    """The steps that lead to the row's stage, each dated as on its paper."""
    particulars = Particulars(
        full_name=row.full_name, sex=row.sex, date_of_birth=row.date_of_birth, ethnicity=row.ethnicity,
        religion=row.religion, education=row.education, occupation=row.occupation, hometown=row.hometown,
    )  # fmt: skip
    unit = {"person_id": person_id, "acting_unit_id": cell_id}
    steps: list[c.PersonCommand] = [
        c.NominateCandidate(**unit, occurred_on=row.nominated_on, citizen_id=row.citizen_id,
                            particulars=particulars, helper_id=helper_id, resolution_ref=row.resolution_ref)
    ]  # fmt: skip
    reached = IMPORTED_STAGES.index(row.stage)
    if reached >= IMPORTED_STAGES.index(Stage.TRAINED):
        assert row.certificate_issued_on is not None and row.certificate_ref is not None
        recorded = max(row.certificate_issued_on, row.nominated_on)  # joins the file at the nomination earliest
        steps.append(c.RecordTrainingCertificate(**unit, occurred_on=recorded, certificate_ref=row.certificate_ref,
                                                 issued_on=row.certificate_issued_on))  # fmt: skip
    if reached >= IMPORTED_STAGES.index(Stage.APPLIED):
        assert row.applied_on is not None and row.application_ref is not None
        steps.append(c.SubmitApplication(**unit, occurred_on=row.applied_on, application_ref=row.application_ref))
        if row.background_form_on is not None and row.background_form_ref is not None:
            steps.append(c.SubmitBackgroundForm(**unit, occurred_on=row.background_form_on,
                                                form_ref=row.background_form_ref))  # fmt: skip
    return steps


def _name(ctx: CommandContext, person_id: str, roll: RollPeople) -> str:
    """A person's name, from this file or from the log (a refusal names people, never ids)."""
    if person_id in roll.names:
        return roll.names[person_id]
    particulars = replay_records(person_id, ctx.store.read_stream(person_id)).particulars
    return particulars.full_name if particulars else "(không có trong sổ)"


def _helper(ctx: CommandContext, helper_id: str, on: date, roll: RollPeople) -> MemberFacts:
    """R-HELPER-OFFICIAL on the nomination's date: the log's answer, or the roll's for a member it enrols."""
    official = log_facts.member_facts(ctx.store, helper_id, on).is_official
    if not official:
        official_from = roll.official_from.get(helper_id) or _enrolled_official_from(ctx, helper_id)
        official = official_from is not None and official_from <= on
    return MemberFacts(person_id=helper_id, is_official=official)


def _enrolled_official_from(ctx: CommandContext, person_id: str) -> date | None:
    """For a member enrolled from an earlier roll and official still, the date the roll gave as official."""
    records = ctx.store.read_stream(person_id)
    if replay_records(person_id, records).stage is not Stage.OFFICIAL:
        return None
    for record in records:
        if record.event_type == MemberEnrolled.event_type:
            event = EVENTS.decode(record.event_type, record.schema_version, record.data)
            if isinstance(event, MemberEnrolled):
                return event.official_from
    return None


def _refused(row: OpenFileRow, field: str, rule: str, message: str) -> RowRefused:
    return RowRefused(
        RowProblem(OPEN_FILES_SHEET, row.row, COLUMN_OF_FIELD.get(field), rule, f"{row.full_name}: {message}")
    )


def _domain_refusal(
    row: OpenFileRow, command: c.PersonCommand, exc: DomainError, tree: UnitTree, names: dict[str, str]
) -> RowRefused:
    """The step's refusal, its rule or field, at the column of its rule or of the step's date; ids named."""
    if isinstance(exc, RuleViolation):
        rule, column = exc.rule_id, RULE_COLUMN.get(exc.rule_id, DATE_COLUMN[type(command)])
    else:
        rule = exc.field if isinstance(exc, InvalidCommand) else "row"
        column = COLUMN_OF_FIELD.get(rule.split(".")[-1], DATE_COLUMN[type(command)])
    message = PERSON_ID.sub(lambda m: names.get(m.group(0), "người giúp đỡ"), exc.message_vi)
    message = UNIT_ID.sub(lambda m: _unit_name(tree, m.group(0)), message)
    step = f"{command.step_vi[:1].upper()}{command.step_vi[1:]}"
    return RowRefused(RowProblem(OPEN_FILES_SHEET, row.row, column, rule, f"{row.full_name} — {step}: {message}"))


def _unit_name(tree: UnitTree, unit_id: str) -> str:
    unit = tree.latest(unit_id)
    return unit.name if unit is not None else "tổ chức đảng"
