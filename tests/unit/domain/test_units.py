"""The unit aggregate's decisions: each refusal of R-UNIT-TREE, R-UNIT-REORG and R-AUTH-ADMIT at its edge."""

from __future__ import annotations

from datetime import date

import pytest

from domain.codec import EVENTS
from domain.errors import InvalidCommand, RuleViolation
from domain.units.aggregate import evolve
from domain.units.commands import (
    ChangeAdmissionDelegation,
    DissolveUnit,
    MergeUnit,
    MoveUnit,
    ReclassifyUnit,
    RegisterUnit,
    RenameUnit,
    SetTermTarget,
    SetYearlyPlan,
    SplitUnit,
    UnitCommand,
)
from domain.units.events import TargetMetric, UnitRenamed
from domain.units.kinds import ALLOWED_PARENTS, UnitKind
from domain.units.state import UnitStatus
from tests.unit.domain.unit_ledger import FOUNDED, Ledger

K = UnitKind
REFORM = date(2025, 7, 1)


@pytest.fixture
def ledger() -> Ledger:
    """A province with two upper committees, a school with a sub-committee and cells, a grassroots cell."""
    ledger = Ledger()
    ledger.register("province", K.PROVINCIAL_COMMITTEE, None)
    ledger.register("bloc", K.UPPER_COMMITTEE, "province")
    ledger.register("district", K.UPPER_COMMITTEE, "province")
    ledger.register("school", K.GRASSROOTS_COMMITTEE, "bloc")
    ledger.register("faculty", K.SUB_COMMITTEE, "school")
    ledger.register("cell-a", K.CELL, "school")
    ledger.register("cell-b", K.CELL, "faculty")
    ledger.register("archive", K.GRASSROOTS_CELL, "bloc")
    return ledger


def _refused(ledger: Ledger, command: UnitCommand, on: date = FOUNDED) -> RuleViolation:
    before = ledger.tree
    with pytest.raises(RuleViolation) as refused:
        ledger.run(command, on)
    assert ledger.tree is before
    assert refused.value.message_vi
    return refused.value


def test_r_unit_tree_a_second_provincial_committee_is_refused(ledger: Ledger) -> None:
    refusal = _refused(ledger, RegisterUnit("p2", "P2", "Tỉnh ủy khác", K.PROVINCIAL_COMMITTEE, None))
    assert refusal.rule_id == "R-UNIT-TREE"


def test_r_unit_tree_the_province_has_no_parent() -> None:
    ledger = Ledger()
    ledger.register("province", K.PROVINCIAL_COMMITTEE, None)
    refusal = _refused(ledger, RegisterUnit("p2", "P2", "Tỉnh ủy", K.PROVINCIAL_COMMITTEE, "province"))
    assert refusal.rule_id == "R-UNIT-TREE"


def test_r_unit_tree_every_other_unit_needs_a_parent(ledger: Ledger) -> None:
    assert _refused(ledger, RegisterUnit("x", "X", "Chi bộ", K.CELL, None)).rule_id == "R-UNIT-TREE"


def test_r_unit_tree_cell_cannot_parent_a_committee(ledger: Ledger) -> None:
    refusal = _refused(ledger, RegisterUnit("x", "X", "Đảng bộ", K.GRASSROOTS_COMMITTEE, "cell-a"))
    assert refusal.rule_id == "R-UNIT-TREE"
    assert "grassroots_committee cannot sit under a cell" in refusal.message_en


def test_r_unit_tree_grassroots_cell_has_no_units_under_it(ledger: Ledger) -> None:
    assert _refused(ledger, RegisterUnit("x", "X", "Chi bộ", K.CELL, "archive")).rule_id == "R-UNIT-TREE"


