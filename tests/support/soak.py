"""The soak with faults: a private PostgreSQL and Redis, the API under uvicorn and a celery worker (with its
beat) as real processes, concurrent officers sending commands while the fault script breaks things in turn.

Afterwards the log is checked against what the clients were told: every acknowledged command is in the log
exactly once, every other one is absent or (retried with its key now) present once; the read models equal a
rebuild (`partyledger rebuild --check`) and `partyledger verify` passes. Used by tests/reliability and
bench/soak.py.
"""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

from eventstore import open_store
from services.embedded import seed_minimal_province
from services.settings import DEVELOPMENT_SIGNING_KEY
from tests.support.private_postgres import private_postgres
from tests.support.processes import BIN, api_server, celery_worker, private_redis, wait_for
from tests.support.soak_faults import API_APP, FaultScript
from tests.support.soak_load import Command, Officer
from tests.support.soak_monitor import LagMonitor, behind, caught_up


@dataclass
class SoakReport:
    commands: int
    accepted: int
    refused: list[str]
    answered_late: int
    faults: Counter[str]
    terminated_backends: int
    fault_errors: list[str]
    events_lost: int
    duplicates: int
    unexpected_events: int
    max_lag_seconds: float
    p50_ms: float
    p99_ms: float
    verify: str
    rebuild: str
    seconds: float
    status_counts: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        answers = ", ".join(f"{k}: {v}" for k, v in sorted(self.status_counts.items()))
        return [
            f"load: {self.seconds:.0f} s, commands sent {self.commands}, accepted {self.accepted}, "
            f"refused {len(self.refused)}, acknowledged only after a retry {self.answered_late}",
            f"attempt answers: {answers}",
            "faults injected: "
            + ", ".join(f"{k} ×{v}" for k, v in sorted(self.faults.items()))
            + f" (backends terminated: {self.terminated_backends})",
            f"events lost: {self.events_lost}, duplicates: {self.duplicates}, "
            f"events no client asked for: {self.unexpected_events}",
            f"max projection lag: {self.max_lag_seconds:.2f} s; command latency p50 {self.p50_ms:.0f} ms, "
            f"p99 {self.p99_ms:.0f} ms",
            f"verify: {self.verify}; rebuild --check: {self.rebuild}",
        ]


def _env(postgres_url: str, redis_url: str, folder: Path) -> dict[str, str]:
    return {
        "PARTYLEDGER_ENVIRONMENT": "development",
        "PARTYLEDGER_DATABASE_URL": postgres_url,
        "PARTYLEDGER_BROKER_URL": redis_url,
        "PARTYLEDGER_DATA_DIR": str(folder),
        "PARTYLEDGER_QUEUE": "soak",
        "PARTYLEDGER_SWEEP_SECONDS": "2",
        "PARTYLEDGER_RATE_LIMIT_PER_MINUTE": "100000",  # on, so its Redis counters live through the faults
    }


def run_soak(folder: Path, seconds: float = 60.0, clients: int = 16) -> SoakReport:
    with private_postgres() as postgres, private_redis(folder / "redis") as redis:
        env = _env(postgres.url, redis.url, folder)
        store = open_store(postgres.url)
        seed_minimal_province(store)
        store.close()
        with (
            celery_worker(env, folder / "worker.log", beat=True) as worker,
            api_server(env | {"PGAPPNAME": API_APP}, folder / "api.log") as api,
        ):
            start = time.monotonic()
            until = start + seconds
            officers = [Officer(n, api.url, DEVELOPMENT_SIGNING_KEY, until, until + 30) for n in range(clients)]
            faults = FaultScript(worker, redis, api, postgres, until - 6)
            monitor = LagMonitor(postgres.url, officers)
            for thread in (*officers, faults, monitor):
                thread.start()
            for thread in (*officers, faults):
                thread.join(timeout=seconds + 120)
            elapsed = time.monotonic() - start
            commands = [c for o in officers for c in o.commands]
            _finish_open(api.url, officers)
            try:
                wait_for(lambda: caught_up(postgres.url), 120, "the worker to catch every unit up")
            except AssertionError as late:
                tail = worker.log.read_text(errors="replace")[-3000:]
                alive = worker.process is not None and worker.process.poll() is None
                state = f"{behind(postgres.url)}\nworker alive: {alive}; its log ends:\n{tail}"
                raise AssertionError(f"{late}\n{state}") from late
            monitor.stop()
        counts = _log_counts(postgres.url)
        return _report(commands, counts, faults, monitor, elapsed, _cli(env, "verify"), _cli(env, "rebuild", "--check"))


def _finish_open(base_url: str, officers: list[Officer]) -> None:
    """Commands that never got a 2xx: retried once more with their own key, now that every fault is repaired."""
    with httpx.Client(base_url=base_url, timeout=30.0) as client:
        for officer in officers:
            for command in officer.commands:
                if command.acked or any(a is not None and a < 500 and a != 429 for a in command.answers):
                    continue
                response = client.post(
                    command.path, json=command.body, headers=officer.headers | {"Idempotency-Key": command.key}
                )
                command.answers.append(response.status_code)
                if response.status_code < 300:
                    command.acked_at = time.monotonic()
                    command.stream = response.json()["stream_id"]


def _log_counts(url: str) -> Counter[str]:
    """Events per idempotency key over the people's streams (the key is `user:key` in the metadata)."""
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT metadata->>'idempotency_key', count(*) FROM event_log WHERE stream_id LIKE 'person-%%' GROUP BY 1"
        ).fetchall()
    return Counter({str(key): int(n) for key, n in rows})


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "partyledger"), *args, "--database-url", env["PARTYLEDGER_DATABASE_URL"]],
        env={**env}, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    # a failed check says why on stdout (`rebuild --check`'s differences) or stderr (an error): keep both tails
    failed = f"{done.stdout.strip()[-500:]} {done.stderr.strip()[-500:]}".strip()
    said = " · ".join(line.strip() for line in done.stdout.splitlines() if line.strip())  # rebuild --check: 2 lines
    text = said if done.returncode == 0 else failed
    return ("ok: " if done.returncode == 0 else "FAILED: ") + text


def _report(
    commands: list[Command], counts: Counter[str], faults: FaultScript, monitor: LagMonitor, elapsed: float,
    verify: str, rebuild: str,
) -> SoakReport:  # fmt: skip
    keyed = {f"{c.user}:{c.key}": c for c in commands}
    acked = [c for c in commands if c.acked]
    lost = sum(1 for c in acked if counts.get(f"{c.user}:{c.key}", 0) == 0)
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    unexpected = sum(n for key, n in counts.items() if key not in keyed or not keyed[key].acked)
    refused = [f"{c.path} {c.answers}" for c in commands if not c.acked]
    latencies = sorted(c.latency for c in acked if c.latency is not None) or [0.0]
    statuses = Counter(str(a) for c in commands for a in c.answers)
    return SoakReport(
        commands=len(commands),
        accepted=len(acked),
        refused=refused,
        answered_late=sum(1 for c in acked if not c.first_answer_ok),
        faults=faults.injected,
        terminated_backends=faults.terminated_backends,
        fault_errors=faults.errors,
        events_lost=lost,
        duplicates=duplicates,
        unexpected_events=unexpected,
        max_lag_seconds=monitor.max_lag(),
        p50_ms=1000 * latencies[len(latencies) // 2],
        p99_ms=1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        verify=verify,
        rebuild=rebuild,
        seconds=elapsed,
        status_counts=statuses,
    )
