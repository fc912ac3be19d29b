"""Export the log (or the streams of a unit's subtree) as JSON Lines, and import such a file into an empty log.

Line 1 is a header, then one event per line in position order, then the seals, then one `head` line per
stream (its last version, position and hash when exported), then an `end` line with the counts and the
export's digest (a truncated file is refused). Each event carries its position, both clocks, `prev_hash` and
`hash` exactly as stored, so an import recomputes every hash with `verify` itself and refuses a file whose
line does not fit, naming that line; nothing is written unless the whole file verifies.

A chain proves what comes before an event, never that nothing came after: a stream whose last events were
cut still verifies. The head lines say where each stream ended, and every stream's events in the file must
end exactly there. The export's digest binds the header, every head (whose hash chains all of its stream's
events) and every seal, so editing a head to match a cut tail changes the digest: `export` prints it (and
signs it with the sealing key when given one), and `import --digest` / `--public-key` check it against the
copy kept outside the file. A subtree export holds whole streams (a person who moved keeps their earlier
events) but cannot prove seals, which bind the whole log: its seals are not written, and its heads and
digest are what prove it whole.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from eventstore import EventStore, RecordedEvent, verify_events
from eventstore.canonical import canonical_json, format_recorded_at, parse_recorded_at
from eventstore.history import events_of_streams, streams_touching
from eventstore.restore import restore
from eventstore.store import Seal

FORMAT = "partyledger-export/2"
OLD_FORMAT = "partyledger-export/1"
"""Without head lines: still imported when it is a full export (its seals bind the log), never a subtree one."""
SIGNED_PREFIX = b"partyledger export v2\n"
"""Names what the sealing key signs here, so an export's signature never passes for a seal's."""
_ENCODER = msgspec.json.Encoder()


class ImportRefused(Exception):
    """The file does not verify; `line` is the first line that does not fit (1-based)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Exported:
    events: int
    seals: int
    digest: bytes = b""
    """The export's digest (`export_digest`), to be kept apart from the file."""


@dataclass(frozen=True)
class Head:
    """Where a stream ended when it was exported."""

    stream_version: int
    position: int
    hash: bytes


def export_digest(header: dict[str, Any], heads: dict[str, Head], seals: Sequence[Seal]) -> bytes:
    """SHA-256 over the header, each stream's head (sorted by stream) and each seal's hash: the heads chain
    every exported event, so this one value stands for the whole file."""
    digest = hashlib.sha256(SIGNED_PREFIX + canonical_json(header))
    for stream_id in sorted(heads):
        head = heads[stream_id]
        digest.update(canonical_json([stream_id, head.stream_version, head.position, head.hash.hex()]))
    for seal in seals:
        digest.update(seal.seal_hash)
    return digest.digest()


def _event_line(e: RecordedEvent) -> dict[str, Any]:
    return {
        "kind": "event",
        "position": e.position,
        "stream_id": e.stream_id,
        "stream_version": e.stream_version,
        "unit_id": e.unit_id,
        "also_unit_id": e.also_unit_id,
        "event_type": e.event_type,
        "schema_version": e.schema_version,
        "data": e.data,
        "metadata": e.metadata,
        "occurred_on": e.occurred_on.isoformat(),
        "recorded_at": format_recorded_at(e.recorded_at),
        "prev_hash": e.prev_hash.hex(),
        "hash": e.hash.hex(),
    }


def _seal_line(s: Seal) -> dict[str, Any]:
    """A signature travels with its seal (an unsigned one has none), so the import can be checked with the
    sealing key's public half."""
    signed = {} if s.signature is None else {"signature": s.signature.hex()}
    stamped = {} if s.timestamp is None else {"rfc3161": base64.b64encode(s.timestamp).decode()}
    return (
        signed
        | stamped
        | {
            "kind": "seal",
            "seal_number": s.seal_number,
            "up_to_position": s.up_to_position,
            "event_count": s.event_count,
            "prev_seal_hash": s.prev_seal_hash.hex(),
            "seal_hash": s.seal_hash.hex(),
            "sealed_at": format_recorded_at(s.sealed_at),
        }
    )


