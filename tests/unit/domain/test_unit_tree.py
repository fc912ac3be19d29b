"""The unit tree through time: "as of" answers, walls, successors, the competent decider, speed, no cycles."""

from __future__ import annotations

import contextlib
import time
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError, InvalidCommand, RuleViolation
from domain.units.commands import (
    ChangeAdmissionDelegation,
    DissolveUnit,
    MergeUnit,
    MoveUnit,
    ReclassifyUnit,
    RegisterUnit,
    RenameUnit,
    UnitCommand,
)
from domain.units.kinds import UnitKind
from domain.units.snapshot import TreeAsOf
from domain.units.state import Unit
from domain.units.tree import UnitTree
from tests.unit.domain.unit_ledger import FOUNDED, Ledger

K = UnitKind
REFORM = date(2025, 7, 1)
EVE = REFORM - timedelta(days=1)


@pytest.fixture
def reform() -> Ledger:
    """The 2025 reform in miniature: a district committee closes and its grassroots units go to a commune."""
    ledger = Ledger()
    ledger.register("province", K.PROVINCIAL_COMMITTEE, None)
    ledger.register("bloc", K.UPPER_COMMITTEE, "province")
    ledger.register("district", K.UPPER_COMMITTEE, "province")
    ledger.register("school", K.GRASSROOTS_COMMITTEE, "bloc")
    ledger.register("cell-a", K.CELL, "school")
    ledger.register("village", K.GRASSROOTS_CELL, "district")
    ledger.register("commune", K.UPPER_COMMITTEE, "province", on=date(2025, 6, 16))
    ledger.run(MoveUnit("village", "commune", REFORM, "QĐ 100-QĐ/TU"), date(2025, 6, 20))
    ledger.run(DissolveUnit("district", "commune", REFORM, "QĐ 101-QĐ/TU"), date(2025, 6, 20))
    return ledger


def test_as_of_shows_the_tree_before_and_after_a_reorganisation(reform: Ledger) -> None:
    before, after = reform.tree.as_of(EVE), reform.tree.as_of(REFORM)
    assert before.require("village").parent_id == "district"
    assert after.require("village").parent_id == "commune"
    assert "district" in before
    assert "district" not in after
    assert "commune" not in reform.tree.as_of(date(2025, 6, 15))


def test_as_of_reports_the_date_asked_for(reform: Ledger) -> None:
    assert reform.tree.as_of(date(2020, 5, 5)).on == date(2020, 5, 5)
    with pytest.raises(InvalidCommand) as refused:
        reform.tree.as_of(date(2020, 5, 5)).require("commune")
    assert "05/05/2020" in refused.value.message_vi


def test_ancestors_are_breadcrumbs_from_the_province_down(reform: Ledger) -> None:
    assert [u.unit_id for u in reform.tree.ancestors("cell-a", REFORM)] == ["province", "bloc", "school"]
    assert [u.unit_id for u in reform.tree.ancestors("village", EVE)] == ["province", "district"]
    assert reform.tree.ancestors("province", REFORM) == ()


def test_subtree_holds_the_unit_and_everything_below_it(reform: Ledger) -> None:
    assert reform.tree.subtree("bloc", REFORM) == {"bloc", "school", "cell-a"}
    assert reform.tree.subtree("commune", EVE) == {"commune"}
    assert reform.tree.subtree("commune", REFORM) == {"commune", "village"}


def test_is_within_follows_the_tree_of_the_date(reform: Ledger) -> None:
    assert reform.tree.is_within("village", "district", EVE)
    assert not reform.tree.is_within("village", "district", REFORM)
    assert reform.tree.is_within("village", "village", REFORM)
    assert not reform.tree.is_within("school", "cell-a", REFORM)
    assert not reform.tree.is_within("nowhere", "province", REFORM)
    assert not reform.tree.is_within("cell-a", "nowhere", REFORM)


def test_r_unit_reorg_open_files_follow_the_successors(reform: Ledger) -> None:
    assert reform.tree.successor_of("district", EVE) == "district"
    assert reform.tree.successor_of("district", REFORM) == "commune"
    reform.register("ward", K.UPPER_COMMITTEE, "province", on=REFORM)
    reform.run(MoveUnit("village", "ward", date(2026, 1, 1), "QĐ 199"), date(2025, 12, 1))
    reform.run(MergeUnit("commune", "ward", date(2026, 1, 1), "QĐ 200"), date(2025, 12, 1))
    assert reform.tree.successor_of("district", date(2025, 12, 31)) == "commune"
    assert reform.tree.successor_of("district", date(2026, 1, 1)) == "ward"
    with pytest.raises(InvalidCommand):
        reform.tree.successor_of("ward", EVE)


