"""Each data subject's own key, kept apart from the log (I13; issue 20 item 2).

A subject (a person of a file, each relative verified in it, an officer) has one random AES-256 key. The key is
stored wrapped (AES-256-GCM under the KEK; see `KeyEncryptionKeys`) by a key-encryption key (KEK) that only the
settings hold, in a table of
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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import msgspec
import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
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
    """The current KEK (wraps new keys) and the previous ones (still unwrap until `rewrap` is done).

    A key is wrapped with AES-256-GCM under the KEK (a random 96-bit nonce ‖ ciphertext ‖ tag, 60 bytes; the
    associated data names the purpose): an AEAD from the same library as the fields', and one call to unwrap.
    RFC 3394 key wrap (`aes_key_wrap`, 40 bytes), which the first keys were wrapped with and which still
    unwraps, is as sound but costs ~200 µs a key in cryptography's Python loop, once per subject per process:
    a rebuild that meets 20,000 people spent more on unwrapping than on opening their fields. A KEK wraps one
    key per subject, far from the 2³² messages where random nonces become a risk.
    """

    current: bytes
    previous: tuple[bytes, ...] = ()
    by_id: dict[str, bytes] = field(init=False, repr=False, compare=False)
    _aead: dict[str, AESGCM] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for kek in (self.current, *self.previous):
            if len(kek) != 32:
                raise ValueError("a key-encryption key is 32 bytes")
        object.__setattr__(self, "by_id", {kek_id(k): k for k in (self.current, *self.previous)})
        object.__setattr__(self, "_aead", {kid: AESGCM(k) for kid, k in self.by_id.items()})

    @classmethod
    def from_secrets(cls, current: str, previous: Sequence[str] = ()) -> KeyEncryptionKeys:
        """KEKs from the settings' secret texts (any length ≥ 32): each is stretched to 32 bytes by SHA-256
        under a fixed label, so an operator can paste any strong secret."""
        return cls(_kek_of(current), tuple(_kek_of(p) for p in previous))

    @property
    def current_id(self) -> str:
        return kek_id(self.current)

    def wrap(self, key: bytes) -> bytes:
        nonce = secrets.token_bytes(12)
        return nonce + self._aead[self.current_id].encrypt(nonce, key, _WRAP_AAD)

    def unwrap(self, wrapped: bytes, wrapped_by: str) -> bytes:
        kek = self.by_id.get(wrapped_by)
        if kek is None:
            raise KeyNotUnwrapped(f"a subject key is wrapped by KEK {wrapped_by}, which the settings do not hold")
        try:
            if len(wrapped) == RFC3394_WRAPPED_SIZE:
                return aes_key_unwrap(kek, wrapped)
            return self._aead[wrapped_by].decrypt(wrapped[:12], wrapped[12:], _WRAP_AAD)
        except (InvalidUnwrap, InvalidTag) as exc:
            raise KeyNotUnwrapped(f"a subject key does not unwrap with KEK {wrapped_by}") from exc


RFC3394_WRAPPED_SIZE = 40
"""A 32-byte key wrapped by RFC 3394 (the first format); AES-GCM wraps are 60 bytes."""
_WRAP_AAD = b"partyledger-subject-key-wrap"


def wrap_rfc3394(keks: KeyEncryptionKeys, key: bytes) -> bytes:
    """A key wrapped in the first format (RFC 3394), for tests that old rows still unwrap."""
    return aes_key_wrap(keks.current, key)


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
        return hmac.digest(self.id_secret, handle.encode("utf-8"), "sha256").hex()[:32]  # one C call (hmac.new: 5×)


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

    def every_row(self) -> Iterator[tuple[str, str | None, bytes | None, str | None]]:
        """(key_id, kek_id, wrapped or None, residue or None) of every key and tombstone, for a migration to
        carry them into the new log's table (`eventstore/migration.py`); nothing when the table was never made."""
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
        fresh_since = time.monotonic() - self._cache_seconds
        found: dict[str, SubjectKey] = {}
        missing: list[str] = []
        cache = self._cache  # read without the lock: each entry is replaced whole (one call per sealed event)
        for key_id in key_ids:
            cached = cache.get(key_id)
            if cached is not None and cached[0] > fresh_since:
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

    def every_row(self) -> Iterator[tuple[str, str | None, bytes | None, str | None]]:
        with self._lock:
            rows = list(self.rows.items())
        for key_id, (wrapped_by, wrapped, residue) in rows:
            yield key_id, wrapped_by, wrapped, residue

    def create(self) -> None:
        return None

    def close(self) -> None:
        return None