@pytest.mark.parametrize("kind", [k for k in K if k is not K.PROVINCIAL_COMMITTEE])
@pytest.mark.parametrize("parent", ["province", "bloc", "school", "faculty", "cell-a", "archive"])
def test_r_unit_tree_registration_follows_the_allowed_parent_kinds(ledger: Ledger, kind: K, parent: str) -> None:
    parent_kind = ledger.tree.as_of(FOUNDED).require(parent).kind
    command = RegisterUnit("new", "NEW", "Đơn vị mới", kind, parent)
    if parent_kind in ALLOWED_PARENTS[kind]:
        assert ledger.run(command)
    else:
        assert _refused(ledger, command).rule_id == "R-UNIT-TREE"


def test_r_unit_tree_the_parent_must_exist_on_the_registration_date(ledger: Ledger) -> None:
    ledger.register("late", K.GRASSROOTS_COMMITTEE, "bloc", on=date(2020, 1, 1))
    refusal = _refused(ledger, RegisterUnit("x", "X", "Chi bộ", K.CELL, "late"), on=date(2019, 12, 31))
    assert refusal.rule_id == "R-UNIT-TREE"
    assert "chưa tồn tại" in refusal.message_vi
    ledger.run(RegisterUnit("x", "X", "Chi bộ", K.CELL, "late"), on=date(2020, 1, 1))


def test_an_unknown_parent_is_a_malformed_command(ledger: Ledger) -> None:
    with pytest.raises(InvalidCommand) as refused:
        ledger.run(RegisterUnit("x", "X", "Chi bộ", K.CELL, "nowhere"))
    assert refused.value.field == "parent_id"


def test_r_unit_tree_ids_and_codes_are_registered_once(ledger: Ledger) -> None:
    assert _refused(ledger, RegisterUnit("cell-a", "NEW", "Chi bộ", K.CELL, "school")).rule_id == "R-UNIT-TREE"
    assert _refused(ledger, RegisterUnit("new", "CELL-A", "Chi bộ", K.CELL, "school")).rule_id == "R-UNIT-TREE"


@pytest.mark.parametrize("code", ["", "has space", "Mã-1", "-lead", "x" * 33])
def test_malformed_codes_are_refused(ledger: Ledger, code: str) -> None:
    with pytest.raises(InvalidCommand):
        ledger.run(RegisterUnit("new", code, "Chi bộ", K.CELL, "school"))


@pytest.mark.parametrize("kind", [K.CELL, K.GRASSROOTS_CELL, K.SUB_COMMITTEE, K.UPPER_COMMITTEE])
def test_r_auth_admit_only_a_grassroots_committee_may_be_delegated_admission(ledger: Ledger, kind: K) -> None:
    parent = {K.CELL: "school", K.SUB_COMMITTEE: "school"}.get(kind, "bloc" if kind.is_grassroots else "province")
    refusal = _refused(ledger, RegisterUnit("new", "NEW", "Đơn vị", kind, parent, admission_delegated=True))
    assert refusal.rule_id == "R-AUTH-ADMIT"


def test_r_auth_admit_delegation_is_granted_to_a_grassroots_committee_and_withdrawn(ledger: Ledger) -> None:
    assert ledger.run(ChangeAdmissionDelegation("school", True, "QĐ 12-QĐ/ĐUK"), date(2021, 3, 1))
    assert ledger.run(ChangeAdmissionDelegation("school", True, "QĐ 12-QĐ/ĐUK"), date(2021, 3, 2)) == ()
    assert ledger.run(ChangeAdmissionDelegation("school", False, "QĐ 20-QĐ/ĐUK"), date(2022, 3, 1))
    refusal = _refused(ledger, ChangeAdmissionDelegation("archive", True, "QĐ 13"), date(2021, 3, 1))
    assert refusal.rule_id == "R-AUTH-ADMIT"


def test_renaming_to_the_same_name_records_nothing(ledger: Ledger) -> None:
    assert ledger.run(RenameUnit("school", "  Đơn vị   school ")) == ()
    assert ledger.run(RenameUnit("school", "Đảng bộ Trường Chính trị")) == (
        UnitRenamed("school", "Đảng bộ Trường Chính trị"),
    )


