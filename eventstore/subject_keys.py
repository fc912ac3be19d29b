"""Each data subject's own key, kept apart from the log (I13; issue 20 item 2).

A subject (a person of a file, each relative verified in it, an officer) has one random AES-256 key. The key is
stored wrapped (RFC 3394 AES key wrap) by a key-encryption key (KEK) that only the settings hold, in a table of
its own: on PostgreSQL the schema `ledger_keys` (so `pg_dump -N ledger_keys` backs up the log without a single
key, and the keys are backed up on their own, with their own retention); on SQLite a file of its own beside the
ledger (`<ledger>-keys.sqlite3`); in memory a dict. Erasure replaces a subject's wrapped key with a tombstone
holding only what the erasure event carries (the non-identifying residue the statistics need): from then on no
process, backup of the log or export can read that subject's fields.

The KEK can be rotated without touching the log: `rewrap` re-wraps every key under the current KEK; rows say
which KEK wrapped them (`kek_id`, a fingerprint), and the previous KEKs stay readable until rotation finished.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import msgspec
import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

KEY_SCHEMA = "ledger_keys"
"""PostgreSQL schema of the key table: apart from the log's tables, for backups and grants."""
CACHE_SECONDS = 60.0
"""How long a process keeps an unwrapped key: an erasure done by another process reaches this one's memory
within this time (the process that erases drops it at once, and one that meets the erasure event in a file it
shows drops every key it holds)."""

REQUEST_THREADS = min(32, (os.cpu_count() or 1) + 4)
"""The threads an API process runs its requests on (asyncio's default executor, which Litestar uses)."""

METADATA = sa.MetaData()
SUBJECT_KEYS = sa.Table(
    "subject_keys",
    METADATA,
    sa.Column("key_id", sa.String(64), primary_key=True),
    sa.Column("kek_id", sa.String(16)),
    sa.Column("wrapped", sa.LargeBinary),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("erased_at", sa.DateTime(timezone=True)),
    sa.Column("residue", sa.Text),
)


class KeyNotUnwrapped(LookupError):
    """A wrapped key no configured KEK opens: the settings lack the KEK that wrapped it (fail closed)."""


@dataclass(frozen=True, slots=True)
class Erased:
    """A subject whose key was destroyed: their fields read as erased, except the residue kept for counts."""

    residue: Mapping[str, Any]


SubjectKey = AESGCM | Erased


@dataclass(frozen=True)
class KeyEncryptionKeys:
    """The current KEK (wraps new keys) and the previous ones (still unwrap until `rewrap` is done)."""

    current: bytes
    previous: tuple[bytes, ...] = ()
    by_id: dict[str, bytes] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for kek in (self.current, *self.previous):
            if len(kek) != 32:
                raise ValueError("a key-encryption key is 32 bytes")
        object.__setattr__(self, "by_id", {kek_id(k): k for k in (self.current, *self.previous)})

    @classmethod
    def from_secrets(cls, current: str, previous: Sequence[str] = ()) -> KeyEncryptionKeys:
        """KEKs from the settings' secret texts (any length ≥ 32): each is stretched to 32 bytes by SHA-256
        under a fixed label, so an operator can paste any strong secret."""
        return cls(_kek_of(current), tuple(_kek_of(p) for p in previous))

    @property
    def current_id(self) -> str:
        return kek_id(self.current)

    def wrap(self, key: bytes) -> bytes:
        return aes_key_wrap(self.current, key)

    def unwrap(self, wrapped: bytes, wrapped_by: str) -> bytes:
        kek = self.by_id.get(wrapped_by)
        if kek is None:
            raise KeyNotUnwrapped(f"a subject key is wrapped by KEK {wrapped_by}, which the settings do not hold")
        try:
            return aes_key_unwrap(kek, wrapped)
        except InvalidUnwrap as exc:
            raise KeyNotUnwrapped(f"a subject key does not unwrap with KEK {wrapped_by}") from exc


def _kek_of(text: str) -> bytes:
    return hashlib.sha256(b"partyledger-kek\x00" + text.encode("utf-8")).digest()


def kek_id(kek: bytes) -> str:
    """A KEK's public fingerprint (not the key): which KEK wrapped a row."""
    return hashlib.sha256(b"partyledger-kek-id\x00" + kek).hexdigest()[:16]


