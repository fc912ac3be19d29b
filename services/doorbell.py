"""Ring the worker after a commit: a message carrying only a unit id (STYLE: tasks are doorbells).

The API and the CLI ring by task name, so they never import the worker. A broker that is down costs a
warning, never a command: the beat sweep finds the unit behind later (I10).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import lru_cache

from celery import Celery

from services.settings import Settings

log = logging.getLogger(__name__)

CATCH_UP_TASK = "partyledger.catch_up_unit"


@lru_cache(maxsize=4)
def _client(broker_url: str) -> Celery:
    client = Celery("partyledger-doorbell", broker=broker_url)
    client.conf.broker_connection_retry_on_startup = False
    client.conf.broker_transport_options = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
    return client


def ring(settings: Settings, unit_ids: Iterable[str]) -> bool:
    """True when every doorbell was handed to the broker."""
    delivered = True
    for unit_id in sorted(set(unit_ids)):
        try:
            _client(settings.broker_url).send_task(CATCH_UP_TASK, args=[unit_id], queue=settings.queue, retry=False)
        except Exception as exc:  # the broker is down or unreachable: the sweep will catch up
            log.warning("doorbell for unit %s not delivered (%s); the sweep will catch up", unit_id, exc)
            delivered = False
    return delivered
