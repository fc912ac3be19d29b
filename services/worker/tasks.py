"""Thin tasks over the runner: each is safe to run twice, and each carries only a unit id (if anything)."""

from __future__ import annotations

import logging
from typing import Any

import psycopg
import sqlalchemy.exc

from projections.registry import PROJECTIONS
from projections.sweep import units_behind
from projections.versions import switch_when_caught_up
from services.doorbell import CATCH_UP_TASK, answered
from services.projection_runtime import process_runtime

from .app import app

log = logging.getLogger(__name__)

TRANSIENT = (psycopg.OperationalError, sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError)


@app.task(name=CATCH_UP_TASK, autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=60, max_retries=20)
def catch_up_unit(unit_id: str) -> dict[str, Any]:
    """Bring every projection of one unit up to the log. The unit's doorbell is marked answered first, so
    every commit from now on rings again; an event a held-back horizon hides now is the sweep's (I10)."""
    runtime = process_runtime()
    answered(runtime.settings, unit_id)
    result = runtime.runner.catch_up(unit_id)
    return {"unit_id": unit_id, "applied": result.applied, "parked": result.parked}


@app.task(name="partyledger.sweep", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def sweep() -> int:
    """Ring for every unit whose projections are behind: lost doorbells and a dead broker lose nothing."""
    runtime = process_runtime()
    behind = units_behind(runtime.engine, runtime.store, PROJECTIONS)
    for unit_id in behind:
        catch_up_unit.apply_async(args=[unit_id], queue=runtime.settings.queue)
    if behind:
        log.info("sweep: %d units behind", len(behind))
    switched = switch_when_caught_up(runtime.engine, runtime.store, PROJECTIONS)
    if switched:
        log.info("sweep: queries now read the new version of %s", ", ".join(switched))
    return len(behind)


@app.task(name="partyledger.seal", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def seal() -> str:
    """Seal the log up to now (I7); the printed seal can be kept outside the system."""
    made = process_runtime().store.seal()
    return made.printable() if made else "nothing new to seal"
