"""I9: "true on D" and "the ledger on D" differ when a paper is entered late, and both answers are right.

"The ledger on D" must equal what the live dashboard actually said on D (taken then, before the late paper
arrived); "true on D" must equal the live dashboard once every paper dated by D is in. Both "as of"
answers are replays of today's log, and both name the late decision as the difference.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import sqlalchemy as sa

from domain.codec import EVENTS
from eventstore import EventStore
from projections import queries
from projections.person_states import PersonStates
from projections.registry import PROJECTIONS
from projections.runner import Runner
from services.audit.asof import dashboard_as_of, file_as_of, tree_as_of
from services.audit.clocks import Clock, Cut
from services.commands.tree_log import load_tree
from tests.integration.audit.conftest import MovingClock
from tests.integration.audit.late_papers import (
    DECIDED_ON,
    ENTERED_ON,
    SCHOOL,
    YEAR_END,
    append,
    on_time_and_late,
    register_units,
    the_year,
)
from tests.support.stores import settle

TERM = "2020-2025"


def live_dashboard(engine: sa.Engine, store: EventStore) -> queries.Dashboard:
    settle(store)
    runner = Runner(engine, store, EVENTS, PROJECTIONS, enrich=PersonStates(store, EVENTS))
    for unit_id in sorted(store.unit_heads()):
        runner.catch_up(unit_id)
    tree, _ = load_tree(store)
    with engine.connect() as connection:
        board = queries.dashboard(connection, queries.subtree_units(tree, SCHOOL, YEAR_END), 2020, TERM)
    return replace(board, position=0)


def test_a_decision_entered_months_late_makes_the_two_clocks_differ(
    store: EventStore, engine: sa.Engine, clock: MovingClock
) -> None:
    register_units(store, clock)
    ledger, hung = the_year()
    on_time, late = on_time_and_late(ledger)
    append(store, clock, on_time)
    said_on_year_end = live_dashboard(engine, store)
    append(store, clock, late, entered_on=ENTERED_ON)
    true_now = live_dashboard(engine, store)

    ledger_answer = dashboard_as_of(store, SCHOOL, Cut(YEAR_END, Clock.RECORDED), 2020, TERM)
    true_answer = dashboard_as_of(store, SCHOOL, Cut(YEAR_END, Clock.OCCURRED), 2020, TERM)

    assert said_on_year_end.figures.admitted == 0 and true_now.figures.admitted == 1
    assert replace(ledger_answer.dashboard, position=0) == said_on_year_end
    assert replace(true_answer.dashboard, position=0) == true_now
    for answer in (ledger_answer, true_answer):
        assert [(e.stream_id, e.event_type, e.occurred_on) for e in answer.differences.entered_late] == [
            (hung.stream_id, "AdmissionDecided", DECIDED_ON)
        ]
        assert answer.differences.dated_later == ()


def test_the_file_as_of_each_clock(store: EventStore, engine: sa.Engine, clock: MovingClock) -> None:
    register_units(store, clock)
    ledger, hung = the_year()
    on_time, late = on_time_and_late(ledger)
    append(store, clock, on_time)
    append(store, clock, late, entered_on=ENTERED_ON)
    before = next(d.person for d in reversed(on_time) if d.envelope.stream_id == hung.stream_id)

    by_ledger = file_as_of(store, hung.stream_id, Cut(YEAR_END, Clock.RECORDED))
    by_truth = file_as_of(store, hung.stream_id, Cut(YEAR_END, Clock.OCCURRED))

    assert by_ledger is not None and by_truth is not None
    assert by_ledger.stage == str(before.stage) != by_truth.stage == str(hung.state.stage)
    assert by_truth.events_counted == by_ledger.events_counted + 1
    assert [e.event_type for e in by_ledger.differences.entered_late] == ["AdmissionDecided"]


def test_the_tree_as_of_each_clock(store: EventStore, engine: sa.Engine, clock: MovingClock) -> None:
    """Units registered on 02/01/2020 for papers dated 01/01/2020: the ledger did not know them that day."""
    register_units(store, clock)
    on = date(2020, 1, 1)

    by_truth = tree_as_of(store, SCHOOL, Cut(on, Clock.OCCURRED))
    by_ledger = tree_as_of(store, SCHOOL, Cut(on, Clock.RECORDED))

    assert by_truth.unit_known
    assert [u.unit_id for u in by_truth.units] == [SCHOOL, "cb-dao-tao", "cb-ly-luan"]
    assert not by_ledger.unit_known and by_ledger.units == ()
    assert len(by_ledger.differences.entered_late) == 5


def test_a_tree_read_below_a_lagging_horizon_is_not_kept_as_the_whole_tree(postgres_url: str) -> None:
    """An open transaction hides a new unit from readers; once it ends, the next answer must show the unit
    (the tree read while it was hidden must not be cached under the stream's newer version)."""
    import psycopg

    from domain.units.events import UnitRegistered
    from domain.units.kinds import UnitKind
    from eventstore.postgres import PostgresEventStore
    from services.commands.tree_log import UNIT_TREE_STREAM
    from tests.support.appending import envelope

    store = PostgresEventStore.from_url(postgres_url, codec=EVENTS)
    store.create_schema()
    clock_now = Cut(date(2030, 1, 1), Clock.OCCURRED)
    province = UnitRegistered("p", "P", "Tỉnh ủy", UnitKind.PROVINCIAL_COMMITTEE, None, False)
    store.append(UNIT_TREE_STREAM, [envelope(province, "p", date(2020, 1, 1))], expected_version=0)
    with psycopg.connect(postgres_url) as blocker:
        blocker.execute("CREATE TEMP TABLE hold (x int)")  # an open transaction with an id below the next append
        school = UnitRegistered("s", "S", "Trường", UnitKind.GRASSROOTS_COMMITTEE, "p", False)
        store.append(UNIT_TREE_STREAM, [envelope(school, "s", date(2020, 1, 1))], expected_version=1)
        assert not tree_as_of(store, "s", clock_now).unit_known  # not yet visible to readers
        blocker.rollback()
    settle(store)
    assert tree_as_of(store, "s", clock_now).unit_known
    store.close()
