"""Encrypt then hash: each event's personal fields sealed with their data subject's own key (I7, I13).

Before an event is hashed and written, every leaf its class declares personal or sensitive (`domain/privacy.py`)
is taken out of `data` (and `document_ref` out of `metadata`) and sealed, per data subject, into one AES-256-GCM
ciphertext under that subject's key (`eventstore/subject_keys.py`), kept in the event as

    "_sealed": {"<key id>": "<base64url(nonce ‖ ciphertext ‖ tag)>"}

The plaintext is the canonical JSON of `[[path, value], …]`; the associated data is the envelope's identity
(stream, version, type, key id and part), so a ciphertext moved to another event or field does not open. The
chain hash covers the sealed form, so `verify` and exports need no key. Reading puts the values back; a subject
whose key was erased reads with each sealed leaf replaced by the tombstone's residue (the categorical values the
statistics count, `residue_of`) or by a placeholder (`ERASED_TEXT` for text), so every read model and replay
still decodes the event and aggregates stay right.

Why AES-256-GCM (cryptography's `AESGCM`, OpenSSL with AES-NI): an AEAD from a well-kept library, the fastest
here for short messages (one call per subject per event), 96-bit random nonces, far from the 2³² messages per
key where random nonces become a risk (a person's file holds hundreds of events). Ids (`Kind.PERSON_ID`) stay
clear: they are keyed pseudonyms the log's streams are found by, and name no one once the subject is erased.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import enum
import os
import re
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Union, get_args, get_origin

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.codec import EventCodec
from domain.privacy import ERASED_TEXT, Kind, Level, Privacy, Subject, privacy_of

from .subject_keys import Erased, SubjectKey, SubjectKeys

SEALED: Final = "_sealed"
PERSON_STREAM_PREFIX: Final = "person-"

Path = tuple[str | int, ...]
_JSON = msgspec.json.Encoder(order="sorted")
_PAIRS = msgspec.json.Decoder(list[tuple[tuple[str | int, ...], Any]])
"""A sealed plaintext's [[path, value], …], paths made tuples by the decoder itself."""
_READ_JSON = msgspec.json.Encoder()
"""Opened data handed straight to a decoder: key order does not matter there (it is not hashed)."""


class SealBroken(ValueError):
    """A sealed field that does not open with its subject's key: changed behind the application's back."""


class KeyMissing(SealBroken):
    """A sealed field whose subject has no key at all, live or erased: the key store is not this log's, or was
    restored incomplete. Fail closed: nothing is shown in its place (deploy/README, Restore)."""

    def __init__(self, key_id: str) -> None:
        super().__init__(f"subject key {key_id[:8]}… is missing from the key store: restore the keys backup")


@dataclass(frozen=True, slots=True)
class Leaf:
    """One personal leaf of an event's data: where it sits (`"*"` for each item of a list), its class and type."""

    path: tuple[str, ...]
    privacy: Privacy
    hint: Any

    @property
    def categorical(self) -> bool:
        """A value from a closed set (an enum, a flag, a count): kept in an erased subject's residue."""
        base = _base(self.hint)
        return isinstance(base, type) and (issubclass(base, enum.Enum) or base in (bool, int))

    def placeholder(self) -> Any:
        """What an erased leaf reads as when the residue has nothing for it."""
        hint = self.hint
        if _optional(hint):
            return None
        base = _base(hint)
        if base is str:
            return ERASED_TEXT
        if isinstance(base, type) and issubclass(base, enum.Enum):
            return next(iter(base)).value
        if base is bool:
            return False
        if base is int:
            return 0
        if base is date:
            return "1900-01-01"
        return None


@dataclass(frozen=True, slots=True)
class Plan:
    """Which leaves of one event type are sealed, and whose each is."""

    leaves: tuple[Leaf, ...]


