"""kombu's Redis transport, made to survive the broker going away while messages are unacknowledged.

Found by the soak (tests/reliability): with `acks_late`, a worker almost always holds unacknowledged
doorbells; when Redis stops, celery closes the channel, kombu tries to put those messages back on a
connection it has already released, fails with AttributeError ('NoneType' object has no attribute
'hostname', celery/kombu#970 and #582), and the worker exits with "Unrecoverable error". Here the restore
is given up instead: the doorbells stay in Redis's unacked set (kombu restores them after the visibility
timeout) and the beat sweep rings again for every unit still behind (I10), so nothing is lost.

The same release also breaks an acknowledgement that arrives after it (a task finishing as Redis goes):
`ack` then fails in `_connparams` ('NoneType' object has no attribute 'client') inside the worker's event
loop, and the worker exits (found by the soak, 08/12/2026: "worker alive: False", every unit left behind).
Such an acknowledgement is given up the same way: the message stays in the unacked set, kombu restores it
after the visibility timeout, and the catch-up it rings is safe to run twice.
"""

from __future__ import annotations

import logging
from typing import Any

from kombu.transport import redis, virtual
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


class QoS(redis.QoS):
    def restore_unacked(self, client: Any = None) -> None:
        try:
            super().restore_unacked(client)
        except (AttributeError, RedisError, OSError) as exc:
            log.warning("broker gone: %d unacknowledged doorbell(s) left to the sweep (%s)", len(self._delivered), exc)
            self._delivered.clear()

    def ack(self, delivery_tag: Any) -> None:
        try:
            super().ack(delivery_tag)
        except (AttributeError, RedisError, OSError) as exc:
            log.warning("broker gone: a doorbell's acknowledgement left to the visibility timeout (%s)", exc)
            virtual.QoS.ack(self, delivery_tag)  # forgotten here: Redis still holds it as unacknowledged

    def reject(self, delivery_tag: Any, requeue: bool = False) -> None:
        try:
            super().reject(delivery_tag, requeue)
        except (AttributeError, RedisError, OSError) as exc:
            log.warning("broker gone: a doorbell's rejection left to the visibility timeout (%s)", exc)
            virtual.QoS.ack(self, delivery_tag)


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel


TRANSPORT = f"{__name__}:Transport"
