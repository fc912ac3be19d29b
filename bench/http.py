"""Commands over HTTP through the whole path, beside a bare Litestar endpoint inserting one row, same run.

    .venv/bin/python -m bench.http [--clients 32] [--seconds 15] [--workers 2] [--ledger URL --cell UNIT]

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
import tempfile
import threading
import time
import uuid
from collections import Counter
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
from tests.support.person_ids import KEY_SETTING, person_id_of
from tests.support.processes import free_port, wait_for

STARTS: list[float] = []
"""When each request of the last run was sent, in seconds from the run's start (for the steady p99)."""
CLIENT_TIMES: list[tuple[float, float]] = []
"""(sent, answered) of every full command, for `--phases` to join with the server's own timings."""
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


def enrol_members(url: str, count: int, cell: str = CELL, *, seed: bool = True) -> tuple[list[str], list[int]]:
    """`count` members of `cell` (the scratch ledger seeded first), and each one's stream version: on a kept
    ledger (`--ledger`) a member enrolled by an earlier run is taken as it is."""
    store = open_store(url)
    if seed:
        seed_minimal_province(store)
    actor = Actor("bench", Role.CELL_SECRETARY, cell)
    people, versions = [], []
    for n in range(count):
        existing = store.stream_version(person_id_of(citizen(n)))
        if existing:
            people.append(person_id_of(citizen(n)))
            versions.append(existing)
            continue
        command = EnrollMember(
            person_id=person_id_of(citizen(n)),
            occurred_on=date(2020, 11, 2),
            acting_unit_id=cell,
            citizen_id=citizen(n),
            particulars=particulars(n),
            cell_id=cell,
            admitted_on=date(2010, 5, 1),
            ceremony_on=date(2010, 5, 19),
            official_from=date(2011, 5, 19),
            roll_ref=f"Sổ {n}",
        )
        append_person_command(store, command, actor=actor, calendar=WorkingCalendar())
        people.append(command.person_id)
        versions.append(1)
    store.close()
    return people, versions


@contextmanager
def kept_ledger(url: str) -> Iterator[str]:
    """A ledger the bench runs on as it is (`--ledger`, e.g. the city's): only its bare table is dropped after."""
    try:
        yield url
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("DROP TABLE IF EXISTS bare_rows")


@contextmanager
def server(app: str, env: dict[str, str], workers: int, factory: bool, code: Path | None = None) -> Iterator[Served]:
    """uvicorn serving `app` (from the checkout `code`, else this one) until the block ends."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "uvicorn"),
        app,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "info",
        "--no-access-log",
        *(["--factory"] if factory else []),
        *(["--app-dir", str(code)] if code else []),
    ]
    process = subprocess.Popen(command, env={**os.environ, **env}, cwd=code, stderr=subprocess.PIPE, text=True)
    started = _count_startups(process)
    served = Served(f"http://127.0.0.1:{port}", process.pid)
    try:
        # Every worker, not the first to answer: the clock started while the second was still starting (a
        # second's work on this machine, longer for an API that opens its connections first), and its share
        # of the first requests waited for it.
        wait_for(lambda: len(started) >= workers and _answers(served.base), 180, f"{app}'s {workers} workers")
        yield served
    finally:
        process.terminate()
        process.wait(timeout=30)


def _count_startups(process: subprocess.Popen[str]) -> list[str]:
    """Lines saying a worker finished its start (uvicorn's own, one per worker); other lines pass through."""
    started: list[str] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            if "Application startup complete" in line:
                started.append(line)
            elif " INFO " not in f" {line.split(':', 1)[0]} ":
                sys.stderr.write(line)

    threading.Thread(target=read, daemon=True).start()
    return started


class Served:
    """A running server: its address, and the CPU time its worker processes have used."""

    def __init__(self, base: str, pid: int) -> None:
        self.base, self.pid = base, pid

    def cpu_seconds(self) -> float:
        """user + system time of the supervisor's children (the uvicorn workers), from /proc."""
        try:
            children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        except OSError:
            return 0.0
        total = 0
        for child in children:
            try:
                fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return total / os.sysconf("SC_CLK_TCK")


@contextmanager
def cpu_of(served: Served, done: list[float]) -> Iterator[None]:
    """The server's CPU seconds during the block, appended to `done`."""
    before = served.cpu_seconds()
    yield
    done.append(served.cpu_seconds() - before)


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
    STARTS.clear()
    # Every client is made before the clock starts: making one (httpx builds its TLS context) costs ~80 ms of
    # this process's CPU on the shared machine, and made inside the run the 32 of them held up the first
    # requests already sent by ~2.5 s — the slowest 1 % of a round whose rate is below 100 × clients per round.
    # TCP_NODELAY: otherwise headers and body go in two packets and delayed ACKs add 40 ms to each request.
    https = [
        httpx.AsyncClient(
            timeout=30,
            transport=httpx.AsyncHTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]),
        )
        for _ in range(clients)
    ]
    begun = time.perf_counter()
    deadline = begun + seconds

    async def client(n: int) -> None:
        nonlocal errors
        async with https[n] as http:
            version = versions[n] if versions else 1
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                ok, version = await request(http, n, version)  # type: ignore[operator]
                latencies.append(time.perf_counter() - started)
                STARTS.append(started - begun)
                errors += not ok
            if versions:
                versions[n] = version  # the next round goes on from the member's stream version

    await asyncio.gather(*(client(n) for n in range(clients)))
    return len(latencies), latencies, errors


