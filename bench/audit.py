"""Audit figures on PostgreSQL: verify throughput and an "as of" grassroots dashboard on a 1,000,000-event log.

    .venv/bin/python -m bench.audit [--grassroots 400] [--cells 5] [--rounds 3] [--processes N]

1. Generates the log fast: two journeys are decided once through the domain (a candidate admitted and
   recognised, 16 events; a member enrolled from the roll and screened yearly, 5 events), then copied to
   every person of every cell with shifted dates, hashed by the store's own hash code and written with the
   restore path (`eventstore.restore`, the import's writer). One admission decision in ten is entered four
   months late, so the two clocks differ. Then one seal over everything.
2. Verify: `verify_store` over the whole log (every content hash, chain and the seal); events/s with one
   process and with one per CPU (ranges of positions walked in parallel), each beside a raw read of the
   same rows by as many processes, fetched and decoded by psycopg and nothing checked (the baseline).
3. As of: one grassroots committee's dashboard (its subtree) on 31/12/2022 on each clock, replayed from its
   events with the projections' own code; the median and worst of several runs, the garbage collector set
   as in the API's processes.

With `--keys` (the default) every generated event is sealed as the keyed store seals an append (each person's
personal fields under their own key, AES-256-GCM, issue 20) before it is hashed, so verify walks sealed rows
and "as of" opens them; `--no-keys` writes them in the clear, as the code before encryption did
(`bench/keys.py`).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

import msgspec
import psycopg
from psycopg.types.json import set_json_loads

from bench.append import scratch_database
from bench.keys import add_keys_option, keyring, open_bench_store, sealed_share
from domain.codec import EVENTS
from domain.particulars import Sex
from domain.person import member_commands as mc
from domain.rules.removal import ScreeningOutcome
from domain.units.events import UnitRegistered
from domain.units.kinds import UnitKind
from eventstore import RecordedEvent, verify_store
from eventstore.canonical import GENESIS_HASH, canonical_json, chain_hash, envelope_digest, format_recorded_at
from eventstore.postgres import PostgresEventStore
from eventstore.restore import restore
from eventstore.verify_ranges import GENERIC_PLANS, split
from services.audit.asof import dashboard_as_of
from services.audit.clocks import Clock, Cut
from services.collector import collect_garbage_rarely, freeze_what_started
from services.commands.tree_log import UNIT_TREE_STREAM
from tests.support.appending import envelope
from tests.unit.projections.people import Ledger, Person

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
TEMPLATE_CELL = "cell-template"
ADMITTED_PER_CELL, ENROLLED_PER_CELL = 25, 20
ON = date(2022, 12, 31)


@dataclass(frozen=True)
class Step:
    """One event of a template journey: its offset in days from the journey's start, and its encoded body."""

    days: int
    event_type: str
    schema_version: int
    data_json: bytes
    metadata_json: bytes


def journeys() -> tuple[list[Step], list[Step]]:
    """An admitted-and-recognised candidate and an enrolled, screened member, decided by the domain."""
    ledger = Ledger()
    start = date(2020, 1, 6)
    candidate = Person(ledger, 1, "Lê Văn Hùng", Sex.MALE, date(1990, 2, 14), TEMPLATE_CELL)
    candidate.to_ceremony(start)
    candidate.recognise(start + timedelta(days=480), start + timedelta(days=495), start + timedelta(days=505))
    member = Person(ledger, 2, "Phạm Thị Hoa", Sex.FEMALE, date(1980, 9, 2), TEMPLATE_CELL)
    member.run(
        mc.EnrollMember(
            **member.at(start),
            citizen_id=member.citizen_id,
            particulars=member.particulars,
            cell_id=TEMPLATE_CELL,
            admitted_on=date(2005, 5, 19),
            ceremony_on=date(2005, 6, 1),
            official_from=date(2006, 6, 1),
            roll_ref="Sổ đảng viên",
        )
    )
    for year in range(2020, 2024):
        outcome = mc.RecordScreeningOutcome(**member.at(date(year, 12, 28)), year=year, outcome=ScreeningOutcome.KEEP)
        member.run(outcome)
    return _steps(ledger, candidate.stream_id, start), _steps(ledger, member.stream_id, start)


