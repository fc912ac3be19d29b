"""HD 11 statistics of a unit or subtree for one year: admissions, exits and ratings by each breakdown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import sqlalchemy as sa

from domain.ages import AgeBand
from domain.particulars import EducationLevel, Ethnicity, Occupation, Religion, Sex
from domain.rules.ratings import Grade

from .reading import distinct_units, reflected_position, version_of
from .rollup import summed_rows

EXIT_LABELS_VI: Final[dict[str, str]] = {
    "struck_off": "Xóa tên",
    "expelled": "Khai trừ",
    "voluntary_exit": "Cho ra khỏi Đảng",
    "probationary_struck_off": "Xóa tên đảng viên dự bị",
    "annulled": "Hủy quyết định kết nạp",
}
LABELLED: Final[dict[str, Any]] = {
    "sex": Sex,
    "age_band": AgeBand,
    "ethnicity": Ethnicity,
    "religion": Religion,
    "education": EducationLevel,
    "occupation": Occupation,
    "grade": Grade,
}


@dataclass(frozen=True)
class Statistics:
    """`metrics[metric][dimension][value]` → count; metrics: admissions, exits, exits:<type>, ratings,
    ratings:<grade>; dimensions: sex, age_band, ethnicity, religion, education, occupation (+ type, grade)."""

    position: int
    year: int
    metrics: dict[str, dict[str, dict[str, int]]]

    def total(self, metric: str) -> int:
        return sum(self.metrics.get(metric, {}).get("sex", {}).values())


def statistics(connection: sa.Connection, units: list[str], year: int) -> Statistics:
    """The year's counts summed over the units: from their groups' kept sums where a group lies wholly
    within them (the city's ~170 communes), from the units' own rows for the rest."""
    chosen = distinct_units(units)
    version = version_of(connection, "statistics")
    prefix = f"s:{year}:"
    summed = summed_rows(connection, "statistics", version, {"": chosen}, prefix=prefix)[""]
    metrics: dict[str, Any] = {key.removeprefix(prefix): sums["sum"] for key, sums in summed.items()}
    return Statistics(reflected_position(connection, "statistics", version, chosen), year, metrics)


def in_order(dimension: str, counts: dict[str, int]) -> list[tuple[str, int]]:
    """A breakdown's values in the forms' natural order — the order their enum declares them (grades from
    "Xuất sắc" down, education levels ascending, age bands ascending, Kinh first), exit types as the form
    lists them — never alphabetical; a value no enum knows comes last."""
    order = _declared(dimension)
    return sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def _declared(dimension: str) -> dict[str, int]:
    if dimension == "type":
        return {value: n for n, value in enumerate(EXIT_LABELS_VI)}
    labelled = LABELLED.get(dimension)
    return {} if labelled is None else {str(member.value): n for n, member in enumerate(labelled)}


def label_vi(dimension: str, value: str) -> str:
    """The Vietnamese label of a breakdown's value, for the statistical forms."""
    if dimension == "type":
        return EXIT_LABELS_VI.get(value, value)
    labelled = LABELLED.get(dimension)
    return str(labelled(value).label_vi) if labelled is not None else value
