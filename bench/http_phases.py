"""Where a command's time goes under load: the API that bench.http runs, with a timer around each phase.

    .venv/bin/python -m bench.http --phases DIR ...      (uvicorn runs `bench.http_phases:create_timed_app`)

A diagnostic, never in production: it wraps (by monkeypatching, before the app is made) the phases of
`record_person_step` — the read of the tree, calendar and person (`for_command`), the walls, deciding,
preparing the append (validation, JSON, hashes), the append's statement, the doorbell — and times, for each
request, its arrival at the ASGI app, the start and end of its handler on a worker thread, and its last byte.
Every wait for a pooled connection and every garbage collection is timed too. Each phase records its wall
time and the thread's CPU time: wall minus CPU on a thread that only computes is time spent waiting for the
GIL (or for a core the machine gave to someone else). Each process writes one JSON line per request into
`$BENCH_PHASES_DIR/<pid>.jsonl`; `summarise` reads them back.
"""

from __future__ import annotations

import contextvars
import gc
import json
import os
import statistics
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REQUEST: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("bench_request", default=None)
_LINES: list[str] = []
_GC: list[tuple[float, float, int]] = []
_LOCK = threading.Lock()


def _timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        record = REQUEST.get()
        if record is None:
            return fn(*args, **kwargs)
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            phases = record.setdefault("phases", {})
            spent = phases.setdefault(name, [0.0, 0.0])
            spent[0] += time.perf_counter() - wall
            spent[1] += time.thread_time() - cpu

    return timed


