"""The record a log migrated from an earlier one starts with (issue 20: encrypting a log written before
encryption; I7, I13).

A log written before personal fields were sealed holds them in the clear, and its hash chain covers them, so
they cannot be erased there. `partyledger migrate-log` re-writes every event of such a log into a new, empty
log through the sealing path; the new log's first event is this record, on the `ledger-migration` stream,
naming the old log's last seal. The new log's first seal covers the record, so a seal an auditor printed from
the old log is bound to the new log's seals: the old seal's hash is in an event the new seals chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar, Final

from .codec import EVENTS
from .privacy import NotPersonal

MIGRATION_STREAM_ID: Final = "ledger-migration"
"""The stream of the migration record: one event, at the new log's first position."""


@EVENTS.register
@dataclass(frozen=True)
class LogMigrated:
    """The events after this one, up to `migrated_events` of them, are the earlier log's events in its order,
    their personal fields sealed (their stream, version, unit, type, schema version, data, metadata and both
    clocks kept; positions and hashes new), and that log, verified whole, ended at the seal named here."""

    event_type: ClassVar[str] = "LogMigrated"
    schema_version: ClassVar[int] = 1

    previous_seal_number: Annotated[int, NotPersonal.PROCEDURE]
    previous_seal_hash: Annotated[str, NotPersonal.PROCEDURE]
    """The hex SHA-256 the old log's `partyledger seal` printed for its last seal."""
    previous_up_to_position: Annotated[int, NotPersonal.PROCEDURE]
    """The old log's last sealed position, which was also its head: every event up to it was migrated."""
    previous_sealed_at: Annotated[str, NotPersonal.PROCEDURE]
    """When the old log's last seal was made (UTC, ISO 8601), as it printed it."""
    migrated_events: Annotated[int, NotPersonal.AGGREGATE]
    """How many events of the old log follow this record (the old log's whole count)."""
    migrated_streams: Annotated[int, NotPersonal.AGGREGATE]
