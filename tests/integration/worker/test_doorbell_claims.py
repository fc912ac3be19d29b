"""A unit's doorbell waiting in the queue absorbs further rings until a worker starts on that unit."""

from __future__ import annotations

from pathlib import Path

from redis import Redis

from services.doorbell import answered, ring
from tests.integration.worker.conftest import settings_of, worker_env


def queued(redis_url: str, queue: str) -> int:
    """Messages waiting in the Celery queue (kombu keeps a Redis list named after it)."""
    client = Redis.from_url(redis_url)
    try:
        return int(client.llen(queue))
    finally:
        client.close()


def test_rings_of_a_unit_already_waiting_send_nothing_more(postgres_url: str, redis_url: str, tmp_path: Path) -> None:
    settings = settings_of(worker_env(postgres_url, redis_url, tmp_path))
    for _ in range(50):
        assert ring(settings, ["unit-busy"])
    assert ring(settings, ["unit-busy", "unit-quiet"])

    assert queued(redis_url, settings.queue) == 2  # one doorbell per unit


def test_once_a_worker_starts_on_the_unit_the_next_commit_rings_again(
    postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    settings = settings_of(worker_env(postgres_url, redis_url, tmp_path))
    ring(settings, ["unit-busy"])
    answered(settings, "unit-busy")  # what the catch-up task does before it reads the log
    ring(settings, ["unit-busy"])

    assert queued(redis_url, settings.queue) == 2


def test_queues_of_different_deployments_do_not_absorb_each_others_rings(
    postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    first = settings_of(worker_env(postgres_url, redis_url, tmp_path))
    second = settings_of(worker_env(postgres_url, redis_url, tmp_path))
    ring(first, ["unit-shared-name"])
    ring(second, ["unit-shared-name"])

    assert (queued(redis_url, first.queue), queued(redis_url, second.queue)) == (1, 1)
