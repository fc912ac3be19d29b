"""The soak's fault script: in turn, SIGKILL the worker, stop Redis, restart the API, and terminate the
PostgreSQL backends of requests in flight; each fault is repaired before the next one."""

from __future__ import annotations

import threading
import time
import traceback
from collections import Counter

import psycopg

from tests.support.private_postgres import PrivatePostgres
from tests.support.processes import ApiServer, PrivateRedis, Worker

FAULT_KINDS = ("backend_terminate", "api_restart", "redis_restart", "worker_sigkill")
"""Quickest first, so a slow machine still injects every kind within the load's minute."""
MONITOR_APP = "partyledger-soak-monitor"
API_APP = "partyledger-soak-api"
"""The API process runs with PGAPPNAME set to this, so the fault hits requests, not the worker or the monitor."""
TERMINATE_ACTIVE = """
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
 WHERE datname = current_database() AND state = 'active' AND application_name = %s
"""


class FaultScript(threading.Thread):
    """Injects the faults in turn until `until`, pausing `pause` seconds between them."""

    def __init__(
        self, worker: Worker, redis: PrivateRedis, api: ApiServer, postgres: PrivatePostgres, until: float,
        pause: float = 2.5,
    ) -> None:  # fmt: skip
        super().__init__(name="fault-script", daemon=True)
        self.worker, self.redis, self.api, self.postgres = worker, redis, api, postgres
        self.until, self.pause = until, pause
        self.injected: Counter[str] = Counter()
        self.terminated_backends = 0
        self.errors: list[str] = []
        self.log: list[tuple[float, str]] = []

    def run(self) -> None:
        time.sleep(self.pause)
        turn = 0
        while time.monotonic() < self.until:
            kind = FAULT_KINDS[turn % len(FAULT_KINDS)]
            turn += 1
            try:
                getattr(self, kind)()
                self.injected[kind] += 1
                self.log.append((time.monotonic(), kind))
            except Exception:
                self.errors.append(f"{kind}: {traceback.format_exc()}")
            time.sleep(self.pause)

    def worker_sigkill(self) -> None:
        self.worker.kill()
        time.sleep(1.0)
        self.worker.start()

    def redis_restart(self) -> None:
        self.redis.stop()
        time.sleep(2.0)
        self.redis.start()

    def api_restart(self) -> None:
        self.api.stop()
        self.api.start()

    def backend_terminate(self) -> None:
        """Terminate every API backend running a statement, until at least one was caught mid-request."""
        deadline = time.monotonic() + 10
        with psycopg.connect(self.postgres.url + "?application_name=" + MONITOR_APP, autocommit=True) as admin:
            while time.monotonic() < deadline:
                rows = admin.execute(TERMINATE_ACTIVE, (API_APP,)).fetchall()
                self.terminated_backends += sum(1 for (done,) in rows if done)
                if rows:
                    return
                time.sleep(0.005)
        raise AssertionError("no API backend was active within 10 s to terminate")
