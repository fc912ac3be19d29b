"""Append throughput of the PostgreSQL event store against raw single-row INSERTs on the same server.

    .venv/bin/python -m bench.append --events 20000

Creates a scratch database on the server named by --url (default: $PARTYLEDGER_BENCH_POSTGRES_URL, else the
local server), runs 1 and 8 concurrent writers, one event per transaction, for both the store and a plain
table, prints both rates and their ratio, and drops the scratch database.

The event carries a name and a note, both personal (`domain/privacy.py`): with `--keys` (the default) the store
seals them under the stream's subject key before hashing (AES-256-GCM, issue 20); `--no-keys` writes them in the
clear, as the code before encryption did (`bench/keys.py` says how to run both in the same minutes).

Writers are threads of one process for both paths (the same harness), so the figures include the client's
Python cost per append, which is what the eight-writer figure is bound by on two cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Annotated, ClassVar

import psycopg
from psycopg.types.json import Jsonb

from bench.keys import add_keys_option, keyring, sealed_share
from domain.codec import EventCodec
from domain.privacy import NotPersonal, Personal
from eventstore import EventMetadata, NewEvent
from eventstore.postgres import PostgresEventStore, postgres_pool

BENCH_CODEC = EventCodec()


@BENCH_CODEC.register
@dataclass(frozen=True)
class BenchmarkNoted:
    event_type: ClassVar[str] = "BenchmarkNoted"
    schema_version: ClassVar[int] = 1
    full_name: Annotated[str, Personal.NAME]
    text: Annotated[str, Personal.NOTE]
    number: Annotated[int, NotPersonal.AGGREGATE]


PAYLOAD = {"full_name": "Nguyễn Văn An", "text": "Nguyễn Văn An được kết nạp vào Đảng", "number": 1}
METADATA = EventMetadata("bench", "unit-bench", "cell_secretary", "qd24-2021", "bench")


@contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    name = f"partyledger_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def run_writers(writers: int, total: int, work: Callable[[int, int], None]) -> float:
    """Run `work(writer, count)` in threads that start together; return events per second."""
    per_writer = total // writers
    threads = [threading.Thread(target=work, args=(w, per_writer)) for w in range(writers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return per_writer * writers / (time.perf_counter() - started)


def store_rate(url: str, writers: int, total: int, keys: bool = False) -> float:
    pool = postgres_pool(url, size=writers, min_size=writers)
    pool.wait()  # every connection open before the clock starts, as in a warmed-up server
    store = PostgresEventStore(pool, codec=BENCH_CODEC)
    ring = keyring(keys)
    if ring is not None:  # as `open_store(url, keyring=…)` does, on this bench's own codec
        from eventstore.field_cipher import FieldCipher
        from eventstore.subject_keys import SqlKeyTable, SubjectKeys

        table = SqlKeyTable.for_log(url)
        table.create()
        cipher = store.cipher = FieldCipher(SubjectKeys(table, ring), BENCH_CODEC)
    event = NewEvent("BenchmarkNoted", PAYLOAD, date(2025, 3, 1), "unit-bench", METADATA)
    run = uuid.uuid4().hex[:8]
    if ring is not None:  # the writers' subjects and the key table's connections made before the clock, like the pool's
        cipher.keys.for_writing([cipher.keys.key_id(f"bench-{run}-{writer}") for writer in range(writers)])

    def work(writer: int, count: int) -> None:
        stream = f"bench-{run}-{writer}"  # one data subject per writer
        for version in range(count):
            store.append(stream, [event], expected_version=version)

    try:
        return run_writers(writers, total, work)
    finally:
        store.close()


def raw_rate(url: str, writers: int, total: int) -> float:
    def work(_writer: int, count: int) -> None:
        with psycopg.connect(url, autocommit=True) as connection:
            for _ in range(count):
                connection.execute("INSERT INTO raw_events (data) VALUES (%s)", (Jsonb(PAYLOAD),))

    return run_writers(writers, total, work)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--url",
        default=os.environ.get("PARTYLEDGER_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--events", type=int, default=6_000, help="events per round and path")
    parser.add_argument("--rounds", type=int, default=3, help="alternating raw/store rounds; medians are shown")
    parser.add_argument(
        "--async-commit",
        action="store_true",
        help="diagnostic: synchronous_commit off for both paths, to compare their CPU cost on a busy shared disk",
    )
    add_keys_option(parser)
    args = parser.parse_args()
    print(f"{'writers':>7} {'store ev/s':>11} {'raw ev/s':>10} {'ratio':>6} {'target':>6}")
    with scratch_database(args.url) as url:
        PostgresEventStore(postgres_pool(url), codec=BENCH_CODEC).create_schema()
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("CREATE TABLE raw_events (id bigserial PRIMARY KEY, data jsonb NOT NULL)")
            if args.async_commit:  # every later connection to the scratch database, store and raw alike
                connection.execute(f'ALTER DATABASE "{url.rsplit("/", 1)[1]}" SET synchronous_commit = off')
        for writers, target in ((1, 0.6), (8, 0.5)):
            raw_rate(url, writers, args.events // 10)  # warm up: connections, prepared statements, caches
            store_rate(url, writers, args.events // 10, args.keys)
            raws, stores = [], []
            for _ in range(args.rounds):  # alternate, so drift in the machine's disk hits both paths alike
                raws.append(raw_rate(url, writers, args.events))
                stores.append(store_rate(url, writers, args.events, args.keys))
            raw, store = statistics.median(raws), statistics.median(stores)
            print(f"{writers:>7} {store:>11.0f} {raw:>10.0f} {store / raw:>6.2f} {target:>6.2f}", flush=True)
        print(f"keys {'on' if args.keys else 'off'}: {sealed_share(url)}")


if __name__ == "__main__":
    main()
