"""Which units a roll-up reads: the subtree as of a date, and the units merged into it before then (R-UNIT-REORG)."""

from __future__ import annotations

from datetime import date

from domain.units.events import UnitEvent, UnitMerged, UnitRegistered
from domain.units.kinds import UnitKind
from domain.units.tree import UnitTree
from projections.queries import subtree_units

FOUNDED = date(2020, 1, 1)


def registered(unit_id: str, kind: UnitKind, parent: str | None) -> tuple[UnitEvent, date]:
    return UnitRegistered(unit_id, unit_id.upper(), unit_id, kind, parent, False), FOUNDED


def the_tree() -> UnitTree:
    """A school (cells a, b, c) and a hospital (cells h, k): c merged into a in mid-2021, a into b in 2022;
    in the hospital, h merged into k."""
    return UnitTree.from_events(
        [
            registered("province", UnitKind.PROVINCIAL_COMMITTEE, None),
            registered("bloc", UnitKind.UPPER_COMMITTEE, "province"),
            registered("school", UnitKind.GRASSROOTS_COMMITTEE, "bloc"),
            registered("hospital", UnitKind.GRASSROOTS_COMMITTEE, "bloc"),
            *(registered(cell, UnitKind.CELL, "school") for cell in ("cell-a", "cell-b", "cell-c")),
            *(registered(cell, UnitKind.CELL, "hospital") for cell in ("cell-h", "cell-k")),
            (UnitMerged("cell-c", "cell-a", date(2021, 7, 1), "QĐ 1"), date(2021, 6, 20)),
            (UnitMerged("cell-a", "cell-b", date(2022, 1, 1), "QĐ 2"), date(2021, 12, 20)),
            (UnitMerged("cell-h", "cell-k", date(2022, 1, 1), "QĐ 3"), date(2021, 12, 20)),
        ]
    )


def test_the_unit_comes_first_then_its_subtree_on_the_date() -> None:
    assert subtree_units(the_tree(), "school", date(2021, 3, 1)) == ["school", "cell-a", "cell-b", "cell-c"]


def test_units_merged_into_the_subtree_are_read_too_through_a_chain_of_mergers() -> None:
    tree = the_tree()

    assert subtree_units(tree, "school", date(2021, 9, 1)) == ["school", "cell-a", "cell-b", "cell-c"]
    assert subtree_units(tree, "school", date(2022, 3, 1)) == ["school", "cell-b", "cell-a", "cell-c"]
    assert subtree_units(tree, "cell-b", date(2022, 3, 1)) == ["cell-b", "cell-a", "cell-c"]


def test_a_merger_elsewhere_stays_out() -> None:
    assert subtree_units(the_tree(), "hospital", date(2022, 3, 1)) == ["hospital", "cell-k", "cell-h"]
    assert "cell-h" not in subtree_units(the_tree(), "school", date(2022, 3, 1))
