"""Ring the worker after a commit: a message carrying only a unit id (STYLE: tasks are doorbells).

The API and the CLI ring by task name, so they never import the worker. A broker that is down costs a
warning, never a command: the beat sweep finds the unit behind later (I10).
"""

from __future__ import annotations

import logging
import threading
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


class Doorbell:
    """Rings off the request path: a sender thread hands the units rung since its last send to the broker.

    Rings of one unit that arrive while a send is under way coalesce into one message (a doorbell only says
    "this unit has new events", so one ring after the last commit covers every commit before it). A ring is
    never dropped before it is tried; one that fails, or one still pending if the process dies, is found by the
    beat sweep (I10), exactly as a failed synchronous ring was.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._pending: set[str] = set()
        self._wake = threading.Condition()
        self._closing = False
        self._thread = threading.Thread(target=self._send_forever, name="partyledger-doorbell", daemon=True)
        self._thread.start()

    def ring(self, unit_ids: Iterable[str]) -> None:
        with self._wake:
            self._pending.update(unit_ids)
            self._wake.notify()

    def close(self, timeout: float = 10.0) -> None:
        """Send what is pending, then stop the thread."""
        with self._wake:
            self._closing = True
            self._wake.notify()
        self._thread.join(timeout)

    def _send_forever(self) -> None:
        while True:
            with self._wake:
                while not self._pending and not self._closing:
                    self._wake.wait()
                units, self._pending = self._pending, set()
                closing = self._closing
            if units:
                try:
                    ring(self._settings, units)
                except Exception:  # never let the sender thread die: the sweep covers what it missed (I10)
                    log.exception("doorbells for units %s not delivered", sorted(units))
            if closing:
                return
