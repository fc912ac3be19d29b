"""Ring the worker after a commit: a message carrying only unit ids (STYLE: tasks are doorbells).

The API and the CLI ring by task name, so they never import the worker. A broker that is down costs a
warning, never a command: the beat sweep finds the unit behind later (I10).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from celery import Celery
from redis import Redis
from redis.exceptions import RedisError

from services.settings import Settings

log = logging.getLogger(__name__)

CATCH_UP_TASK = "partyledger.catch_up_unit"
CATCH_UP_UNITS_TASK = "partyledger.catch_up_units"
UNITS_PER_DOORBELL = 16
"""A send hands the broker one message per this many units, which one worker catches up in one transaction
(`Runner.catch_up_many`): a message per unit cost the worker nine round trips to PostgreSQL and Redis per
unit, and under load most of a unit's lag was its turn in that queue."""


def doorbell_groups(unit_ids: Sequence[str]) -> Iterator[list[str]]:
    """The units as the messages that carry them, `UNITS_PER_DOORBELL` at most each (rings and the sweep)."""
    for start in range(0, len(unit_ids), UNITS_PER_DOORBELL):
        yield list(unit_ids[start : start + UNITS_PER_DOORBELL])


@lru_cache(maxsize=4)
def _client(broker_url: str) -> Celery:
    client = Celery("partyledger-doorbell", broker=broker_url)
    client.conf.broker_connection_retry_on_startup = False
    client.conf.broker_transport_options = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
    return client


PENDING_SECONDS = 60
"""How long a unit's doorbell counts as waiting in the queue at most, should its message be lost with Redis."""


def _pending_key(settings: Settings, unit_id: str) -> str:
    return f"partyledger:doorbell:{settings.queue}:{unit_id}"


@lru_cache(maxsize=4)
def _redis(broker_url: str) -> Redis | None:
    if not broker_url.startswith(("redis://", "rediss://")):
        return None  # the embedded broker: every ring is sent
    return Redis.from_url(broker_url, socket_timeout=0.5, socket_connect_timeout=0.5)


def _claim(settings: Settings, unit_ids: list[str]) -> list[str]:
    """The units whose doorbell is not already waiting in the queue, now marked as waiting.

    A waiting doorbell will start its catch-up after this commit, so a second one would only repeat it: at
    1,000 commits a second into a few dozen units, the repeats were most of the worker's work and the lag
    grew without bound. When Redis cannot tell, every unit is rung."""
    client = _redis(settings.broker_url)
    if client is None or not unit_ids:
        return unit_ids
    try:
        pipe = client.pipeline(transaction=False)
        for unit_id in unit_ids:
            pipe.set(_pending_key(settings, unit_id), 1, nx=True, ex=PENDING_SECONDS)
        return [unit_id for unit_id, claimed in zip(unit_ids, pipe.execute(), strict=True) if claimed]
    except RedisError:
        return unit_ids


def answered(settings: Settings, unit_ids: list[str]) -> None:
    """The worker starts these units' catch-up: commits from now on need a doorbell of their own."""
    client = _redis(settings.broker_url)
    keys = [_pending_key(settings, unit_id) for unit_id in unit_ids]
    if client is None or not keys:
        return
    try:
        client.delete(*keys)
    except RedisError:  # the keys expire on their own; until then the sweep covers the units (I10)
        log.warning("doorbells of units %s not marked answered", sorted(unit_ids))


def ring(settings: Settings, unit_ids: Iterable[str]) -> bool:
    """True when every doorbell was handed to the broker (or one is already waiting for that unit)."""
    delivered = True
    for units in doorbell_groups(_claim(settings, sorted(set(unit_ids)))):
        try:
            _client(settings.broker_url).send_task(CATCH_UP_UNITS_TASK, args=[units], queue=settings.queue, retry=False)
        except Exception as exc:  # the broker is down or unreachable: the sweep will catch up
            log.warning("doorbell for units %s not delivered (%s); the sweep will catch up", units, exc)
            answered(settings, units)
            delivered = False
    return delivered


GATHER_SECONDS = 0.02
"""After each send the sender waits this long, so the rings of the next 20 ms go to Redis in one trip.

A trip (claim the units in Redis, hand the new ones to the broker) per commit cost about 0.2 ms of CPU, two
thirds of the append it followed (measured on a 2-core machine; gathered: 0.04 ms). A process now makes at
most 50 trips a second whatever its rate; a doorbell is late by 20 ms at most."""


class Doorbell:
    """Rings off the request path: a sender thread hands the units rung since its last send to the broker.

    Rings of one unit that arrive while a send is under way or within `gather_seconds` after it coalesce into
    one message (a doorbell only says "this unit has new events", so one ring after the last commit covers
    every commit before it). A ring is never dropped before it is tried; one that fails, or one still pending
    if the process dies, is found by the beat sweep (I10), exactly as a failed synchronous ring was.
    """

    def __init__(self, settings: Settings, gather_seconds: float = GATHER_SECONDS) -> None:
        self._settings = settings
        self._gather_seconds = gather_seconds
        self._pending: set[str] = set()
        self._wake = threading.Condition()
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._send_forever, name="partyledger-doorbell", daemon=True)
        self._thread.start()

    def ring(self, unit_ids: Iterable[str]) -> None:
        with self._wake:
            self._pending.update(unit_ids)
            self._wake.notify()

    def close(self, timeout: float = 10.0) -> None:
        """Send what is pending, then stop the thread."""
        with self._wake:
            self._closing.set()  # also ends a gathering wait at once
            self._wake.notify()
        self._thread.join(timeout)

    def _send_forever(self) -> None:
        while True:
            with self._wake:
                while not self._pending and not self._closing.is_set():
                    self._wake.wait()
                units, self._pending = self._pending, set()
                closing = self._closing.is_set()
            if units:
                try:
                    ring(self._settings, units)
                except Exception:  # never let the sender thread die: the sweep covers what it missed (I10)
                    log.exception("doorbells for units %s not delivered", sorted(units))
            if closing:
                return
            self._closing.wait(self._gather_seconds)  # rings meanwhile only join the set: no wake-up, no trip