def run_full(
    base: str, people: list[str], clients: int, seconds: float, versions: list[int], cell: str = CELL
) -> tuple[int, list[float], int]:
    token = issue_token(Actor("bench.cell", Role.CELL_SECRETARY, cell), DEVELOPMENT_SIGNING_KEY, hours=2)
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
        sent = time.perf_counter()  # CLOCK_MONOTONIC: the same clock in the server's processes
        headers = {"Authorization": f"Bearer {token}"}
        try:
            response = await http.post(
                f"{base}/people/{people[n]}/particulars",
                json=body,
                headers={**headers, "Idempotency-Key": uuid.uuid4().hex, "X-Bench-Sent": repr(sent)},
            )
        except httpx.HTTPError as exc:  # a worker gone (uvicorn's supervisor kills one that misses pings)
            failures.append(f"no answer: {exc!r}")
            return False, await _version_now(http, f"{base}/people/{people[n]}", headers, version)
        CLIENT_TIMES.append((sent, time.perf_counter()))
        if response.status_code != 201 and not failures:
            failures.append(f"{response.status_code} {response.text[:300]}")
        if response.status_code == 409:
            return False, await _version_now(http, f"{base}/people/{people[n]}", headers, version)
        return response.status_code == 201, version + (response.status_code == 201)

    result = asyncio.run(_load(clients, seconds, request, versions))
    if failures:
        print(f"first failed command: {failures[0]}")
    return result


async def _version_now(http: httpx.AsyncClient, url: str, headers: dict[str, str], known: int) -> int:
    """The member's stream version as the API has it (after a command whose fate the client did not see)."""
    try:
        return int((await http.get(url, headers=headers)).json()["version"])
    except (httpx.HTTPError, KeyError, ValueError):
        return known


def run_bare(base: str, clients: int, seconds: float) -> tuple[int, list[float], int]:
    async def request(http: httpx.AsyncClient, n: int, version: int) -> tuple[bool, int]:
        response = await http.post(f"{base}/bare", json={"client": n, "version": version})
        return response.status_code == 201, version + 1

    return asyncio.run(_load(clients, seconds, request))


