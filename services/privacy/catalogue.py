"""Every stored field with its class, read from the declarations beside the fields (domain/privacy.py).

Events and read-model rows declare their classes in the code; the log's envelope and the record tables are
declared here, because their code (eventstore/, the record tables) must not change for this: the envelope is
the hashed, canonical form (I7) and is encrypted later, field by field, from these very entries.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import domain.calendar
import domain.ledger_migration
import domain.person.events
import domain.person.member_events
import domain.units.events  # noqa: F401  # every module that registers events with the codec
from domain.codec import EVENTS
from domain.privacy import Level, NotPersonal, Personal, Privacy, Sensitive, Subject, classify
from eventstore import EventMetadata, RecordedEvent
from projections.registry import PROJECTIONS
from projections.row_kinds import row_kinds
from services.audit.access import audit_reads
from services.audit.person_reads import person_reads
from services.denial_records import access_denials


class Source(StrEnum):
    EVENT = "event"
    READ_MODEL = "read_model"
    ENVELOPE = "envelope"
    RECORD = "record"

    @property
    def label_vi(self) -> str:
        return _SOURCE_LABELS_VI[self]


_SOURCE_LABELS_VI: Final = {
    Source.EVENT: "Sự kiện trong sổ",
    Source.READ_MODEL: "Bảng đọc (số liệu tổng hợp, danh sách)",
    Source.ENVELOPE: "Phần bao của sự kiện (đã băm)",
    Source.RECORD: "Bảng ghi nhận truy cập, từ chối",
}


@dataclass(frozen=True)
class Entry:
    """One stored field: where (`owner`: an event type, `read model[key pattern]`, a table), which field (a
    dotted path under it) and its class."""

    source: Source
    owner: str
    field: str
    privacy: Privacy

    @property
    def level(self) -> Level:
        return self.privacy.level


OFFICER_ID: Final = Personal.PERSON_ID.of(Subject.OFFICER)

ENVELOPE: Final[dict[str, Privacy]] = {
    "position": NotPersonal.PROCEDURE,
    "stream_id": Personal.PERSON_ID,
    "stream_version": NotPersonal.PROCEDURE,
    "unit_id": NotPersonal.UNIT,
    "also_unit_id": NotPersonal.UNIT,
    "event_type": Sensitive.PARTY_STANDING,  # on a person's stream, the step towards (or out of) membership
    "schema_version": NotPersonal.PROCEDURE,
    "data": NotPersonal.PROCEDURE,  # the event's own fields, classed one by one above
    "metadata": NotPersonal.PROCEDURE,  # classed key by key below
    "occurred_on": NotPersonal.PROCEDURE,
    "recorded_at": NotPersonal.PROCEDURE,
    "prev_hash": NotPersonal.PROCEDURE,
    "hash": NotPersonal.PROCEDURE,
}
"""The envelope of every event (eventstore.RecordedEvent)."""

METADATA: Final[dict[str, Privacy]] = {
    "actor": OFFICER_ID,
    "acting_unit": NotPersonal.UNIT,
    "role": NotPersonal.PROCEDURE,
    "rule_set": NotPersonal.PROCEDURE,
    "correlation_id": NotPersonal.PROCEDURE,
    "causation_id": NotPersonal.PROCEDURE,
    "client": OFFICER_ID,
    "document_ref": Personal.PAPER,  # a plain copy of the step's paper reference, outside `data`
    "idempotency_key": OFFICER_ID,  # `user:key`
}
"""The envelope's metadata (eventstore.EventMetadata, plus the idempotency key)."""

RECORDS: Final[dict[str, dict[str, Privacy]]] = {
    "audit_reads": {
        "read_id": NotPersonal.PROCEDURE,
        "read_at": NotPersonal.PROCEDURE,
        "user_id": OFFICER_ID,
        "role": NotPersonal.PROCEDURE,
        "acting_unit": NotPersonal.UNIT,
        "operation": NotPersonal.PROCEDURE,
        "subject": Personal.PERSON_ID,
        "detail": Personal.NOTE,
    },
    "access_denials": {
        "denial_id": NotPersonal.PROCEDURE,
        "at": NotPersonal.PROCEDURE,
        "status": NotPersonal.PROCEDURE,
        "reason": NotPersonal.PROCEDURE,
        "user_id": OFFICER_ID,
        "role": NotPersonal.PROCEDURE,
        "unit_id": NotPersonal.UNIT,
        "verified": NotPersonal.PROCEDURE,
        "client": OFFICER_ID,  # the caller's address
        "method": NotPersonal.PROCEDURE,
        "path": Personal.PERSON_ID,  # a person's id when the refused request named one
    },
    "person_reads": {
        "read_id": NotPersonal.PROCEDURE,
        "read_at": NotPersonal.PROCEDURE,
        "user_id": OFFICER_ID,
        "role": NotPersonal.PROCEDURE,
        "acting_unit": NotPersonal.UNIT,
        "kind": NotPersonal.PROCEDURE,
        "person_id": Personal.PERSON_ID,  # whose file was read: the id, never the data
        "unit_id": NotPersonal.UNIT,
        "people": NotPersonal.AGGREGATE,
        "position": NotPersonal.PROCEDURE,
    },
}
"""Tables beside the log that record who read or was refused what (services/audit/access.py,
services/denial_records.py, services/audit/person_reads.py); `undeclared_stored_fields` holds them to the
tables' columns."""


def event_entries() -> list[Entry]:
    return [
        Entry(Source.EVENT, name, f.path.split(".", 1)[1], f.privacy)
        for name, cls in sorted(EVENTS.registered().items())
        for f in classify(cls)
        if f.privacy is not None
    ]


def row_entries() -> list[Entry]:
    entries: list[Entry] = []
    for projection in PROJECTIONS:
        for kind in row_kinds(projection):
            for f in kind.fields(projection.name):
                if f.privacy is not None:
                    owner, field = f.path.split("].", 1)
                    entries.append(Entry(Source.READ_MODEL, owner + "]", field, f.privacy))
    return entries


def envelope_entries() -> list[Entry]:
    return [
        *(Entry(Source.ENVELOPE, "envelope", name, privacy) for name, privacy in ENVELOPE.items()),
        *(Entry(Source.ENVELOPE, "metadata", name, privacy) for name, privacy in METADATA.items()),
    ]


def record_entries() -> list[Entry]:
    return [Entry(Source.RECORD, table, name, p) for table, fields in RECORDS.items() for name, p in fields.items()]


def catalogue() -> list[Entry]:
    """Every stored field with its class: events, read models, the envelope, the record tables."""
    return [*event_entries(), *row_entries(), *envelope_entries(), *record_entries()]


def undeclared_stored_fields() -> list[str]:
    """Envelope, metadata or record-table fields the code has and this catalogue does not class; a test
    refuses any, so a column added there is classed here in the same change."""
    envelope = set(RecordedEvent.__struct_fields__) - set(ENVELOPE)
    metadata = {f.name for f in dataclasses.fields(EventMetadata)} - set(METADATA)
    tables = {table.name: {c.name for c in table.columns} for table in (audit_reads, access_denials, person_reads)}
    return [
        *(f"envelope.{name}" for name in sorted(envelope)),
        *(f"metadata.{name}" for name in sorted(metadata)),
        *(f"{table}.{name}" for table, names in tables.items() for name in sorted(names - set(RECORDS.get(table, {})))),
    ]