def test_r_auth_admit_the_upper_committee_decides_unless_the_grassroots_committee_is_delegated(
    reform: Ledger,
) -> None:
    assert reform.tree.competent_decider("cell-a", date(2021, 1, 1)).unit_id == "bloc"
    reform.run(ChangeAdmissionDelegation("school", True, "QĐ 5-QĐ/ĐUK"), date(2022, 3, 1))
    assert reform.tree.competent_decider("cell-a", date(2022, 2, 28)).unit_id == "bloc"
    assert reform.tree.competent_decider("cell-a", date(2022, 3, 1)).unit_id == "school"
    assert reform.tree.competent_decider("school", date(2022, 3, 1)).unit_id == "school"


def test_r_auth_admit_a_grassroots_cell_goes_to_its_upper_committee_of_the_date(reform: Ledger) -> None:
    assert reform.tree.competent_decider("village", EVE).unit_id == "district"
    assert reform.tree.competent_decider("village", REFORM).unit_id == "commune"


def test_r_auth_admit_a_cell_under_a_sub_committee_goes_to_the_delegated_committee(reform: Ledger) -> None:
    reform.register("faculty", K.SUB_COMMITTEE, "school")
    reform.register("cell-b", K.CELL, "faculty")
    reform.run(ChangeAdmissionDelegation("school", True, "QĐ 5"), FOUNDED)
    assert reform.tree.competent_decider("cell-b", FOUNDED).unit_id == "school"


def test_r_auth_admit_nobody_decides_for_a_unit_above_the_grassroots(reform: Ledger) -> None:
    with pytest.raises(RuleViolation) as refused:
        reform.tree.competent_decider("bloc", REFORM)
    assert refused.value.rule_id == "R-AUTH-ADMIT"


def test_a_back_dated_rename_changes_as_of_answers_from_its_date_only(reform: Ledger) -> None:
    reform.run(RenameUnit("school", "Trường Chính trị tỉnh"), date(2024, 3, 1))
    reform.run(RenameUnit("school", "Trường Chính trị Hoàng Văn Thụ"), date(2020, 3, 1))
    assert reform.tree.as_of(date(2019, 1, 1)).require("school").name == "Đơn vị school"
    assert reform.tree.as_of(date(2021, 1, 1)).require("school").name == "Trường Chính trị Hoàng Văn Thụ"
    assert reform.tree.as_of(date(2024, 3, 1)).require("school").name == "Trường Chính trị tỉnh"
    latest = reform.tree.latest("school")
    assert latest is not None
    assert latest.name == "Trường Chính trị Hoàng Văn Thụ"


def test_a_tree_rebuilt_from_its_log_answers_the_same(reform: Ledger) -> None:
    rebuilt = UnitTree.from_events(reform.log)
    for on in (FOUNDED, EVE, REFORM):
        assert rebuilt.as_of(on).units == reform.tree.as_of(on).units


def test_tree_checks_catch_a_cycle_that_bypassed_the_decisions() -> None:
    a = Unit("a", "A", "A", K.GRASSROOTS_COMMITTEE, "b", False, FOUNDED)
    b = Unit("b", "B", "B", K.SUB_COMMITTEE, "a", False, FOUNDED)
    problems = TreeAsOf(FOUNDED, {"a": a, "b": b}).problems()
    assert {p.unit_id for p in problems} == {"a", "b"}


