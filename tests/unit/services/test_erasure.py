"""R-PRIVACY-ERASE through the one use case (API, CLI and the retention run call it): who may erase which file,
what the log and the readers hold afterwards, and what the counts keep."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import RuleViolation
from domain.person.erasure import ErasureGround
from domain.person.stages import Stage
from domain.privacy import ERASED_TEXT
from services.commands.actors import Actor, Role
from services.commands.context import CommandContext
from services.commands.erasure import ErasureRequest, band_keeping_birth_date, erase_person, finish_erasures
from services.commands.file_requests import RequestFiling, file_request
from services.commands.walls import NotFound
from tests.support.person_ids import TEST_PERSON_ID_KEY
from tests.unit.services.conftest import Bell
from tests.unit.services.officers import (
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
OTHER_SCHOOL = Actor("canbo.khac", Role.GRASSROOTS_OFFICER, "unit-school-cell-2")


def withdrawn(ctx: CommandContext, n: int = 2) -> str:
    enrol(ctx, 1)
    nominate(ctx, n, helper=person(1), key=f"n{n}")
    take(ctx, SECRETARY, "withdrawCandidate", person(n), f"w{n}", reason="Xin rút vì lý do gia đình",
         occurred_on="2021-04-01", expected_version=1)  # fmt: skip
    return person(n)


def erase(ctx: CommandContext, person_id: str, actor: Actor = SCHOOL, ground: ErasureGround | None = None) -> int:
    chosen = ground or ErasureGround.PURPOSE_COMPLETE
    request = ErasureRequest(actor, person_id, chosen, "QĐ 15/QĐ-ĐU", date(2026, 11, 30))
    return erase_person(ctx, request).stream_version


def test_a_closed_file_is_erased_and_reads_as_erased_everywhere(ctx: CommandContext) -> None:
    person_id = withdrawn(ctx)
    assert erase(ctx, person_id) == 3
    state = ctx.people.load(ctx.store, person_id)
    assert state.erased and state.stage is Stage.WITHDRAWN
    assert state.particulars is not None and state.particulars.full_name == ERASED_TEXT
    first = ctx.store.read_stream(person_id)[0]
    assert first.data["citizen_id"] == ERASED_TEXT
    assert first.data["particulars"]["sex"] == "male"  # counted by sex: kept
    assert ctx.store.read_stream(person_id)[1].data["reason"] == ERASED_TEXT
    assert ctx.store.verify().ok


def test_the_erased_person_is_found_by_no_citizen_id_and_may_be_nominated_afresh(ctx: CommandContext) -> None:
    person_id = withdrawn(ctx)
    assert ctx.citizens.known(ctx.store, citizen(2)) == person_id
    erase(ctx, person_id)
    assert ctx.citizens.known(ctx.store, citizen(2)) is None
    fresh = ctx.person_id_of(citizen(2))
    assert fresh != person_id
    again = take(ctx, SECRETARY, "nominateCandidate", fresh, "again", citizen_id=citizen(2),
                 particulars=particulars("Quần Chúng Bình"), helper_id=person(1), resolution_ref="NQ 09",
                 occurred_on="2026-12-01", expected_version=0)  # fmt: skip
    assert again.stream_id == fresh and ctx.citizens.known(ctx.store, citizen(2)) == fresh


def test_nothing_is_recorded_on_an_erased_file_and_it_is_not_erased_twice(ctx: CommandContext) -> None:
    person_id = withdrawn(ctx)
    erase(ctx, person_id)
    with pytest.raises(RuleViolation, match="R-PRIVACY-ERASED"):
        take(ctx, SECRETARY, "retractEntry", person_id, "r", entry_version=2, reason="Ghi nhầm",
             occurred_on="2026-12-01", expected_version=3)  # fmt: skip
    with pytest.raises(RuleViolation, match="R-PRIVACY-ERASED"):
        erase(ctx, person_id)


def test_a_file_in_use_is_erased_only_on_a_state_decision(ctx: CommandContext) -> None:
    enrol(ctx, 1)
    head = ctx.store.head_position()
    with pytest.raises(RuleViolation, match="R-PRIVACY-ERASE"):
        erase(ctx, person(1))
    assert ctx.store.head_position() == head
    erase(ctx, person(1), ground=ErasureGround.STATE_DECISION)
    assert ctx.people.load(ctx.store, person(1)).erased


@pytest.mark.parametrize("actor", [SECRETARY, OTHER_SCHOOL, Actor("xem", Role.VIEWER, "unit-school")])
def test_a_caller_without_the_right_or_outside_the_walls_is_told_nothing(ctx: CommandContext, actor: Actor) -> None:
    person_id = withdrawn(ctx)
    head = ctx.store.head_position()
    with pytest.raises(NotFound):
        erase(ctx, person_id, actor=actor)
    with pytest.raises(NotFound):
        erase(ctx, person(9), actor=actor)  # no such person: the same answer
    assert ctx.store.head_position() == head


def test_finishing_destroys_keys_left_alive_by_a_crash_after_the_append(ctx: CommandContext) -> None:
    person_id = withdrawn(ctx)
    keys = ctx.store.cipher.keys  # type: ignore[union-attr]
    destroy = keys.erase
    keys.erase = lambda *_: None  # type: ignore[method-assign]  # the process dies before the keys' destruction
    forget = ctx.store.forget_requests
    ctx.store.forget_requests = lambda *_: 0  # type: ignore[method-assign]
    erase(ctx, person_id)
    ctx.store.forget_requests = forget  # type: ignore[method-assign]
    keys.erase = destroy  # type: ignore[method-assign]
    assert ctx.store.read_stream(person_id)[0].data["citizen_id"] == citizen(2)
    log = ctx.store.log  # type: ignore[attr-defined]
    assert all(digest for digest, _ in log.keys.values()), "the process died before forgetting the requests too"
    assert finish_erasures(ctx.store) == 1
    assert sum(1 for digest, _ in log.keys.values() if not digest) == 2
    assert ctx.store.read_stream(person_id)[0].data["citizen_id"] == ERASED_TEXT
    assert finish_erasures(ctx.store) == 0


def test_the_kept_birth_date_gives_the_same_age_bands_and_is_no_more_precise() -> None:
    born = date(1985, 4, 1)
    dates = [date(2015, 3, 31), date(2016, 6, 1)]  # 29 (18–30) and 31 (31–40)
    kept = band_keeping_birth_date(born, dates)
    from domain.ages import age_band

    assert [age_band(kept, d) for d in dates] == [age_band(born, d) for d in dates]
    assert kept < born


def test_the_erased_persons_idempotency_records_keep_neither_their_key_nor_a_digest_of_their_data(
    ctx: CommandContext,
) -> None:
    """A client may make its keys of what it sends (here the citizen ID), and each record keeps a SHA-256 of the
    plaintext request: both go with the erasure; the erasure's own record stays to answer its retries."""
    enrol(ctx, 1)
    nominate(ctx, 2, helper=person(1), key=f"nominate-{citizen(2)}")
    take(ctx, SECRETARY, "withdrawCandidate", person(2), "w2", reason="Xin rút vì lý do gia đình",
         occurred_on="2021-04-01", expected_version=1)  # fmt: skip
    log = ctx.store.log  # type: ignore[attr-defined]
    assert any(citizen(2) in key for key in log.keys)
    request = ErasureRequest(SCHOOL, person(2), ErasureGround.PURPOSE_COMPLETE, "QĐ 15/QĐ-ĐU", date(2026, 11, 30),
                             idempotency_key="erase-2")  # fmt: skip
    erase_person(ctx, request)
    assert not any(citizen(2) in key for key in log.keys)
    kept = {result.stream_version: digest for digest, result in log.keys.values() if result.stream_id == person(2)}
    assert kept[1] == b"" and kept[2] == b"", "the nomination's and the withdrawal's requests are forgotten"
    assert kept[3] != b"", "the erasure's own record (it names no one) is kept"


def test_the_file_requests_for_the_persons_citizen_id_are_erased_with_them_in_every_process(
    ctx: CommandContext,
) -> None:
    """R-FILE-REQUEST: a request's own stream holds the citizen ID asked for and the asking cell's reason; their
    key goes with the person's, and a process that had read the request forgets it once it sees the erasure."""
    person_id = withdrawn(ctx)
    filed = file_request(ctx, RequestFiling(NEIGHBOUR, citizen(2), SIBLING, "Quần chúng nay ở chi bộ 2", "ask-2"))
    other_process = CommandContext(ctx.store, Bell(), TEST_PERSON_ID_KEY)
    assert [r.citizen_id for r in other_process.requests.all(ctx.store)] == [citizen(2)]
    erase(ctx, person_id)
    request_event = ctx.store.read_stream(filed.request_id)[0]
    assert request_event.data["citizen_id"] == ERASED_TEXT and request_event.data["reason"] == ERASED_TEXT
    for process in (ctx, other_process):
        assert [r.citizen_id for r in process.requests.all(ctx.store)] == [ERASED_TEXT]
    assert ctx.store.verify().ok