def export_log(
    store: EventStore,
    out: IO[bytes],
    units: Sequence[str] | None = None,
    *,
    sign: Callable[[bytes], bytes] | None = None,
) -> Exported:
    """Write the whole log with its seals, or every stream touching `units` (no seals), then each stream's
    head and the digest (signed with `sign`, the sealing key's, when given)."""
    events: Iterable[RecordedEvent]
    if units is None:
        events, seals = store.iter_raw(), store.seals()
    else:
        events, seals = sorted(events_of_streams(store, streams_touching(store, units)), key=lambda e: e.position), []
    header = {"kind": "header", "format": FORMAT, "units": list(units) if units is not None else None}
    _write(out, header)
    count = 0
    heads: dict[str, Head] = {}
    for event in events:
        _write(out, _event_line(event))
        heads[event.stream_id] = Head(event.stream_version, event.position, event.hash)
        count += 1
    for seal in seals:
        _write(out, _seal_line(seal))
    for stream_id, head in heads.items():
        _write(out, _head_line(stream_id, head))
    digest = export_digest(header, heads, seals)
    signed = {} if sign is None else {"signature": sign(SIGNED_PREFIX + digest).hex()}
    _write(
        out,
        {"kind": "end", "events": count, "seals": len(seals), "streams": len(heads), "digest": digest.hex()} | signed,
    )
    return Exported(count, len(seals), digest)


def _head_line(stream_id: str, head: Head) -> dict[str, Any]:
    return {
        "kind": "head",
        "stream_id": stream_id,
        "stream_version": head.stream_version,
        "position": head.position,
        "hash": head.hash.hex(),
    }


def _write(out: IO[bytes], line: dict[str, Any]) -> None:
    out.write(_ENCODER.encode(line) + b"\n")


@dataclass(frozen=True)
class Scanned:
    header: dict[str, Any]
    seals: list[Seal]
    events: int
    heads: dict[str, tuple[int, Head]]
    """stream → (its head line's number, the head)."""
    end: dict[str, Any]
    end_line: int


def import_log(
    store: EventStore, path: Path, *, digest: bytes | None = None, public_key: Ed25519PublicKey | None = None
) -> Exported:
    """Verify the whole file (structure, every hash and chain, each stream ending at its head, the digest, and
    the seals of a full export), then write it into the empty log in one transaction. `digest` and
    `public_key` check the file against what was kept apart from it: the digest `export` printed, the key
    that signed it."""
    scanned = _scan(path)
    full = scanned.header.get("units") is None
    found = _check_digest(scanned, digest, public_key)
    position_line: dict[int, int] = {}
    tails: dict[str, Head] = {}
    report = verify_events(_events(path, position_line, tails), scanned.seals if full else [])
    if not report.ok:
        assert report.problem is not None
        line = position_line.get(report.problem.position, scanned.end_line)
        raise ImportRefused(line, f"{report.problem.kind}: {report.problem.message}")
    if scanned.header["format"] == FORMAT:
        _check_tails(scanned, tails)
    written = restore(store, _events(path, {}, {}), scanned.seals if full else [])
    return Exported(written, len(scanned.seals) if full else 0, found)


def _check_digest(scanned: Scanned, kept: bytes | None, public_key: Ed25519PublicKey | None) -> bytes:
    """The digest recomputed from the file must be the end line's, the kept one's, and signed by the key."""
    if scanned.header["format"] == OLD_FORMAT:
        if kept is not None or public_key is not None:
            raise ImportRefused(1, f"a {OLD_FORMAT} file has no digest to check: export it again")
        return b""
    found = export_digest(scanned.header, {s: h for s, (_, h) in scanned.heads.items()}, scanned.seals)
    if scanned.end.get("digest") != found.hex():
        raise ImportRefused(scanned.end_line, "the export's digest does not match its heads and seals")
    if kept is not None and kept != found:
        raise ImportRefused(scanned.end_line, "the export's digest is not the one kept: the file was changed")
    if public_key is not None:
        try:
            public_key.verify(bytes.fromhex(str(scanned.end.get("signature", ""))), SIGNED_PREFIX + found)
        except (InvalidSignature, ValueError) as exc:
            raise ImportRefused(scanned.end_line, "the export is not signed by the sealing key") from exc
    return found


def _check_tails(scanned: Scanned, tails: dict[str, Head]) -> None:
    """Every stream's events end at its head, and every head has its stream's events."""
    for stream_id, (line, head) in scanned.heads.items():
        tail = tails.get(stream_id)
        if tail != head:
            ends = "no events" if tail is None else f"events ending at version {tail.stream_version}"
            raise ImportRefused(
                line, f"the stream has {ends} in the file, but ended at version {head.stream_version}: its tail was cut"
            )
    if len(tails) != len(scanned.heads):
        raise ImportRefused(scanned.end_line, "a stream's events have no head line")


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open("rb") as source:
        for number, raw in enumerate(source, start=1):
            try:
                value = msgspec.json.decode(raw)
            except msgspec.DecodeError as exc:
                raise ImportRefused(number, f"not JSON: {exc}") from exc
            if not isinstance(value, dict) or "kind" not in value:
                raise ImportRefused(number, "not a line of a Party Ledger export")
            yield number, value


