"""R-FILE-REQUEST: a cell asks for a file filed elsewhere; the holder (or a committee above it) grants or refuses.

The use case on the memory store: filing reads nothing about the number (the same calls to the log whether
the number is filed elsewhere, nowhere or at home); only the holder's subtree sees and answers a request; a
grant moves the closed file and the asking cell then opens its own; a refusal changes nothing but the record.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import InvalidCommand, RuleViolation
from domain.person.stages import Stage
from eventstore import EventStore, WrongExpectedVersion, open_store
from services.commands.actors import Actor, Role
from services.commands.context import CommandContext
from services.commands.file_requests import (
    FiledRequest,
    RequestAnswer,
    RequestFiling,
    answer_request,
    file_request,
    inbox,
    sent,
)
from services.commands.walls import FiledElsewhere, NotFound, WallDenied, today
from services.embedded import seed_minimal_province
from tests.support.person_ids import TEST_PERSON_ID_KEY
from tests.unit.services.officers import (
    CELL,
    NEIGHBOUR,
    SECRETARY,
    SIBLING,
    citizen,
    enrol,
    nominate,
    particulars,
    person,
    take,
)

SCHOOL = Actor("canbo.truong", Role.GRASSROOTS_OFFICER, "unit-school")
THIRD_CELL = Actor("bithu.chibo3", Role.CELL_SECRETARY, "unit-school-cell-3")
VIEWER = Actor("xem.chibo1", Role.VIEWER, CELL)


class Recording:
    """The store, noting each call a use case makes on it (name and arguments' types)."""

    def __init__(self, store: EventStore) -> None:
        self._store = store
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._store, name)
        if not callable(found):
            return found

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return found(*args, **kwargs)

        return call


def world(ctx: CommandContext) -> None:
    """cell-1 holds: member 1 (helper), a withdrawn candidate 2, an open file 3; cell-2 has member 5."""
    enrol(ctx, 1)
    nominate(ctx, 2, helper=person(1), key="n2")
    take(ctx, SECRETARY, "withdrawCandidate", person(2), "w2", reason="Xin rút", occurred_on="2021-04-01",
         expected_version=1)  # fmt: skip
    nominate(ctx, 3, helper=person(1), key="n3")
    enrol(ctx, 5, actor=NEIGHBOUR, cell=SIBLING)


def ask(ctx: CommandContext, n: int, actor: Actor = NEIGHBOUR, cell: str = SIBLING, key: str = "") -> FiledRequest:
    filing = RequestFiling(actor, citizen(n), cell, "Quần chúng nay công tác tại chi bộ 2", key or f"ask-{n}")
    return file_request(ctx, filing)


def answer(ctx: CommandContext, actor: Actor, request_id: str, grant: bool, version: int, key: str = "a") -> Any:
    return answer_request(ctx, RequestAnswer(actor, request_id, grant, "Đồng ý theo đề nghị", version, key))


@pytest.fixture
def held(ctx: CommandContext) -> CommandContext:
    world(ctx)
    return ctx


def test_filing_reads_nothing_about_the_number(held: CommandContext) -> None:
    """Filed elsewhere (a closed file, an open one), never filed, filed in the caller's own cell: one answer,
    one event under the asking cell, and the very same calls to the log."""
    traces, answers = [], []
    for n in (2, 3, 8, 5):  # withdrawn elsewhere, open elsewhere, unknown, the caller's own member
        recording = Recording(held.store)
        fresh = CommandContext(recording, person_key=TEST_PERSON_ID_KEY)
        head = held.store.head_position()
        filed = ask(fresh, n)
        answers.append((filed.status, len(filed.request_id)))
        traces.append(recording.calls)
        written = held.store.read_all(after_position=head).events
        assert [(e.event_type, e.unit_id, e.also_unit_id) for e in written] == [("FileRequested", SIBLING, None)]
    assert len(set(answers)) == 1 and answers[0][0] == "pending"
    assert all(trace == traces[0] for trace in traces), traces


def test_a_retry_answers_the_first_request(held: CommandContext) -> None:
    first = ask(held, 2, key="same")
    head = held.store.head_position()
    assert ask(held, 2, key="same") == first
    assert held.store.head_position() == head


def test_only_the_holder_or_a_committee_above_it_sees_the_request(held: CommandContext) -> None:
    request = ask(held, 2)
    assert [i.request.request_id for i in inbox(held, SECRETARY)] == [request.request_id]
    assert [i.person.person_id for i in inbox(held, SCHOOL)] == [person(2)]
    assert inbox(held, NEIGHBOUR) == [] and inbox(held, THIRD_CELL) == []
    with pytest.raises(WallDenied):
        inbox(held, VIEWER)
    (item,) = inbox(held, SECRETARY)
    assert item.person.particulars is not None and item.may_hand_over


def test_an_unknown_number_reaches_no_inbox(held: CommandContext) -> None:
    ask(held, 8)
    assert inbox(held, SECRETARY) == inbox(held, SCHOOL) == []
    assert [r.status for r in sent(held, NEIGHBOUR)] == ["pending"]


@pytest.mark.parametrize("who", [NEIGHBOUR, THIRD_CELL, VIEWER], ids=["the-asker", "another-cell", "a-viewer"])
def test_no_one_outside_the_holders_subtree_answers(held: CommandContext, who: Actor) -> None:
    request = ask(held, 2)
    head = held.store.head_position()
    with pytest.raises(NotFound):  # WallDenied is a NotFound: the same answer as a missing request
        answer(held, who, request.request_id, True, 2)
    with pytest.raises(NotFound):
        answer(held, SECRETARY, "file-request-" + "0" * 32, True, 2)
    assert held.store.head_position() == head


