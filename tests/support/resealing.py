"""What a superuser who knows the hashing rules can do: rewrite an event, recompute its hash, its stream's later
links and every seal, so that `verify` alone calls the log intact. Only a kept seal or a signature catches it."""

from __future__ import annotations

from typing import Any

from eventstore import EventStore
from eventstore.canonical import GENESIS_HASH, canonical_json, chain_hash, content_digest, seal_hash
from tests.support.stores import Backdoor


def rewrite_everything(store: EventStore, backdoor: Backdoor, position: int, data: dict[str, Any]) -> None:
    """Give the event at `position` new data and make every hash and seal agree with it again."""
    backdoor.disable_append_only()
    _disable(backdoor, "log_seals")
    heads: dict[str, bytes] = {}
    hashes: dict[int, bytes] = {}
    for event in list(store.iter_raw()):
        new_data = data if event.position == position else event.data
        prev = heads.get(event.stream_id, GENESIS_HASH)
        digest = content_digest(
            stream_id=event.stream_id, stream_version=event.stream_version, unit_id=event.unit_id,
            event_type=event.event_type, schema_version=event.schema_version, data=new_data,
            metadata=event.metadata, occurred_on=event.occurred_on, recorded_at=event.recorded_at,
            also_unit_id=event.also_unit_id,
        )  # fmt: skip
        heads[event.stream_id] = hashes[event.position] = chain_hash(prev, digest)
        backdoor.execute(
            "UPDATE event_log SET data = %s, prev_hash = %s, hash = %s WHERE position = %s",
            (canonical_json(new_data).decode(), prev, hashes[event.position], event.position),
        )
    _reseal(store, backdoor, hashes)


def _reseal(store: EventStore, backdoor: Backdoor, hashes: dict[int, bytes]) -> None:
    previous, start = GENESIS_HASH, 0
    for seal in store.seals():
        covered = [h for p, h in sorted(hashes.items()) if start < p <= seal.up_to_position]
        digest = seal_hash(previous, seal.up_to_position, covered)
        backdoor.execute(
            "UPDATE log_seals SET prev_seal_hash = %s, seal_hash = %s WHERE seal_number = %s",
            (previous, digest, seal.seal_number),
        )
        previous, start = digest, seal.up_to_position


def _disable(backdoor: Backdoor, table: str) -> None:
    if backdoor.is_postgres:
        backdoor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    else:
        backdoor.execute(f"DROP TRIGGER {table}_no_update")
