"""R-PRIVACY-RETAIN over the log: the closed files past their period, per unit; open files never (item 4).
Nothing is erased yet: erasure needs the subjects' keys (I13)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.person.records import Departure, PersonState
from domain.person.stages import Stage
from domain.retention import Outcome, outcome_of
from domain.rules.periods import add_months
from services.commands.context import CommandContext
from services.privacy.outcomes import PersonOutcome, scan_log
from services.privacy.retention import past_retention, rules_from
from services.settings import Settings, SettingsError
from tests.unit.services.officers import CELL, SECRETARY, enrol, nominate, person, take

WITHDRAWN_ON = date(2021, 5, 3)


def a_withdrawn_candidate_and_an_open_file(ctx: CommandContext) -> None:
    enrol(ctx, 1)
    nominate(ctx, 3, person(1), key="n3")
    nominate(ctx, 4, person(1), key="n4")
    take(ctx, SECRETARY, "withdrawCandidate", person(4), "w", reason="Chuyển công tác",
         occurred_on=WITHDRAWN_ON.isoformat(), expected_version=1)  # fmt: skip


def test_a_withdrawn_file_is_due_on_the_day_its_period_ends(ctx: CommandContext) -> None:
    a_withdrawn_candidate_and_an_open_file(ctx)
    people = scan_log(ctx.store).people
    rules = rules_from([])
    due_on = date(2023, 5, 3)  # 24 months by default

    assert past_retention(people, rules, due_on - timedelta(days=1)) == {}
    listed = past_retention(people, rules, due_on)
    assert list(listed) == [CELL]
    [item] = listed[CELL]
    assert (item.person.person_id, item.person.full_name) == (person(4), "Quần Chúng Bình")
    assert (item.rule.rule_id, item.closed_on, item.due_on) == ("R-PRIVACY-RETAIN:withdrawn", WITHDRAWN_ON, due_on)


def test_open_files_and_serving_members_are_never_due(ctx: CommandContext) -> None:
    a_withdrawn_candidate_and_an_open_file(ctx)

    listed = past_retention(scan_log(ctx.store).people, rules_from([]), date(2100, 1, 1))

    assert [item.person.person_id for items in listed.values() for item in items] == [person(4)]


def test_a_unit_sees_only_its_own_files(ctx: CommandContext) -> None:
    a_withdrawn_candidate_and_an_open_file(ctx)
    people = scan_log(ctx.store).people

    assert past_retention(people, rules_from([]), date(2100, 1, 1), units=["unit-school-cell-2"]) == {}


def test_the_settings_period_replaces_the_default() -> None:
    settings = Settings.from_environment({"PARTYLEDGER_RETENTION_MONTHS": "withdrawn=6, rejected=36"})
    rules = rules_from(settings.retention_months)
    person_ = PersonOutcome("p", CELL, Stage.WITHDRAWN, WITHDRAWN_ON, Outcome.WITHDRAWN, None)

    assert rules[Outcome.WITHDRAWN].months == 6 and rules[Outcome.REJECTED].months == 36
    assert past_retention([person_], rules, date(2021, 11, 3)) != {}


@pytest.mark.parametrize(
    ("value", "says"),
    [("resigned=6", "'resigned' is not an outcome"), ("withdrawn=0", "from 1 to 1200"), ("withdrawn", "from 1 to")],
)
def test_a_bad_retention_setting_is_refused_naming_the_variable(value: str, says: str) -> None:
    with pytest.raises(SettingsError, match="PARTYLEDGER_RETENTION_MONTHS") as refused:
        Settings.from_environment({"PARTYLEDGER_RETENTION_MONTHS": value})
    assert says in str(refused.value)


def test_a_probationary_member_struck_off_left_before_becoming_official() -> None:
    def struck_off(was_official: bool) -> PersonState:
        left = Departure(stage=Stage.STRUCK_OFF, left_on=date(2022, 1, 1), was_official=was_official, readmit_bar=None)
        return PersonState(person_id="p", stage=Stage.STRUCK_OFF, departures=(left,))

    assert outcome_of(struck_off(False)) is Outcome.PROBATIONARY_STRUCK_OFF
    assert outcome_of(struck_off(True)) is Outcome.STRUCK_OFF
    assert outcome_of(PersonState(person_id="p", stage=Stage.OFFICIAL)) is None


@given(
    closed=st.dates(date(2000, 1, 1), date(2040, 12, 31)),
    today=st.dates(date(2000, 1, 1), date(2080, 12, 31)),
    outcome=st.sampled_from(list(Outcome)),
    months=st.integers(1, 240),
)
def test_a_closed_file_is_listed_exactly_from_the_end_of_its_period(
    closed: date, today: date, outcome: Outcome, months: int
) -> None:
    closed_file = PersonOutcome("p", CELL, Stage.WITHDRAWN, closed, outcome, None)

    listed = past_retention([closed_file], rules_from([(outcome.value, months)]), today)

    assert bool(listed) is (today >= add_months(closed, months))
