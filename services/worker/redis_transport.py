"""kombu's Redis transport, made to survive the broker going away while messages are unacknowledged.

Found by the soak (tests/reliability): with `acks_late`, a worker almost always holds unacknowledged
doorbells; when Redis stops, celery closes the channel, kombu tries to put those messages back on a
connection it has already released, fails with AttributeError ('NoneType' object has no attribute
'hostname', celery/kombu#970 and #582), and the worker exits with "Unrecoverable error". Here the restore
is given up instead: the doorbells stay in Redis's unacked set (kombu restores them after the visibility
timeout) and the beat sweep rings again for every unit still behind (I10), so nothing is lost.
"""

from __future__ import annotations

import logging
from typing import Any

from kombu.transport import redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


class QoS(redis.QoS):
    def restore_unacked(self, client: Any = None) -> None:
        try:
            super().restore_unacked(client)
        except (AttributeError, RedisError, OSError) as exc:
            log.warning("broker gone: %d unacknowledged doorbell(s) left to the sweep (%s)", len(self._delivered), exc)
            self._delivered.clear()


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel


TRANSPORT = f"{__name__}:Transport"