def _scan(path: Path) -> Scanned:
    """The header, the seals, the event count and the heads; refuses a file cut short or out of order."""
    header: dict[str, Any] | None = None
    seals: list[Seal] = []
    heads: dict[str, tuple[int, Head]] = {}
    events, end, end_line = 0, None, 0
    for number, line in _lines(path):
        kind = line["kind"]
        if end is not None or (header is None) != (kind == "header"):
            raise ImportRefused(number, "out of place: a file is a header, events, seals, heads and an end line")
        if kind == "header":
            if line.get("format") not in (FORMAT, OLD_FORMAT):
                raise ImportRefused(number, f"not a {FORMAT} file")
            if line["format"] == OLD_FORMAT and line.get("units") is not None:
                raise ImportRefused(number, f"a {OLD_FORMAT} subtree export cannot prove its streams' ends")
            header = line
        elif kind == "event":
            if seals or heads:
                raise ImportRefused(number, "an event after the seals or heads")
            events += 1
        elif kind == "seal":
            if heads:
                raise ImportRefused(number, "a seal after the heads")
            seals.append(_parsed(number, line, _seal))
        elif kind == "head":
            stream_id, head = _parsed(number, line, _head)
            if stream_id in heads:
                raise ImportRefused(number, "a second head line for one stream")
            heads[stream_id] = (number, head)
        elif kind == "end":
            assert header is not None  # an end before the header is out of place above
            counted = (events, len(seals)) + ((len(heads),) if header["format"] == FORMAT else ())
            stated = (line.get("events"), line.get("seals")) + (
                (line.get("streams"),) if header["format"] == FORMAT else ()
            )
            if stated != counted:
                raise ImportRefused(
                    number,
                    f"the end line counts other than the {events} events, {len(seals)} seals and {len(heads)} heads",
                )
            end, end_line = line, number
        else:
            raise ImportRefused(number, f"unknown line kind {kind!r}")
    if header is None or end is None:
        raise ImportRefused(number if header else 1, "the file ends without its end line (truncated)")
    return Scanned(header, seals, events, heads, end, end_line)


def _events(path: Path, position_line: dict[int, int], tails: dict[str, Head]) -> Iterator[RecordedEvent]:
    last = 0
    for number, line in _lines(path):
        if line["kind"] == "event":
            event = _parsed(number, line, _event)
            if event.position <= last:
                raise ImportRefused(number, "positions must rise from line to line")
            position_line[event.position], last = number, event.position
            tails[event.stream_id] = Head(event.stream_version, event.position, event.hash)
            yield event


def _parsed(number: int, line: dict[str, Any], parse: Callable[[dict[str, Any]], Any]) -> Any:
    try:
        return parse(line)
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportRefused(number, f"malformed {line.get('kind')} line: {type(exc).__name__} {exc}") from exc


def _event(line: dict[str, Any]) -> RecordedEvent:
    if not isinstance(line["data"], dict) or not isinstance(line["metadata"], dict):
        raise TypeError("data and metadata must be JSON objects")
    return RecordedEvent(
        int(line["position"]),
        str(line["stream_id"]),
        int(line["stream_version"]),
        str(line["unit_id"]),
        str(line["event_type"]),
        int(line["schema_version"]),
        line["data"],
        line["metadata"],
        date.fromisoformat(line["occurred_on"]),
        parse_recorded_at(line["recorded_at"]),
        bytes.fromhex(line["prev_hash"]),
        bytes.fromhex(line["hash"]),
        line["also_unit_id"],
    )


def _seal(line: dict[str, Any]) -> Seal:
    return Seal(
        int(line["seal_number"]),
        int(line["up_to_position"]),
        int(line["event_count"]),
        bytes.fromhex(line["prev_seal_hash"]),
        bytes.fromhex(line["seal_hash"]),
        parse_recorded_at(line["sealed_at"]),
        bytes.fromhex(line["signature"]) if "signature" in line else None,
        base64.b64decode(line["rfc3161"], validate=True) if "rfc3161" in line else None,
    )


def _head(line: dict[str, Any]) -> tuple[str, Head]:
    return str(line["stream_id"]), Head(int(line["stream_version"]), int(line["position"]), bytes.fromhex(line["hash"]))