def _province_of(units: int) -> Ledger:
    ledger = Ledger()
    ledger.register("p", K.PROVINCIAL_COMMITTEE, None)
    for u in range(10):
        ledger.register(f"u{u}", K.UPPER_COMMITTEE, "p")
        for g in range(units // 60):
            ledger.register(f"g{u}.{g}", K.GRASSROOTS_COMMITTEE, f"u{u}")
            for c in range(5):
                ledger.register(f"c{u}.{g}.{c}", K.CELL, f"g{u}.{g}", on=FOUNDED + timedelta(days=c))
    return ledger


def test_six_hundred_units_answer_thousands_of_queries_quickly() -> None:
    log = _province_of(600).log
    started = time.perf_counter()
    tree = UnitTree.from_events(log)
    assert len(tree.as_of(REFORM)) == 611
    for n in range(5000):
        cell = f"c{n % 10}.{n % 10}.{n % 5}"
        on = REFORM + timedelta(days=n % 400)
        assert tree.is_within(cell, f"u{n % 10}", on)
        assert tree.competent_decider(cell, on).unit_id == f"u{n % 10}"
        assert len(tree.ancestors(cell, on)) == 3
    assert len(tree.subtree("p", REFORM)) == 611
    assert time.perf_counter() - started < 3.0


SMALL_TREE: tuple[tuple[str, UnitKind, str | None], ...] = (
    ("p", K.PROVINCIAL_COMMITTEE, None),
    ("u1", K.UPPER_COMMITTEE, "p"),
    ("u2", K.UPPER_COMMITTEE, "p"),
    ("g1", K.GRASSROOTS_COMMITTEE, "u1"),
    ("g2", K.GRASSROOTS_COMMITTEE, "u2"),
    ("s1", K.SUB_COMMITTEE, "g1"),
    ("s2", K.SUB_COMMITTEE, "g2"),
    ("c1", K.CELL, "s1"),
    ("c2", K.CELL, "g1"),
    ("c3", K.CELL, "s2"),
)
unit_ids = st.sampled_from([unit_id for unit_id, _, _ in SMALL_TREE])
steps = st.lists(
    st.tuples(
        st.sampled_from(["move", "merge", "reclassify"]),
        unit_ids,
        unit_ids,
        st.sampled_from(K),
        st.integers(0, 30),
    ),
    max_size=25,
)


def _command(action: str, unit_id: str, other: str, kind: UnitKind, on: date) -> UnitCommand:
    if action == "move":
        return MoveUnit(unit_id, other, on, "QĐ")
    if action == "merge":
        return MergeUnit(unit_id, other, on, "QĐ")
    return ReclassifyUnit(unit_id, kind, on, "QĐ")


@settings(max_examples=80, deadline=None)
@given(steps)
def test_random_reorganisations_never_leave_a_cycle_or_a_misplaced_unit(
    plan: list[tuple[str, str, str, UnitKind, int]],
) -> None:
    ledger = Ledger()
    for unit_id, kind, parent in SMALL_TREE:
        ledger.register(unit_id, kind, parent)
    for action, unit_id, other, kind, offset in plan:
        on = REFORM + timedelta(days=offset)
        with contextlib.suppress(DomainError):
            ledger.run(_command(action, unit_id, other, kind, on), on)
    for on in ledger.tree.change_dates:
        snapshot = ledger.tree.as_of(on)
        assert snapshot.problems() == ()
        assert all(snapshot.path(unit.unit_id)[0] == "p" for unit in snapshot)


def _answers(tree: UnitTree, on: date) -> tuple[object, ...]:
    snapshot = tree.as_of(on)
    units = sorted(u.unit_id for u in snapshot)
    return (
        snapshot.on,
        tuple((u, snapshot.get(u), snapshot.children(u), snapshot.path(u), snapshot.subtree(u)) for u in units),
        tree.first_problem(units, on),
    )


def _kind_under(tree: UnitTree, parent_id: str) -> UnitKind:
    parent = tree.latest(parent_id)
    fitting = sorted(k for k in K if parent is not None and parent.kind in k.allowed_parent_kinds)
    return fitting[0] if fitting else K.CELL


registrations = st.lists(
    st.tuples(st.sampled_from(["register", "move", "merge", "rename"]), st.integers(0, 40), st.integers(0, 12),
              st.integers(-30, 30)),
    max_size=30,
)  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(registrations)
def test_a_tree_followed_event_by_event_answers_like_the_tree_rebuilt_from_its_log(
    plan: list[tuple[str, int, int, int]],
) -> None:
    """`with_event` carries the snapshots, change dates and children it already holds into the next tree (so a
    city's units register in linear time); queried between events, it must answer as a tree made from scratch."""
    ledger = Ledger()
    for unit_id, kind, parent in SMALL_TREE:
        ledger.register(unit_id, kind, parent)
    made = [unit_id for unit_id, _, _ in SMALL_TREE]
    for number, (action, pick, other, offset) in enumerate(plan):
        on = REFORM + timedelta(days=offset)
        ledger.tree.as_of(on)  # cache a snapshot for the next with_event to carry
        ledger.tree.as_of(REFORM + timedelta(days=40))
        command: UnitCommand
        if action == "register":
            parent = made[pick % len(made)]
            kind = _kind_under(ledger.tree, parent)
            command = RegisterUnit(f"n{number}", f"N{number}", f"Mới {number}", kind, parent)
        elif action == "rename":
            command = RenameUnit(made[pick % len(made)], f"Tên {number}")
        else:
            command = _command(action, made[pick % len(made)], made[other % len(made)], K.CELL, on)
        with contextlib.suppress(DomainError):
            ledger.run(command, on)
            if action == "register":
                made.append(f"n{number}")
        rebuilt = UnitTree.from_events(ledger.log)
        assert ledger.tree.change_dates == rebuilt.change_dates
        for day in (*rebuilt.change_dates, on, REFORM + timedelta(days=40), FOUNDED - timedelta(days=1)):
            assert _answers(ledger.tree, day) == _answers(rebuilt, day)
