"""The 2025 reorganisation (R-UNIT-REORG), with the unit commands that exist.

1/3/2025: the provincial blocs close; their organisations move under the new "Đảng bộ các cơ quan Đảng tỉnh"
(party agencies, the Political School, the newspaper) or "Đảng bộ Ủy ban nhân dân tỉnh" (departments and
enterprises), and the blocs merge into them.
1/7/2025: Đắk Nông and Bình Thuận merge into Lâm Đồng (the province keeps its name and its committee). Their
political schools join the Political School as two cells, whose members are entered from the roll a few
working days later; the rest of the two provinces' organisations are not in this generated ledger.
1/7/2025: the district level closes. Communes are grouped into new commune committees, which become the upper
level; in each group one old commune committee stays as the grassroots organisation of the new commune (the
others' cells move into it and they merge into it); the district's other organisations move under the seat's
new commune and the district committee is dissolved into it.

Cells are never merged or moved out of their grassroots line here, so no person's file has to move: a file
keeps its cell, and the body competent to decide it (`UnitTree.competent_decider`) is the new one from the
effective date. Moving people by reorganisation would need a person event the domain does not have yet.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from domain.units.commands import DissolveUnit, MergeUnit, MoveUnit, RegisterUnit, RenameUnit
from domain.units.kinds import UnitKind
from services.seed import roll
from services.seed.agenda import Agenda
from services.seed.desk import Desk
from services.seed.geography import commune_committee_name
from services.seed.plan import BLOC_ID, PROVINCE_ID, SCHOOL_ID, CommunePlan, DistrictPlan, UnitPlan
from services.seed.population import Profile

BLOCS_DECIDED: Final = date(2025, 2, 28)
BLOCS_CLOSE: Final = date(2025, 3, 1)
DISTRICTS_CLOSE: Final = date(2025, 7, 1)
PARTY_AGENCIES = ("unit-dcqd", "DCQD", "Đảng bộ các cơ quan Đảng tỉnh")
PEOPLES_COMMITTEE = ("unit-dubnd", "DUBND", "Đảng bộ Ủy ban nhân dân tỉnh")


MERGED_PROVINCES: Final = (("6", "Gia Nghĩa", "Đắk Nông"), ("7", "Phan Thiết", "Bình Thuận"))
"""(cell number, seat, province) of the two provinces merged into Lâm Đồng on 1/7/2025."""
MERGER_REF: Final = (
    "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh; "
    "hợp nhất Đảng bộ tỉnh Đắk Nông, Đảng bộ tỉnh Bình Thuận vào Đảng bộ tỉnh Lâm Đồng"
)


def schedule(desk: Desk, agenda: Agenda) -> None:
    agenda.at(BLOCS_DECIDED, lambda on: close_blocs(desk, on))
    agenda.at(DISTRICTS_CLOSE, lambda on: merge_provinces(desk, agenda, on))
    agenda.at(DISTRICTS_CLOSE, lambda on: close_districts(desk, on))


def merge_provinces(desk: Desk, agenda: Agenda, on: date) -> None:
    """The merged provinces' political schools become cells of the Political School, their rolls entered."""
    cells = []
    for number, seat, province in MERGED_PROVINCES:
        cell = UnitPlan(
            f"{SCHOOL_ID}-cell-{number}",
            f"TCT-CB{number}",
            f"Chi bộ Phân hiệu {seat} (Trường Chính trị tỉnh {province} trước 01/07/2025)",
            UnitKind.CELL,
            SCHOOL_ID,
            profile=Profile.SCHOOL,
            size=6,
        )
        desk.unit_command(RegisterUnit(cell.unit_id, cell.code, cell.name, cell.kind, SCHOOL_ID), on, MERGER_REF)
        desk.plan.add(cell)
        desk.units[cell.unit_id] = cell
        cells.append(cell)

    def enter_rolls(day: date) -> None:
        for cell in cells:
            for _ in range(cell.size):
                roll.enrol(desk, agenda, cell, day, SCHOOL_ID, desk.rng.random() < roll.PROBATIONARY_SHARE)

    agenda.at(desk.calendar.add_working_days(on, 5), enter_rolls)


def close_blocs(desk: Desk, on: date) -> None:
    ref = f"Quyết định số 1520-QĐ/TU ngày {on:%d/%m/%Y} của Ban Thường vụ Tỉnh ủy"
    for unit_id, code, name in (PARTY_AGENCIES, PEOPLES_COMMITTEE):
        desk.unit_command(RegisterUnit(unit_id, code, name, UnitKind.UPPER_COMMITTEE, PROVINCE_ID), on, ref)
    for bloc_id, bodies in desk.plan.blocs.items():
        for body in bodies:
            parent = PARTY_AGENCIES[0] if body.party_side else PEOPLES_COMMITTEE[0]
            desk.unit_command(MoveUnit(body.unit_id, parent, BLOCS_CLOSE, ref), on, ref)
        successor = PARTY_AGENCIES[0] if bloc_id == BLOC_ID else PEOPLES_COMMITTEE[0]
        desk.unit_command(MergeUnit(bloc_id, successor, BLOCS_CLOSE, ref), on, ref)


def groups(communes: tuple[CommunePlan, ...]) -> list[tuple[CommunePlan, ...]]:
    """Old communes by new commune: threes, the seat's group first (a lone last one stays alone)."""
    return [communes[i : i + 3] for i in range(0, len(communes), 3)]


def close_districts(desk: Desk, on: date) -> None:
    for district in desk.plan.districts:
        _close_district(desk, district, on)


def _close_district(desk: Desk, district: DistrictPlan, on: date) -> None:
    ref = f"Quyết định số {1600 + desk.plan.districts.index(district)}-QĐ/TU ngày 30/06/2025 của Ban Thường vụ Tỉnh ủy"
    seat = ""
    for k, group in enumerate(groups(district.communes), start=1):
        upper = _new_commune(desk, district, k, group, on, ref)
        seat = seat or upper
    for other in district.others:
        desk.unit_command(MoveUnit(other, seat, on, ref), on, ref)
    desk.unit_command(DissolveUnit(district.unit_id, seat, on, ref), on, ref)


def _new_commune(desk: Desk, district: DistrictPlan, k: int, group: tuple[CommunePlan, ...], on: date, ref: str) -> str:
    """Register the new commune committee and fold the group's old committees into its grassroots one."""
    d = district.district
    name = d.name if k == 1 else group[0].name
    town = d.city or group[0].town
    unit_id, code = f"unit-x-{d.code.lower()}{k}", f"X-{d.code}{k}"
    upper_name = commune_committee_name(d, name, town).replace("thị trấn", "xã")
    desk.unit_command(RegisterUnit(unit_id, code, upper_name, UnitKind.UPPER_COMMITTEE, PROVINCE_ID), on, ref)
    main, *rest = group
    for other in rest:
        for cell in desk.tree.as_of(on).children(other.unit_id):
            desk.unit_command(MoveUnit(cell, main.unit_id, on, ref), on, ref)
        desk.unit_command(MergeUnit(other.unit_id, main.unit_id, on, ref), on, ref)
    residents = "các tổ dân phố" if d.city else "các thôn, tổ dân phố"
    desk.unit_command(RenameUnit(main.unit_id, f"Đảng bộ {residents} {upper_name.removeprefix('Đảng bộ ')}"), on, ref)
    desk.unit_command(MoveUnit(main.unit_id, unit_id, on, ref), on, ref)
    return unit_id
