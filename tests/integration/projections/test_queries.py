"""The read queries over real rows built by the runner from a real log, on SQLite and PostgreSQL.

The centrepiece is DOMAIN.md §5's worked example: the province's Political School in December 2021 — 5 cells,
32 members, a term target of 5 admissions; that year one dossier sent up to the bloc committee, three
candidates sent to the awareness class, one probationary member recognised as official, screening removed
nobody. The 31 members admitted before the ledger started are entered from the roll (`MemberEnrolled`).
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from domain.calendar import WorkingCalendar
from domain.codec import EVENTS
from domain.particulars import Sex
from domain.person import member_commands as mc
from domain.person.values import TransferKind
from eventstore import EventStore
from projections.person_states import PersonStates
from projections.queries import (
    FileEntry,
    MemberEntry,
    dashboard,
    deadlines,
    files,
    incoming_transfers,
    member_exits,
    member_roll,
    statistics,
    subtree_units,
    yearly_progress,
)
from projections.rebuild import compare
from projections.registry import PROJECTIONS
from projections.runner import Runner
from projections.schema import projection_checkpoints, projection_rows, projection_versions
from tests.integration.projections.school import (
    BLOC,
    DECEMBER,
    SCHOOL,
    append,
    catch_up,
    head,
    the_school_in_2021,
    the_tree,
)
from tests.support.appending import set_target
from tests.unit.projections.people import CALENDAR, Ledger, Person


@pytest.fixture
def school(engine: sa.Engine, store: EventStore) -> tuple[Ledger, Person]:
    ledger, hung = the_school_in_2021()
    append(store, ledger)
    set_target(store, SCHOOL, 5)
    catch_up(engine, store)
    return ledger, hung


def test_the_political_school_in_december_2021(
    engine: sa.Engine, store: EventStore, school: tuple[Ledger, Person]
) -> None:
    units = subtree_units(the_tree(), SCHOOL, DECEMBER)
    with engine.connect() as connection:
        board = dashboard(connection, units, 2021, "2020-2025")

    assert len(units) == 1 + 5
    assert (board.members.total, board.members.official, board.members.probationary) == (32, 32, 0)
    figures = board.figures
    assert (figures.sent_up, figures.trained, figures.recognised) == (1, 3, 1)
    assert figures.screening == {"keep": 32}
    assert (figures.exits, figures.admitted, figures.enrolled) == ({}, 0, 31)
    admissions = next(t for t in board.targets if t.metric == "admissions")
    assert (admissions.term_target, admissions.term_actual, admissions.year_actual) == (5, 1, 0)
    assert {s.stage: s.count for s in board.funnel if s.count} == {"Trained": 3, "CommitteeApproved": 1}
    assert board.position >= head(store)  # every event of the log is in the answer


def test_a_past_year_counts_its_members_and_funnel_at_its_end(
    engine: sa.Engine, store: EventStore, school: tuple[Ledger, Person]
) -> None:
    units = subtree_units(the_tree(), SCHOOL, DECEMBER)
    with engine.connect() as connection:
        end_of_2020 = dashboard(connection, units, 2020, "2020-2025", current_year=2026)
        end_of_2021 = dashboard(connection, units, 2021, "2020-2025", current_year=2026)
        today = dashboard(connection, units, 2026, "2025-2030", current_year=2026)

    # the roll was entered on 04/01/2021; Hùng was probationary since his ceremony of 10/12/2020, Hoa trained
    assert (end_of_2020.members.probationary, end_of_2020.members.official) == (1, 0)
    assert {s.stage: s.count for s in end_of_2020.funnel if s.count} == {"Trained": 1}
    assert (end_of_2021.members.official, today.members.official) == (32, 32)
    assert {s.stage: s.count for s in end_of_2021.funnel if s.count} == {"Trained": 3, "CommitteeApproved": 1}


def test_the_bloc_committee_sees_the_same_school_in_its_roll_up(
    engine: sa.Engine, store: EventStore, school: tuple[Ledger, Person]
) -> None:
    with engine.connect() as connection:
        bloc = dashboard(connection, subtree_units(the_tree(), BLOC, DECEMBER), 2021, "2020-2025")

    assert bloc.members.total == 32 and bloc.figures.sent_up == 1
    admissions = next(t for t in bloc.targets if t.metric == "admissions")
    assert admissions.term_target == 5  # the bloc set none itself: the school's, summed from below


def test_the_yearly_progress_chart_agrees_with_each_year_s_dashboard(
    engine: sa.Engine, store: EventStore, school: tuple[Ledger, Person]
) -> None:
    units = subtree_units(the_tree(), SCHOOL, DECEMBER)
    with engine.connect() as connection:
        progress = yearly_progress(connection, units, "2020-2025")
        boards = {y: dashboard(connection, units, y, "2020-2025") for y in range(2020, 2026)}

    for board in boards.values():
        for target in board.targets:
            [year] = [p for p in progress[target.metric] if p.year == board.year]
            assert (year.actual, year.plan) == (target.year_actual, target.year_plan), (board.year, target.metric)
    assert sum(p.actual for p in progress["official_recognitions"]) >= 1


def test_files_are_paged_in_a_stable_order_and_filtered_by_stage(
    engine: sa.Engine, store: EventStore, school: tuple[Ledger, Person]
) -> None:
    units = subtree_units(the_tree(), SCHOOL, DECEMBER)
    seen: list[FileEntry] = []
    cursor = None
    with engine.connect() as connection:
        while True:
            page = files(connection, units, cursor=cursor, limit=2)
            seen.extend(page.files)
            cursor = page.next_cursor
            if cursor is None:
                break
        trained = files(connection, units, stage="Trained")
        official = files(connection, units, stage="Official")

    assert len(seen) == len({f.stream_id for f in seen}) == 5
    assert [(f.unit_id, f.stream_id) for f in seen] == sorted((f.unit_id, f.stream_id) for f in seen)
    assert {f.full_name for f in trained.files} == {"Trịnh Văn Nam", "Đỗ Thị Lan", "Vũ Đức Minh"}
    hoa = next(f for f in seen if f.full_name == "Phạm Thị Hoa")
    assert (hoa.stage, hoa.stage_label_vi, hoa.open) == ("CommitteeApproved", "Đảng ủy cơ sở đã đề nghị kết nạp", True)
    assert hoa.pending_due_on == CALENDAR.add_working_days(date(2021, 11, 15), 60)
    hung = next(f for f in seen if f.full_name == "Lê Văn Hùng")
    assert (hung.stage, hung.stage_label_vi, hung.open) == ("Official", "Đảng viên chính thức", False)
    assert hung.stage_since == date(2021, 12, 27)  # the recognition, not the ceremony
    assert [f.full_name for f in official.files] == ["Lê Văn Hùng"]


def test_deadlines_are_counted_in_working_days_from_the_day_asked(
    engine: sa.Engine, store: EventStore, school: tuple[Ledger, Person]
) -> None:
    units = subtree_units(the_tree(), SCHOOL, DECEMBER)
    calendar = WorkingCalendar()
    due = calendar.add_working_days(date(2021, 11, 15), 60)
    with engine.connect() as connection:
        in_december = deadlines(connection, units, DECEMBER, calendar)
        too_late = deadlines(connection, units, date(2022, 3, 1), calendar, stale_within_days=None)

    [waiting] = in_december.open
    assert (waiting.full_name, waiting.rule_id, waiting.due_on) == ("Phạm Thị Hoa", "R-DECIDE-DEADLINE", due)
    assert waiting.working_days_left == calendar.working_days_between(DECEMBER, due) > 0
    assert in_december.stale_papers == () and in_december.breaches == ()
    assert too_late.open[0].overdue and too_late.open[0].working_days_left == -calendar.working_days_between(
        due, date(2022, 3, 1)
    )
    assert too_late.overdue_by_rule() == {"R-DECIDE-DEADLINE": 1}
    assert sorted(p.full_name or "" for p in too_late.stale_papers) == ["Trịnh Văn Nam", "Vũ Đức Minh", "Đỗ Thị Lan"]


def test_the_member_roll_lists_all_thirty_two_page_by_page(
    engine: sa.Engine, store: EventStore, school: tuple[Ledger, Person]
) -> None:
    units = subtree_units(the_tree(), SCHOOL, DECEMBER)
    seen: list[MemberEntry] = []
    cursor = None
    with engine.connect() as connection:
        while True:
            page = member_roll(connection, units, cursor=cursor, limit=10)
            seen.extend(page.members)
            if (cursor := page.next_cursor) is None:
                break
        probationary = member_roll(connection, units, status="probationary")

    assert len({m.stream_id for m in seen}) == 32
    assert {m.status for m in seen} == {"official"} and probationary.members == ()
    hung = next(m for m in seen if m.full_name == "Lê Văn Hùng")
    assert (hung.admitted_on, hung.ceremony_on, hung.official_from) == (
        date(2020, 11, 16),
        date(2020, 12, 10),
        date(2021, 12, 10),
    )
    assert hung.status_label_vi == "Đảng viên chính thức"


def test_statistics_count_the_admission_in_its_year(
    engine: sa.Engine, store: EventStore, school: tuple[Ledger, Person]
) -> None:
    units = subtree_units(the_tree(), SCHOOL, DECEMBER)
    with engine.connect() as connection:
        in_2020 = statistics(connection, units, 2020)
        in_2021 = statistics(connection, units, 2021)

    assert in_2020.metrics["admissions"]["sex"] == {"male": 1}
    assert in_2020.metrics["admissions"]["age_band"] == {"31-40": 1}
    assert in_2020.total("admissions") == 1 and in_2021.total("admissions") == 0
    assert in_2021.metrics == {}


def introduce_transfer_to_theory_cell(mover: Person) -> None:
    """Hùng's cell introduces his official transfer to the theory cell (February 2022)."""
    mover.run(
        mc.IntroduceTransfer(
            **mover.at(date(2022, 2, 1)),
            kind=TransferKind.OFFICIAL,
            to_unit_id="cb-ly-luan",
            cause_on=date(2022, 1, 20),
        )
    )