@contextmanager
def database_waits(url: str, every: float = 0.02) -> Iterator[Counter[str]]:
    """What the scratch database's other sessions are doing, sampled from pg_stat_activity every `every` s:
    a count of samples per state and wait event (a lock wait shows as `Lock:…`, a commit's flush as
    `IO:WALSync` or `LWLock:WALWrite`, a session waiting for its client as `Client:ClientRead`)."""
    seen: Counter[str] = Counter()
    stop = threading.Event()

    def sample() -> None:
        with psycopg.connect(url, autocommit=True) as connection:
            while not stop.wait(every):
                rows = connection.execute(
                    "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                ).fetchall()
                seen.update(f"{state}/{kind or '-'}:{event or '-'}" for state, kind, event in rows)
                seen["(samples)"] += 1

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield seen
    finally:
        stop.set()
        sampler.join()


def print_waits(name: str, seen: Counter[str]) -> None:
    samples = seen.pop("(samples)", 0) or 1
    busy = ", ".join(f"{what} {count / samples:.1f}" for what, count in seen.most_common(6))
    print(f"  {name} sessions per sample: {busy}")


def p99_of(latencies: list[float]) -> float:
    return sorted(latencies)[int(len(latencies) * 0.99)] * 1000


WARM_SECONDS = 2.0


def report(name: str, done: int, latencies: list[float], errors: int, seconds: float, starts: list[float]) -> float:
    ordered = sorted(latencies)
    p50, p99 = ordered[len(ordered) // 2] * 1000, p99_of(latencies)
    rate = done / seconds
    steady = [latency for latency, start in zip(latencies, starts, strict=True) if start >= WARM_SECONDS]
    print(
        f"{name:<14} {rate:>8.0f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   max {ordered[-1] * 1000:6.0f} ms"
        f"   errors {errors}   (p99 of those sent after {WARM_SECONDS:.0f} s: {p99_of(steady):6.1f} ms)"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("PARTYLEDGER_BENCH_POSTGRES_URL", DEFAULT_PG))
    parser.add_argument("--redis", default=os.environ.get("PARTYLEDGER_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="alternating bare/full rounds; medians are shown")
    parser.add_argument(
        "--phases", action="store_true", help="time each phase of a command in the server (bench/http_phases.py)"
    )
    parser.add_argument("--waits", action="store_true", help="sample pg_stat_activity's wait events during each run")
    parser.add_argument(
        "--before", type=Path, help="another checkout (e.g. main's): its API runs as a third path in every round"
    )
    parser.add_argument(
        "--ledger", help="run on this database as it is (e.g. the city's, bench.city) instead of a scratch province"
    )
    parser.add_argument("--cell", default=CELL, help="the cell the clients' members are enrolled into")
    args = parser.parse_args()
    phases = Path(tempfile.mkdtemp(prefix="bench-phases-")) if args.phases else None
    ledger = kept_ledger(args.ledger) if args.ledger else scratch_database(args.url)
    with ledger as url:
        people, versions = enrol_members(url, args.clients, args.cell, seed=not args.ledger)
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("CREATE TABLE bare_rows (id bigserial PRIMARY KEY, data jsonb NOT NULL)")
        env = {
            "PARTYLEDGER_DATABASE_URL": url,
            "PARTYLEDGER_BROKER_URL": args.redis,
            "BARE_DATABASE_URL": url,
            "PARTYLEDGER_QUEUE": f"bench-{uuid.uuid4().hex[:6]}",
            "PARTYLEDGER_DATA_DIR": "/tmp",
            # a server database is production unless told: the bench signs its token with the development key
            # and sends every request from one address, which production would rate-limit
            "PARTYLEDGER_ENVIRONMENT": "development",
            **KEY_SETTING,
            **({"BENCH_PHASES_DIR": str(phases)} if phases else {}),
        }
        full_app = "bench.http_phases:create_timed_app" if phases else "services.api.app:create_server_app"
        paths = [("bare insert", "bench.bare_app:app", None), ("full command", full_app, None)]
        if args.before:
            paths.append(("full, before", "services.api.app:create_server_app", args.before))
        rates: dict[str, list[float]] = {name: [] for name, _, _ in paths}
        p99s: dict[str, list[float]] = {name: [] for name, _, _ in paths}
        for _ in range(args.rounds):  # alternate, so drift in the shared machine hits every path alike
            print(f"load average {os.getloadavg()[0]:.1f}")
            for name, app, code in paths:
                cpu: list[float] = []
                with (
                    server(app, env, args.workers, factory=app != "bench.bare_app:app", code=code) as served,
                    database_waits(url) as waits,
                    cpu_of(served, cpu),
                ):
                    if app == "bench.bare_app:app":
                        run = run_bare(served.base, args.clients, args.seconds)
                    else:
                        run = run_full(served.base, people, args.clients, args.seconds, versions, args.cell)
                rates[name].append(report(name, *run, args.seconds, list(STARTS)))
                p99s[name].append(p99_of(run[1]))
                print(f"{'':14} server CPU {cpu[0] * 1000 / max(1, run[0]):.2f} ms a request")
                if args.waits:
                    print_waits(name, waits)
        bare = statistics.median(rates["bare insert"])
        print(f"load average {os.getloadavg()[0]:.1f}")
        for name, _, _ in paths[1:]:
            ratios = ", ".join(f"{f / b:.1f}" for f, b in zip(p99s[name], p99s["bare insert"], strict=True))
            print(
                f"{name}: median {statistics.median(rates[name]):.0f} req/s against bare {bare:.0f}: ratio "
                f"{statistics.median(rates[name]) / bare:.2f} (target ≥ 0.5); p99 ÷ bare's p99 per round: {ratios}"
                " (target ≤ 2)"
            )
        if phases:
            from bench.http_phases import summarise

            summarise(phases, CLIENT_TIMES)


if __name__ == "__main__":
    main()
