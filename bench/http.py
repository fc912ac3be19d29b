"""Commands over HTTP through the whole path, beside a bare Litestar endpoint inserting one row, same run.

    .venv/bin/python -m bench.http [--clients 32] [--seconds 15] [--workers 2]

The full path is auth, validation, walls, loading the person's stream, deciding with the domain, appending
with an idempotency key, and ringing the worker (Redis). Each client updates its own member's particulars
over and over (a real step, always allowed), tracking the stream version it expects. Both servers are
uvicorn processes with the same number of workers on PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
import psycopg

from bench.append import scratch_database
from domain.calendar import WorkingCalendar
from domain.particulars import EducationLevel, Ethnicity, Occupation, Particulars, Religion, Sex
from domain.person.member_commands import EnrollMember
from eventstore import open_store
from services.commands.actors import Actor, Role
from services.commands.person_log import append_person_command
from services.embedded import seed_minimal_province
from services.settings import DEVELOPMENT_SIGNING_KEY
from services.tokens import issue_token
from tests.support.person_ids import person_id_of
from tests.support.processes import free_port, wait_for

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
CELL = "unit-school-cell-1"


def citizen(n: int) -> str:
    return f"001085{n:06d}"


def letters(number: int) -> str:
    """A name part from a number (names may not hold digits): 0 → A, 27 → BB."""
    word = ""
    while True:
        number, rest = divmod(number, 26)
        word = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rest] + word.lower()
        if number == 0:
            return word
        number -= 1


def particulars(n: int) -> Particulars:
    return Particulars(
        full_name=f"Nguyễn Văn {letters(n)}",
        sex=Sex.MALE,
        date_of_birth=date(1985, 4, 1),
        ethnicity=Ethnicity.KINH,
        religion=Religion.NONE,
        education=EducationLevel.UNIVERSITY,
        occupation=Occupation.PUBLIC_EMPLOYEE,
    )


def enrol_members(url: str, count: int) -> list[str]:
    store = open_store(url)
    seed_minimal_province(store)
    actor = Actor("bench", Role.CELL_SECRETARY, CELL)
    people = []
    for n in range(count):
        command = EnrollMember(
            person_id=person_id_of(citizen(n)),
            occurred_on=date(2020, 11, 2),
            acting_unit_id=CELL,
            citizen_id=citizen(n),
            particulars=particulars(n),
            cell_id=CELL,
            admitted_on=date(2010, 5, 1),
            ceremony_on=date(2010, 5, 19),
            official_from=date(2011, 5, 19),
            roll_ref=f"Sổ {n}",
        )
        append_person_command(store, command, actor=actor, calendar=WorkingCalendar())
        people.append(command.person_id)
    store.close()
    return people


@contextmanager
def server(app: str, env: dict[str, str], workers: int, factory: bool) -> Iterator[str]:
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "uvicorn"),
        app,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        *(["--factory"] if factory else []),
    ]
    process = subprocess.Popen(command, env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(base), 60, f"{app} on port {port}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _answers(base: str) -> bool:
    try:
        httpx.get(base + "/health", timeout=1)
        return True
    except httpx.HTTPError:
        return False


async def _load(
    clients: int, seconds: float, request: object, versions: list[int] | None = None
) -> tuple[int, list[float], int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def client(n: int) -> None:
        nonlocal errors
        # TCP_NODELAY: otherwise headers and body go in two packets and delayed ACKs add 40 ms to each request
        transport = httpx.AsyncHTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        async with httpx.AsyncClient(timeout=30, transport=transport) as http:
            version = versions[n] if versions else 1
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                ok, version = await request(http, n, version)  # type: ignore[operator]
                latencies.append(time.perf_counter() - started)
                errors += not ok
            if versions:
                versions[n] = version  # the next round goes on from the member's stream version

    await asyncio.gather(*(client(n) for n in range(clients)))
    return len(latencies), latencies, errors


def run_full(
    base: str, people: list[str], clients: int, seconds: float, versions: list[int]
) -> tuple[int, list[float], int]:
    token = issue_token(Actor("bench.cell", Role.CELL_SECRETARY, CELL), DEVELOPMENT_SIGNING_KEY, hours=2)
    failures: list[str] = []

    async def request(http: httpx.AsyncClient, n: int, version: int) -> tuple[bool, int]:
        body = {
            "expected_version": version,
            "occurred_on": "2024-03-01",
            "particulars": {
                "full_name": f"Nguyễn {letters(version)} {letters(n)}",
                "sex": "male",
                "date_of_birth": "1985-04-01",
                "ethnicity": "kinh",
                "religion": "none",
                "education": "university",
                "occupation": "public_employee",
            },
        }
        response = await http.post(
            f"{base}/people/{people[n]}/particulars",
            json=body,
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
        )
        if response.status_code != 201 and not failures:
            failures.append(f"{response.status_code} {response.text[:300]}")
        return response.status_code == 201, version + (response.status_code == 201)

    result = asyncio.run(_load(clients, seconds, request, versions))
    if failures:
        print(f"first failed command: {failures[0]}")
    return result


def run_bare(base: str, clients: int, seconds: float) -> tuple[int, list[float], int]:
    async def request(http: httpx.AsyncClient, n: int, version: int) -> tuple[bool, int]:
        response = await http.post(f"{base}/bare", json={"client": n, "version": version})
        return response.status_code == 201, version + 1

    return asyncio.run(_load(clients, seconds, request))


def report(name: str, done: int, latencies: list[float], errors: int, seconds: float) -> float:
    ordered = sorted(latencies)
    p50, p99 = ordered[len(ordered) // 2] * 1000, ordered[int(len(ordered) * 0.99)] * 1000
    rate = done / seconds
    print(f"{name:<14} {rate:>8.0f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   errors {errors}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("PARTYLEDGER_BENCH_POSTGRES_URL", DEFAULT_PG))
    parser.add_argument("--redis", default=os.environ.get("PARTYLEDGER_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="alternating bare/full rounds; medians are shown")
    args = parser.parse_args()
    with scratch_database(args.url) as url:
        people = enrol_members(url, args.clients)
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("CREATE TABLE bare_rows (id bigserial PRIMARY KEY, data jsonb NOT NULL)")
        env = {
            "PARTYLEDGER_DATABASE_URL": url,
            "PARTYLEDGER_BROKER_URL": args.redis,
            "BARE_DATABASE_URL": url,
            "PARTYLEDGER_QUEUE": f"bench-{uuid.uuid4().hex[:6]}",
            "PARTYLEDGER_DATA_DIR": "/tmp",
        }
        bare_rates, full_rates, bare_runs, full_runs = [], [], [], []
        versions = [1] * args.clients
        for _ in range(args.rounds):  # alternate, so drift in the shared machine hits both paths alike
            with server("bench.bare_app:app", env, args.workers, factory=False) as base:
                bare_runs.append(run_bare(base, args.clients, args.seconds))
            with server("services.api.app:create_server_app", env, args.workers, factory=True) as base:
                full_runs.append(run_full(base, people, args.clients, args.seconds, versions))
            bare_rates.append(report("bare insert", *bare_runs[-1], args.seconds))
            full_rates.append(report("full command", *full_runs[-1], args.seconds))
        bare, full = statistics.median(bare_rates), statistics.median(full_rates)
        print(f"medians: bare {bare:.0f} req/s, full {full:.0f} req/s")
        print(f"ratio {full / bare:.2f}   target ≥ 0.5 of the bare rate, p99 ≤ 50 ms")


if __name__ == "__main__":
    main()