def test_a_member_moving_between_cells_leaves_the_school_total_unchanged(
    engine: sa.Engine, store: EventStore, school: tuple[Ledger, Person]
) -> None:
    ledger, mover = school
    appended = len(ledger.log)
    introduce_transfer_to_theory_cell(mover)
    mover.run(mc.PresentTransfer(**mover.at(date(2022, 2, 8), "cb-ly-luan")))
    append(store, ledger, since=appended)
    units = subtree_units(the_tree(), SCHOOL, date(2022, 3, 1))
    with engine.connect() as connection:
        before = dashboard(connection, units, 2022, "2020-2025")
    catch_up(engine, store)
    with engine.connect() as connection:
        after = dashboard(connection, units, 2022, "2020-2025")
        left = dashboard(connection, ["cb-dao-tao"], 2022, "2020-2025")
        joined = dashboard(connection, ["cb-ly-luan"], 2022, "2020-2025")
        exits = member_exits(connection, ["cb-dao-tao"], 2022)

    assert before.position < head(store) <= after.position
    assert after.members.total == 32
    assert (left.members.total, left.figures.transferred_out) == (7, 1)  # 7 from the roll; Hùng left
    assert (joined.members.total, joined.figures.transferred_in) == (8, 1)  # 7 from the roll and Hùng
    assert [(e.full_name, e.kind, e.to_unit_id) for e in exits.exits] == [
        ("Lê Văn Hùng", "transferred_out", "cb-ly-luan")
    ]


