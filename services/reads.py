"""The read side's two shared steps, used alike by the JSON API and the web pages: which units an answer may
cover (the walls, I8) and one snapshot per answer (rows and their checkpoint position agree)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from itertools import repeat
from threading import Lock
from typing import Any, Final, TypeVar

import sqlalchemy as sa

from domain.privacy import Kind, classify
from domain.units.tree import UnitTree
from eventstore import EventStore
from projections import queries
from projections.files import FileRow
from projections.member_roll import MemberRow
from projections.queries.files import FileEntry
from projections.queries.member_roll import MemberEntry
from services.commands.actors import Actor, Role
from services.commands.walls import NotFound, WallDenied, today

T = TypeVar("T")
FEW_UNITS = 16
"""Up to this many units an answer asks the log for each unit's head; more, it reads every unit's at once."""
FIRST_EVENTS = 8
"""How many behind units are asked for their first pending event (its time); the rest are judged together."""
TAIL_LIMIT: Final = 5_000
"""At most this many new events top a process's unit heads up; more (an import, a long pause) and it asks the
log for every unit's head again."""


class UnitHeads:
    """Every unit's head in the log, kept by an API process and topped up from the events after the last one
    it saw, so that an answer about thousands of units does not ask the log for each one's head.

    `lag_of` asked for every unit's head (a skip scan of the log's unit index: seconds for the city's 30,000
    units) twice a page, and again every 50 ms while a `min_position` waited. Sound because the log only
    grows below the readers' horizon (I1, I4): once the heads hold every event up to `EventPage.reached`, the
    events read after it are all that can move them. Before the first answer about more than `FEW_UNITS`
    units (or `warm`, at the process's start), a few units are asked for one by one as before."""

    def __init__(self, store: EventStore, tail_limit: int = TAIL_LIMIT) -> None:
        self._store, self._tail_limit = store, tail_limit
        self._heads: dict[str, int] | None = None
        self._reached = 0
        self._lock = Lock()
        self.positions = UnitPositions()

    def warm(self) -> None:
        with self._lock:
            if self._heads is None:
                self._load()

    def of(self, units: Sequence[str]) -> dict[str, int]:
        with self._lock:
            if self._heads is None:
                if len(units) <= FEW_UNITS:
                    return {unit: self._store.unit_head(unit) for unit in units}
                self._load()
            else:
                self._top_up()
            heads = self._heads or {}
            return dict(zip(units, map(heads.get, units, repeat(0)), strict=True))

    def _load(self) -> None:
        reached = self._store.head_position()  # every event up to here is in the heads read next
        self._heads = self._store.unit_heads()
        self._reached = reached

    def _top_up(self) -> None:
        page = self._store.read_all(after_position=self._reached, limit=self._tail_limit)
        if len(page.events) >= self._tail_limit:
            self._load()
            return
        heads = self._heads if self._heads is not None else {}
        for event in page.events:
            heads[event.unit_id] = max(heads.get(event.unit_id, 0), event.position)
            if event.also_unit_id:
                heads[event.also_unit_id] = max(heads.get(event.also_unit_id, 0), event.position)
        self._reached = max(self._reached, page.reached)


POSITIONS_KEPT_SECONDS: Final = 60.0
"""How long a process trusts the checkpoints it has read (`UnitPositions`) before reading them all again."""


