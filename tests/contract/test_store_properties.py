"""Property-based: random appends, conflicts and retries against a model of what the log must hold."""

from __future__ import annotations

import json
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from eventstore import EventStore, IdempotencyKeyReused, WrongExpectedVersion, open_store, verify_store
from eventstore.canonical import canonical_json
from tests.support.events import CODEC, noted
from tests.support.stores import MEMORY_URL

TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=20)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300)
@given(JSON)
def test_canonical_json_is_byte_identical_to_the_standard_library(value: Any) -> None:
    """Hashes written with msgspec must be reproducible by anyone with Python's json module."""
    expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert canonical_json(value) == expected


class LogModel(RuleBasedStateMachine):
    """What was accepted is in the log exactly once, in order, verifiable; what was refused is not."""

    open_log: Callable[[], EventStore]
    keys = Bundle("keys")

    def __init__(self) -> None:
        super().__init__()
        self.store = type(self).open_log()
        self.prefix = f"p{uuid.uuid4().hex[:8]}"
        self.streams: dict[str, list[str]] = {}
        self.requests: dict[str, tuple[str, int, tuple[str, ...]]] = {}
        self.start = self.store.head_position()

    def _stream(self, number: int) -> str:
        return f"file-{self.prefix}{number}"

    @rule(number=st.integers(0, 3), texts=st.lists(TEXT, min_size=1, max_size=3))
    def append_at_the_right_version(self, number: int, texts: list[str]) -> None:
        stream = self._stream(number)
        expected = len(self.streams.get(stream, []))
        result = self.store.append(stream, [noted(t) for t in texts], expected_version=expected)
        self.streams.setdefault(stream, []).extend(texts)
        assert result.stream_version == len(self.streams[stream])

    @rule(number=st.integers(0, 3), stale_by=st.integers(1, 3))
    def append_at_a_stale_version(self, number: int, stale_by: int) -> None:
        stream = self._stream(number)
        current = len(self.streams.get(stream, []))
        expected = current - stale_by if current >= stale_by else current + stale_by
        with pytest.raises(WrongExpectedVersion) as refused:
            self.store.append(stream, [noted("stale")], expected_version=expected)
        assert refused.value.current == current

    @rule(target=keys, number=st.integers(0, 3), text=TEXT)
    def append_with_a_key(self, number: int, text: str) -> str:
        key = f"{self.prefix}-{uuid.uuid4().hex[:6]}"
        stream = self._stream(number)
        expected = len(self.streams.get(stream, []))
        self.store.append(stream, [noted(text)], expected_version=expected, idempotency_key=key)
        self.streams.setdefault(stream, []).append(text)
        self.requests[key] = (stream, expected, (text,))
        return key

    @rule(key=keys)
    def retry_with_the_same_key(self, key: str) -> None:
        stream, expected, texts = self.requests[key]
        result = self.store.append(stream, [noted(t) for t in texts], expected_version=expected, idempotency_key=key)
        assert result.duplicate

    @rule(key=keys, text=TEXT)
    def reuse_a_key_for_something_else(self, key: str, text: str) -> None:
        stream, expected, texts = self.requests[key]
        if (text,) == texts:
            return
        with pytest.raises(IdempotencyKeyReused):
            self.store.append(stream, [noted(text)], expected_version=expected, idempotency_key=key)

    @invariant()
    def every_stream_reads_back_as_accepted(self) -> None:
        for stream, texts in self.streams.items():
            assert [e.data["text"] for e in self.store.read_stream(stream)] == texts

    @invariant()
    def the_whole_log_is_each_accepted_event_once_in_order(self) -> None:
        mine = [e for e in self.store.read_all(after_position=self.start, limit=10_000) if self.prefix in e.stream_id]
        assert len(mine) == sum(len(t) for t in self.streams.values())
        positions = [e.position for e in mine]
        assert positions == sorted(set(positions))

    def teardown(self) -> None:
        assert verify_store(self.store).ok
        self.store.close()


def _run(machine: type[LogModel], open_log: Callable[[], EventStore], examples: int) -> None:
    runner = type(f"{machine.__name__}Run", (machine,), {"open_log": staticmethod(open_log)})
    runner.TestCase.settings = settings(  # type: ignore[attr-defined]
        max_examples=examples,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    runner.TestCase().runTest()  # type: ignore[attr-defined]


def test_random_histories_in_memory_keep_the_log_model() -> None:
    _run(LogModel, lambda: open_store(MEMORY_URL, codec=CODEC), examples=40)


def test_random_histories_on_sqlite_keep_the_log_model(tmp_path: Path) -> None:
    def fresh() -> EventStore:
        return open_store(f"sqlite:///{tempfile.mkstemp(dir=tmp_path, suffix='.sqlite3')[1]}", codec=CODEC)

    _run(LogModel, fresh, examples=40)


def test_random_histories_on_postgres_keep_the_log_model(postgres_url: str) -> None:
    open_store(postgres_url, codec=CODEC).close()
    _run(LogModel, lambda: open_store(postgres_url, codec=CODEC, create=False), examples=25)