@pytest.mark.parametrize(
    ("command", "on", "field"),
    [
        (MoveUnit("cell-a", "school", REFORM, "QĐ\x00 44"), REFORM, "reference"),
        (MoveUnit("cell-a", "school", date(9999, 12, 31), "QĐ 44"), REFORM, "effective_on"),
        (MoveUnit("cell-a", "school", REFORM, "QĐ 44"), date(9999, 12, 31), "occurred_on"),
        (RenameUnit("school", "Đơn vị school"), date(1, 1, 1), "occurred_on"),
    ],
)
def test_a_malformed_paper_is_refused_even_when_nothing_would_change(
    ledger: Ledger, command: UnitCommand, on: date, field: str
) -> None:
    with pytest.raises(InvalidCommand) as refused:
        ledger.run(command, on)
    assert refused.value.field == field


def test_r_unit_reorg_a_dissolved_unit_accepts_nothing_from_its_end(ledger: Ledger) -> None:
    ledger.run(DissolveUnit("cell-a", "cell-b", REFORM, "QĐ 45"), date(2025, 6, 20))
    refusal = _refused(ledger, RenameUnit("cell-a", "Chi bộ A"), REFORM)
    assert refusal.rule_id == "R-UNIT-REORG"
    assert "đã giải thể từ ngày 01/07/2025" in refusal.message_vi
    assert ledger.run(RenameUnit("cell-a", "Chi bộ A"), date(2025, 6, 30))


def test_r_unit_reorg_the_successor_must_exist_and_not_have_ceased(ledger: Ledger) -> None:
    ledger.register("cell-c", K.CELL, "school")
    ledger.run(MergeUnit("cell-c", "cell-b", REFORM, "QĐ 45"))
    assert _refused(ledger, MergeUnit("cell-a", "cell-c", REFORM, "QĐ 46")).rule_id == "R-UNIT-REORG"
    ledger.register("cell-d", K.CELL, "school", on=date(2026, 1, 1))
    assert _refused(ledger, MergeUnit("cell-a", "cell-d", REFORM, "QĐ 46")).rule_id == "R-UNIT-REORG"
    with pytest.raises(InvalidCommand):
        ledger.run(MergeUnit("cell-a", "nowhere", REFORM, "QĐ 46"))
    assert _refused(ledger, MergeUnit("cell-a", "cell-a", REFORM, "QĐ 46")).rule_id == "R-UNIT-REORG"


@pytest.mark.parametrize(("successor", "allowed"), [("cell-b", True), ("archive", True), ("school", False)])
def test_r_unit_reorg_merge_successor_must_be_of_a_compatible_kind(
    ledger: Ledger, successor: str, allowed: bool
) -> None:
    command = MergeUnit("cell-a", successor, REFORM, "QĐ 45")
    if allowed:
        assert ledger.run(command)
        assert ledger.tree.successor_of("cell-a", REFORM) == successor
    else:
        assert _refused(ledger, command).rule_id == "R-UNIT-REORG"


def test_r_unit_reorg_a_unit_with_units_under_it_cannot_cease(ledger: Ledger) -> None:
    refusal = _refused(ledger, DissolveUnit("faculty", "school", REFORM, "QĐ 45"))
    assert refusal.rule_id == "R-UNIT-REORG"
    assert refusal.details["children"] == ("cell-b",)
    ledger.run(MoveUnit("cell-b", "school", REFORM, "QĐ 44"))
    assert ledger.run(MergeUnit("faculty", "school", REFORM, "QĐ 45"))


def test_r_unit_reorg_the_province_is_never_moved_or_dissolved(ledger: Ledger) -> None:
    assert _refused(ledger, DissolveUnit("province", "bloc", REFORM, "QĐ")).rule_id == "R-UNIT-REORG"
    assert _refused(ledger, MoveUnit("province", "bloc", REFORM, "QĐ")).rule_id == "R-UNIT-REORG"


