"""Thin tasks over the runner: each is safe to run twice, and each carries only unit ids (if anything)."""

from __future__ import annotations

import logging
from datetime import date

import psycopg
import sqlalchemy.exc
from celery.signals import worker_process_init
from sqlalchemy import Engine

from eventstore import EventStore
from eventstore.seal_signing import signer_from_file
from projections.registry import PROJECTIONS
from projections.rollup import regroup_to_tree
from projections.runner import CatchUp
from projections.sweep import units_behind
from projections.versions import switch_when_caught_up
from services.commands.actors import Actor, Role
from services.commands.context import CommandContext
from services.commands.reorganisation import follow_reorganisations as follow_ceased_units
from services.commands.walls import today
from services.doorbell import CATCH_UP_TASK, CATCH_UP_UNITS_TASK, answered, doorbell_groups
from services.privacy.retention import rules_from
from services.privacy.retention_run import run_retention
from services.projection_runtime import process_runtime

from .app import app

log = logging.getLogger(__name__)


@worker_process_init.connect
def open_runtime_at_start(**_: object) -> None:
    """Each task process opens its runtime (database pools, read-model tables checked) as it starts, not on
    its first doorbell: after a start or a restart the first catch-ups waited for that set-up, and under
    load the worker never caught up the second they lost. A database that is down then is only a warning
    (refused at once; Celery kills a process whose start takes over 4 s): the first task builds the
    runtime and retries (TRANSIENT)."""
    try:
        process_runtime()
    except Exception as exc:
        log.warning("projection runtime not opened at start (%s); the first task will open it", exc)


TRANSIENT = (psycopg.OperationalError, sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError)


@app.task(name=CATCH_UP_UNITS_TASK, autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=60, max_retries=20)
def catch_up_units(unit_ids: list[str]) -> str:
    """Bring every projection of these units up to the log, together (`Runner.catch_up_many`). Their
    doorbells are marked answered first, so every commit from now on rings again; an event a held-back
    horizon hides now is the sweep's (I10)."""
    runtime = process_runtime()
    answered(runtime.settings, unit_ids)
    results = runtime.runner.catch_up_many(unit_ids)
    return _summary(results)


@app.task(name=CATCH_UP_TASK, autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=60, max_retries=20)
def catch_up_unit(unit_id: str) -> str:
    """One unit's doorbell, as releases before `catch_up_units` rang: kept so their queued messages are
    still answered during a rolling deploy."""
    runtime = process_runtime()
    answered(runtime.settings, [unit_id])
    return _summary([runtime.runner.catch_up(unit_id)])


def _summary(results: list[CatchUp]) -> str:
    """What the worker logs for a task ("succeeded in 0.02s: ..."): one line, cheap to format. Celery's
    safe repr of the per-projection counts of every unit took longer than catching up a quiet unit."""
    parked = sorted({f"{r.unit_id}/{name}" for r in results for name in r.parked})
    applied = sum(r.total for r in results)
    return f"{applied} applications over {len(results)} units" + (f"; parked: {', '.join(parked)}" if parked else "")


@app.task(name="partyledger.sweep", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def sweep() -> int:
    """Ring for every unit whose projections are behind: lost doorbells and a dead broker lose nothing."""
    runtime = process_runtime()
    behind = units_behind(runtime.engine, runtime.store, PROJECTIONS)
    for units in doorbell_groups(behind):  # unclaimed: a claim left by a lost doorbell must not hide a unit
        catch_up_units.apply_async(args=[units], queue=runtime.settings.queue)
    if behind:
        log.info("sweep: %d units behind", len(behind))
    switched = switch_when_caught_up(runtime.engine, runtime.store, PROJECTIONS)
    if switched:
        log.info("sweep: queries now read the new version of %s", ", ".join(switched))
    _regroup_when_the_tree_changed(runtime.engine, runtime.store)
    return len(behind)


_TREES: dict[str, tuple[CommandContext, tuple[int, date] | None]] = {}
"""This process's unit tree (kept by its `CommandContext`: read again only when the tree stream grows), and
the (tree version, day) the roll-up groups were last made to follow."""


def _regroup_when_the_tree_changed(engine: Engine, store: EventStore) -> None:
    """Move units between roll-up groups (`projections.rollup`) when the tree changed or a day began (a
    reorganisation dated today takes effect): until then an answer that a moved unit makes partial reads its
    units one by one, never a wrong sum."""
    context, done = _TREES.get("tree") or (CommandContext(store), None)
    version, tree = context.versioned_tree()
    now = (version, today())
    if done != now:
        moved = regroup_to_tree(engine, tree, now[1])
        if moved.total:
            log.info("sweep: roll-up groups: %d units joined, %d moved, %d left", moved.joined, moved.moved, moved.left)
    _TREES["tree"] = (context, now)


@app.task(name="partyledger.seal", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def seal() -> str:
    """Seal the log up to now (I7), signed when this process was given the sealing key; the printed seal can
    be kept outside the system."""
    runtime = process_runtime()
    made = runtime.store.seal(sign=signer_from_file(runtime.settings.seal_key_file))
    return made.printable() if made else "nothing new to seal"


@app.task(name="partyledger.follow-reorganisations", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def follow_reorganisations() -> str:
    """R-UNIT-REORG: move the people still placed in a ceased unit to its successor — a reorganisation whose day
    has come, or one whose own follow-up was cut short (idempotent: a second run finds no one to move)."""
    runtime = process_runtime()
    context = CommandContext(runtime.store)
    province = next((u.unit_id for u in context.tree().all_latest() if u.parent_id is None), "")
    worker = Actor("partyledger-worker", Role.PROVINCIAL_ADMIN, province)  # acting on the province's decisions
    followed = follow_ceased_units(context, worker)
    for units in doorbell_groups(sorted(followed.units)):
        catch_up_units.apply_async(args=[units], queue=runtime.settings.queue)
    return f"{followed.moved} people moved to their units' successors"


@app.task(name="partyledger.retention", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def erase_past_retention() -> str:
    """R-PRIVACY-RETAIN (purpose complete): erase the closed files whose retention period and notice period have
    passed, then finish earlier erasures. Safe twice and on two workers at once (`run_retention`); the log line
    holds counts only."""
    runtime = process_runtime()
    settings = runtime.settings
    context = CommandContext(runtime.store)
    run = run_retention(context, rules_from(settings.retention_months), today(), settings.retention_notice_days)
    for units in doorbell_groups(sorted(run.units)):
        catch_up_units.apply_async(args=[units], queue=settings.queue)
    log.info("retention: %s", run.summary())
    return run.summary()