def _steps(ledger: Ledger, stream_id: str, start: date) -> list[Step]:
    steps = []
    for item in ledger.log:
        if item.envelope.stream_id != stream_id:
            continue
        new = envelope(item.event, TEMPLATE_CELL, item.envelope.occurred_on)
        metadata = new.metadata.as_json(None)
        steps.append(
            Step(
                (item.envelope.occurred_on - start).days,
                new.event_type,
                new.schema_version or 1,
                canonical_json(new.data),
                canonical_json(metadata),
            )
        )
    return steps


def unit_ids(grassroots: int, cells: int) -> tuple[list[tuple[str, UnitKind, str | None]], list[str]]:
    """Province → 10 upper committees → grassroots committees → cells; returns (registrations, cells)."""
    units: list[tuple[str, UnitKind, str | None]] = [("unit-p", UnitKind.PROVINCIAL_COMMITTEE, None)]
    units += [(f"unit-u{u}", UnitKind.UPPER_COMMITTEE, "unit-p") for u in range(10)]
    all_cells = []
    for g in range(grassroots):
        units.append((f"unit-g{g}", UnitKind.GRASSROOTS_COMMITTEE, f"unit-u{g % 10}"))
        for c in range(cells):
            all_cells.append(f"unit-g{g}-c{c}")
            units.append((all_cells[-1], UnitKind.CELL, f"unit-g{g}"))
    return units, all_cells