def test_r_unit_tree_a_unit_cannot_be_moved_under_its_own_descendant(ledger: Ledger) -> None:
    ledger.register("school-2", K.GRASSROOTS_COMMITTEE, "bloc")
    assert _refused(ledger, MoveUnit("faculty", "faculty", REFORM, "QĐ")).rule_id == "R-UNIT-TREE"
    assert _refused(ledger, MoveUnit("bloc", "school", REFORM, "QĐ")).rule_id == "R-UNIT-TREE"
    assert ledger.run(MoveUnit("faculty", "school-2", REFORM, "QĐ"))


def test_r_unit_tree_a_move_needs_a_parent_of_an_allowed_kind(ledger: Ledger) -> None:
    assert _refused(ledger, MoveUnit("cell-a", "bloc", REFORM, "QĐ")).rule_id == "R-UNIT-TREE"
    assert ledger.run(MoveUnit("school", "district", REFORM, "QĐ"))
    assert ledger.run(MoveUnit("cell-a", "faculty", REFORM, "QĐ"))
    assert ledger.run(MoveUnit("cell-a", "faculty", REFORM, "QĐ")) == ()


def test_r_unit_tree_a_back_dated_reorganisation_cannot_break_a_later_tree(ledger: Ledger) -> None:
    ledger.register("school-2", K.GRASSROOTS_COMMITTEE, "bloc")
    ledger.run(MoveUnit("cell-a", "school-2", date(2025, 8, 1), "QĐ 50"))
    refusal = _refused(ledger, MergeUnit("school-2", "school", REFORM, "QĐ 45"), date(2025, 9, 1))
    assert refusal.rule_id == "R-UNIT-TREE"
    assert "01/08/2025" in refusal.message_vi


def test_r_unit_reorg_a_split_names_two_successors_and_where_the_files_go(ledger: Ledger) -> None:
    ledger.register("cell-c", K.CELL, "school")
    with pytest.raises(InvalidCommand):
        ledger.run(SplitUnit("cell-a", ("cell-b",), "cell-b", REFORM, "QĐ"))
    with pytest.raises(InvalidCommand):
        ledger.run(SplitUnit("cell-a", ("cell-b", "cell-b"), "cell-b", REFORM, "QĐ"))
    with pytest.raises(InvalidCommand):
        ledger.run(SplitUnit("cell-a", ("cell-b", "cell-c"), "archive", REFORM, "QĐ"))
    assert _refused(ledger, SplitUnit("cell-a", ("cell-b", "school"), "cell-b", REFORM, "QĐ")).rule_id == (
        "R-UNIT-REORG"
    )
    ledger.run(SplitUnit("cell-a", ("cell-b", "cell-c"), "cell-c", REFORM, "QĐ 45"))
    assert ledger.tree.latest("cell-a").status is UnitStatus.SPLIT  # type: ignore[union-attr]
    assert ledger.tree.successor_of("cell-a", REFORM) == "cell-c"


def test_r_unit_tree_a_grassroots_cell_grows_into_a_grassroots_committee(ledger: Ledger) -> None:
    assert ledger.run(ReclassifyUnit("archive", K.GRASSROOTS_COMMITTEE, REFORM, "QĐ 60"))
    ledger.register("archive-cell", K.CELL, "archive", on=REFORM)
    assert ledger.tree.as_of(date(2025, 6, 30)).require("archive").kind is K.GRASSROOTS_CELL


def test_r_unit_tree_a_committee_with_cells_cannot_become_a_cell(ledger: Ledger) -> None:
    assert _refused(ledger, ReclassifyUnit("school", K.GRASSROOTS_CELL, REFORM, "QĐ")).rule_id == "R-UNIT-TREE"
    assert _refused(ledger, ReclassifyUnit("cell-a", K.PROVINCIAL_COMMITTEE, REFORM, "QĐ")).rule_id == ("R-UNIT-TREE")