@pytest.fixture
def hung_on_his_way(engine: sa.Engine, store: EventStore, school: tuple[Ledger, Person]) -> Person:
    """Hùng's official transfer to the theory cell introduced by his cell, not yet presented there."""
    ledger, mover = school
    appended = len(ledger.log)
    introduce_transfer_to_theory_cell(mover)
    append(store, ledger, since=appended)
    catch_up(engine, store)
    return mover


def test_the_receiving_cell_and_its_parents_see_an_incoming_transfer(
    engine: sa.Engine, store: EventStore, hung_on_his_way: Person
) -> None:
    with engine.connect() as connection:
        to_cell = incoming_transfers(connection, ["cb-ly-luan"])
        to_school = incoming_transfers(connection, subtree_units(the_tree(), SCHOOL, date(2022, 3, 1)))
        elsewhere = incoming_transfers(connection, ["cb-dao-tao"])

    assert [(m.full_name, m.unit_id, m.pending_transfer_to) for m in to_cell.members] == [
        ("Lê Văn Hùng", "cb-dao-tao", "cb-ly-luan")
    ]
    assert to_school.members == to_cell.members and elsewhere.members == ()
    assert to_cell.position >= head(store)


def test_incoming_transfers_are_found_in_a_version_1_roll_still_active_while_version_2_is_built(
    engine: sa.Engine, store: EventStore, hung_on_his_way: Person
) -> None:
    """Version 1 kept no `outgoing` rows: until version 2 has caught up, its member rows are searched."""
    with engine.begin() as connection:
        live = {"projection": "member_roll", "version": 2}
        connection.execute(
            sa.insert(projection_rows).from_select(
                ["projection", "version", "unit_id", "row_key", "data"],
                sa.select(
                    projection_rows.c.projection,
                    sa.literal(1),
                    projection_rows.c.unit_id,
                    projection_rows.c.row_key,
                    projection_rows.c.data,
                ).where(*(projection_rows.c[k] == v for k, v in live.items()), projection_rows.c.row_key != "outgoing"),
            )
        )
        connection.execute(
            sa.insert(projection_checkpoints).from_select(
                ["projection", "version", "unit_id", "position"],
                sa.select(
                    projection_checkpoints.c.projection,
                    sa.literal(1),
                    projection_checkpoints.c.unit_id,
                    projection_checkpoints.c.position,
                ).where(*(projection_checkpoints.c[k] == v for k, v in live.items())),
            )
        )
        connection.execute(sa.insert(projection_versions).values(projection="member_roll", active_version=1))
    with engine.connect() as connection:
        found = incoming_transfers(connection, ["cb-ly-luan"])

    assert [(m.full_name, m.unit_id) for m in found.members] == [("Lê Văn Hùng", "cb-dao-tao")]


