"""Verify a large PostgreSQL log in several processes, each walking one range of positions (I7): how the
PostgreSQL adapter answers `EventStore.verify`.

A walk spends nearly all its time in Python (decoding each row's JSON, re-encoding it canonically, two
SHA-256) while the server prepares the next page (`read_ahead`), so a large log is cut into position
ranges walked in parallel, one process per CPU. A range cannot check the first event of each stream in it
(its predecessor lies in an earlier range) nor close a seal that spans ranges; each walk hands those back
(`RangeWalk`) and `verify_ranges` stitches them in position order. The answer is the same report, naming
the same first problem, as the sequential `verify_events` — tests hold the two together on tampered logs.

Every range is read below one horizon taken at the start, so all processes see the same log.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import msgspec
import psycopg
from psycopg.types.string import ByteaBinaryLoader

from .canonical import CANONICAL_ENCODER, ENVELOPE, ENVELOPE_ALSO, GENESIS_HASH, json_string, seal_digest
from .scan import read_ahead
from .store import Seal
from .verify import altered, chained_seals, link_problem, seal_mismatch, unfinished_seal
from .verify_report import Problem, VerifyReport

PARALLEL_FROM = 200_000
"""Below this many events one process is quicker than starting others (each costs ~0.3 s to import)."""

RANGE_SQL = (
    "SELECT position, stream_id, stream_version, unit_id, event_type, schema_version, data::text, metadata::text, "
    "occurred_on, (recorded_at AT TIME ZONE 'UTC')::text, prev_hash, hash, also_unit_id "
    "FROM event_log WHERE position > %s AND position <= %s ORDER BY position LIMIT %s"
)
"""JSON as text, decoded by msgspec in the loop (psycopg's per-value loader call cost as much as the
decoding); jsonb's own text is not canonical (keys ordered by length, with spaces), so data and metadata are
decoded and encoded again in canonical form, never hashed as sent. Every other text column arrives as the
server's UTF-8 bytes and goes into the envelope as it came (`range_pages`). The dates are not formatted by
`to_char` (a third of the server's work for the rows): `occurred_on` comes as PostgreSQL's binary date (days
since 2000-01-01), spelled once per distinct day here; `recorded_at` as `timestamp_out`'s ISO text in UTC,
which `_recorded` pads to the envelope's spelling."""

GENERIC_PLANS = "-c plan_cache_mode=force_generic_plan -c DateStyle=ISO"
"""The range query's plan is an index scan whatever the bounds; a custom plan on statistics not yet updated
after a bulk load (an import) sorted the whole range for each page (ten times slower). ISO dates: the
spelling `_recorded` expects of `recorded_at`."""


def processes_for(estimated_events: int) -> int:
    """One per CPU once the log has `PARALLEL_FROM` events, else this one; none besides this one inside a
    daemonic process (a Celery pool's), which may not fork."""
    if estimated_events < PARALLEL_FROM or multiprocessing.current_process().daemon:
        return 1
    return os.cpu_count() or 1


@dataclass
class RangeWalk:
    """What one range's walk found, and what its neighbours need to finish the checks it could not make."""

    positions: array[int] = field(default_factory=lambda: array("q"))
    firsts: dict[str, tuple[int, int, bytes]] = field(default_factory=dict)
    """stream → (position, version, prev_hash) of its first event in the range: checked against earlier ranges."""
    lasts: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    """stream → (version, hash) of its last event in the range: the head later ranges chain onto."""
    seal_hashes: dict[int, bytearray] = field(default_factory=dict)
    """seal index → the event hashes of this range that the seal binds, in position order."""
    problem: Problem | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """How a walk travels back from its process: the per-stream maps as parallel columns (pickling maps of
        tuples, one entry per stream in the range, cost the city's verify a second per range each way)."""
        firsts, lasts = self.firsts.values(), self.lasts.values()
        return (
            _unpacked,
            (
                self.positions, self.seal_hashes, self.problem,
                list(self.firsts), array("q", (f[0] for f in firsts)), array("q", (f[1] for f in firsts)),
                [f[2] for f in firsts], list(self.lasts), array("q", (last[0] for last in lasts)),
                [last[1] for last in lasts],
            ),
        )  # fmt: skip


def _unpacked(
    positions: array[int],
    seal_hashes: dict[int, bytearray],
    problem: Problem | None,
    first_streams: list[str],
    first_positions: array[int],
    first_versions: array[int],
    first_prevs: list[bytes],
    last_streams: list[str],
    last_versions: array[int],
    last_hashes: list[bytes],
) -> RangeWalk:
    firsts = dict(zip(first_streams, zip(first_positions, first_versions, first_prevs, strict=True), strict=True))
    lasts = dict(zip(last_streams, zip(last_versions, last_hashes, strict=True), strict=True))
    return RangeWalk(positions, firsts, lasts, seal_hashes, problem)


def walk_range(url: str, after: int, up_to: int, seal_ends: list[int], page: int = 10_000) -> RangeWalk:
    """Check every event with `after < position <= up_to`: links inside the range, every content hash."""
    walk = RangeWalk()
    heads: dict[bytes, tuple[int, bytes, bytes]] = {}
    firsts: dict[bytes, tuple[int, int, bytes]] = {}
    try:
        pages = read_ahead(lambda: range_pages(url, after, up_to, page))
        walk.problem = _walk(pages, walk, heads, firsts, seal_ends, after)
    finally:
        walk.firsts = {stream_id.decode(): first for stream_id, first in firsts.items()}
        walk.lasts = {stream_id.decode(): (version, hashed) for stream_id, (version, hashed, _) in heads.items()}
    return walk


def _walk(
    pages: Iterable[list[Any]],
    walk: RangeWalk,
    heads: dict[bytes, tuple[int, bytes, bytes]],
    firsts: dict[bytes, tuple[int, int, bytes]],
    seal_ends: list[int],
    after: int,
) -> Problem | None:
    """The hot loop of a verify (millions of rows), on the columns as the server sent them: text as UTF-8
    bytes, so ids, types and dates go into the envelope as they came (`json_string` quotes an id once per
    stream or value), and only data and metadata are decoded and encoded again in canonical form.

    `heads` holds each stream's (version, hash, id as a JSON string), `firsts` each stream's first event in
    the range; the first problem is returned, and the walk stops there."""
    positions = walk.positions
    quoted, days = _JsonStrings(), _Days()
    encode, decode, sha256 = CANONICAL_ENCODER.encode, msgspec.json.Decoder().decode, hashlib.sha256
    plain, also_unit, padded = ENVELOPE, ENVELOPE_ALSO, _PADDED.get
    seal = bisect_left(seal_ends, after + 1)
    seal_end, sealed = _seal_piece(walk, seal_ends, seal)
    for rows in pages:
        for position, stream_id, version, unit_id, kind, schema, data, meta, on, at, prev, hashed, also in rows:
            head = heads.get(stream_id)
            if head is None:
                firsts[stream_id] = (position, version, prev)
                name = json_string(stream_id)
            elif version != head[0] + 1 or prev != head[1]:
                return link_problem(position, stream_id.decode(), version, prev, head[0], head[1])
            else:
                name = head[2]
            recorded = at.replace(b" ", b"T", 1) + padded(len(at), b"?")  # see _PADDED
            parts = (
                encode(decode(data)), quoted[kind], encode(decode(meta)), days[on], recorded, schema, name, version,
                quoted[unit_id],
            )  # fmt: skip
            envelope = plain % parts if also is None else also_unit % (quoted[also], *parts)
            if sha256(prev + sha256(envelope).digest()).digest() != hashed:
                return altered(position, stream_id.decode(), version)
            heads[stream_id] = (version, hashed, name)
            positions.append(position)
            while position > seal_end:
                seal += 1
                seal_end, sealed = _seal_piece(walk, seal_ends, seal)
            sealed.extend(hashed)
    return None


class _JsonStrings(dict[bytes, bytes]):
    """Each unit id and event type as a JSON string, quoted the first time it is met."""

    def __missing__(self, text: bytes) -> bytes:
        self[text] = quoted = json_string(text)
        return quoted


class _Days(dict[bytes, bytes]):
    """Each `occurred_on` as PostgreSQL sends a date in binary (days since 2000-01-01, 4 bytes big-endian),
    spelled as the envelope spells it (`date.isoformat`) the first time it is met."""

    def __missing__(self, raw: bytes) -> bytes:
        try:
            spelled = (_PG_EPOCH + timedelta(days=int.from_bytes(raw, "big", signed=True))).isoformat().encode()
        except OverflowError:  # ±infinity, or beyond Python's years: no event was ever hashed with it
            spelled = b"?" + raw.hex().encode()
        self[raw] = spelled
        return spelled


_PG_EPOCH = date(2000, 1, 1)
_PADDED = {19: b".000000Z", **{length: b"0" * (26 - length) + b"Z" for length in range(21, 27)}}
"""What `timestamp_out` (ISO) leaves off the envelope's `YYYY-MM-DDTHH:MM:SS.ffffffZ`, by the text's length: it
writes no fraction for a whole second and drops a fraction's trailing zeros. Any other length (infinity, BC,
years past 9999) was never an event's clock: it gets `?`, which no hash was computed over."""


def range_pages(url: str, after: int, up_to: int, page: int) -> Iterator[list[Any]]:
    """The rows of `after < position <= up_to`, a page at a time, on a connection of their own; text
    columns as the UTF-8 bytes the server sent and dates as their binary form (psycopg's C loader for bytea:
    no decoding to `str` or `date`)."""
    with psycopg.connect(url, autocommit=True, prepare_threshold=0, options=GENERIC_PLANS) as connection:
        cursor = connection.cursor(binary=True)
        cursor.adapters.register_loader("text", ByteaBinaryLoader)
        cursor.adapters.register_loader("date", ByteaBinaryLoader)
        while rows := cursor.execute(RANGE_SQL, (after, up_to, page)).fetchall():
            yield rows
            after = rows[-1][0]


def _seal_piece(walk: RangeWalk, seal_ends: list[int], seal: int) -> tuple[float, bytearray]:
    """The last position seal number `seal` binds, and where to gather this range's hashes for it
    (after the last seal: nowhere kept, and no end)."""
    if seal >= len(seal_ends):
        return float("inf"), bytearray()
    return seal_ends[seal], walk.seal_hashes.setdefault(seal, bytearray())


def verify_ranges(url: str, seals: list[Seal], processes: int, *, executor: Executor | None = None) -> VerifyReport:
    """The whole log below the horizon, walked in `processes` ranges of about as many events each: the first
    by this process, the others by new processes (or by `executor`: the walks and their stitching do not
    depend on what runs them)."""
    report = VerifyReport()
    chained = chained_seals(seals, report)
    if report.problem:
        return report
    bounds = split(url, processes)
    ends = [seal.up_to_position for seal in chained]
    if len(bounds) == 2 and executor is None:
        return _stitched([walk_range(url, bounds[0], bounds[1], ends)], chained, report)
    # spawn: never fork a process whose connection pool runs threads
    with executor or ProcessPoolExecutor(len(bounds) - 2, mp_context=multiprocessing.get_context("spawn")) as pool:
        started = [pool.submit(walk_range, url, after, up_to, ends) for after, up_to in pairwise(bounds[1:])]
        first = walk_range(url, bounds[0], bounds[1], ends)  # here, while the others start: one import fewer
        walks = [first, *(future.result() for future in started)]
    return _stitched(walks, chained, report)


def split(url: str, parts: int) -> list[int]:
    """Range bounds with about as many events in each range, all below one horizon.

    The horizon is read first and then passed as a value, so the highest position is one index probe. The
    inner bounds of a large log are percentiles of a block sample of about `SAMPLE_ROWS` rows (every row
    equally likely to be drawn): sorting every position of the city's 5.9 million rows took seconds of the
    verify's time, for bounds a percent or so more even."""
    with psycopg.connect(url, autocommit=True) as connection:
        horizon = _one(connection, "SELECT partyledger_horizon()", ())
        highest = int(
            _one(connection, "SELECT coalesce(max(position), 0) FROM event_log WHERE position < %s", (horizon,))
        )
        fractions = [n / parts for n in range(1, parts)]
        inner: list[Any] = []
        if fractions:
            estimated = _one(connection, "SELECT reltuples::bigint FROM pg_class WHERE oid = 'event_log'::regclass", ())
            if estimated >= 2 * SAMPLE_ROWS:
                inner = (
                    _one(
                        connection,
                        PERCENTILES.format(f"TABLESAMPLE SYSTEM ({100 * SAMPLE_ROWS / estimated:f})"),
                        (fractions, horizon),
                    )
                    or []
                )
            if len([p for p in inner if p is not None]) < len(fractions):  # a small log, or an unlucky sample
                inner = _one(connection, PERCENTILES.format(""), (fractions, horizon)) or []
    bounds = sorted({0, *(int(p) for p in inner if p is not None and p < highest), highest})
    return bounds if len(bounds) > 1 else [0, 0]  # an empty log: one empty range


SAMPLE_ROWS = 100_000
PERCENTILES = (
    "SELECT percentile_disc(%s::float8[]) WITHIN GROUP (ORDER BY position) FROM event_log {} WHERE position < %s"
)


def _one(connection: psycopg.Connection[Any], sql: str, values: tuple[Any, ...]) -> Any:
    row = connection.execute(sql, values).fetchone()
    assert row is not None
    return row[0]


def _stitched(walks: list[RangeWalk], seals: list[Seal], report: VerifyReport) -> VerifyReport:
    """Chain each range onto the ones before it, then close the seals, as the sequential walk would have
    met them: a seal closes at the first event at or after its position, and a row's own problem wins."""
    problems = []
    heads: dict[str, tuple[int, bytes]] = {}
    for walk in walks:
        for stream_id, (position, version, prev) in walk.firsts.items():
            head_version, head_hash = heads.get(stream_id, (0, GENESIS_HASH))
            if problem := link_problem(position, stream_id, version, prev, head_version, head_hash):
                problems.append(problem)
        heads.update(walk.lasts)
    problems += [walk.problem for walk in walks if walk.problem]  # after: a row's link is checked before its content
    first = min(problems, key=lambda p: p.position, default=None)
    checked = array("q")
    for walk in walks:
        checked.extend(walk.positions[: _below(walk.positions, first)])
    problem, stop = first, first.position if first else None
    previous = GENESIS_HASH
    for index, seal in enumerate(seals):
        closing = bisect_left(checked, seal.up_to_position)
        if closing == len(checked):  # no event checked at or after its position
            problem = problem or unfinished_seal(seal, checked[-1] if checked else 0)
            break
        digest = seal_digest(previous, seal.up_to_position)
        for walk in walks:
            digest.update(walk.seal_hashes.get(index, b""))
        report.seals_checked += 1
        if digest.digest() != seal.seal_hash:
            problem, stop = seal_mismatch(seal), checked[closing]  # the walk stops at the event closing it
            break
        previous = seal.seal_hash
    counted = checked if stop is None else checked[: bisect_left(checked, stop)]
    report.events_checked = len(counted)
    report.head_position = counted[-1] if counted else 0
    report.streams = len({s for w in walks for s, (p, _, _) in w.firsts.items() if stop is None or p < stop})
    report.problem = problem
    return report


def _below(positions: array[int], problem: Problem | None) -> int:
    """How many of a range's checked events lie before the first problem (the sequential walk stops there)."""
    return len(positions) if problem is None else bisect_left(positions, problem.position)