class UnitPositions:
    """Each unit's lowest checkpoint as this process last read it, read again only for a unit whose head in the
    log has passed it: the units behind are found without asking for every unit's checkpoints.

    The city's pages asked for 30,000 units' checkpoints of every read model twice a page (`lag_of`). A
    checkpoint only moves forward while the active versions stay (a switch empties this), so a unit whose
    head is at or below the position read is caught up; one whose head moved is read again. A rebuild's swap
    may set a checkpoint back for a moment; nothing read is trusted longer than `POSITIONS_KEPT_SECONDS`."""

    def __init__(self, kept_seconds: float = POSITIONS_KEPT_SECONDS) -> None:
        self._reached: dict[str, int] = {}
        self._versions: list[tuple[str, int]] | None = None
        self._read_at = 0.0
        self._kept_seconds = kept_seconds
        self._lock = Lock()

    def behind(self, connection: sa.Connection, heads: Mapping[str, int]) -> dict[str, int]:
        """The units whose head is above their lowest checkpoint, with that checkpoint."""
        versions = queries.active_pairs(connection)
        with self._lock:
            if versions != self._versions or time.monotonic() - self._read_at > self._kept_seconds:
                self._reached, self._versions, self._read_at = {}, versions, time.monotonic()
            stale = [unit for unit, head in heads.items() if head > self._reached.get(unit, 0)]
        if not stale:
            return {}
        found = queries.units_behind(connection, {unit: heads[unit] for unit in stale})
        with self._lock:
            if self._versions == versions:
                for unit in stale:
                    self._reached[unit] = max(self._reached.get(unit, 0), found.get(unit, heads[unit]))
        return found


@dataclass(frozen=True)
class Lag:
    """What an answer about some units is missing of their own events (I10).

    `caught_up`: every unit has applied every event of its own up to the log's head, and `min_position` when
    one was given (a position that concerns none of the units is already reflected). `behind_since`: when the
    oldest event the answer is missing was recorded; None when caught up. Events of other units never make
    an answer stale: an idle unit whose read models hold all its events is caught up however far the head
    has moved."""

    caught_up: bool
    behind_since: datetime | None
    head: int
    reflects_min_position: bool


def lag_of(
    engine: sa.Engine, store: EventStore, units: Sequence[str], min_position: int = 0, heads_of: UnitHeads | None = None
) -> Lag:
    """The lag of an answer covering `units`: their checkpoints against their own heads in the log (kept by
    `heads_of`, the process's, when given)."""
    head = store.head_position()
    if not units:
        return Lag(min_position <= head, None, head, min_position <= head)
    if heads_of is not None:
        heads = heads_of.of(units)
        with engine.connect() as connection:
            reached = heads_of.positions.behind(connection, heads)
    else:
        if len(units) <= FEW_UNITS:
            heads = {unit: store.unit_head(unit) for unit in units}
        else:
            every = store.unit_heads()
            heads = {unit: every.get(unit, 0) for unit in units}
        with engine.connect() as connection:
            reached = queries.units_behind(connection, heads)
    behind = sorted(reached, key=lambda u: (reached[u], u))
    oldest: datetime | None = None
    waiting = min_position > head  # a position the log has not reached is reflected by nobody yet
    for unit in behind[:FIRST_EVENTS]:
        page = store.read_unit(unit, after_position=reached[unit], limit=1)
        if page.events:
            first = page.events[0]
            oldest = first.recorded_at if oldest is None else min(oldest, first.recorded_at)
            waiting = waiting or first.position <= min_position
    if len(behind) > FIRST_EVENTS:
        rest = min(reached[u] for u in behind[FIRST_EVENTS:])
        page_all = store.read_all(after_position=rest, limit=1)
        if page_all.events:
            first_any = page_all.events[0]
            oldest = first_any.recorded_at if oldest is None else min(oldest, first_any.recorded_at)
        waiting = waiting or rest < min_position
    return Lag(not behind and not waiting, oldest, head, not waiting)


def units_in_view(tree: UnitTree, actor: Actor, unit_id: str, on: date | None = None) -> list[str]:
    """The units an answer about `unit_id` covers, as the tree stood on `on` (default today).

    I8: authority is judged on today's tree and the caller's unit as it is today, whatever `on` says. A past
    date only chooses which of the units the caller may see today the answer is computed from: a unit that
    has since left the caller's subtree is not in it, and a unit that is not the caller's today is refused
    exactly like one that never was.
    """
    now = today()
    visible = caller_units(tree, actor, now)
    if unit_id not in visible:
        raise WallDenied(f"{unit_id[:80]} is not within {actor.unit_id} today")
    if on is None or on == now:
        return queries.subtree_units(tree, unit_id, now)
    if tree.state_on(unit_id, on) is None:
        raise NotFound(f"{unit_id[:80]} did not exist on {on.isoformat()}")  # as a unit that never was
    return [u for u in queries.subtree_units(tree, unit_id, on) if u in visible]


