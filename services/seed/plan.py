"""The unit tree to register, per scale: the province, its upper committees, grassroots units and cells.

"small" is the worked example's corner of the province (the bloc with the Political School, one district with
two communes); "province" is the whole of it. Ids of the top and of the school are those of the embedded demo,
so both describe the same organisations. Every unit is registered on the ledger's first day.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal

from domain.units.kinds import UnitKind
from services.seed.geography import (
    AGENCIES,
    AGENCY_CELL_NAMES,
    DISTRICTS,
    ENTERPRISES,
    HAMLETS,
    POLITICAL_SCHOOL_CELLS,
    PROVINCE_NAME,
    Body,
    District,
    commune_committee_name,
)
from services.seed.population import Area, Profile

Scale = Literal["small", "province"]
PROVINCE_ID: Final = "unit-province"
BLOC_ID: Final = "unit-bloc"
SCHOOL_ID: Final = "unit-school"
SCHOOL_QUIET_UNTIL: Final = date(2022, 1, 1)
"""The school follows DOMAIN.md §5's script to the end of 2021; random life reaches it from 2022."""


@dataclass(frozen=True)
class UnitPlan:
    """One organisation to register; cells carry who their members are and how many at the start."""

    unit_id: str
    code: str
    name: str
    kind: UnitKind
    parent_id: str | None
    delegated: bool = False
    committee_size: int = 0
    profile: Profile = Profile.AGENCY
    area: Area = Area.PROVINCIAL
    size: int = 0
    party_side: bool = False
    quiet_until: date | None = None


@dataclass(frozen=True)
class CommunePlan:
    unit_id: str
    name: str
    town: bool


@dataclass(frozen=True)
class DistrictPlan:
    """A district committee with its communes (seat first) and its other grassroots units."""

    district: District
    unit_id: str
    communes: tuple[CommunePlan, ...]
    others: tuple[str, ...]


@dataclass
class Plan:
    scale: Scale
    units: list[UnitPlan] = field(default_factory=list)
    blocs: dict[str, list[UnitPlan]] = field(default_factory=dict)
    districts: list[DistrictPlan] = field(default_factory=list)

    def add(self, unit: UnitPlan) -> UnitPlan:
        self.units.append(unit)
        return unit

    @property
    def cells(self) -> list[UnitPlan]:
        return [u for u in self.units if u.kind.holds_members]

    @property
    def hometowns(self) -> tuple[str, ...]:
        return tuple(town for d in self.districts for town in d.district.hometowns) or DISTRICTS[0].hometowns


def _id(code: str) -> str:
    return "unit-" + code.lower().replace(".", "-")


def build_plan(scale: Scale, rng_sizes: Iterator[int]) -> Plan:
    """The tree for a scale; `rng_sizes` is a deterministic stream of numbers for the shapes of the communes."""
    plan = Plan(scale)
    plan.add(UnitPlan(PROVINCE_ID, "TU", f"Đảng bộ tỉnh {PROVINCE_NAME}", UnitKind.PROVINCIAL_COMMITTEE, None))
    bloc = plan.add(UnitPlan(BLOC_ID, "DUK", "Đảng bộ Khối các cơ quan tỉnh", UnitKind.UPPER_COMMITTEE, PROVINCE_ID))
    plan.blocs[bloc.unit_id] = [_political_school(plan)]
    agencies = AGENCIES[:2] if scale == "small" else AGENCIES
    plan.blocs[bloc.unit_id] += [_body(plan, "DUK", n, body) for n, body in enumerate(agencies, start=1)]
    if scale == "province":
        enterprises = plan.add(
            UnitPlan("unit-dnk", "DNK", "Đảng bộ Khối Doanh nghiệp tỉnh", UnitKind.UPPER_COMMITTEE, PROVINCE_ID)
        )
        plan.blocs[enterprises.unit_id] = [_body(plan, "DNK", n, b) for n, b in enumerate(ENTERPRISES, start=1)]
    sizes = rng_sizes
    if scale == "small":
        plan.districts.append(_district(plan, DISTRICTS[0], 2, sizes, small=True))
    else:
        plan.districts += [_district(plan, district, len(district.communes), sizes) for district in DISTRICTS]
    return plan


def _political_school(plan: Plan) -> UnitPlan:
    school = plan.add(
        UnitPlan(
            SCHOOL_ID,
            "TCT",
            "Đảng bộ Trường Chính trị tỉnh",
            UnitKind.GRASSROOTS_COMMITTEE,
            BLOC_ID,
            committee_size=7,
            party_side=True,
            quiet_until=SCHOOL_QUIET_UNTIL,
        )
    )
    for n, (name, profile, size) in enumerate(POLITICAL_SCHOOL_CELLS, start=1):
        plan.add(
            UnitPlan(
                f"unit-school-cell-{n}",
                f"TCT-CB{n}",
                name,
                UnitKind.CELL,
                SCHOOL_ID,
                profile=profile,
                size=size,
                quiet_until=SCHOOL_QUIET_UNTIL,
            )
        )
    return school