def test_r_auth_admit_a_delegated_committee_loses_delegation_before_changing_kind() -> None:
    ledger = Ledger()
    ledger.register("province", K.PROVINCIAL_COMMITTEE, None)
    ledger.register("bloc", K.UPPER_COMMITTEE, "province")
    ledger.run(RegisterUnit("small", "SMALL", "Đảng bộ nhỏ", K.GRASSROOTS_COMMITTEE, "bloc", True))
    refusal = _refused(ledger, ReclassifyUnit("small", K.GRASSROOTS_CELL, REFORM, "QĐ"))
    assert refusal.rule_id == "R-AUTH-ADMIT"


def test_term_targets_and_yearly_plans_are_kept_and_replaced(ledger: Ledger) -> None:
    ledger.run(SetTermTarget("school", "2020-2025", TargetMetric.ADMISSIONS, 5, "NQ Đại hội 2020"))
    ledger.run(SetTermTarget("school", "2020-2025", TargetMetric.ADMISSIONS, 6, "NQ sửa đổi"))
    ledger.run(SetYearlyPlan("school", 2021, TargetMetric.AWARENESS_TRAINEES, 3))
    school = ledger.tree.latest("school")
    assert school is not None
    assert school.term_target("2020-2025", TargetMetric.ADMISSIONS) == 6
    assert school.yearly_plan(2021, TargetMetric.AWARENESS_TRAINEES) == 3
    assert school.yearly_plan(2022, TargetMetric.AWARENESS_TRAINEES) is None


@pytest.mark.parametrize("term", ["2020-2026", "2025-2020", "2020-2020", "20-25", "2020–2025", "1900-1905"])
def test_a_malformed_term_is_refused(ledger: Ledger, term: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        ledger.run(SetTermTarget("school", term, TargetMetric.ADMISSIONS, 5, "NQ"))
    assert refused.value.field == "term"


def test_negative_targets_and_plans_are_refused(ledger: Ledger) -> None:
    with pytest.raises(InvalidCommand):
        ledger.run(SetTermTarget("school", "2020-2025", TargetMetric.ADMISSIONS, -1, "NQ"))
    with pytest.raises(InvalidCommand):
        ledger.run(SetYearlyPlan("school", 2021, TargetMetric.ADMISSIONS, -1))
    with pytest.raises(InvalidCommand):
        ledger.run(SetYearlyPlan("school", 1929, TargetMetric.ADMISSIONS, 1))


def test_evolve_refuses_impossible_sequences(ledger: Ledger) -> None:
    registered, on = ledger.log[0]
    with pytest.raises(ValueError, match="registered twice"):
        evolve(ledger.tree.latest("province"), registered, on)
    with pytest.raises(ValueError, match="before its UnitRegistered"):
        evolve(None, UnitRenamed("x", "X"), on)


def test_every_unit_event_round_trips_through_the_codec(ledger: Ledger) -> None:
    ledger.run(ChangeAdmissionDelegation("school", True, "QĐ 1"))
    ledger.run(ReclassifyUnit("archive", K.GRASSROOTS_COMMITTEE, REFORM, "QĐ 2"))
    ledger.register("cell-c", K.CELL, "school")
    ledger.run(SplitUnit("cell-a", ("cell-b", "cell-c"), "cell-c", REFORM, "QĐ 3"))
    ledger.run(MoveUnit("cell-b", "school", REFORM, "QĐ 4"))
    ledger.run(MergeUnit("faculty", "school", REFORM, "QĐ 5"))
    ledger.run(DissolveUnit("cell-c", "cell-b", date(2026, 1, 1), "QĐ 6"))
    ledger.run(SetTermTarget("school", "2020-2025", TargetMetric.ADMISSIONS, 5, "NQ"))
    ledger.run(SetYearlyPlan("school", 2021, TargetMetric.ADMISSIONS, 1))
    ledger.run(RenameUnit("school", "Trường Chính trị"))
    kinds = set()
    for event, _ in ledger.log:
        event_type, version, data = EVENTS.encode(event)
        assert EVENTS.decode(event_type, version, data) == event
        kinds.add(event_type)
    assert len(kinds) == 10
