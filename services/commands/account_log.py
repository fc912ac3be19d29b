"""The accounts stream from the log, folded into `Accounts` (cached per store: the stream only grows, I1)."""

from __future__ import annotations

import weakref
from threading import Lock
from typing import Any

from domain.accounts import events as account_events  # noqa: F401  # registers the account event types
from domain.accounts.events import ACCOUNTS_STREAM, AccountEvent
from domain.accounts.state import Accounts, evolve
from domain.codec import EVENTS
from eventstore import EventStore

_cache: dict[int, tuple[weakref.ref[EventStore], Accounts]] = {}
_lock = Lock()


def load_accounts(store: EventStore) -> Accounts:
    """Every account and assignment now; only the events after what this process holds are read."""
    with _lock:
        known = _cache.get(id(store))
        state = _copy(known[1]) if known is not None and known[0]() is store else Accounts()
    for recorded in store.read_stream(ACCOUNTS_STREAM, after_version=state.version):
        event: AccountEvent = EVENTS.decode(recorded.event_type, recorded.schema_version, recorded.data)
        evolve(state, event, recorded.occurred_on)
    with _lock:
        current = _cache.get(id(store))
        if current is None or current[0]() is not store or current[1].version < state.version:
            _cache[id(store)] = (weakref.ref(store), _copy(state))
    return state


def _copy(state: Accounts) -> Accounts:
    """A caller's own copy: `evolve` works in place."""
    return Accounts(dict(state.users), dict(state.assignments), dict(state.logins), state.version)


def encoded(event: Any) -> tuple[str, int, dict[str, Any]]:
    return EVENTS.encode(event)
