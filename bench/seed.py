"""How long the province generator takes, on SQLite and on PostgreSQL, through the domain's deciders.

    .venv/bin/python -m bench.seed --scale province            # both backends
    .venv/bin/python -m bench.seed --scale small --backend sqlite

SQLite writes into a scratch folder; PostgreSQL into a scratch database on --url (default:
$PARTYLEDGER_BENCH_POSTGRES_URL, else the local server), dropped afterwards. Both open the log as
`partyledger seed` does (not durable per commit: an interrupted seed is redone). Prints one line per backend
with the wall time, events/s and the generating process's own CPU time (the rest is the database and, on
a shared machine, waiting for a core).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import get_args

from bench.append import scratch_database
from eventstore import open_store
from services.seed import generate_province
from services.seed.plan import Scale

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def run(url: str, scale: Scale, seed: int) -> str:
    store = open_store(url, durable=False)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        report = generate_province(store, scale=scale, seed=seed)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        store.close()
    rate = report.events / elapsed
    return (
        f"{report.events} events, {report.people} people, {report.units} units in {elapsed:.1f} s "
        f"({rate:,.0f} events/s; this process's CPU {cpu:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=get_args(Scale), default="province")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--url", default=os.environ.get("PARTYLEDGER_BENCH_POSTGRES_URL", DEFAULT_PG))
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'ledger.sqlite3'}"
            print(f"sqlite     {args.scale}: {run(url, args.scale, args.seed)}", flush=True)
    if args.backend in ("postgres", "both"):
        with scratch_database(args.url) as url:
            print(f"postgresql {args.scale}: {run(url, args.scale, args.seed)}", flush=True)


if __name__ == "__main__":
    main()
