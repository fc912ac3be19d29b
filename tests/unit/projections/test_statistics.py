"""HD 11 statistics: admissions, exits and ratings by sex, age band, ethnicity, religion, education, occupation."""

from __future__ import annotations

from datetime import date

from domain.particulars import EducationLevel, Ethnicity, Occupation, Religion, Sex
from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.facts import PersonFacts, RatingFacts
from domain.rules.ratings import Grade
from projections import statistics
from projections.queries import in_order, label_vi
from tests.unit.projections.people import BLOC, Ledger, Person


def test_admissions_are_counted_by_every_breakdown_with_the_age_on_the_decision_date() -> None:
    ledger = Ledger()
    born = date(1990, 6, 20)
    day_before = Person(ledger, 1, "Lò Văn Páo", Sex.MALE, born, "cb-a", ethnicity=Ethnicity.THAI)
    day_before.to_ceremony(date(2021, 3, 1))  # decided 2021-06-19: 30 years old
    birthday = Person(
        ledger,
        2,
        "Maria Nguyễn Thị Hạnh",
        Sex.FEMALE,
        born,
        "cb-a",
        religion=Religion.CATHOLICISM,
        education=EducationLevel.MASTER,
        occupation=Occupation.STATE_OFFICIAL,
    )
    birthday.to_ceremony(date(2021, 3, 2))  # decided 2021-06-20: 31 years old

    row = ledger.build(statistics)["cb-a"].get("s:2021:admissions")

    assert row == {
        "sex": {"male": 1, "female": 1},
        "age_band": {"18-30": 1, "31-40": 1},
        "ethnicity": {"thai": 1, "kinh": 1},
        "religion": {"none": 1, "catholicism": 1},
        "education": {"university": 1, "master": 1},
        "occupation": {"public_employee": 1, "state_official": 1},
    }


def test_exits_are_counted_by_type_and_each_type_by_the_breakdowns() -> None:
    ledger = Ledger()
    left = Person(ledger, 1, "Đỗ Thị Lan", Sex.FEMALE, date(1980, 1, 1), "cb-a")
    left.to_ceremony(date(2021, 3, 1))
    left.run(
        mc.GrantVoluntaryExit(**left.at(date(2022, 2, 1)), reason="Hoàn cảnh", decision_ref="QĐ", family_hardship=True)
    )

    rows = ledger.build(statistics)["cb-a"]

    exits = rows.get("s:2022:exits") or {}
    assert exits["type"] == {"voluntary_exit": 1}
    assert exits["sex"] == {"female": 1} and exits["age_band"] == {"41-50": 1}
    assert (rows.get("s:2022:exits:voluntary_exit") or {})["sex"] == {"female": 1}


def test_ratings_are_filed_under_the_year_rated_by_grade() -> None:
    ledger = Ledger()
    hung = Person(ledger, 1, "Lê Văn Hùng", Sex.MALE, date(1988, 2, 14), "cb-a")
    hung.to_ceremony(date(2021, 3, 1))
    rating = PersonFacts(rating=RatingFacts(rated_good=10, rated_excellent=0))
    hung.run(mc.RateMember(**hung.at(date(2022, 1, 10)), year=2021, grade=Grade.EXCELLENT), rating)

    rows = ledger.build(statistics)["cb-a"]

    assert (rows.get("s:2021:ratings") or {})["grade"] == {"excellent": 1}
    assert (rows.get("s:2021:ratings:excellent") or {})["sex"] == {"male": 1}
    assert rows.get("s:2022:ratings") is None


def test_a_step_counts_only_in_the_unit_holding_the_person() -> None:
    ledger = Ledger()
    hung = Person(ledger, 1, "Lê Văn Hùng", Sex.MALE, date(1988, 2, 14), "cb-a")
    hung.to_cell_vote(date(2021, 3, 1))
    hung.committee(date(2021, 6, 1))
    decide = c.DecideAdmission(**hung.at(date(2021, 6, 19), BLOC.unit_id), decision_ref="QĐ")
    hung.run(decide, PersonFacts(decider=BLOC), also=BLOC.unit_id)

    rows = ledger.build(statistics)

    assert list(rows[BLOC.unit_id].items()) == []
    assert [key for key, _ in rows["cb-a"].items()] == ["s:2021:admissions"]


def test_breakdowns_read_in_the_forms_natural_order_not_alphabetical() -> None:
    grades = {"completed": 3, "excellent": 1, "not_completed": 1, "good": 4}
    education = {"university": 5, "college": 2, "upper_secondary": 1, "master": 1, "vocational": 1}
    assert [label_vi("grade", g) for g, _ in in_order("grade", grades)][:3] == [
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
    ]
    assert [v for v, _ in in_order("education", education)] == [
        "upper_secondary",
        "vocational",
        "college",
        "university",
        "master",
    ]
    assert [v for v, _ in in_order("age_band", {"over-70": 1, "18-30": 2, "41-50": 1})] == ["18-30", "41-50", "over-70"]
    assert in_order("occupation", {"unknown-value": 1, "student": 1})[-1] == ("unknown-value", 1)