def caller_units(tree: UnitTree, actor: Actor, now: date) -> frozenset[str]:
    """Every unit the caller may see today: its unit, the units below it, and units reorganised into them.
    An assignment at a unit that has ceased (merged, dissolved) sees nothing: it fails closed."""
    if tree.live_on(actor.unit_id, now) is None:
        return frozenset()
    return frozenset(queries.subtree_units(tree, actor.unit_id, now))


def read_snapshot(
    engine: sa.Engine, query: Callable[..., T], *args: Any, reader: Actor, **kwargs: Any
) -> Callable[[], T]:
    """One snapshot per answer: rows and the checkpoint position they are reported with must agree, or a
    worker committing between the two reads makes a stale answer claim a fresh position (seen in a test).
    SQLite's read transaction is already a snapshot (the engine begins IMMEDIATE).

    Every answer goes to `reader` as their role may see it (`as_reader_may_see`): the one place the API and
    the web pages withhold a named person's sensitive fields."""

    def run() -> T:
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execution_options(isolation_level="REPEATABLE READ")
            return as_reader_may_see(reader, query(connection, *args, **kwargs))

    return run


SENSITIVE_READERS: Final = frozenset({Role.CELL_SECRETARY, Role.GRASSROOTS_OFFICER, Role.PROVINCIAL_ADMIN})
"""Roles that record particulars (`updateParticulars`) and so read a named person's ethnicity and religion
(DOMAIN §4b: access rules for sensitive data; issue 20 item 5). Upper officers, auditors and viewers see the
counts by ethnicity and religion (HD 11), never a named person's."""

WITHHELD_KINDS: Final = frozenset({Kind.ETHNICITY, Kind.RELIGION})
"""The sensitive kinds withheld from the other roles. Party standing (stage, status, ratings) is sensitive
too, but it is what every list is about: a role that may see the list at all sees it."""

PERSON_ENTRIES: Final[dict[type, type]] = {FileEntry: FileRow, MemberEntry: MemberRow}
"""Each answer entry about a named person and the read-model row it is read from, whose fields carry their
privacy class (`domain/privacy.py`): the withheld fields are read from those declarations."""


def may_read_sensitive(actor: Actor) -> bool:
    return actor.role in SENSITIVE_READERS


@cache
def withheld_fields(entry: type) -> frozenset[str]:
    """The fields of an entry about a named person whose row declares them ethnicity or religion."""
    row = PERSON_ENTRIES.get(entry)
    if row is None:
        return frozenset()
    own = {f.name for f in dataclasses.fields(entry)}
    return frozenset(
        f.name for f in classify(row) if f.privacy is not None and f.privacy.kind in WITHHELD_KINDS and f.name in own
    )


def as_reader_may_see(reader: Actor, answer: T) -> T:
    """The answer with every named person's ethnicity and religion set to None for a role that may not read
    them (`SENSITIVE_READERS`); aggregates (counts by ethnicity) are not about a named person and stay."""
    if may_read_sensitive(reader):
        return answer
    withheld: T = _withhold(answer)
    return withheld


def _withhold(value: Any) -> Any:
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        items = tuple(_withhold(v) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes: dict[str, Any] = dict.fromkeys(withheld_fields(type(value)))
    for field in dataclasses.fields(value):
        inner = getattr(value, field.name)
        if isinstance(inner, tuple) or dataclasses.is_dataclass(inner):
            seen = _withhold(inner)
            if seen is not inner:
                changes[field.name] = seen
    return dataclasses.replace(value, **changes) if changes else value
