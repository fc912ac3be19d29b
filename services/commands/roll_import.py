"""Import a province's roll from its spreadsheets: the unit tree, then every member, then the open files, each
row decided by the domain exactly as the one-by-one commands are (`RegisterUnit` for a unit; `EnrollMember`, its
`STEPS` row's walls and facts, for a member; an open file's steps up to its stage, `roll_files`).

Two passes. The plan decides every row against the tree the file itself builds (nothing written), and names
each refusal with its sheet, row, column and rule, in Vietnamese. Only a clean plan is written — or, when the
operator asks for it, its clean rows alone. Each row carries an idempotency key made from its content, so the
same file imported again finds its rows already in the ledger and adds nothing (I3); a row that changed is a
new decision (a member already enrolled is then refused by R-STAGE-ORDER like any second enrolment).

Writing is in batches of one transaction each (units on the tree stream, new people as new streams:
`EventStore.append_new_streams`), and ends with a durable flush before the report says what was written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Final, TypeVar

from domain.calendar import WorkingCalendar
from domain.errors import DomainError, InvalidCommand, RuleViolation
from domain.identity import CitizenId, parse_citizen_id
from domain.particulars import Particulars
from domain.person import member_commands as mc
from domain.person.events import PersonEvent
from domain.person.handlers import handle
from domain.person.records import PersonState
from domain.units.aggregate import decide as decide_unit
from domain.units.commands import RegisterUnit
from domain.units.events import UnitEvent
from domain.units.tree import UnitTree
from eventstore import EventStoreError, RecordedEvent, WrongExpectedVersion

from .actors import Actor, Role
from .context import CommandContext
from .idempotency import scoped_key
from .people import PersonStepRequest, check_walls
from .person_facts import NOTHING_STATED, FactContext, build_facts
from .person_log import append_decided, new_person_stream, new_person_stream_of_steps, replay_records
from .person_steps import STEPS
from .province import unit_id_for
from .roll_files import PlannedFile, RollPeople, RowRefused, helper_ids, plan_file
from .roll_sheets import (
    COLUMN_OF_FIELD,
    MEMBERS_SHEET,
    OPEN_FILES_SHEET,
    UNITS_SHEET,
    MemberRow,
    OpenFileRow,
    RollFeed,
    RowProblem,
    UnitRow,
)
from .tree_log import UNIT_TREE_STREAM
from .units import command_metadata, handle_unit_command, unit_envelopes
from .walls import FiledElsewhere, WallDenied, require_role, today

ENROLMENT: Final = next(step for step in STEPS if step.command is mc.EnrollMember)
WRITERS: Final = 2
"""Batches of members written at once: one thread prepares (hashes) a batch while the database writes another."""
CHUNK: Final = 500
"""Members whose streams are read in one round trip while planning, and at most the members (and the events) of
one transaction while writing (`append_new_streams`, within the store's 1,000 events an append)."""

RULE_COLUMNS: Final = {
    "R-ELIG-AGE": "Ngày quyết định kết nạp",
    "R-RECOGNISE-BACKDATE": "Ngày công nhận chính thức",
    "R-DATE-FUTURE": "Ngày lễ kết nạp",
}
FIELD_COLUMNS: Final = {
    **COLUMN_OF_FIELD,
    "cell_id": "Mã chi bộ",
    "parent_id": "Mã tổ chức cấp trên",
    "unit_id": "Mã tổ chức",
}

Progress = Callable[[str, int, int], None]
"""(phase, rows done, rows in all): `units` and `plan` while deciding, `write units` and `write` while appending."""


def _no_progress(phase: str, done: int, total: int) -> None:
    """For callers that show none."""


@dataclass(frozen=True)
class PlannedUnit:
    row: UnitRow
    command: RegisterUnit
    events: tuple[UnitEvent, ...]
    key: str


@dataclass(frozen=True)
class PlannedMember:
    row: MemberRow
    before: PersonState
    command: mc.EnrollMember
    events: list[PersonEvent]
    key: str


@dataclass
class ImportReport:
    """What the file holds and what happened: rows new, rows already in the ledger, rows refused and why."""

    units_new: int = 0
    units_present: int = 0
    members_new: int = 0
    members_present: int = 0
    files_new: int = 0
    files_present: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    written: bool = False
    units_written: int = 0
    members_written: int = 0
    files_written: int = 0

    @property
    def clean(self) -> bool:
        return not self.problems

    def summary_vi(self) -> str:
        done = "Đã ghi" if self.written else "Chưa ghi gì vào sổ"
        return (
            f"{done}: tổ chức mới {self.units_new} (đã ghi {self.units_written}), đã có {self.units_present}; "
            f"đảng viên mới {self.members_new} (đã ghi {self.members_written}), đã có {self.members_present}; "
            f"hồ sơ đang xét mới {self.files_new} (đã ghi {self.files_written}), đã có {self.files_present}; "
            f"dòng bị từ chối {len(self.problems)}"
        )


@dataclass
class _Plan:
    units: list[PlannedUnit] = field(default_factory=list)
    members: list[PlannedMember] = field(default_factory=list)
    files: list[PlannedFile] = field(default_factory=list)
    report: ImportReport = field(default_factory=ImportReport)
    tree_version: int = 0
    """The version of the tree stream the units were decided on."""


def import_roll(
    ctx: CommandContext,
    actor: Actor,
    roll: RollFeed,
    *,
    write: bool,
    only_clean: bool = False,
    progress: Progress = _no_progress,
) -> ImportReport:
    """Plan every row; write nothing unless `write` and the plan is clean (or `only_clean`: its clean rows)."""
    require_role(actor, Role.PROVINCIAL_ADMIN)
    on = today()
    plan = _plan(ctx, actor, roll, on, progress)
    report = plan.report
    if write and (report.clean or only_clean):
        report.written = True
        _write(ctx, actor, plan, on, progress)
    return report


def row_key(kind: str, row: UnitRow | MemberRow | OpenFileRow) -> str:
    """The row's idempotency key: its content (not its number, so sorting the sheet changes nothing)."""
    content = {k: v for k, v in vars(row).items() if k != "row"}
    digest = hashlib.sha256(json.dumps(content, default=str, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"roll-{kind}-{digest[:40]}"


def _plan(ctx: CommandContext, actor: Actor, roll: RollFeed, on: date, progress: Progress) -> _Plan:
    """Units first (the members' cells are in the tree they build), then the members as they are read."""
    plan = _Plan()
    plan.report.problems.extend(roll.problems)
    plan.tree_version, tree = ctx.versioned_tree()
    tree = _plan_units(tree, actor, roll.units, on, plan, progress)
    calendar = ctx.calendar()
    seen: dict[str, int] = {}
    done = 0
    for rows, problems in roll.member_chunks():
        plan.report.problems.extend(problems)
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            _plan_chunk(ctx, tree, calendar, actor, chunk, seen, on, plan)
            done += len(chunk)
            progress("plan", done, max(done, roll.expected_members))
    _plan_files(ctx, tree, calendar, actor, roll.open_files, seen, on, plan)
    return plan


def _plan_files(
    ctx: CommandContext,
    tree: UnitTree,
    calendar: WorkingCalendar,
    actor: Actor,
    rows: Sequence[OpenFileRow],
    seen: dict[str, int],
    on: date,
    plan: _Plan,
) -> None:
    """Open files after the members (a helper may be one of them), each its steps in order (`roll_files`)."""
    report = plan.report
    roll = RollPeople(
        {p.command.person_id: p.row.full_name for p in plan.members},
        {p.command.person_id: p.command.official_from for p in plan.members if p.command.official_from},
    )
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        ids = _person_ids(ctx, chunk, report.problems, OPEN_FILES_SHEET)
        helpers = helper_ids(ctx, chunk)
        found = ctx.store.read_streams(dict.fromkeys(ids.values(), 0))
        for row in chunk:
            person_id = ids.get(row.row)
            if person_id is None:
                continue
            first = seen.setdefault(person_id, -row.row)
            if first != -row.row:
                where = f"dòng {first} trang “{MEMBERS_SHEET}”" if first > 0 else f"dòng {-first}"
                report.problems.append(
                    RowProblem(
                        OPEN_FILES_SHEET,
                        row.row,
                        "Số CCCD",
                        "citizen_id",
                        f"{row.full_name}: trùng số CCCD với {where}",
                    )
                )
                continue
            key = row_key("o", row)
            records = found[person_id]
            if records and str(records[0].metadata.get("idempotency_key", "")).endswith(":" + key):
                report.files_present += 1
                continue
            try:
                planned = plan_file(
                    ctx, tree, calendar, actor, row, person_id, helpers.get(row.row), records, on, key, roll
                )
            except RowRefused as refused:
                report.problems.append(refused.problem)
                continue
            plan.files.append(planned)
            report.files_new += 1


def _plan_chunk(
    ctx: CommandContext,
    tree: UnitTree,
    calendar: WorkingCalendar,
    actor: Actor,
    chunk: Sequence[MemberRow],
    seen: dict[str, int],
    on: date,
    plan: _Plan,
) -> None:
    """Members whose streams are read in one round trip, each decided on its own stream and the tree."""
    ids = _person_ids(ctx, chunk, plan.report.problems)
    found = ctx.store.read_streams(dict.fromkeys(ids.values(), 0))
    for row in chunk:
        person_id = ids.get(row.row)
        if person_id is None:
            continue
        first = seen.setdefault(person_id, row.row)
        if first != row.row:
            plan.report.problems.append(
                RowProblem(MEMBERS_SHEET, row.row, "Số CCCD", "citizen_id", f"trùng số CCCD với dòng {first}")
            )
            continue
        _plan_member(ctx, tree, calendar, actor, row, person_id, found[person_id], on, plan)


def _person_ids(
    ctx: CommandContext,
    chunk: Sequence[MemberRow | OpenFileRow],
    problems: list[RowProblem],
    sheet: str = MEMBERS_SHEET,
) -> dict[int, str]:
    """Each row's person, the whole chunk found with one read of the log (`CommandContext.person_ids_of`)."""
    citizens: dict[int, CitizenId] = {}
    for row in chunk:
        try:
            citizens[row.row] = parse_citizen_id(row.citizen_id)
        except DomainError as exc:
            problems.append(_problem(sheet, row.row, exc))
    found = ctx.person_ids_of(citizens.values())
    return {number: found[citizen] for number, citizen in citizens.items()}


def _plan_units(
    tree: UnitTree, actor: Actor, rows: Sequence[UnitRow], on: date, plan: _Plan, progress: Progress
) -> UnitTree:
    """Parents before children (a sheet may list them in any order), each decided on the tree so far."""
    report = plan.report
    ordered = _parents_first(rows, report.problems)
    for done, row in enumerate(ordered, start=1):
        if done % CHUNK == 0 or done == len(ordered):
            progress("units", done, len(ordered))
        key = row_key("u", row)
        existing = tree.unit_with_code(row.code)
        if existing is not None and _same_unit(tree, existing, row):
            report.units_present += 1
            continue
        parent_id = tree.unit_with_code(row.parent_code)
        try:
            if parent_id is None:
                raise WallDenied("no such parent")
            _within(tree, actor, parent_id, on)
            command = RegisterUnit(
                unit_id_for(row.code), row.code, row.name, row.kind, parent_id, row.admission_delegated
            )
            events = decide_unit(command, tree, on)
        except WallDenied:
            report.problems.append(_missing_unit(UNITS_SHEET, row.row, "Mã tổ chức cấp trên", row.parent_code))
            continue
        except DomainError as exc:
            report.problems.append(_problem(UNITS_SHEET, row.row, exc))
            continue
        for event in events:
            tree = tree.with_event(event, on)
        plan.units.append(PlannedUnit(row, command, events, key))
        report.units_new += 1
    return tree


def _parents_first(rows: Sequence[UnitRow], problems: list[RowProblem]) -> list[UnitRow]:
    by_code: dict[str, UnitRow] = {}
    for row in rows:
        if row.code in by_code:
            problems.append(
                RowProblem(
                    UNITS_SHEET, row.row, "Mã tổ chức", "R-UNIT-TREE", f"trùng mã với dòng {by_code[row.code].row}"
                )
            )
        else:
            by_code[row.code] = row
    depth: dict[str, int] = {}
    for row in by_code.values():
        chain, code = [], row.code
        while code in by_code and code not in depth and code not in chain:
            chain.append(code)
            code = by_code[code].parent_code
        base = depth.get(code, 0)
        for offset, step in enumerate(reversed(chain), start=1):
            depth[step] = base + offset
    return sorted(by_code.values(), key=lambda r: (depth[r.code], r.row))


def _same_unit(tree: UnitTree, unit_id: str, row: UnitRow) -> bool:
    """A row describing a unit the ledger already holds, exactly: imported before, nothing to add."""
    unit = tree.latest(unit_id)
    parent = tree.latest(unit.parent_id) if unit is not None and unit.parent_id else None
    return (
        unit is not None
        and parent is not None
        and (unit.name, unit.kind, parent.code, unit.admission_delegated)
        == (row.name, row.kind, row.parent_code, row.admission_delegated)
    )


def _within(tree: UnitTree, actor: Actor, unit_id: str, on: date) -> None:
    if tree.state_on(unit_id, on) is None or not tree.is_within(unit_id, actor.unit_id, on):
        raise WallDenied(f"{unit_id} is not within {actor.unit_id}")


def _plan_member(
    ctx: CommandContext,
    tree: UnitTree,
    calendar: WorkingCalendar,
    actor: Actor,
    row: MemberRow,
    person_id: str,
    records: list[RecordedEvent],
    on: date,
    plan: _Plan,
) -> None:
    report = plan.report
    key = row_key("m", row)
    if records and str(records[0].metadata.get("idempotency_key", "")).endswith(":" + key):
        report.members_present += 1
        return
    cell_id = tree.unit_with_code(row.cell_code)
    cell = tree.state_on(cell_id, on) if cell_id else None
    if cell_id is None or cell is None or not cell.kind.holds_members:
        report.problems.append(_missing_unit(MEMBERS_SHEET, row.row, "Mã chi bộ", row.cell_code, cell=True))
        return
    before = replay_records(person_id, records)
    try:
        command = _enrolment(row, person_id, cell_id, actor, on)
        request = PersonStepRequest(actor, ENROLMENT, command, NOTHING_STATED, 0, key)
        reads = check_walls(tree, request, before)
        facts = build_facts(ENROLMENT.facts, FactContext(ctx.store, tree, before, command, reads, NOTHING_STATED))
        _, events = handle(before, command, calendar, facts)
    except FiledElsewhere:
        report.problems.append(
            RowProblem(MEMBERS_SHEET, row.row, "Số CCCD", "R-STAGE-ORDER", "số CCCD này đã có hồ sơ ở một tổ chức khác")
        )
        return
    except WallDenied:
        report.problems.append(_missing_unit(MEMBERS_SHEET, row.row, "Mã chi bộ", row.cell_code, cell=True))
        return
    except DomainError as exc:
        report.problems.append(_problem(MEMBERS_SHEET, row.row, exc))
        return
    plan.members.append(PlannedMember(row, before, command, events, key))
    report.members_new += 1


def _enrolment(row: MemberRow, person_id: str, cell_id: str, actor: Actor, on: date) -> mc.EnrollMember:
    particulars = Particulars(
        full_name=row.full_name,
        sex=row.sex,
        date_of_birth=row.date_of_birth,
        ethnicity=row.ethnicity,
        religion=row.religion,
        education=row.education,
        occupation=row.occupation,
        hometown=row.hometown,
    )
    return mc.EnrollMember(
        person_id=person_id,
        occurred_on=on,
        acting_unit_id=actor.unit_id,
        citizen_id=row.citizen_id,
        particulars=particulars,
        cell_id=cell_id,
        admitted_on=row.admitted_on,
        ceremony_on=row.ceremony_on,
        official_from=row.official_from,
        roll_ref=row.roll_ref,
    )


def _problem(sheet: str, row: int, exc: DomainError) -> RowProblem:
    """A domain refusal on a row: the rule (or the field) it names and the column that holds it."""
    if isinstance(exc, RuleViolation):
        return RowProblem(sheet, row, RULE_COLUMNS.get(exc.rule_id), exc.rule_id, exc.message_vi)
    name = exc.field if isinstance(exc, InvalidCommand) else "row"
    return RowProblem(sheet, row, FIELD_COLUMNS.get(name.split(".")[-1]), name, exc.message_vi)


def _missing_unit(sheet: str, row: int, column: str, code: str, *, cell: bool = False) -> RowProblem:
    """A unit that is not there and one outside the caller's units read alike (I8)."""
    what = "chi bộ" if cell else "tổ chức"
    return RowProblem(
        sheet, row, column, "R-UNIT-TREE", f"không có {what} mã “{code}” trong sổ hoặc trong trang “{UNITS_SHEET}”"
    )


def _write(ctx: CommandContext, actor: Actor, plan: _Plan, on: date, progress: Progress) -> None:
    """Units, then members, each in batches of one transaction (ringing per batch); then a durable flush, so a
    report that says the rows are written is true after a crash too (the CLI's log does not wait for the disk
    at each commit: `durable=False`)."""
    _write_units(ctx, actor, plan, on, progress)
    ctx.ring(planned_unit.command.unit_id for planned_unit in plan.units)
    _write_members(ctx, actor, plan, progress)
    _write_files(ctx, actor, plan)
    ctx.store.flush()


def _write_units(ctx: CommandContext, actor: Actor, plan: _Plan, on: date, progress: Progress) -> None:
    """The plan's unit events, decided on the tree at `plan.tree_version`, appended a batch at a time with the
    tree stream's version as the expected one (I2): one round trip per batch instead of one per unit. If the
    tree changed since the plan (another administrator), the store refuses the batch and the units left are
    decided again one by one on the tree as it is now, as `handle_unit_command` decides any unit command."""
    report, version, total = plan.report, plan.tree_version, len(plan.units)
    done = 0
    for batch in _batches(plan.units, lambda unit: len(unit.events)):
        metadata = command_metadata(actor, on, None, None)
        events = [e for unit in batch for e in unit_envelopes(unit.events, on, metadata)]
        key = "roll-units-" + hashlib.sha256("\n".join(unit.key for unit in batch).encode()).hexdigest()[:40]
        try:
            result = ctx.store.append(
                UNIT_TREE_STREAM, events, expected_version=version, idempotency_key=scoped_key(actor, key)
            )
        except WrongExpectedVersion:
            _write_units_one_by_one(ctx, actor, plan.units[done:], on, report)
            break
        version = result.stream_version
        report.units_written += 0 if result.duplicate else len(batch)
        done += len(batch)
        progress("write units", done, total)
    progress("write units", total, total)


def _write_units_one_by_one(
    ctx: CommandContext, actor: Actor, units: Sequence[PlannedUnit], on: date, report: ImportReport
) -> None:
    """Each unit decided again on the tree it will join (following the tree it writes)."""
    version, tree = ctx.versioned_tree()
    for unit in units:
        try:
            result = handle_unit_command(
                ctx.store,
                unit.command,
                occurred_on=on,
                actor=actor,
                idempotency_key=scoped_key(actor, unit.key),
                expected_version=version,
                known_tree=(tree, version),
            )
        except DomainError as exc:
            report.problems.append(_problem(UNITS_SHEET, unit.row.row, exc))
            continue
        if result is None:
            continue
        for event in unit.events:  # what the unit use case just decided on this same tree (no second decision)
            tree = tree.with_event(event, on)
        version = result.stream_version
        report.units_written += 0 if result.duplicate else 1


def _write_members(ctx: CommandContext, actor: Actor, plan: _Plan, progress: Progress) -> None:
    """New people (the whole roll, on a new ledger) a batch of streams per transaction (`append_new_streams`),
    `WRITERS` batches at once; a person whose stream exists already (a candidate's file before the import)
    by one append at the version decided on."""
    report, total = plan.report, len(plan.members)
    new = [planned for planned in plan.members if planned.before.version == 0]
    known = [planned for planned in plan.members if planned.before.version != 0]
    done = 0
    with ThreadPoolExecutor(WRITERS, thread_name_prefix="roll-import") as writers:
        batches = _batches(new, lambda planned: len(planned.events))
        for batch, outcome in zip(batches, writers.map(lambda b: _append_new(ctx, actor, b), batches), strict=True):
            done += len(batch)
            if outcome is None:  # one of them was filed meanwhile: each on its own, as any other person
                outcome = [_append(ctx, actor, planned) for planned in batch]
            _count(report, batch, outcome, ctx)
            progress("write", done, total)
        for start in range(0, len(known), CHUNK):
            chunk = known[start : start + CHUNK]
            _count(report, chunk, list(writers.map(lambda p: _append(ctx, actor, p), chunk)), ctx)
            done += len(chunk)
            progress("write", done, total)


def _write_files(ctx: CommandContext, actor: Actor, plan: _Plan) -> None:
    """Each open file's steps in one append at the version they were decided on (I2): new people a batch of
    streams at a time, a person the log already holds (a file closed before) on their own stream."""
    report = plan.report
    new = [planned for planned in plan.files if planned.before.version == 0]
    for batch in _batches(new, lambda planned: sum(len(events) for _, _, events in planned.steps)):
        streams = [
            new_person_stream_of_steps(p.before, p.steps, actor, idempotency_key=scoped_key(actor, p.key))
            for p in batch
        ]
        try:
            results = ctx.store.append_new_streams([stream for stream, _ in streams])
        except WrongExpectedVersion:  # one was filed meanwhile: each on its own
            _files_one_by_one(ctx, actor, batch, report)
            continue
        report.files_written += sum(not result.duplicate for result in results)
        ctx.ring(u for _, units in streams for u in units)
    _files_one_by_one(ctx, actor, [planned for planned in plan.files if planned.before.version != 0], report)


def _files_one_by_one(ctx: CommandContext, actor: Actor, files: Sequence[PlannedFile], report: ImportReport) -> None:
    for planned in files:
        stream, units = new_person_stream_of_steps(
            planned.before, planned.steps, actor, idempotency_key=scoped_key(actor, planned.key), existing=True
        )
        try:
            result = ctx.store.append(
                stream.stream_id, stream.events, expected_version=planned.before.version,
                idempotency_key=stream.idempotency_key,
            )  # fmt: skip
        except EventStoreError:
            report.problems.append(
                RowProblem(OPEN_FILES_SHEET, planned.row.row, None, "R-STAGE-ORDER",
                           f"{planned.row.full_name}: hồ sơ vừa được người khác ghi")
            )  # fmt: skip
            continue
        report.files_written += 0 if result.duplicate else 1
        ctx.ring(units)


Outcome = tuple[bool, frozenset[str]] | None


def _count(
    report: ImportReport, chunk: Sequence[PlannedMember], outcomes: Sequence[Outcome], ctx: CommandContext
) -> None:
    rung: set[str] = set()
    for planned, outcome in zip(chunk, outcomes, strict=True):
        if outcome is None:
            report.problems.append(
                RowProblem(MEMBERS_SHEET, planned.row.row, None, "R-STAGE-ORDER", "hồ sơ vừa được người khác ghi")
            )
            continue
        duplicate, units = outcome
        report.members_written += 0 if duplicate else 1
        rung |= units
    ctx.ring(rung)


T = TypeVar("T")


def _batches(items: Sequence[T], events: Callable[[T], int]) -> list[list[T]]:
    """Consecutive items, at most `CHUNK` a batch and `CHUNK` events each (well within one transaction's)."""
    batches: list[list[T]] = []
    batch: list[T] = []
    held = 0
    for item in items:
        count = events(item)
        if batch and (len(batch) == CHUNK or held + count > CHUNK):
            batches.append(batch)
            batch, held = [], 0
        batch.append(item)
        held += count
    if batch:
        batches.append(batch)
    return batches


def _append_new(ctx: CommandContext, actor: Actor, batch: Sequence[PlannedMember]) -> list[Outcome] | None:
    """New people's first events, one transaction for the batch; None if one of their streams exists now."""
    streams, units = [], []
    for planned in batch:
        stream, concerned = new_person_stream(
            planned.before, planned.command, planned.events, actor, idempotency_key=scoped_key(actor, planned.key)
        )
        streams.append(stream)
        units.append(concerned)
    try:
        results = ctx.store.append_new_streams(streams)
    except WrongExpectedVersion:
        return None
    return [(result.duplicate, concerned) for result, concerned in zip(results, units, strict=True)]


def _append(ctx: CommandContext, actor: Actor, planned: PlannedMember) -> Outcome:
    """One member's enrolment at the version it was decided on (I2); None if the stream moved meanwhile."""
    try:
        result, units = append_decided(
            ctx.store, planned.before, planned.command, planned.events, actor,
            idempotency_key=scoped_key(actor, planned.key),
        )  # fmt: skip
    except EventStoreError:  # written meanwhile by someone else: the row is theirs now
        return None
    return result.duplicate, units
