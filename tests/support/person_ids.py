"""The tests' fixed person-id key, and a new person's id under it (the servers the tests start use it too)."""

from __future__ import annotations

from typing import Final

from domain.identity import parse_citizen_id
from eventstore.subject_keys import Keyring
from services.commands.person_ids import PersonIdKey

TEST_PERSON_ID_KEY_TEXT: Final = "partyledger-tests-fixed-person-id-key-0001"
TEST_PERSON_ID_KEY: Final = PersonIdKey.from_text(TEST_PERSON_ID_KEY_TEXT)
KEY_SETTING: Final = {"PARTYLEDGER_PERSON_ID_KEY": TEST_PERSON_ID_KEY_TEXT}
"""Add to a test's settings so the ids its server mints are the ones `person_id_of` predicts."""


def person_id_of(citizen_id: str) -> str:
    """The id a log that has never seen this number gives it under the tests' key."""
    return TEST_PERSON_ID_KEY.new_person_id(parse_citizen_id(citizen_id))


def keyring_for_tests() -> Keyring:
    """The keyring a server started with `KEY_SETTING` derives (services/data_keys.py), for stores opened in tests."""
    from services.data_keys import keyring_of
    from services.settings import Settings

    return keyring_of(Settings.from_environment({**KEY_SETTING, "PARTYLEDGER_DATA_DIR": "/nonexistent-test-data"}))