def test_a_grant_moves_the_file_and_the_asking_cell_opens_its_own(held: CommandContext) -> None:
    request = ask(held, 2)
    with pytest.raises(FiledElsewhere):  # before the grant: the wall holds
        take(held, NEIGHBOUR, "nominateCandidate", person(2), "re-1", citizen_id=citizen(2),
             particulars=particulars("Quần Chúng Bình"), helper_id=person(5), resolution_ref="NQ 9",
             occurred_on="2021-06-01", expected_version=2)  # fmt: skip
    recorded = answer(held, SCHOOL, request.request_id, True, 2)  # a committee above both grants
    moved = held.people.load(held.store, person(2))
    assert (moved.cell_id, moved.stage, recorded.stream_version) == (SIBLING, Stage.WITHDRAWN, 3)
    last = held.store.read_stream(person(2))[-1]
    assert (last.event_type, last.unit_id, last.also_unit_id) == ("FileHandedOver", CELL, SIBLING)
    assert last.metadata["actor"] == SCHOOL.user_id
    assert [(r.status, r.answer and r.answer.reason) for r in sent(held, NEIGHBOUR)] == [
        ("granted", "Đồng ý theo đề nghị")
    ]
    assert inbox(held, SECRETARY) == []
    renominated = take(held, NEIGHBOUR, "nominateCandidate", person(2), "re-2", citizen_id=citizen(2),
                       particulars=particulars("Quần Chúng Bình"), helper_id=person(5), resolution_ref="NQ 9",
                       occurred_on=today().isoformat(), expected_version=3)  # fmt: skip
    after = held.people.load(held.store, person(2))
    assert (renominated.stream_version, after.stage, after.cell_id) == (4, Stage.SOURCE_POOL, SIBLING)


def test_a_refusal_leaves_the_file_where_it_is(held: CommandContext) -> None:
    request = ask(held, 2)
    recorded = answer(held, SECRETARY, request.request_id, False, 2)
    state = held.people.load(held.store, person(2))
    assert (state.cell_id, state.stage, recorded.stream_version) == (CELL, Stage.WITHDRAWN, 3)
    assert held.store.read_stream(person(2))[-1].event_type == "FileRequestRefused"
    assert [r.status for r in sent(held, NEIGHBOUR)] == ["refused"]
    head = held.store.head_position()
    with pytest.raises(NotFound):  # answered once
        answer(held, SECRETARY, request.request_id, True, 3, key="again")
    with pytest.raises(FiledElsewhere):
        take(held, NEIGHBOUR, "nominateCandidate", person(2), "re-1", citizen_id=citizen(2),
             particulars=particulars("Quần Chúng Bình"), helper_id=person(5), resolution_ref="NQ 9",
             occurred_on="2021-06-01", expected_version=3)  # fmt: skip
    assert held.store.head_position() == head


def test_an_open_file_moves_by_transfer_not_by_request(held: CommandContext) -> None:
    request = ask(held, 3)
    (item,) = inbox(held, SECRETARY)
    assert not item.may_hand_over
    head = held.store.head_position()
    with pytest.raises(RuleViolation) as refused:
        answer(held, SECRETARY, request.request_id, True, 1)
    assert refused.value.rule_id == "R-FILE-REQUEST"
    assert held.store.head_position() == head
    answer(held, SECRETARY, request.request_id, False, 1)  # it may still be refused, with a reason
    assert held.people.load(held.store, person(3)).cell_id == CELL


def test_an_answer_on_a_stale_version_is_a_conflict(held: CommandContext) -> None:
    request = ask(held, 2)
    with pytest.raises(WrongExpectedVersion):
        answer(held, SECRETARY, request.request_id, True, 1)
    assert held.people.load(held.store, person(2)).cell_id == CELL


def test_a_request_is_for_a_cell_within_the_callers_units(held: CommandContext) -> None:
    with pytest.raises(WallDenied):
        ask(held, 2, actor=NEIGHBOUR, cell=CELL)
    with pytest.raises(InvalidCommand):
        ask(held, 2, actor=SCHOOL, cell="unit-school")
    with pytest.raises(InvalidCommand):
        file_request(held, RequestFiling(NEIGHBOUR, "12345", SIBLING, "Lý do", "bad-number"))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["elsewhere", "unknown", "own"]), min_size=2, max_size=5))
def test_any_mix_of_numbers_gets_one_answer_and_one_trace(kinds: list[str]) -> None:
    store = open_store("memory://")
    seed_minimal_province(store)
    ctx = CommandContext(store, person_key=TEST_PERSON_ID_KEY)
    world(ctx)
    number = {"elsewhere": 2, "unknown": 8, "own": 5}
    traces, answers = set(), set()
    for i, kind in enumerate(kinds):
        recording = Recording(store)
        fresh = CommandContext(recording, person_key=TEST_PERSON_ID_KEY)
        filed = ask(fresh, number[kind], key=f"mix-{i}")
        traces.add(tuple(recording.calls))
        answers.add((filed.status, len(filed.request_id)))
    assert len(traces) == 1 and len(answers) == 1
    store.close()