def test_queries_read_the_active_version(engine: sa.Engine, store: EventStore, school: tuple[Ledger, Person]) -> None:
    units = subtree_units(the_tree(), SCHOOL, DECEMBER)
    with engine.begin() as connection:
        connection.execute(sa.insert(projection_versions).values(projection="files", active_version=99))
    with engine.connect() as connection:
        page = files(connection, units)

    assert (page.files, page.position) == ((), 0)


def test_rows_built_in_small_batches_equal_a_rebuild_from_zero(engine: sa.Engine, store: EventStore) -> None:
    ledger, _ = the_school_in_2021()
    runner = Runner(engine, store, EVENTS, PROJECTIONS, enrich=PersonStates(store, EVENTS), batch_size=7)
    halfway = append(store, Ledger(ledger.log[: len(ledger.log) // 2]))
    for unit_id in sorted(store.unit_heads()):
        runner.catch_up(unit_id)
    append(store, ledger, since=halfway)
    for unit_id in sorted(store.unit_heads()):
        runner.catch_up(unit_id)

    for projection in PROJECTIONS:
        for unit_id in sorted(store.unit_heads()):
            assert compare(runner, projection, unit_id).equal, (projection.name, unit_id)


def test_a_late_decision_is_among_the_breaches_of_its_year(engine: sa.Engine, store: EventStore) -> None:
    ledger = Ledger()
    late = Person(ledger, 7, "Hoàng Văn Sơn", Sex.MALE, date(1990, 1, 1), "cb-van-phong")
    late.to_cell_vote(date(2021, 3, 1))
    late.committee(date(2021, 6, 1))
    late.decide(date(2021, 9, 30))
    append(store, ledger)
    catch_up(engine, store)
    calendar = WorkingCalendar()
    with engine.connect() as connection:
        board = deadlines(connection, ["cb-van-phong"], date(2021, 10, 1), calendar)
        next_year = deadlines(connection, ["cb-van-phong"], date(2022, 1, 3), calendar)
        year = dashboard(connection, ["cb-van-phong"], 2021, "2020-2025").figures

    [breach] = board.breaches
    due = calendar.add_working_days(date(2021, 5, 20), 60)
    assert (breach.rule_id, breach.due_on, breach.met_on) == ("R-DECIDE-DEADLINE", due, date(2021, 9, 30))
    assert breach.late_by_working_days == calendar.working_days_between(due, date(2021, 9, 30))
    assert [d.rule_id for d in board.open] == ["R-CEREMONY-DEADLINE"]
    assert next_year.breaches == ()
    assert year.breaches == {"R-DECIDE-DEADLINE": 1}
