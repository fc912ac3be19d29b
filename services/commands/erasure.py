"""Erase a person's personal data (R-PRIVACY-ERASE; issue 20 item 3; I13): the one use case the API's
`POST /people/{id}/erasure`, `partyledger erase` and the retention run all call.

Order, so that a crash at any point loses nothing and leaves nothing half-erased for good:
1. the walls (a foreign or missing person answers alike), the role (a committee's officer or the province's
   administrator: the competent unit), the rule (`domain/person/erasure.check_erasure`);
2. the residue is computed from the opened stream: the categorical values the counts read (sex, ethnicity,
   religion, education, occupation, grades…) and, for each particulars, the earliest birth date giving the same
   age bands on every date of the file — what HD 11's breakdowns need and nothing that names;
3. `PersonalDataErased` is appended at the version the decision was made on (I2), carrying only that;
4. every data subject's key of the file (the person, each relative) is destroyed, a tombstone keeping the
   residue, and so are the keys of the file requests made for their citizen ID (R-FILE-REQUEST);
5. the person's idempotency records are forgotten (the caller's key by its digest, the request's digest —
   a hash over the plaintext — blanked; `EventStore.forget_requests`).
A crash after 3 is finished by `finish_erasures` (run by the beat and by `partyledger erase` again), which
also re-destroys keys brought back by restoring an older key-store backup.
The read models forget the person's rows when they apply the event (`projections/erasure.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from domain.ages import age_band
from domain.paper import check_date, check_not_future
from domain.person.erasure import ErasureGround, PersonalDataErased, check_erasure
from domain.person.events import FileHandedOver, FileRequestRefused
from domain.person.values import clean_text
from domain.rules.registry import rules_in_force
from eventstore import EventMetadata, EventStore, NewEvent, RecordedEvent
from eventstore.field_cipher import FieldCipher
from eventstore.selection import HistoryFilter
from eventstore.subject_keys import Erased

from .actors import Actor, Role
from .context import CommandContext
from .idempotency import scoped_key
from .people import visible_records
from .results import Recorded
from .walls import require_role, today

ERASERS: Final = (Role.GRASSROOTS_OFFICER, Role.UPPER_OFFICER, Role.PROVINCIAL_ADMIN)
"""The competent unit: a committee's officer or the province's administrator, within their walls."""
BIRTH_DATE_PATH: Final = "date_of_birth"
_PAGE: Final = 1000
_ANSWERS: Final = (FileHandedOver.event_type, FileRequestRefused.event_type)


class KeysUnavailable(RuntimeError):
    """The process holds no keys (a log opened without a keyring): nothing can be erased (fail closed)."""


@dataclass(frozen=True)
class ErasureRequest:
    actor: Actor
    person_id: str
    ground: ErasureGround
    decision_ref: str
    decided_on: date
    expected_version: int | None = None
    idempotency_key: str | None = None


def erase_person(ctx: CommandContext, request: ErasureRequest) -> Recorded:
    """Record the erasure and destroy the file's keys; the answer is the stream's new version."""
    cipher = _cipher(ctx.store)
    require_role(request.actor, *ERASERS)
    state, records = visible_records(ctx, request.actor, request.person_id)
    decision_ref = clean_text(request.decision_ref, "decision_ref")  # the paper's content first, then the rules
    check_date(request.decided_on, "decided_on")
    check_not_future(request.decided_on, today())
    check_erasure(state, request.ground)
    residue = residue_of(cipher, records)
    # read before the erasure is appended: a book that meets the erasure reads every request again (request_book)
    asked = {r.request_id for r in ctx.requests.all(ctx.store) if state.citizen_id and r.citizen_id == state.citizen_id}
    handles = cipher.handles_of(request.person_id, [(r.event_type, r.data) for r in records])
    event = PersonalDataErased(
        rule_set=rules_in_force(request.decided_on).rule_set_id,
        ground=request.ground,
        decision_ref=decision_ref,
        subjects=len(handles),
        residue=residue,
    )
    version = state.version if request.expected_version is None else request.expected_version
    metadata = EventMetadata(
        actor=request.actor.user_id,
        acting_unit=request.actor.unit_id,
        role=str(request.actor.role),
        rule_set=event.rule_set,
        correlation_id=f"erasure:{request.person_id}",
    )
    name, schema, data = ctx.store.codec.encode(event)
    units = units_of(state.cell_id, records)
    key = scoped_key(request.actor, request.idempotency_key) if request.idempotency_key else None
    result = ctx.store.append(
        request.person_id,
        [
            NewEvent(name, data, request.decided_on, unit, metadata, schema, also_unit_id=also)
            for unit, also in zip(units[::2], [*units[1::2], None], strict=False)
        ],
        expected_version=version,
        idempotency_key=key,
    )
    cipher.keys.erase([cipher.keys.key_id(h) for h in handles], residue)
    cipher.keys.erase([cipher.keys.key_id(r) for r in sorted(asked | requests_answered(records))], {})
    ctx.store.forget_requests(request.person_id, result.first_position)
    ctx.people.forget(request.person_id)
    ctx.ring(units)
    return Recorded.of(result)


def requests_answered(records: list[RecordedEvent]) -> set[str]:
    """The file requests (R-FILE-REQUEST) answered on the person's stream: each request's own stream holds the
    person's citizen ID and the asking cell's reason, sealed under the request stream's key, destroyed with theirs.
    A request still pending is found by the citizen ID while it can still be read (`erase_person`)."""
    return {str(r.data["request_id"]) for r in records if r.event_type in _ANSWERS and "request_id" in r.data}


def units_of(cell_id: str | None, records: list[RecordedEvent]) -> list[str]:
    """Every unit whose read models may hold the person (where any of their events was filed), the current cell
    first: the erasure is filed under each, two per event (`unit_id`, `also_unit_id`), so each forgets them."""
    touched = [cell_id] if cell_id else []
    touched += [u for r in reversed(records) for u in (r.unit_id, r.also_unit_id) if u]
    return list(dict.fromkeys(touched))


def residue_of(cipher: FieldCipher, records: list[RecordedEvent]) -> dict[str, dict[str, Any]]:
    """The categorical values per version, and each particulars' birth date replaced by the earliest day that
    gives the same age band on the date of every event it was in force for."""
    opened = [(r.stream_version, r.event_type, r.data) for r in records]
    residue = cipher.residue_of(opened)
    births: list[tuple[int, date]] = []
    for version, _, data in opened:
        particulars = data.get("particulars")
        if isinstance(particulars, dict) and isinstance(particulars.get(BIRTH_DATE_PATH), str):
            births.append((version, date.fromisoformat(particulars[BIRTH_DATE_PATH])))
    for index, (version, born) in enumerate(births):
        until = births[index + 1][0] if index + 1 < len(births) else None
        dates = [
            r.occurred_on
            for r in records
            if r.stream_version >= version and (until is None or r.stream_version < until)
        ]
        residue.setdefault(str(version), {})[f"particulars.{BIRTH_DATE_PATH}"] = band_keeping_birth_date(
            born, dates
        ).isoformat()
    return residue


def band_keeping_birth_date(born: date, on: list[date]) -> date:
    """The earliest birth date whose age band equals the real one on each of these dates (HD 11's counts by age
    band stay right) — the bands, and nothing more precise than them, survive the erasure."""
    bands = [age_band(born, day) for day in on]

    def same(candidate: date) -> bool:
        return all(age_band(candidate, day) == band for day, band in zip(on, bands, strict=True))

    low, high = born.toordinal() - 120 * 366, born.toordinal()  # `same` holds at `high`, fails far enough back
    while low < high:
        middle = (low + high) // 2
        if same(date.fromordinal(middle)):
            high = middle
        else:
            low = middle + 1
    return date.fromordinal(low)


def finish_erasures(store: EventStore) -> int:
    """Destroy the keys of every erased file whose keys still open (a crash after the append, or a key-store
    backup restored from before the erasure); the number of files finished. Idempotent."""
    cipher = _cipher(store)
    finished, after = 0, 0
    while True:
        page = store.read_history(
            HistoryFilter(event_types=(PersonalDataErased.event_type,)), after_position=after, limit=_PAGE
        )
        for erasure in page:
            records = [r for r in store.read_stream(erasure.stream_id) if r.stream_version < erasure.stream_version]
            handles = cipher.handles_of(erasure.stream_id, [(r.event_type, r.data) for r in records])
            kept = cipher.keys.for_reading([cipher.keys.key_id(h) for h in handles])
            live = [key_id for key_id, key in kept.items() if not isinstance(key, Erased)]
            if live:
                cipher.keys.erase(live, dict(erasure.data.get("residue", {})))
                finished += 1
            answered = cipher.keys.for_reading([cipher.keys.key_id(r) for r in requests_answered(records)])
            cipher.keys.erase([k for k, key in answered.items() if not isinstance(key, Erased)], {})
            store.forget_requests(erasure.stream_id, erasure.position)  # a crash before it, or a restore
        if len(page) < _PAGE:
            return finished
        after = page[-1].position


def _cipher(store: EventStore) -> FieldCipher:
    cipher = store.cipher
    if not isinstance(cipher, FieldCipher):
        raise KeysUnavailable("this process opened the log without its keys: nothing can be erased")
    return cipher