def _body(plan: Plan, prefix: str, n: int, body: Body) -> UnitPlan:
    """A bloc's grassroots organisation with its sub-committees and cells."""
    code = f"{prefix}.{n:02d}"
    if not body.cells and not body.subs:
        kind, size = UnitKind.GRASSROOTS_CELL, body.size
    else:
        kind, size = UnitKind.GRASSROOTS_COMMITTEE, 0
    unit = plan.add(
        UnitPlan(
            _id(code),
            code,
            body.name,
            kind,
            f"unit-{prefix.lower()}" if prefix != "DUK" else BLOC_ID,
            delegated=body.delegated,
            committee_size=body.committee_size,
            profile=body.profile,
            size=size,
            party_side=body.party_side,
        )
    )
    _cells(plan, unit.unit_id, code, body.profile, Area.PROVINCIAL, body.cells)
    for k, (sub_name, cells) in enumerate(body.subs, start=1):
        sub_code = f"{code}.BP{k}"
        plan.add(UnitPlan(_id(sub_code), sub_code, sub_name, UnitKind.SUB_COMMITTEE, unit.unit_id, committee_size=5))
        _cells(plan, _id(sub_code), sub_code, body.profile, Area.PROVINCIAL, cells, first=len(body.cells) + 1)
    return unit


def _cells(
    plan: Plan, parent_id: str, code: str, profile: Profile, area: Area, sizes: tuple[int, ...], first: int = 1
) -> None:
    for n, size in enumerate(sizes, start=first):
        name = f"Chi bộ {AGENCY_CELL_NAMES[(n - 1) % len(AGENCY_CELL_NAMES)]}"
        if profile is Profile.ENTERPRISE:
            name = f"Chi bộ Phân xưởng số {n}"
        cell_code = f"{code}.CB{n:02d}"
        plan.add(UnitPlan(_id(cell_code), cell_code, name, UnitKind.CELL, parent_id, profile=profile, area=area,
                          size=size))  # fmt: skip


def _district(plan: Plan, district: District, communes: int, sizes: Iterator[int], small: bool = False) -> DistrictPlan:
    """A district committee, its communes with their cells, and its agencies, high school and health centre."""
    code = f"HU-{district.code}"
    unit = plan.add(UnitPlan(_id(code), code, district.committee_name, UnitKind.UPPER_COMMITTEE, PROVINCE_ID))
    commune_plans = []
    for n, (name, town) in enumerate(district.communes[:communes], start=1):
        commune_plans.append(_commune(plan, district, unit.unit_id, f"{code}.{n:02d}", name, town, sizes, small))
    others: list[str] = []
    level = "thành phố" if district.city else "huyện"
    if not small:
        name = f"Đảng bộ Cơ quan Chính quyền {level} {district.name}"
        agencies = _body(plan, code, 90, Body(name, Profile.AGENCY, (16, 14, 13, 12)))
        others.append(agencies.unit_id)
        health = _body(plan, code, 92, Body(f"Chi bộ Trung tâm Y tế {level} {district.name}", Profile.HEALTH, size=30))
        others.append(health.unit_id)
    school = _body(plan, code, 91, Body(f"Chi bộ Trường THPT {district.name}", Profile.SCHOOL, size=28))
    others.append(school.unit_id)
    return DistrictPlan(district, unit.unit_id, tuple(commune_plans), tuple(others))


def _commune(
    plan: Plan, district: District, parent_id: str, code: str, name: str, town: bool, sizes: Iterator[int], small: bool
) -> CommunePlan:
    """A commune or ward committee: its office cell, sometimes a school cell, and its hamlets' cells."""
    unit = plan.add(
        UnitPlan(_id(code), code, commune_committee_name(district, name, town), UnitKind.GRASSROOTS_COMMITTEE,
                 parent_id, committee_size=11 if town else 13, profile=Profile.VILLAGE, area=district.area)
    )  # fmt: skip
    hamlet_count = 6 if small else 5 + next(sizes) % 4
    cells: list[tuple[str, Profile, int]] = [("Chi bộ Cơ quan", Profile.COMMUNE_OFFICE, 12 + next(sizes) % 6)]
    if small or next(sizes) % 2:
        cells.append(("Chi bộ Trường Tiểu học và Trung học cơ sở", Profile.SCHOOL, 12 + next(sizes) % 6))
    offset = next(sizes) % len(HAMLETS)
    for k in range(hamlet_count):
        label = f"tổ dân phố số {k + 1}" if district.city or town else f"xóm {HAMLETS[(offset + k) % len(HAMLETS)]}"
        profile = Profile.WARD if district.city or town else Profile.VILLAGE
        cells.append((f"Chi bộ {label}", profile, 26 + next(sizes) % 28 if small else 34 + next(sizes) % 36))
    if small:
        cells = cells[: 8 if name == district.communes[0][0] else 6]
    for n, (cell_name, profile, size) in enumerate(cells, start=1):
        cell_code = f"{code}.CB{n:02d}"
        plan.add(UnitPlan(_id(cell_code), cell_code, cell_name, UnitKind.CELL, unit.unit_id, profile=profile,
                          area=district.area, size=size))  # fmt: skip
    return CommunePlan(unit.unit_id, name, town)