def _on_gc(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _gc_started[0] = time.perf_counter()
    elif _gc_started[0]:
        _GC.append((_gc_started[0], time.perf_counter() - _gc_started[0], info["generation"]))


_gc_started = [0.0]


def install() -> None:
    """Wrap the command path's phases (module globals and class attributes, looked up at call time)."""
    from psycopg_pool import ConnectionPool

    import eventstore.postgres as pg
    import services.api.people.routes as routes
    import services.commands.people as people
    from eventstore.subject_keys import SubjectKeys
    from services.commands.context import CommandContext
    from services.doorbell import Doorbell

    wrapped: list[tuple[object, str, str]] = [
        (routes, "record_person_step", ""),  # the handler itself: start, end and CPU
        (CommandContext, "for_command", "read"),
        (people, "check_walls", "walls"),
        (people, "decide_at", "decide"),
        (people, "append_decided", "append_total"),
        (pg, "prepare_append", "append_prepare"),
        (pg.PostgresEventStore, "_execute_append", "append_statement"),
        (ConnectionPool, "getconn", "pool_wait"),
        (Doorbell, "ring", "ring"),
        (SubjectKeys, "_load", "keys_fetch"),
        (SubjectKeys, "for_writing", "keys_for_writing"),
    ]
    for owner, attribute, name in wrapped:
        original = getattr(owner, attribute)
        setattr(owner, attribute, _timed(name, original) if name else _handler(original))
    gc.callbacks.append(_on_gc)


def _handler(fn: Callable[..., Any]) -> Callable[..., Any]:
    def handler(*args: Any, **kwargs: Any) -> Any:
        record = REQUEST.get()
        if record is not None:
            record["handler_start"] = time.perf_counter()
            record["threads"] = threading.active_count()
        cpu = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            if record is not None:
                record["handler_end"] = time.perf_counter()
                record["handler_cpu"] = time.thread_time() - cpu

    return handler


class TimedApp:
    """The ASGI app with each request's arrival and last byte timed."""

    def __init__(self, app: Any, folder: Path) -> None:
        self.app = app
        self.path = folder / f"{os.getpid()}.jsonl"
        threading.Thread(target=self._flush_forever, daemon=True).start()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":

            async def noted_send(message: Any) -> None:
                if message["type"] == "lifespan.startup.complete":
                    with _LOCK:
                        _LINES.append(json.dumps({"ready": time.perf_counter()}))
                await send(message)

            await self.app(scope, receive, noted_send)
            return
        record: dict[str, Any] = {"arrived": time.perf_counter()}
        for name, value in scope["headers"]:
            if name == b"x-bench-sent":
                record["sent"] = float(value)
        token = REQUEST.set(record)

        async def timed_send(message: Any) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body"):
                record["done"] = time.perf_counter()
            await send(message)

        try:
            await self.app(scope, receive, timed_send)
        finally:
            REQUEST.reset(token)
            if "handler_start" in record:
                with _LOCK:
                    _LINES.append(json.dumps(record))

    def _flush_forever(self) -> None:
        while True:
            time.sleep(0.5)
            with _LOCK:
                lines, _LINES[:] = list(_LINES), []
                collections, _GC[:] = list(_GC), []
            with self.path.open("a") as out:
                out.writelines(line + "\n" for line in lines)
                out.writelines(json.dumps({"gc": c}) + "\n" for c in collections)


def create_timed_app() -> Any:
    """What uvicorn runs (`--factory`) for `bench.http --phases`."""
    from services.api.app import create_server_app

    install()
    return TimedApp(create_server_app(), Path(os.environ["BENCH_PHASES_DIR"]))


def _quantiles(values: list[float]) -> str:
    if not values:
        return "—"
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000

    return f"{statistics.fmean(ordered) * 1000:7.1f} {at(0.5):7.1f} {at(0.99):7.1f} {ordered[-1] * 1000:7.1f}"


def summarise(folder: Path, client: list[tuple[float, float]], skip_seconds: float = 0.0) -> None:
    """Per phase: mean, p50, p99 and max of wall time (and CPU), over every request, and over the slowest 1 %."""
    records, collections = [], []
    for path in folder.glob("*.jsonl"):
        lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        first = min((r["arrived"] for r in lines if "arrived" in r), default=0.0)
        records += [
            {**r, "offset": r["arrived"] - first}
            for r in lines
            if "arrived" in r and r["arrived"] - first >= skip_seconds
        ]
        last = max((r.get("done", 0.0) for r in lines if "arrived" in r), default=0.0)
        collections += [r["gc"] for r in lines if "gc" in r and first <= r["gc"][0] <= last]
    answered = dict(client)
    records = [r for r in records if "done" in r and "handler_end" in r and r.get("sent") in answered]
    for r in records:
        r["answered"] = answered[r["sent"]]
    if not records:
        print("no timed requests")
        return
    slowest = sorted(records, key=lambda r: r["answered"] - r["sent"])[-max(1, len(records) // 100) :]
    print(f"{len(records)} requests timed in the server; phases in ms: mean p50 p99 max  |  mean over the slowest 1 %")

    def line(name: str, of: Callable[[dict[str, Any]], float]) -> None:
        everyone = [of(r) for r in records]
        print(f"  {name:<26} {_quantiles(everyone)}  | {statistics.fmean(of(r) for r in slowest) * 1000:7.1f}")

    line("client: sent→answered", lambda r: r["answered"] - r["sent"])
    line("sent→arrived in the app", lambda r: r["arrived"] - r["sent"])
    line("in server (arrival→last byte)", lambda r: r["done"] - r["arrived"])
    line("last byte→client has it", lambda r: r["answered"] - r["done"])
    line("before the handler thread", lambda r: r["handler_start"] - r["arrived"])
    line("handler (on its thread)", lambda r: r["handler_end"] - r["handler_start"])
    line("  of it CPU", lambda r: r["handler_cpu"])
    line("after the handler", lambda r: r["done"] - r["handler_end"])
    names: Iterable[str] = sorted({n for r in records for n in r.get("phases", {})})
    for name in names:
        line(f"  {name} wall", lambda r, n=name: r.get("phases", {}).get(n, [0.0, 0.0])[0])  # type: ignore[misc]
        line(f"  {name} CPU", lambda r, n=name: r.get("phases", {}).get(n, [0.0, 0.0])[1])  # type: ignore[misc]
    during = collections  # those between a process's first request and its last answer
    by_generation = {g: [d for _, d, gen in during if gen == g] for g in (0, 1, 2)}
    for generation, durations in by_generation.items():
        if durations:
            print(f"  gc generation {generation}: {len(durations)} collections, {_quantiles(durations)} ms")
    print(f"  worker threads alive at handler start: max {max(r['threads'] for r in records)}")
    print("  the ten slowest: s into the process's run; ms sent→arrived, before handler, handler, after, →client")
    for r in slowest[-10:]:
        parts = (
            r["arrived"] - r["sent"],
            r["handler_start"] - r["arrived"],
            r["handler_end"] - r["handler_start"],
            r["done"] - r["handler_end"],
            r["answered"] - r["done"],
        )
        print(f"    {r['offset']:5.1f} s: " + " ".join(f"{p * 1000:6.1f}" for p in parts))