class Sealer:
    """Seals an event's personal fields as the keyed store's append does (`FieldCipher.seal`), or passes it
    through (`--no-keys`). Its keys are made a few thousand subjects at a time, ahead of their events, and
    kept for the whole generation (the store's own cache keeps them a minute)."""

    def __init__(self, url: str, keys: bool) -> None:
        ring = keyring(keys)
        self.cipher: Any = None
        if ring is not None:
            from eventstore.field_cipher import FieldCipher
            from eventstore.subject_keys import SqlKeyTable, SubjectKeys

            table = SqlKeyTable.for_log(url)
            table.create()
            self.cipher = FieldCipher(SubjectKeys(table, ring, cache_seconds=24 * 3600), EVENTS)

    def make_keys(self, streams: list[tuple[str, list[tuple[str, dict[str, Any]]]]]) -> None:
        """Every subject key of these (stream, its (type, data) events) made in a few statements."""
        if self.cipher is None:
            return
        handles = {h for stream_id, events in streams for h in self.cipher.handles_of(stream_id, events)}
        handles |= {stream_id for stream_id, _ in streams}  # the papers' references in the metadata
        self.cipher.keys.for_writing([self.cipher.keys.key_id(h) for h in handles])

    def seal(
        self, stream_id: str, version: int, event_type: str, data: dict[str, Any], metadata: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        if self.cipher is None:
            return data, metadata
        stored, stored_metadata = self.cipher.seal(stream_id, version, event_type, data, metadata)
        return stored, stored_metadata

    def close(self) -> None:
        if self.cipher is not None:
            self.cipher.keys.table.close()


def tree_events(units: list[tuple[str, UnitKind, str | None]], sealer: Sealer) -> Iterator[RecordedEvent]:
    recorded = datetime(2020, 1, 2, 2, tzinfo=UTC)
    prev = GENESIS_HASH
    for version, (unit_id, kind, parent) in enumerate(units, start=1):
        new = envelope(
            UnitRegistered(unit_id, unit_id.upper(), unit_id, kind, parent, False), unit_id, date(2020, 1, 1)
        )
        data, metadata = sealer.seal(
            UNIT_TREE_STREAM, version, new.event_type, dict(new.data), new.metadata.as_json(None)
        )
        digest = envelope_digest(
            canonical_json(data),
            canonical_json(metadata),
            stream_id=UNIT_TREE_STREAM,
            stream_version=version,
            unit_id=unit_id,
            event_type=new.event_type,
            schema_version=new.schema_version or 1,
            occurred_on=new.occurred_on,
            recorded_at=recorded,
        )
        hashed = chain_hash(prev, digest)
        yield RecordedEvent(
            version, UNIT_TREE_STREAM, version, unit_id, new.event_type, new.schema_version or 1, data, metadata,
            new.occurred_on, recorded, prev, hashed,
        )  # fmt: skip
        prev = hashed


def person_events(cells: list[str], first_position: int, sealer: Sealer) -> Iterator[RecordedEvent]:
    """Every person of every cell, in the order the ledger recorded them (stream order kept)."""
    admitted, enrolled = journeys()
    if sealer.cipher is not None:
        _make_person_keys(cells, admitted, enrolled, sealer)
    planned: list[tuple[datetime, int, int, int, int, date]] = []  # recorded, person, version, kind, cell, start
    person = 0
    for cell_index in range(len(cells)):
        for n in range(ADMITTED_PER_CELL + ENROLLED_PER_CELL):
            kind = 0 if n < ADMITTED_PER_CELL else 1
            start = date(2020, 1, 6) + timedelta(days=(person * 37) % 1000)
            late = kind == 0 and person % 10 == 0
            recorded = datetime(1900, 1, 1, tzinfo=UTC)
            for version, step in enumerate(admitted if kind == 0 else enrolled, start=1):
                on = start + timedelta(days=step.days)
                entered = on + timedelta(days=120 if late and step.event_type == "AdmissionDecided" else 2)
                recorded = max(datetime.combine(entered, clock_time(2), UTC), recorded + timedelta(minutes=1))
                planned.append((recorded, person, version, kind, cell_index, start))
            person += 1
    planned.sort()
    heads: dict[int, bytes] = {}
    for position, (recorded, who, version, kind, cell_index, start) in enumerate(planned, start=first_position):
        step = (admitted if kind == 0 else enrolled)[version - 1]
        cell = cells[cell_index].encode()
        data_json = step.data_json.replace(TEMPLATE_CELL.encode(), cell)
        metadata_json = step.metadata_json.replace(TEMPLATE_CELL.encode(), cell)
        stream_id, on = f"person-{who:032x}", start + timedelta(days=step.days)
        data: Any = None
        if sealer.cipher is not None:
            data, metadata = sealer.seal(
                stream_id, version, step.event_type, msgspec.json.decode(data_json), msgspec.json.decode(metadata_json)
            )
            data_json, metadata_json = canonical_json(data), canonical_json(metadata)
        digest = envelope_digest(
            data_json, metadata_json, stream_id=stream_id, stream_version=version, unit_id=cells[cell_index],
            event_type=step.event_type, schema_version=step.schema_version, occurred_on=on,
            recorded_at=format_recorded_at(recorded),
        )  # fmt: skip
        prev = heads.get(who, GENESIS_HASH)
        heads[who] = hashed = chain_hash(prev, digest)
        yield RecordedEvent(
            position, stream_id, version, cells[cell_index], step.event_type, step.schema_version,
            data if data is not None else msgspec.json.decode(data_json),
            metadata if data is not None else msgspec.json.decode(metadata_json),
            on, recorded, prev, hashed,
        )  # fmt: skip


def _make_person_keys(cells: list[str], admitted: list[Step], enrolled: list[Step], sealer: Sealer) -> None:
    """Every person's subject keys (theirs, and their relatives'), 2,000 people at a time."""
    person, chunk = 0, []
    for cell in cells:
        for n in range(ADMITTED_PER_CELL + ENROLLED_PER_CELL):
            steps = admitted if n < ADMITTED_PER_CELL else enrolled
            events = [
                (step.event_type, msgspec.json.decode(step.data_json.replace(TEMPLATE_CELL.encode(), cell.encode())))
                for step in steps
            ]
            chunk.append((f"person-{person:032x}", events))
            person += 1
            if len(chunk) == 2000:
                sealer.make_keys(chunk)
                chunk = []
    sealer.make_keys(chunk)


def generate(store: PostgresEventStore, url: str, grassroots: int, cells: int, keys: bool) -> int:
    units, all_cells = unit_ids(grassroots, cells)
    started = time.perf_counter()
    sealer = Sealer(url, keys)
    if sealer.cipher is not None:
        sealer.make_keys([(UNIT_TREE_STREAM, [])])

    def everything() -> Iterator[RecordedEvent]:
        yield from tree_events(units, sealer)
        yield from person_events(all_cells, len(units) + 1, sealer)

    written = restore(store, everything(), [], batch=5000, atomic=False)
    sealer.close()
    store.seal()
    with store.pool.connection() as connection:  # as autovacuum would soon after a bulk load
        connection.execute("ANALYZE event_log")
    print(f"generated {written:,} events in {time.perf_counter() - started:.0f} s (restore path, one seal)", flush=True)
    return written


RAW_SQL = (
    "SELECT position, stream_id, stream_version, unit_id, event_type, schema_version, data::text, metadata::text, "
    "to_char(occurred_on, 'YYYY-MM-DD'), to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
    "prev_hash, hash, also_unit_id FROM event_log WHERE position > %s AND position <= %s ORDER BY position LIMIT %s"
)
"""The rows verify reads, as its range query read them until 07/12/2026 (dates spelled by the server's
`to_char`): kept as they were so that the baseline, and every figure measured beside it before, stays the same
read while verify's own query changes."""


def raw_read(url: str, after: int, up_to: int) -> int:
    """The baseline: the rows verify reads, fetched and decoded by psycopg, nothing checked."""
    with psycopg.connect(url, autocommit=True, prepare_threshold=0, options=GENERIC_PLANS) as connection:
        cursor = connection.cursor(binary=True)
        set_json_loads(msgspec.json.decode, cursor)
        count = 0
        while rows := cursor.execute(RAW_SQL, (after, up_to, 10_000)).fetchall():
            count, after = count + len(rows), rows[-1][0]
        return count


def raw_rate(url: str, processes: int) -> float:
    """Events/s of `raw_read` over the whole log by `processes` processes on the ranges verify would use."""
    bounds = split(url, processes)
    started = time.perf_counter()
    with ProcessPoolExecutor(len(bounds) - 1, mp_context=multiprocessing.get_context("spawn")) as pool:
        count = sum(pool.map(raw_read, [url] * (len(bounds) - 1), bounds, bounds[1:]))
    return count / (time.perf_counter() - started)


def measure(url: str, rounds: int, processes: int, keys: bool, verify_only: bool = False) -> None:
    print(f"keys {'on' if keys else 'off'}: {sealed_share(url)}", flush=True)
    store = open_bench_store(url, keys)
    assert isinstance(store, PostgresEventStore)
    for jobs in sorted({1, processes}):
        rates, raws = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            report = verify_store(store, processes=jobs)
            rates.append(report.events_checked / (time.perf_counter() - started))
            assert report.ok, report.summary()
            raws.append(raw_rate(url, jobs))
        rate, raw = statistics.median(rates), statistics.median(raws)
        print(
            f"verify, {jobs} process{'es' if jobs > 1 else ''}: median {rate:,.0f} events/s, best {max(rates):,.0f} "
            f"(target ≥ 100,000); raw PostgreSQL read of the same rows by as many processes: {raw:,.0f} events/s "
            f"(verify/raw {rate / raw:.2f})",
            flush=True,
        )
    print(f"verify: {report.summary()}")
    if verify_only:
        store.close()
        return
    collect_garbage_rarely()  # as the API process that answers "as of" runs (services/collector.py)
    freeze_what_started()
    for clock in Clock:
        times: list[float] = []
        cpu_times: list[float] = []
        answer: Any = None
        for _ in range(max(7, rounds)):
            started, cpu = time.perf_counter(), time.process_time()
            answer = dashboard_as_of(store, "unit-g7", Cut(ON, clock), ON.year, "2020-2025")
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu) * 1000)
        print(
            f"as of {ON:%d/%m/%Y} ({clock}): unit-g7 over {len(answer.dashboard.units)} units, "
            f"{answer.events_replayed} events replayed, {len(answer.differences.entered_late)} entered late; "
            f"median {statistics.median(times):.0f} ms, worst {max(times):.0f} ms (target ≤ 200 ms); "
            f"CPU {statistics.median(cpu_times):.0f} ms"
        )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grassroots", type=int, default=400)
    parser.add_argument("--cells", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="verify's processes (one per CPU)")
    parser.add_argument("--url", help="Keep the log in this database (generated there when empty) and reuse it.")
    parser.add_argument("--verify-only", action="store_true", help='skip the "as of" figures')
    add_keys_option(parser)
    args = parser.parse_args()
    if args.url:
        store = open_bench_store(args.url, args.keys)
        assert isinstance(store, PostgresEventStore)
        if next(store.iter_raw(batch_size=1), None) is None:
            generate(store, args.url, args.grassroots, args.cells, args.keys)
        store.close()
        measure(args.url, args.rounds, args.processes, args.keys, args.verify_only)
        return
    with scratch_database(os.environ.get("PARTYLEDGER_BENCH_POSTGRES_URL", DEFAULT_PG)) as url:
        store = open_bench_store(url, args.keys)
        assert isinstance(store, PostgresEventStore)
        generate(store, url, args.grassroots, args.cells, args.keys)
        store.close()
        measure(url, args.rounds, args.processes, args.keys, args.verify_only)


if __name__ == "__main__":
    main()
