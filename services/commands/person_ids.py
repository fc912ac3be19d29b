"""Person ids that cannot be reversed, and the keyed index that finds a person by citizen ID (I8, DOMAIN §6).

A person's stream id used to be an unsalted hash of the citizen ID: with the sex and birth year any viewer
sees, the remaining six random digits were guessed in seconds. Now:

- a **new** person's id is `person-` + HMAC-SHA256(deployment key, the number)[:32]: deterministic, so two
  officers nominating the same number race for one stream (I2), yet not computable without the key;
- a citizen ID is **found** through `CitizenIndex`: keyed digest → whatever stream id the log holds for it,
  rebuilt from the log's identity events (`CandidateNominated`, `MemberEnrolled`: the only events that carry
  the number). A log written with older ids (or under another key) keeps its ids — they are inside hashed
  events — and the index still finds each person by number. Only a number the log has never seen is minted.

`CitizenIndex.person_id` is the one lookup: the API, the web forms, the generator and the tests' helpers all
call it (or, for a number known to be new, `PersonIdKey.new_person_id`, which it calls itself).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from threading import Lock
from typing import Final

from domain.identity import CitizenId, parse_citizen_id
from domain.person.erasure import PersonalDataErased
from domain.person.events import CandidateNominated
from domain.person.member_events import MemberEnrolled
from domain.privacy import ERASED_TEXT
from eventstore import EventStore
from eventstore.selection import HistoryFilter
from eventstore.store import opened

PERSON_ID: Final = re.compile(r"person-[0-9a-f]{32}")
KEY_MINIMUM: Final = 32
"""Bytes of secret a key must hold (as the signing key's characters)."""
IDENTITY_EVENTS: Final = (CandidateNominated.event_type, MemberEnrolled.event_type)
"""The events that carry a citizen ID: the index is nothing but them (and the erasures that take one out)."""
ERASURE_EVENT: Final = PersonalDataErased.event_type
_PAGE: Final = 1000


class MissingPersonKey(RuntimeError):
    """A context without the deployment's person-id key cannot find or mint anyone (fail closed)."""


@dataclass(frozen=True)
class PersonIdKey:
    """The deployment secret behind person ids and the citizen index (`PARTYLEDGER_PERSON_ID_KEY`)."""

    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.secret) < KEY_MINIMUM:
            raise ValueError(f"a person-id key holds at least {KEY_MINIMUM} bytes")

    @classmethod
    def from_text(cls, text: str) -> PersonIdKey:
        return cls(text.encode("utf-8"))

    def _mac(self, purpose: bytes, citizen: CitizenId) -> str:
        return hmac.new(self.secret, purpose + b"\x00" + citizen.value.encode("ascii"), hashlib.sha256).hexdigest()

    def index_digest(self, citizen: CitizenId) -> str:
        """The index's key for a number (a different purpose from the id, so neither gives the other)."""
        return self._mac(b"partyledger-citizen-index", citizen)

    def new_person_id(self, citizen: CitizenId, generation: int = 1) -> str:
        """The stream id of a person the log has never seen; a later `generation` when the person's earlier
        file was erased (R-PRIVACY-ERASE: a new file starts afresh, the erased stream stays closed)."""
        purpose = b"partyledger-person-id" if generation == 1 else b"partyledger-person-id:%d" % generation
        return "person-" + self._mac(purpose, citizen)[:32]


class CitizenIndex:
    """Keyed digest → person id, caught up from the log before each miss (streams and the log only grow, I1).

    Held per process (one per `CommandContext`), rebuilt from the log at the first lookup: a projection of
    the identity events that can never lag behind a decision, because a miss reads the log up to now first.
    The first stream to carry a number keeps it (one person, one stream).
    """

    def __init__(self, key: PersonIdKey | None) -> None:
        self._key = key
        self._ids: dict[str, str] = {}
        self._position = 0
        self._lock = Lock()

    @property
    def key(self) -> PersonIdKey:
        if self._key is None:
            raise MissingPersonKey("no person-id key was given to this process (PARTYLEDGER_PERSON_ID_KEY)")
        return self._key

    def person_id(self, store: EventStore, citizen_id: str) -> str:
        """The person's stream id: the one the log holds for this number, else a new keyed id.

        A malformed number raises the domain's `InvalidCommand` (field `citizen_id`) before any read.
        """
        citizen = parse_citizen_id(citizen_id)
        digest = self.key.index_digest(citizen)
        with self._lock:
            self._catch_up(store)  # also on a hit: another process may have erased the file since
            found = self._ids.get(digest)
        if found is not None:
            return found
        generation = 1
        while store.stream_version(minted := self.key.new_person_id(citizen, generation)) > 0:
            generation += 1  # that stream is an erased file of the same number: it stays closed
        return minted

    def person_ids(self, store: EventStore, citizens: Iterable[CitizenId]) -> dict[CitizenId, str]:
        """`person_id` of many well-formed numbers with one catch-up for all their misses: a bulk import's
        chunk of new people asked the log once per person before (a round trip each, for nothing new)."""
        key = self.key
        digests = {citizen: key.index_digest(citizen) for citizen in citizens}
        with self._lock:
            if any(digest not in self._ids for digest in digests.values()):
                self._catch_up(store)
            return {citizen: self._ids.get(digest) or key.new_person_id(citizen) for citizen, digest in digests.items()}

    def known(self, store: EventStore, citizen_id: str) -> str | None:
        """The stream the log holds for this number, or None: never a minted id."""
        citizen = parse_citizen_id(citizen_id)
        digest = self.key.index_digest(citizen)
        with self._lock:
            self._catch_up(store)
            return self._ids.get(digest)

    def _forget(self, stream_id: str) -> None:
        """An erased file is found by no number any more."""
        for digest in [d for d, s in self._ids.items() if s == stream_id]:
            del self._ids[digest]

    def _catch_up(self, store: EventStore) -> None:
        """Read the identity events after the last one seen. `read_history` returns only events no later
        commit can precede (I4), so the position is a sound checkpoint."""
        wanted = HistoryFilter(event_types=(*IDENTITY_EVENTS, ERASURE_EVENT))
        key = self.key
        while True:
            page = store.read_history(wanted, after_position=self._position, limit=_PAGE)
            store.cipher.prefetch(page)
            for stored in page:
                if stored.event_type == ERASURE_EVENT:
                    self._forget(stored.stream_id)
                    self._position = stored.position
                    continue
                event = opened(store.cipher, stored)
                number = event.data.get("citizen_id")
                if isinstance(number, str) and number != ERASED_TEXT:  # an erased person is no longer found
                    self._ids.setdefault(key.index_digest(parse_citizen_id(number)), event.stream_id)
                self._position = event.position
            if len(page) < _PAGE:
                return
