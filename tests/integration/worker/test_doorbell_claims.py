"""A unit's doorbell waiting in the queue absorbs further rings until a worker starts on that unit; the
units rung together share one message; ringing never holds up a command, even with the broker down."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

from redis import Redis

from services.doorbell import UNITS_PER_DOORBELL, Doorbell, answered, ring
from tests.integration.worker.conftest import settings_of, worker_env


def queued(redis_url: str, queue: str) -> int:
    """Messages waiting in the Celery queue (kombu keeps a Redis list named after it)."""
    client = Redis.from_url(redis_url)
    try:
        return int(client.llen(queue))
    finally:
        client.close()


def queued_units(redis_url: str, queue: str) -> list[str]:
    """The unit ids the waiting messages carry, oldest message first (the body is Celery's [args, kwargs, embed])."""
    client = Redis.from_url(redis_url)
    try:
        messages = [json.loads(raw) for raw in reversed(client.lrange(queue, 0, -1))]
    finally:
        client.close()
    return [unit for message in messages for unit in json.loads(base64.b64decode(message["body"]))[0][0]]


def test_rings_of_a_unit_already_waiting_send_nothing_more(postgres_url: str, redis_url: str, tmp_path: Path) -> None:
    settings = settings_of(worker_env(postgres_url, redis_url, tmp_path))
    for _ in range(50):
        assert ring(settings, ["unit-busy"])
    assert ring(settings, ["unit-busy", "unit-quiet"])

    assert queued_units(redis_url, settings.queue) == ["unit-busy", "unit-quiet"]  # one doorbell per unit


def test_units_rung_together_share_messages_of_at_most_sixteen(
    postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    settings = settings_of(worker_env(postgres_url, redis_url, tmp_path))
    units = [f"unit-{n:02d}" for n in range(UNITS_PER_DOORBELL + 4)]
    assert ring(settings, reversed(units))

    assert queued(redis_url, settings.queue) == 2
    assert queued_units(redis_url, settings.queue) == units


def test_once_a_worker_starts_on_the_unit_the_next_commit_rings_again(
    postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    settings = settings_of(worker_env(postgres_url, redis_url, tmp_path))
    ring(settings, ["unit-busy"])
    answered(settings, ["unit-busy"])  # what the catch-up task does before it reads the log
    ring(settings, ["unit-busy"])

    assert queued_units(redis_url, settings.queue) == ["unit-busy", "unit-busy"]


def test_queues_of_different_deployments_do_not_absorb_each_others_rings(
    postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    first = settings_of(worker_env(postgres_url, redis_url, tmp_path))
    second = settings_of(worker_env(postgres_url, redis_url, tmp_path))
    ring(first, ["unit-shared-name"])
    ring(second, ["unit-shared-name"])

    assert (queued(redis_url, first.queue), queued(redis_url, second.queue)) == (1, 1)


def wait_for_queued(redis_url: str, queue: str, count: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if queued(redis_url, queue) >= count:
            return True
        time.sleep(0.01)
    return False


def test_rings_gather_for_a_moment_after_a_send_and_none_is_lost(
    postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    """The API's sender makes at most one trip to Redis per gathering window (a trip per commit cost more
    CPU than the commit), so a ring may wait that long, never longer, and closing sends what is pending."""
    settings = settings_of(worker_env(postgres_url, redis_url, tmp_path))
    doorbell = Doorbell(settings, gather_seconds=1.0)
    try:
        doorbell.ring(["unit-first"])
        assert wait_for_queued(redis_url, settings.queue, 1, 5.0)
        doorbell.ring(["unit-second"])
        doorbell.ring(["unit-third"])
        time.sleep(0.2)
        assert queued(redis_url, settings.queue) == 1  # still gathering after the first trip
        assert wait_for_queued(redis_url, settings.queue, 2, 3.0)  # both in the next trip, one message
        doorbell.ring(["unit-last"])
    finally:
        doorbell.close()
    assert queued_units(redis_url, settings.queue) == ["unit-first", "unit-second", "unit-third", "unit-last"]


def test_doorbells_with_the_broker_down_cost_the_command_nothing() -> None:
    environment = {"PARTYLEDGER_BROKER_URL": "redis://127.0.0.1:1/0", "PARTYLEDGER_DATA_DIR": "/tmp"}
    doorbell = Doorbell(settings_of(environment))
    started = time.perf_counter()
    for unit in ("unit-a", "unit-b", "unit-a"):
        doorbell.ring([unit])
    rung_in = time.perf_counter() - started
    doorbell.close(timeout=30)

    assert rung_in < 0.5  # the sender thread meets the dead broker, not the request
