"""Who the province's members and candidates are: particulars in realistic proportions, with valid identity numbers.

Shares are still those of a northern-midlands province (the generator's first province): mostly Kinh, with
Tày, Nùng, Dao, Sán Chay, Sán Dìu, Mông and a few Mường in the highland districts — Lâm Đồng's Cơ Ho, Mạ and
Chu Ru need their own naming customs first; few members with a religion; education and
occupation by the kind of cell (an agency, a school, a village). Identity numbers are built the way the card
is (province of birth registration, sex-and-century digit, year of birth, six digits) and never repeat.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from random import Random
from typing import Final, TypeVar

from domain.identity import PROVINCE_CODES
from domain.particulars import EducationLevel, Ethnicity, Occupation, Particulars, Religion, Sex
from services.seed.names import Weighted, full_name, pick

HOME_PROVINCE: Final = "068"
"""Lâm Đồng: most members were born and registered here."""

OTHER_PROVINCES: Final[Weighted] = (
    ("067", 4),
    ("060", 3),
    ("066", 2),
    ("001", 2),
    ("034", 1.5),
    ("036", 1.5),
    ("056", 1),
    ("058", 1),
    ("075", 1),
    ("040", 1),
    ("038", 1),
)
"""Đắk Nông, Bình Thuận, Đắk Lắk, Hà Nội, Thái Bình, Nam Định, … for the one member in seven born elsewhere
(many of Lâm Đồng's families came from the north)."""


class Profile(StrEnum):
    """The kind of cell, which sets its members' occupations, education and sex ratio."""

    AGENCY = "agency"
    SCHOOL = "school"
    HEALTH = "health"
    ENTERPRISE = "enterprise"
    VILLAGE = "village"
    WARD = "ward"
    COMMUNE_OFFICE = "commune_office"


class Area(StrEnum):
    """Where the cell is, which sets the ethnic mix."""

    PROVINCIAL = "provincial"
    LOWLAND = "lowland"
    HIGHLAND = "highland"


E = Ethnicity
ETHNICITY: Final[dict[Area, tuple[tuple[Ethnicity, float], ...]]] = {
    Area.PROVINCIAL: ((E.KINH, 84), (E.TAY, 8), (E.NUNG, 4), (E.SAN_DIU, 1.5), (E.DAO, 1), (E.SAN_CHAY, 1),
                      (E.MUONG, 0.3), (E.MONG, 0.2)),
    Area.LOWLAND: ((E.KINH, 92), (E.TAY, 2), (E.NUNG, 2), (E.SAN_DIU, 3), (E.HOA, 0.4), (E.DAO, 0.4)),
    Area.HIGHLAND: ((E.KINH, 52), (E.TAY, 24), (E.NUNG, 9), (E.DAO, 6), (E.SAN_CHAY, 4), (E.SAN_DIU, 2),
                    (E.MONG, 2.5), (E.MUONG, 0.5)),
}  # fmt: skip

EL = EducationLevel
EDUCATION: Final[dict[Profile, tuple[tuple[EducationLevel, float], ...]]] = {
    Profile.AGENCY: ((EL.UNIVERSITY, 60), (EL.MASTER, 28), (EL.DOCTORATE, 2), (EL.COLLEGE, 5), (EL.VOCATIONAL, 3),
                     (EL.UPPER_SECONDARY, 2)),
    Profile.SCHOOL: ((EL.UNIVERSITY, 55), (EL.MASTER, 32), (EL.DOCTORATE, 3), (EL.COLLEGE, 10)),
    Profile.HEALTH: ((EL.UNIVERSITY, 45), (EL.MASTER, 10), (EL.DOCTORATE, 3), (EL.COLLEGE, 20), (EL.VOCATIONAL, 22)),
    Profile.ENTERPRISE: ((EL.UPPER_SECONDARY, 25), (EL.VOCATIONAL, 25), (EL.COLLEGE, 15), (EL.UNIVERSITY, 30),
                         (EL.MASTER, 5)),
    Profile.VILLAGE: ((EL.PRIMARY, 6), (EL.LOWER_SECONDARY, 36), (EL.UPPER_SECONDARY, 38), (EL.VOCATIONAL, 10),
                      (EL.COLLEGE, 4), (EL.UNIVERSITY, 6)),
    Profile.WARD: ((EL.LOWER_SECONDARY, 15), (EL.UPPER_SECONDARY, 35), (EL.VOCATIONAL, 15), (EL.COLLEGE, 6),
                   (EL.UNIVERSITY, 25), (EL.MASTER, 4)),
    Profile.COMMUNE_OFFICE: ((EL.UPPER_SECONDARY, 8), (EL.VOCATIONAL, 15), (EL.COLLEGE, 10), (EL.UNIVERSITY, 62),
                             (EL.MASTER, 5)),
}  # fmt: skip

OC = Occupation
OCCUPATION: Final[dict[Profile, tuple[tuple[Occupation, float], ...]]] = {
    Profile.AGENCY: ((OC.STATE_OFFICIAL, 70), (OC.PUBLIC_EMPLOYEE, 18), (OC.PARTY_MASS_ORG_OFFICIAL, 12)),
    Profile.SCHOOL: ((OC.PUBLIC_EMPLOYEE, 95), (OC.STATE_OFFICIAL, 5)),
    Profile.HEALTH: ((OC.PUBLIC_EMPLOYEE, 95), (OC.STATE_OFFICIAL, 5)),
    Profile.ENTERPRISE: ((OC.WORKER, 62), (OC.ENTERPRISE_MANAGER, 25), (OC.OTHER, 13)),
    Profile.VILLAGE: ((OC.FARMER, 60), (OC.VILLAGE_WORKER, 14), (OC.PRIVATE_BUSINESS_OWNER, 7), (OC.WORKER, 12),
                      (OC.OTHER, 7)),
    Profile.WARD: ((OC.PRIVATE_BUSINESS_OWNER, 25), (OC.WORKER, 25), (OC.VILLAGE_WORKER, 15), (OC.OTHER, 35)),
    Profile.COMMUNE_OFFICE: ((OC.COMMUNE_OFFICIAL, 88), (OC.PUBLIC_EMPLOYEE, 12)),
}  # fmt: skip
"""Occupations of working members; the retired are drawn apart (many in village and ward cells)."""

RETIRED_SHARE: Final[dict[Profile, float]] = {Profile.VILLAGE: 0.38, Profile.WARD: 0.55}
FEMALE_SHARE: Final[dict[Profile, float]] = {
    Profile.AGENCY: 0.45,
    Profile.SCHOOL: 0.62,
    Profile.HEALTH: 0.66,
    Profile.ENTERPRISE: 0.30,
    Profile.VILLAGE: 0.33,
    Profile.WARD: 0.45,
    Profile.COMMUNE_OFFICE: 0.40,
}
RELIGION: Final[Weighted] = (("none", 97.3), ("buddhism", 1.6), ("catholicism", 0.8), ("protestantism", 0.3))


@dataclass(frozen=True)
class Newcomer:
    """A person about to enter the ledger: the number on their card and their particulars."""

    citizen_id: str
    particulars: Particulars


@dataclass
class Population:
    """Draws people; the numbers already issued are remembered so that none is given twice."""

    rng: Random
    hometowns: tuple[str, ...]
    _issued: set[str] = field(default_factory=set)

    def member(self, profile: Profile, area: Area, on: date) -> Newcomer:
        """A member of a cell on `on`: working age, or retired where cells hold many pensioners."""
        retired = self.rng.random() < RETIRED_SHARE.get(profile, 0.0)
        age = self.rng.randint(60, 84) if retired else self._working_age(profile)
        occupation = Occupation.RETIRED if retired else pick_enum(self.rng, OCCUPATION[profile])
        return self._person(profile, area, on.year - age, occupation, minimum=EducationLevel.NONE)

    def candidate(self, profile: Profile, area: Area, on: date) -> Newcomer:
        """A candidate: young, working, schooled to lower-secondary at least (R-ELIG-EDU) but in the highlands."""
        age = min(self.rng.randint(19, 26) + int(self.rng.expovariate(1 / 6)), 44)
        occupation = pick_enum(self.rng, OCCUPATION[profile])
        lowest = EducationLevel.PRIMARY if area is Area.HIGHLAND else EducationLevel.LOWER_SECONDARY
        return self._person(profile, area, on.year - age, occupation, minimum=lowest)

    def _working_age(self, profile: Profile) -> int:
        low = 24 if profile in (Profile.VILLAGE, Profile.WARD, Profile.ENTERPRISE) else 26
        return min(59, low + int(self.rng.triangular(0, 34, 14)))

    def _person(
        self, profile: Profile, area: Area, birth_year: int, occupation: Occupation, minimum: EducationLevel
    ) -> Newcomer:
        sex = Sex.FEMALE if self.rng.random() < FEMALE_SHARE[profile] else Sex.MALE
        ethnicity = pick_enum(self.rng, ETHNICITY[area])
        province = HOME_PROVINCE if self.rng.random() < 0.86 else pick(self.rng, OTHER_PROVINCES)
        born = _day_of(self.rng, birth_year)
        education = pick_enum(self.rng, EDUCATION[profile])
        if birth_year < 1960 and education.rank > EducationLevel.UPPER_SECONDARY.rank and self.rng.random() < 0.5:
            education = EducationLevel.UPPER_SECONDARY
        if not education.at_least(minimum):
            education = minimum
        particulars = Particulars(
            full_name=full_name(self.rng, sex, ethnicity, birth_year),
            sex=sex,
            date_of_birth=born,
            ethnicity=ethnicity,
            religion=self._religion(ethnicity),
            education=education,
            occupation=occupation,
            hometown=self._hometown(province),
        )
        return Newcomer(self._citizen_id(province, sex, born), particulars)

    def _religion(self, ethnicity: Ethnicity) -> Religion:
        if ethnicity is Ethnicity.MONG and self.rng.random() < 0.12:
            return Religion.PROTESTANTISM
        return Religion(pick(self.rng, RELIGION))

    def _hometown(self, province: str) -> str | None:
        if self.rng.random() < 0.08:
            return None
        if province == HOME_PROVINCE:
            return self.rng.choice(self.hometowns)
        return f"tỉnh {PROVINCE_CODES[province]}"

    def _citizen_id(self, province: str, sex: Sex, born: date) -> str:
        """Province of registration, sex and century (0/1 for the 1900s, 2/3 for the 2000s), year, six digits."""
        century_digit = (0 if born.year < 2000 else 2) + (1 if sex is Sex.FEMALE else 0)
        while True:
            number = f"{province}{century_digit}{born.year % 100:02d}{self.rng.randrange(1_000_000):06d}"
            if number not in self._issued:
                self._issued.add(number)
                return number


T = TypeVar("T")


def pick_enum(rng: Random, table: tuple[tuple[T, float], ...]) -> T:
    return rng.choices([value for value, _ in table], weights=[weight for _, weight in table])[0]


def _day_of(rng: Random, year: int) -> date:
    month = rng.randint(1, 12)
    return date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))
