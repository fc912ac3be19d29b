"""A deadline list names each unit so an officer can tell two cells of the same name apart: the cell, then the
child of the page's unit it lies under (`services.api.web.common.places_below`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.units.events import UnitRegistered
from domain.units.kinds import UnitKind
from domain.units.tree import UnitTree
from services.api.web.common import places_below


def unit(unit_id: str, name: str, kind: UnitKind, parent: str | None) -> tuple[Any, date]:
    return UnitRegistered(unit_id, unit_id.upper(), name, kind, parent, False), date(2020, 1, 1)


TREE = UnitTree.from_events(
    [
        unit("top", "Đảng bộ Thành phố", UnitKind.PROVINCIAL_COMMITTEE, None),
        unit("a", "Đảng bộ phường Bến Nghé", UnitKind.UPPER_COMMITTEE, "top"),
        unit("b", "Đảng bộ phường Tân Định", UnitKind.UPPER_COMMITTEE, "top"),
        unit("ga", "Đảng bộ cơ sở số 1", UnitKind.GRASSROOTS_COMMITTEE, "a"),
        unit("gb", "Đảng bộ cơ sở số 1", UnitKind.GRASSROOTS_COMMITTEE, "b"),
        unit("ca", "Chi bộ 4", UnitKind.CELL, "ga"),
        unit("cb", "Chi bộ 4", UnitKind.CELL, "gb"),
    ]
)


def test_two_cells_of_one_name_in_two_communes_are_told_apart_on_the_city_page() -> None:
    places = places_below(TREE, "top", ["ca", "cb", "a", "top"])

    assert places == {
        "ca": "Chi bộ 4 · Đảng bộ phường Bến Nghé",
        "cb": "Chi bộ 4 · Đảng bộ phường Tân Định",
        "a": "Đảng bộ phường Bến Nghé",  # a child of the page's unit is named alone
        "top": "Đảng bộ Thành phố",
    }


def test_on_a_commune_page_a_cell_is_placed_under_its_grassroots_committee() -> None:
    assert places_below(TREE, "a", ["ca"]) == {"ca": "Chi bộ 4 · Đảng bộ cơ sở số 1"}
    assert places_below(TREE, "ga", ["ca"]) == {"ca": "Chi bộ 4"}
