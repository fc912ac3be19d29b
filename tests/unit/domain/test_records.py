"""`replaced` must be indistinguishable from `dataclasses.replace` for the records `evolve` copies, and `evolve`
must never change a state it was given."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.person.events import DeadlineBreached
from domain.person.records import CandidateFile, PersonState
from domain.person.stages import Stage
from domain.person.state import evolve
from domain.person.values import VerificationSubject
from domain.records import replaced

changes = st.fixed_dictionaries(
    {},
    optional={
        "version": st.integers(0, 10_000),
        "stage": st.sampled_from(Stage),
        "cell_id": st.none() | st.text(max_size=8),
        "last_step_on": st.none() | st.dates(),
        "readmissions": st.integers(0, 3),
        "file": st.none() | st.builds(CandidateFile, readmission=st.booleans()),
    },
)


@given(st.builds(PersonState, person_id=st.text(max_size=8), version=st.integers(0, 99)), changes)
def test_replaced_equals_dataclasses_replace(state: PersonState, change: dict[str, object]) -> None:
    copy = replaced(state, **change)
    assert copy == dataclasses.replace(state, **change)  # type: ignore[arg-type]
    assert hash(copy) == hash(dataclasses.replace(state, **change))  # type: ignore[arg-type]
    assert type(copy) is PersonState


def test_the_original_is_left_as_it_was() -> None:
    state = PersonState(person_id="p", last_step_on=date(2024, 1, 2))
    replaced(state, version=7, last_step_on=None)
    assert (state.version, state.last_step_on) == (0, date(2024, 1, 2))


def test_a_misspelt_field_fails_like_replace_would() -> None:
    with pytest.raises(TypeError, match="PersonState has no field verison"):
        replaced(PersonState(person_id="p"), verison=2)


def test_a_record_with_post_init_validation_is_refused() -> None:
    """Copying the dictionary would skip the check `__post_init__` makes."""
    subject = next(iter(dataclasses.fields(VerificationSubject)))
    assert hasattr(VerificationSubject, "__post_init__"), "the refusal needs a record that validates itself"
    with pytest.raises(TypeError, match="plain dataclasses only"):
        replaced(object.__new__(VerificationSubject), **{subject.name: None})


def test_evolve_leaves_the_state_it_was_given_as_it_was_when_the_event_changes_nothing_else() -> None:
    """`evolve` stamps the version on the copy an applier made; an applier that changes nothing returns the
    state it was given, which must then be copied, not stamped."""
    state = PersonState(person_id="p", version=3, last_step_on=date(2024, 1, 2))
    breach = DeadlineBreached(
        rule_set="qd24-2021", rule_id="R-DECIDE-DEADLINE", due_on=date(2024, 1, 1), late_by_working_days=1
    )
    after = evolve(state, breach, date(2024, 1, 5))
    assert (state.version, state.last_step_on) == (3, date(2024, 1, 2))
    assert after.version == 4 and after is not state
