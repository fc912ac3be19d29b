"""The worker's Redis transport when Redis went away under it: an acknowledgement that can no longer reach the
broker is given up (the message stays unacknowledged in Redis, restored after the visibility timeout; the
catch-up it rings is safe twice) instead of raising inside the worker's event loop, which killed the worker."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from services.worker.redis_transport import QoS


class ReleasedChannel:
    """What kombu's channel does once celery has released its connection (seen in the soak's worker log)."""

    do_restore = False

    @contextmanager
    def conn_or_acquire(self, client: Any = None) -> Iterator[Any]:
        if client is None:  # always, as celery left it
            raise AttributeError("'NoneType' object has no attribute 'client'")
        yield client


def test_an_acknowledgement_after_the_broker_went_away_is_given_up_not_raised() -> None:
    qos = QoS(ReleasedChannel())  # type: ignore[no-untyped-call]
    qos._delivered.update({"tag-1": "a doorbell", "tag-2": "another doorbell"})  # delivered, unacknowledged

    qos.ack("tag-1")
    qos.reject("tag-2")

    qos._flush()  # type: ignore[no-untyped-call]  # what kombu does with acknowledged tags: forgotten on this side
    assert "tag-1" not in qos._delivered and "tag-2" not in qos._delivered
