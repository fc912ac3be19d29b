"""Celery queue names for tests: one per test, tagged with this run, so that the run can take away what its
queues leave in a shared Redis (messages nobody consumed, kombu's bindings, doorbell claims, rate counters)
without touching another run's."""

from __future__ import annotations

import uuid

from redis import Redis

RUN = uuid.uuid4().hex[:8]


def queue_name(kind: str = "test") -> str:
    return f"{kind}-{RUN}-{uuid.uuid4().hex[:8]}"


def remove_run_keys(redis_url: str) -> int:
    """Delete every key naming one of this run's queues; returns how many there were."""
    client = Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"*-{RUN}-*", count=1000))
        if keys:
            client.delete(*keys)
        return len(keys)
    finally:
        client.close()
