"""R-RETRACT on the two clocks (I9): a retracted entry was never true, so "true on D" never counts it, whenever
the retraction was recorded; "the ledger on D" shows it until the day the retraction was recorded."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import sqlalchemy as sa

from domain.codec import EVENTS
from domain.person import commands as c
from domain.person.facts import EntryFacts, PersonFacts
from eventstore import EventStore
from projections.person_states import PersonStates
from projections.rebuild import compare
from projections.registry import PROJECTIONS
from projections.runner import Runner
from services.audit.asof import dashboard_as_of, file_as_of
from services.audit.clocks import Clock, Cut
from tests.integration.audit.conftest import MovingClock
from tests.integration.audit.late_papers import BLOC, DECIDED_ON, SCHOOL, YEAR_END, append, register_units, the_year
from tests.integration.audit.test_as_of_two_clocks import TERM, live_dashboard

RETRACTED_ON = date(2020, 12, 10)
BETWEEN = date(2020, 11, 25)
"""After the decision was entered (18/11/2020), before its retraction was (12/12/2020)."""


def test_a_retracted_decision_was_never_true_but_the_ledger_showed_it_until_retracted(
    store: EventStore, engine: sa.Engine, clock: MovingClock
) -> None:
    register_units(store, clock)
    ledger, hung = the_year()
    decision = hung.state.undo[-1]
    facts = PersonFacts(entry=EntryFacts(version=decision.version, event_type="AdmissionDecided",
                                         recorded_on=date(2020, 11, 18)))  # fmt: skip
    retraction = c.RetractEntry(**hung.at(RETRACTED_ON, BLOC), entry_version=decision.version, reason="Nhầm người")
    hung.run(retraction, facts)
    append(store, clock, sorted(ledger.log, key=lambda d: d.envelope.occurred_on))
    live = live_dashboard(engine, store)

    def board(on: date, clock_of: Clock) -> int:
        return dashboard_as_of(store, SCHOOL, Cut(on, clock_of), 2020, TERM).dashboard.figures.admitted

    assert live.figures.admitted == 0
    assert board(BETWEEN, Clock.OCCURRED) == board(YEAR_END, Clock.OCCURRED) == 0
    assert board(BETWEEN, Clock.RECORDED) == 1  # what the ledger said that day
    assert board(YEAR_END, Clock.RECORDED) == 0
    true_at_year_end = dashboard_as_of(store, SCHOOL, Cut(YEAR_END, Clock.OCCURRED), 2020, TERM).dashboard
    assert replace(true_at_year_end, position=0) == live

    files = {
        (on, clock_of): file_as_of(store, hung.stream_id, Cut(on, clock_of))
        for on in (BETWEEN, YEAR_END)
        for clock_of in Clock
    }
    stages = {key: answer.stage if answer else None for key, answer in files.items()}
    assert stages == {
        (BETWEEN, Clock.OCCURRED): "CommitteeApproved",
        (YEAR_END, Clock.OCCURRED): "CommitteeApproved",
        (BETWEEN, Clock.RECORDED): "Admitted",
        (YEAR_END, Clock.RECORDED): "CommitteeApproved",
    }
    assert DECIDED_ON < BETWEEN < RETRACTED_ON


def test_read_models_caught_up_before_and_after_a_retraction_equal_a_rebuild(
    store: EventStore, engine: sa.Engine, clock: MovingClock
) -> None:
    """Rebuild from zero equals live (I6), live having applied the decision, then its retraction."""
    register_units(store, clock)
    ledger, hung = the_year()
    append(store, clock, sorted(ledger.log, key=lambda d: d.envelope.occurred_on))
    runner = Runner(engine, store, EVENTS, PROJECTIONS, enrich=PersonStates(store, EVENTS))
    for unit_id in sorted(store.unit_heads()):
        runner.catch_up(unit_id)
    decision = hung.state.undo[-1]
    facts = PersonFacts(entry=EntryFacts(version=decision.version, event_type="AdmissionDecided",
                                         recorded_on=date(2020, 11, 18)))  # fmt: skip
    start = len(ledger.log)
    hung.run(c.RetractEntry(**hung.at(RETRACTED_ON, BLOC), entry_version=decision.version, reason="Nhầm"), facts)
    append(store, clock, ledger.log[start:])
    for unit_id in sorted(store.unit_heads()):
        runner.catch_up(unit_id)

    for projection in PROJECTIONS:
        for unit_id in sorted(store.unit_heads()):
            assert compare(runner, projection, unit_id).equal, (projection.name, unit_id)