class FieldCipher:
    """Seals personal leaves on the way into the log and opens them on the way out (one per store)."""

    def __init__(self, keys: SubjectKeys, codec: EventCodec) -> None:
        self.keys = keys
        self.codec = codec
        self._plans: dict[str, Plan] = {}

    # -- writing ---------------------------------------------------------------------------------------

    def seal(
        self,
        stream_id: str,
        stream_version: int,
        event_type: str,
        data: Mapping[str, Any],
        metadata: dict[str, Any],
        *,
        lose_erased: bool = False,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """(data, metadata) with every personal leaf taken out and sealed under its subject's key.

        An erased subject's fields are refused (they must never be written again), unless `lose_erased`: a
        migration of a log written before encryption (`eventstore/migration.py`) meets the plaintext of people
        erased since, and seals it under a key made for this one event and forgotten at once, so it leaves the
        log for good and reads as erased (with the tombstone's residue), like every other field of theirs."""
        clear = _copy(data)
        by_handle = self._take(self.plan(event_type), stream_id, clear)
        meta = dict(metadata)
        document_ref = meta.pop("document_ref", None)
        if not by_handle and document_ref is None:
            return clear, meta
        handles = set(by_handle) | ({stream_id} if document_ref is not None else set())
        key_ids = {handle: self.keys.key_id(handle) for handle in handles}
        keys = self.keys.for_writing(key_ids.values())
        if lose_erased:
            keys = {k: AESGCM(AESGCM.generate_key(256)) if isinstance(v, Erased) else v for k, v in keys.items()}
        if by_handle:
            clear[SEALED] = {
                key_ids[h]: _encrypt(keys[key_ids[h]], pairs, _aad(stream_id, stream_version, event_type, key_ids[h]))
                for h, pairs in by_handle.items()
            }
        if document_ref is not None:
            kid = key_ids[stream_id]
            aad = _aad(stream_id, stream_version, event_type, kid, "metadata")
            meta[SEALED] = {kid: _encrypt(keys[kid], [(("document_ref",), document_ref)], aad)}
        return clear, meta

    def _take(self, plan: Plan, stream_id: str, data: dict[str, Any]) -> dict[str, list[tuple[Path, Any]]]:
        by_handle: dict[str, list[tuple[Path, Any]]] = {}
        for leaf in plan.leaves:
            for path, parent, value in _found(data, leaf.path):
                if value is None:
                    continue  # nothing to hide; an absent optional value stays visibly absent
                handle = _handle(leaf.privacy.subject, stream_id, data, parent)
                by_handle.setdefault(handle, []).append((path, value))
        for pairs in by_handle.values():
            for path, _ in pairs:
                _remove(data, path)
        return by_handle

    def forget_all(self) -> None:
        """Drop every key this process keeps unwrapped: an erasure elsewhere must not be read past (I13)."""
        self.keys.forget_all()

    def warm(self, streams: Iterable[Any]) -> None:
        """Make (or load) every key a batch of new streams will be sealed with, in one round trip."""
        wanted: list[str] = []
        for stream in streams:
            events = [(e.event_type, e.data) for e in stream.events]
            handles = self.handles_of(stream.stream_id, events) | {stream.stream_id}
            wanted += [self.keys.key_id(handle) for handle in handles]
        if wanted:
            self.keys.for_writing(wanted)

    # -- reading ---------------------------------------------------------------------------------------

    def prefetch(self, envelopes: Iterable[Any]) -> None:
        """Load, in one query, the keys a page of events will need (a rebuild reads thousands per page)."""
        wanted: list[str] = []
        for envelope in envelopes:
            data = getattr(envelope, "data_json", None)
            if data is not None:
                if _holds_seal(data):
                    wanted.extend(_sealed_key_ids(data))
            elif SEALED in envelope.data:
                wanted.extend(envelope.data[SEALED])
        if wanted:
            self.keys.for_reading(wanted)

    def open(self, stream_id: str, stream_version: int, event_type: str, data: Mapping[str, Any]) -> dict[str, Any]:
        """The event's data with its sealed leaves back in place (or, for an erased subject, its residue)."""
        sealed = data.get(SEALED)
        if sealed is None:
            return data if isinstance(data, dict) else dict(data)
        return self._open_owned(stream_id, stream_version, event_type, _copy(data))

    def _open_owned(
        self,
        stream_id: str,
        stream_version: int,
        event_type: str,
        opened: dict[str, Any],
        keys: Mapping[str, SubjectKey] | None = None,
    ) -> dict[str, Any]:
        """`open` on data this call may change in place (freshly decoded: no copy to make), with the subject
        keys already fetched for its page when given (a key id not among them has no key at all)."""
        sealed = opened.pop(SEALED)
        if keys is None:
            keys = self.keys.for_reading(sealed)
        erased: list[Erased] = []
        for key_id, blob in sealed.items():
            key = keys.get(key_id)
            if isinstance(key, AESGCM):
                for path, value in _decrypt(key, blob, _aad(stream_id, stream_version, event_type, key_id)):
                    _put(opened, path, value)
            elif isinstance(key, Erased):
                erased.append(key)
            else:
                raise KeyMissing(key_id)
        if erased:
            self._fill_erased(event_type, stream_version, opened, erased)
        return opened

    def open_metadata(
        self, stream_id: str, stream_version: int, event_type: str, metadata: Mapping[str, Any]
    ) -> dict[str, Any]:
        sealed = metadata.get(SEALED)
        opened = dict(metadata)
        if sealed is None:
            return opened
        del opened[SEALED]
        keys = self.keys.for_reading(sealed)
        for key_id, blob in sealed.items():
            key = keys.get(key_id)
            aad = _aad(stream_id, stream_version, event_type, key_id, "metadata")
            if isinstance(key, AESGCM):
                for path, value in _decrypt(key, blob, aad):
                    opened[str(path[0])] = value
            elif isinstance(key, Erased):
                opened["document_ref"] = ERASED_TEXT
            else:
                raise KeyMissing(key_id)
        return opened

    def open_json(self, stream_id: str, stream_version: int, event_type: str, data_json: bytes | str) -> bytes | str:
        """Stored data JSON as a reader needs it: unchanged unless it holds sealed leaves."""
        if not _holds_seal(data_json):
            return data_json
        data = msgspec.json.decode(data_json)
        if not isinstance(data, dict) or SEALED not in data:
            return data_json  # the text appeared inside a value, not as the seal's key
        return _READ_JSON.encode(self._open_owned(stream_id, stream_version, event_type, data))

    def open_page(self, envelopes: Iterable[Any]) -> dict[int, bytes | str | Exception]:
        """position → each stored event's data JSON as a reader needs it (`open_json`), or the error opening it
        raised (the runner parks the event's projections there, not the whole page). One pass: each sealed
        event is decoded once, its page's subject keys fetched in one query, then opened; a rebuild opens
        ~180,000 sealed events of a province this way, and a separate prefetch scan cost a tenth of that."""
        opened: dict[int, bytes | str | Exception] = {}
        sealed: list[tuple[Any, dict[str, Any]]] = []
        wanted: list[str] = []
        for envelope in envelopes:
            data_json = envelope.data_json
            if _holds_seal(data_json):
                data = msgspec.json.decode(data_json)
                if isinstance(data, dict) and SEALED in data:
                    sealed.append((envelope, data))
                    wanted.extend(data[SEALED])
                    continue
            opened[envelope.position] = data_json
        keys = self.keys.for_reading(wanted) if wanted else {}
        for envelope, data in sealed:
            try:
                data = self._open_owned(envelope.stream_id, envelope.stream_version, envelope.event_type, data, keys)
                opened[envelope.position] = _READ_JSON.encode(data)
            except Exception as exc:  # an event that does not open poisons only itself (the caller decides)
                opened[envelope.position] = exc
        return opened

    def _fill_erased(self, event_type: str, version: int, data: dict[str, Any], erased: list[Erased]) -> None:
        residue: dict[str, Any] = {}
        for tombstone in erased:
            residue.update(tombstone.residue.get(str(version), {}))
        for leaf in self.plan(event_type).leaves:
            for path in _missing(data, leaf.path):
                dotted = ".".join(str(p) for p in path)
                _put(data, path, residue[dotted] if dotted in residue else leaf.placeholder())

    # -- erasure ---------------------------------------------------------------------------------------

    def handles_of(self, stream_id: str, events: Sequence[tuple[str, Mapping[str, Any]]]) -> set[str]:
        """Every subject handle whose fields these (type, opened data) events of one stream hold."""
        handles: set[str] = set()
        for event_type, data in events:
            for leaf in self.plan(event_type).leaves:
                for _, parent, value in _found(data, leaf.path):
                    if value is not None:
                        handles.add(_handle(leaf.privacy.subject, stream_id, data, parent))
        return handles

    def residue_of(self, events: Sequence[tuple[int, str, Mapping[str, Any]]]) -> dict[str, dict[str, Any]]:
        """version → {dotted path: value} of the categorical personal leaves of the file's own person: what
        the counts by sex, ethnicity, religion, education, occupation, grade… read, and nothing that names."""
        residue: dict[str, dict[str, Any]] = {}
        for version, event_type, data in events:
            kept = {
                ".".join(str(p) for p in path): value
                for leaf in self.plan(event_type).leaves
                if leaf.categorical and leaf.privacy.subject is Subject.PERSON
                for path, _, value in _found(data, leaf.path)
            }
            if kept:
                residue[str(version)] = kept
        return residue

    def plan(self, event_type: str) -> Plan:
        plan = self._plans.get(event_type)
        if plan is None:
            cls = self.codec.event_class(event_type)
            plan = self._plans[event_type] = Plan(tuple(leaf for leaf in _leaves(cls, ()) if _sealable(leaf.privacy)))
        return plan


class NoCipher:
    """A log without keys: events are written and read as they are (the memory store of fast unit tests,
    and logs written before encryption, whose plaintext events stay readable)."""

    def seal(
        self,
        stream_id: str,
        stream_version: int,
        event_type: str,
        data: Mapping[str, Any],
        metadata: dict[str, Any],
        *,
        lose_erased: bool = False,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        return dict(data), metadata

    def prefetch(self, envelopes: Iterable[Any]) -> None:
        return None

    def warm(self, streams: Iterable[Any]) -> None:
        return None

    def forget_all(self) -> None:
        return None

    def open(self, stream_id: str, stream_version: int, event_type: str, data: Mapping[str, Any]) -> dict[str, Any]:
        if SEALED in data:
            raise SealBroken("this log holds sealed personal data and the process was given no keys")
        return data if isinstance(data, dict) else dict(data)

    def open_metadata(
        self, stream_id: str, stream_version: int, event_type: str, metadata: Mapping[str, Any]
    ) -> dict[str, Any]:
        return dict(metadata)

    def open_json(self, stream_id: str, stream_version: int, event_type: str, data_json: bytes | str) -> bytes | str:
        if _holds_seal(data_json):
            raise SealBroken("this log holds sealed personal data and the process was given no keys")
        return data_json

    def open_page(self, envelopes: Iterable[Any]) -> dict[int, bytes | str | Exception]:
        refused = SealBroken("this log holds sealed personal data and the process was given no keys")
        return {e.position: refused if _holds_seal(e.data_json) else e.data_json for e in envelopes}


Cipher = FieldCipher | NoCipher
NO_CIPHER: Final = NoCipher()


def close_keys(cipher: Cipher) -> None:
    """Release the key table's connections with the store's own."""
    if isinstance(cipher, FieldCipher):
        cipher.keys.table.close()


def _sealable(privacy: Privacy) -> bool:
    return privacy.level is not Level.NOT_PERSONAL and privacy.kind is not Kind.PERSON_ID


def _handle(subject: Subject | None, stream_id: str, data: Mapping[str, Any], parent: Mapping[str, Any]) -> str:
    """Whose key seals a leaf. A relative is a subject of their own within the file (by relation and name, as
    the background form tells them apart); an officer by their account; everyone else is the stream's person."""
    if subject is Subject.RELATIVE:
        key = parent.get("subject_key") or f"{parent.get('relation')}:{parent.get('full_name')}"
        return f"{stream_id}|relative|{key}"
    if subject is Subject.OFFICER and "user_id" in data:
        return f"officer|{data['user_id']}"
    return stream_id


def _aad(stream_id: str, version: int, event_type: str, key_id: str, part: str = "data") -> bytes:
    return f"{stream_id}\x00{version}\x00{event_type}\x00{key_id}\x00{part}".encode()


def _encrypt(key: SubjectKey, pairs: list[tuple[Path, Any]], aad: bytes) -> str:
    if not isinstance(key, AESGCM):
        raise SealBroken("personal data of an erased subject cannot be written again")
    nonce = os.urandom(12)
    plaintext = _JSON.encode([[list(path), value] for path, value in pairs])
    return base64.urlsafe_b64encode(nonce + key.encrypt(nonce, plaintext, aad)).decode("ascii")


def _decrypt(key: AESGCM, blob: str, aad: bytes) -> list[tuple[Path, Any]]:
    # base64url by one table lookup and the C decoder: `urlsafe_b64decode` costs twice as much (a rebuild
    # opens one blob per sealed event)
    raw = binascii.a2b_base64(blob.encode("ascii").translate(_FROM_URLSAFE))
    try:
        plaintext = key.decrypt(raw[:12], raw[12:], aad)
    except InvalidTag as exc:
        raise SealBroken("a sealed field does not open with its subject's key") from exc
    return _PAIRS.decode(plaintext)


_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")


_KEY_ID_TEXT = re.compile(r'"([0-9a-f]{32})"\s*:')
_KEY_ID_BYTES = re.compile(rb'"([0-9a-f]{32})"\s*:')


def _sealed_key_ids(data_json: bytes | str) -> list[str]:
    """The key ids of a stored event's `"_sealed"` object, found in its text without decoding the whole event
    (a prefetch only: an id missed here is loaded when the event is opened). Inside that object only key ids
    are followed by a colon: the values are base64url, and a quote inside any string value is escaped."""
    if isinstance(data_json, bytes):
        start = data_json.find(b'"_sealed"')
        return [m.decode() for m in _KEY_ID_BYTES.findall(data_json, start, data_json.find(b"}", start))]
    start = data_json.find('"_sealed"')
    return _KEY_ID_TEXT.findall(data_json, start, data_json.find("}", start))


def _holds_seal(data_json: bytes | str) -> bool:
    return (b'"_sealed"' in data_json) if isinstance(data_json, bytes) else ('"_sealed"' in data_json)


def _copy(data: Mapping[str, Any]) -> dict[str, Any]:
    """Deep enough to take leaves out of nested objects and lists without touching the caller's data."""
    return {k: _copy_value(v) for k, v in data.items()}


def _copy_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copy_value(v) for v in value]
    return value


def _found(data: Any, pattern: tuple[str, ...], prefix: Path = ()) -> Iterable[tuple[Path, Any, Any]]:
    """(concrete path, parent object, value) of each leaf present at `pattern` (`*`: every list item)."""
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from _found(item, rest, (*prefix, index)) if rest else ()
        return
    if not isinstance(data, dict) or head not in data:
        return
    if rest:
        yield from _found(data[head], rest, (*prefix, head))
    else:
        yield (*prefix, head), data, data[head]


def _missing(data: Any, pattern: tuple[str, ...], prefix: Path = ()) -> Iterable[Path]:
    """Concrete paths at `pattern` whose parent exists but whose leaf is absent (taken out when sealed)."""
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from _missing(item, rest, (*prefix, index))
        return
    if not isinstance(data, dict):
        return
    if not rest:
        if head not in data:
            yield (*prefix, head)
    elif isinstance(data.get(head), dict | list):
        yield from _missing(data[head], rest, (*prefix, head))


def _remove(data: Any, path: Path) -> None:
    for step in path[:-1]:
        data = data[step]
    del data[path[-1]]


def _put(data: Any, path: Path, value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def _leaves(shape: type, prefix: tuple[str, ...]) -> Iterable[Leaf]:
    hints = typing.get_type_hints(shape, include_extras=True)
    names = [f.name for f in dataclasses.fields(shape)] if dataclasses.is_dataclass(shape) else list(hints)
    for name in names:
        hint = hints[name]
        if name in ("event_type", "schema_version"):
            continue
        declared = privacy_of(hint)
        if declared is not None:
            yield Leaf((*prefix, name), declared, get_args(hint)[0])
            continue
        for inner, many in _nested(hint):
            yield from _leaves(inner, (*prefix, name, "*") if many else (*prefix, name))


def _nested(hint: Any) -> list[tuple[type, bool]]:
    """The dataclasses / TypedDicts a field holds: (shape, held in a list)."""
    if isinstance(hint, type) and (dataclasses.is_dataclass(hint) or typing.is_typeddict(hint)):
        return [(hint, False)]
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return [n for arg in get_args(hint) for n in _nested(arg)]
    if origin in (tuple, list, frozenset, set):
        return [(shape, True) for arg in get_args(hint) if arg is not Ellipsis for shape, _ in _nested(arg)]
    return []


def _optional(hint: Any) -> bool:
    return get_origin(hint) in (Union, types.UnionType) and type(None) in get_args(hint)


def _base(hint: Any) -> Any:
    if get_origin(hint) in (Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        return args[0] if len(args) == 1 else None
    return hint
