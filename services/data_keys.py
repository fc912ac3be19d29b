"""The keyring a process seals and opens personal fields with (I13; `eventstore/subject_keys.py`).

Two secrets from the settings: the key-encryption key (`PARTYLEDGER_DATA_KEK`, with the previous ones during a
rotation in `PARTYLEDGER_DATA_KEK_PREVIOUS`) and, for naming keys, the person-id key. Production requires its own
KEK; elsewhere an unset one is derived from the person-id key, so the embedded default and the tests need no
second secret (the data folder or the test settings already keep that one).
"""

from __future__ import annotations

import hashlib
import hmac

from eventstore import EventStore, open_store
from eventstore.subject_keys import KeyEncryptionKeys, Keyring

from .settings import Settings, SettingsError


def keyring_of(settings: Settings) -> Keyring:
    person_key = settings.person_key().secret
    kek = settings.data_kek
    if not kek:
        if settings.environment == "production":
            raise SettingsError("PARTYLEDGER_DATA_KEK must be a secret of at least 32 characters in production")
        kek = hmac.new(person_key, b"partyledger-development-kek", hashlib.sha256).hexdigest()
    return Keyring(
        KeyEncryptionKeys.from_secrets(kek, settings.data_kek_previous),
        hmac.new(person_key, b"partyledger-subject-key-ids", hashlib.sha256).digest(),
    )


def open_ledger_log(settings: Settings, *, create: bool = True, durable: bool = True, **kwargs: object) -> EventStore:
    """The deployment's log with its keys: every process that writes or reads personal fields opens it so."""
    return open_store(settings.database_url, create=create, durable=durable, keyring=keyring_of(settings), **kwargs)  # type: ignore[arg-type]