@dataclass(frozen=True)
class Keyring:
    """What a process needs to seal and open personal fields: the KEKs and the secret that names keys.

    `id_secret` turns a subject's handle (a stream id, a relative within a file) into the key's id, so the key
    table never holds a stream id and the log's sealed fields name a key, not a person, in the clear.
    """

    keks: KeyEncryptionKeys
    id_secret: bytes

    def key_id(self, handle: str) -> str:
        return hmac.new(self.id_secret, handle.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


class KeyTable(Protocol):
    """Where wrapped keys and tombstones are kept; `SqlKeyTable` and `MemoryKeyTable` implement it."""

    def fetch(self, key_ids: Sequence[str]) -> dict[str, tuple[str | None, bytes | None, str | None]]:
        """key_id → (kek_id, wrapped key or None if erased, residue JSON or None) of those that exist."""
        ...

    def insert(self, rows: Sequence[tuple[str, str, bytes]]) -> None:
        """(key_id, kek_id, wrapped) for new keys; a key_id that exists already is left as it is."""
        ...

    def erase(self, key_ids: Sequence[str], residue: str) -> None:
        """Replace each key with a tombstone (creating one where no key existed yet)."""
        ...

    def rewrap(self, keks: KeyEncryptionKeys) -> int:
        """Re-wrap every live key not under the current KEK; the number re-wrapped."""
        ...

    def create(self) -> None: ...

    def close(self) -> None: ...


class SubjectKeys:
    """Keys by subject handle, unwrapped on demand and cached for `CACHE_SECONDS` (thread-safe)."""

    def __init__(self, table: KeyTable, keyring: Keyring, *, cache_seconds: float = CACHE_SECONDS) -> None:
        self.table = table
        self.keyring = keyring
        self._cache: dict[str, tuple[float, SubjectKey]] = {}
        self._lock = threading.Lock()
        self._cache_seconds = cache_seconds

    def key_id(self, handle: str) -> str:
        return self.keyring.key_id(handle)

    def for_writing(self, key_ids: Iterable[str]) -> dict[str, SubjectKey]:
        """Each subject's key, made (and kept) now for a subject seen for the first time."""
        wanted = list(dict.fromkeys(key_ids))
        found = self.for_reading(wanted)
        missing = [k for k in wanted if k not in found]
        if missing:
            fresh = [
                (k, self.keyring.keks.current_id, self.keyring.keks.wrap(secrets.token_bytes(32))) for k in missing
            ]
            self.table.insert(fresh)
            found.update(self._load(missing))  # another process may have made the same subject's key first
        return found

    def for_reading(self, key_ids: Iterable[str]) -> dict[str, SubjectKey]:
        """The keys that exist (live or erased); a key id with none is left out (its fields read as erased)."""
        now = time.monotonic()
        found: dict[str, SubjectKey] = {}
        missing: list[str] = []
        with self._lock:
            for key_id in key_ids:
                cached = self._cache.get(key_id)
                if cached is not None and now - cached[0] < self._cache_seconds:
                    found[key_id] = cached[1]
                elif key_id not in found:
                    missing.append(key_id)
        if missing:
            found.update(self._load(list(dict.fromkeys(missing))))
        return found

    def erase(self, key_ids: Sequence[str], residue: Mapping[str, Any]) -> None:
        """Destroy these keys (a tombstone keeps `residue`, which must carry no personal data)."""
        self.table.erase(list(key_ids), msgspec.json.encode(residue).decode())
        self.forget(key_ids)

    def forget_all(self) -> None:
        with self._lock:
            self._cache.clear()

    def forget(self, key_ids: Iterable[str]) -> None:
        with self._lock:
            for key_id in key_ids:
                self._cache.pop(key_id, None)

    def _load(self, key_ids: list[str]) -> dict[str, SubjectKey]:
        loaded: dict[str, SubjectKey] = {}
        for key_id, (wrapped_by, wrapped, residue) in self.table.fetch(key_ids).items():
            if wrapped is None or wrapped_by is None:
                loaded[key_id] = Erased(msgspec.json.decode(residue) if residue else {})
            else:
                loaded[key_id] = AESGCM(self.keyring.keks.unwrap(wrapped, wrapped_by))
        now = time.monotonic()
        with self._lock:
            for key_id, key in loaded.items():
                self._cache[key_id] = (now, key)
        return loaded


class MemoryKeyTable:
    """The key table of a memory log (fast tests of use cases)."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str | None, bytes | None, str | None]] = {}
        self._lock = threading.Lock()

    def fetch(self, key_ids: Sequence[str]) -> dict[str, tuple[str | None, bytes | None, str | None]]:
        with self._lock:
            return {k: self.rows[k] for k in key_ids if k in self.rows}

    def insert(self, rows: Sequence[tuple[str, str, bytes]]) -> None:
        with self._lock:
            for key_id, wrapped_by, wrapped in rows:
                self.rows.setdefault(key_id, (wrapped_by, wrapped, None))

    def erase(self, key_ids: Sequence[str], residue: str) -> None:
        with self._lock:
            for key_id in key_ids:
                self.rows[key_id] = (None, None, residue)

    def rewrap(self, keks: KeyEncryptionKeys) -> int:
        count = 0
        with self._lock:
            for key_id, (wrapped_by, wrapped, residue) in list(self.rows.items()):
                if wrapped is not None and wrapped_by is not None and wrapped_by != keks.current_id:
                    self.rows[key_id] = (keks.current_id, keks.wrap(keks.unwrap(wrapped, wrapped_by)), residue)
                    count += 1
        return count

    def create(self) -> None:
        return None

    def close(self) -> None:
        return None


class SqlKeyTable:
    """The key table on PostgreSQL (schema `ledger_keys`) or SQLite (a file of its own), via SQLAlchemy Core."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.table = SUBJECT_KEYS.to_metadata(sa.MetaData(), schema=KEY_SCHEMA) if self._postgres else SUBJECT_KEYS

    @classmethod
    def for_log(cls, url: str) -> SqlKeyTable:
        """The key table that belongs to the log at `url`: same PostgreSQL database, or a SQLite file beside."""
        if url.startswith(("postgresql", "postgres://")):
            rest = url.split("://", 1)[1]
            # As many kept connections as an API process has request threads (asyncio's default executor:
            # min(32, CPUs + 4)): with 2 kept and the rest overflow, concurrent key fetches opened and closed a
            # PostgreSQL connection each (the `http` bench's slowest commands, bench/README.md).
            threads = min(32, (os.cpu_count() or 1) + 4)
            return cls(
                sa.create_engine("postgresql+psycopg://" + rest, pool_size=threads, max_overflow=4, pool_pre_ping=True)
            )
        path = url.removeprefix("sqlite:///") if url.startswith("sqlite") else url
        keys = path[: -len(".sqlite3")] + "-keys.sqlite3" if path.endswith(".sqlite3") else path + "-keys"
        engine = sa.create_engine(f"sqlite:///{keys}", connect_args={"timeout": 30})
        sa.event.listen(engine, "connect", _overwrite_deleted)
        return cls(engine)

    @property
    def _postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def create(self) -> None:
        with self.engine.begin() as connection:
            if self._postgres:
                connection.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {KEY_SCHEMA}"))
            self.table.metadata.create_all(connection, checkfirst=True)

    def fetch(self, key_ids: Sequence[str]) -> dict[str, tuple[str | None, bytes | None, str | None]]:
        t = self.table
        found: dict[str, tuple[str | None, bytes | None, str | None]] = {}
        with self.engine.connect() as connection:
            for start in range(0, len(key_ids), 5000):
                chunk = key_ids[start : start + 5000]
                query = sa.select(t.c.key_id, t.c.kek_id, t.c.wrapped, t.c.residue).where(t.c.key_id.in_(chunk))
                for key_id, wrapped_by, wrapped, residue in connection.execute(query):
                    found[key_id] = (wrapped_by, bytes(wrapped) if wrapped is not None else None, residue)
        return found

    def insert(self, rows: Sequence[tuple[str, str, bytes]]) -> None:
        values = [{"key_id": k, "kek_id": by, "wrapped": w} for k, by, w in rows]
        insert: Any = (postgresql_insert if self._postgres else sqlite_insert)(self.table)
        with self.engine.begin() as connection:
            connection.execute(insert.on_conflict_do_nothing(index_elements=["key_id"]), values)

    def erase(self, key_ids: Sequence[str], residue: str) -> None:
        t = self.table
        insert: Any = (postgresql_insert if self._postgres else sqlite_insert)(t)
        tombstone = {"kek_id": None, "wrapped": None, "residue": residue, "erased_at": sa.func.now()}
        with self.engine.begin() as connection:
            for key_id in key_ids:
                statement = insert.values(key_id=key_id, **tombstone).on_conflict_do_update(
                    index_elements=["key_id"], set_=tombstone
                )
                connection.execute(statement)

    def rewrap(self, keks: KeyEncryptionKeys) -> int:
        t = self.table
        count = 0
        with self.engine.begin() as connection:
            rows = connection.execute(
                sa.select(t.c.key_id, t.c.kek_id, t.c.wrapped).where(
                    t.c.wrapped.is_not(None), t.c.kek_id != keks.current_id
                )
            ).all()
            for key_id, wrapped_by, wrapped in rows:
                fresh = keks.wrap(keks.unwrap(bytes(wrapped), wrapped_by))
                connection.execute(t.update().where(t.c.key_id == key_id).values(kek_id=keks.current_id, wrapped=fresh))
                count += 1
        return count

    def close(self) -> None:
        self.engine.dispose()


def _overwrite_deleted(dbapi_connection: Any, _record: object) -> None:
    """A destroyed key's bytes are overwritten in the file, not left in a free page (R-PRIVACY-ERASE)."""
    dbapi_connection.execute("PRAGMA secure_delete=ON")


def grant_app_role(connection: sa.Connection, role: str) -> None:
    """The app role reads keys, adds them and turns them into tombstones; never deletes a row or drops one."""
    quoted = sa.text(f'"{role}"').text
    connection.execute(sa.text(f"GRANT USAGE ON SCHEMA {KEY_SCHEMA} TO {quoted}"))
    connection.execute(sa.text(f"GRANT SELECT, INSERT, UPDATE ON {KEY_SCHEMA}.subject_keys TO {quoted}"))
