"""The use cases' test bench: the memory store with the top of a province, and a doorbell that remembers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest

from eventstore import EventStore, open_store
from services.commands.context import CommandContext
from services.embedded import seed_minimal_province
from tests.support.person_ids import TEST_PERSON_ID_KEY, keyring_for_tests

STORE_URL = "memory://"


class Bell:
    """A doorbell that remembers which units it was asked to ring."""

    def __init__(self) -> None:
        self.rung: list[str] = []

    def __call__(self, units: Iterable[str]) -> None:
        self.rung.extend(units)


@pytest.fixture
def store() -> Iterator[EventStore]:
    store = open_store(STORE_URL, keyring=keyring_for_tests())  # personal fields sealed, as in every deployment
    seed_minimal_province(store)
    yield store
    store.close()


@pytest.fixture
def bell() -> Bell:
    return Bell()


@pytest.fixture
def ctx(store: EventStore, bell: Bell) -> CommandContext:
    return CommandContext(store, bell, TEST_PERSON_ID_KEY)
