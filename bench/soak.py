"""The soak with faults as a report: `.venv/bin/python -m bench.soak [--seconds 60] [--clients 16]`.

Starts a private PostgreSQL cluster and Redis, the API under uvicorn and a celery worker with its beat, runs
the officers' load while the fault script kills and restarts things in turn (tests/support/soak.py), then
prints accepted commands, faults injected, events lost, duplicates, the max projection lag and p99 latency.
Exit 1 if anything was lost or doubled.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tests.support.soak import run_soak


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="partyledger-soak-") as folder:
        report = run_soak(Path(folder), seconds=args.seconds, clients=args.clients)
    print("\n".join(report.lines()))
    if report.refused:
        print(f"refused or never answered: {report.refused[:5]}")
    bad = report.events_lost or report.duplicates or report.unexpected_events or report.refused
    return 1 if bad or not report.verify.startswith("ok") or not report.rebuild.startswith("ok") else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
