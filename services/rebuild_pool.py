"""`partyledger rebuild --jobs N`: the units handed out a few at a time to N processes, each with its own runtime.

A rebuild is Python per event (decode, the person's state, seven `apply`s), so one process uses one core
while the database waits; with a process per core a province rebuilds about twice as fast on two cores.
Units go out from a queue, `UNITS_TOGETHER` at a time (as `rebuild` takes them into one transaction), rather
than in fixed shares, so a large committee does not leave the other processes idle at the end.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable, Sequence
from typing import Any

from projections.rebuild import rebuild
from projections.registry import by_name
from projections.runner import UNITS_TOGETHER
from services.collector import collect_garbage_rarely
from services.projection_runtime import build_runtime
from services.settings import Settings

POLL_SECONDS = 1.0


class RebuildFailed(RuntimeError):
    """A unit's rebuild raised in a worker process, or a worker died; the units already swapped in stay."""


def rebuild_in_processes(
    settings: Settings,
    projection_names: Sequence[str],
    units: Sequence[str],
    jobs: int,
    on_unit: Callable[[str], None] = lambda unit: None,
) -> None:
    """Rebuild `units` with `jobs` processes; `on_unit` is called in this process as each one is swapped in."""
    context = multiprocessing.get_context("spawn")  # never fork a process holding pools and threads
    todo: Any = context.Queue()
    done: Any = context.Queue()
    for start in range(0, len(units), UNITS_TOGETHER):
        todo.put(list(units[start : start + UNITS_TOGETHER]))
    for _ in range(jobs):
        todo.put(None)
    workers = [
        context.Process(target=_work, args=(settings, list(projection_names), todo, done), daemon=True)
        for _ in range(jobs)
    ]
    for worker in workers:
        worker.start()
    finished = False
    try:
        for _ in units:
            unit, error = _next_result(done, workers)
            if error is not None:
                raise RebuildFailed(f"{unit}: {error}")
            on_unit(unit)
        finished = True
    finally:
        for worker in workers:  # stopped mid-unit, a process leaves only scratch rows, dropped by the next rebuild
            if finished:
                worker.join(60)
            else:
                worker.terminate()


def _next_result(done: Any, workers: list[Any]) -> tuple[str, str | None]:
    while True:
        try:
            result: tuple[str, str | None] = done.get(timeout=POLL_SECONDS)
            return result
        except queue.Empty:
            if _failed(workers):
                codes = ", ".join(str(w.exitcode) for w in workers)
                raise RebuildFailed(
                    f"a rebuild process exited before its units were done (exit codes {codes})"
                ) from None


def _failed(workers: list[Any]) -> bool:
    return any(worker.exitcode not in (None, 0) for worker in workers)


def _work(settings: Settings, projection_names: list[str], todo: Any, done: Any) -> None:
    collect_garbage_rarely()
    runtime = build_runtime(settings)
    chosen = [by_name(name) for name in projection_names]
    try:
        while (group := todo.get()) is not None:
            try:
                rebuild(runtime.runner, chosen, group, progress=lambda unit, _applied: done.put((unit, None)))
            except Exception as exc:  # none of the group was swapped in: name every unit it held
                done.put((f"units {', '.join(group)}", f"{type(exc).__name__}: {exc}"))
                return
    finally:
        runtime.close()