T = TypeVar("T")


class SqlKeyTable:
    """The key table on PostgreSQL (schema `ledger_keys`) or SQLite (a file of its own), via SQLAlchemy Core."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.table = SUBJECT_KEYS.to_metadata(sa.MetaData(), schema=KEY_SCHEMA) if self._postgres else SUBJECT_KEYS
        self._reads = engine.execution_options(isolation_level="AUTOCOMMIT")

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
        """Create the table when missing (a migrated database has it: the app role needs no DDL right)."""
        with self.engine.begin() as connection:
            schema = KEY_SCHEMA if self._postgres else None
            if sa.inspect(connection).has_table("subject_keys", schema=schema):
                return
            if self._postgres:
                connection.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {KEY_SCHEMA}"))
            self.table.metadata.create_all(connection, checkfirst=True)

    def _once_more_if_disconnected(self, work: Callable[[], T]) -> T:
        """Run `work` again, once, when the server dropped the connection under it (a restarted or terminated
        backend after the pool's ping): every statement here is a read or an idempotent write, and an API
        command must not answer 503 for a connection the pool can replace (the soak's backend kills)."""
        try:
            return work()
        except sa.exc.DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
        return work()

    def fetch(self, key_ids: Sequence[str]) -> dict[str, tuple[str | None, bytes | None, str | None]]:
        return self._once_more_if_disconnected(lambda: self._fetch(key_ids))

    def _fetch(self, key_ids: Sequence[str]) -> dict[str, tuple[str | None, bytes | None, str | None]]:
        """One statement per 5,000 ids, outside a transaction (a read needs none: no BEGIN and ROLLBACK round
        trips); on PostgreSQL the ids go as one text split by the server into an array (`= ANY`): not thousands
        of parameters to render, nor an array the driver checks element by element (a third of the fetch).
        An id with a comma in it (none is: they are hex) would only be split into ids that find nothing."""
        t = self.table
        found: dict[str, tuple[str | None, bytes | None, str | None]] = {}
        columns = sa.select(t.c.key_id, t.c.kek_id, t.c.wrapped, t.c.residue)
        with self._reads.connect() as connection:
            for start in range(0, len(key_ids), 5000):
                chunk = list(key_ids[start : start + 5000])
                query = (
                    columns.where(t.c.key_id == sa.any_(sa.func.string_to_array(",".join(chunk), ",")))
                    if self._postgres
                    else columns.where(t.c.key_id.in_(chunk))
                )
                for key_id, wrapped_by, wrapped, residue in connection.execute(query):
                    found[key_id] = (wrapped_by, bytes(wrapped) if wrapped is not None else None, residue)
        return found

    def insert(self, rows: Sequence[tuple[str, str, bytes]]) -> None:
        self._once_more_if_disconnected(lambda: self._insert(rows))  # ON CONFLICT DO NOTHING: idempotent

    def _insert(self, rows: Sequence[tuple[str, str, bytes]]) -> None:
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

    def every_row(self) -> Iterator[tuple[str, str | None, bytes | None, str | None]]:
        t = self.table
        database = self.engine.url.database
        if not self._postgres and database and not Path(database).exists():
            return  # no key file beside the log: connecting would make an empty one
        if not sa.inspect(self.engine).has_table(t.name, schema=t.schema):
            return  # a log written before encryption: no key was ever made
        with self.engine.connect() as connection:
            query = sa.select(t.c.key_id, t.c.kek_id, t.c.wrapped, t.c.residue).order_by(t.c.key_id)
            for key_id, wrapped_by, wrapped, residue in connection.execute(query):
                yield key_id, wrapped_by, None if wrapped is None else bytes(wrapped), residue

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
