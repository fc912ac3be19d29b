"""How fresh a query's answer is (I10: dashboards say how stale they are), and read-your-writes waiting.

Every read-model answer carries the log position it reflects (in the body and `X-Log-Position`), the log's
head (`X-Log-Head`), whether it has caught up (`X-Caught-Up`) and its age (`X-Log-Age`): how many seconds ago
the oldest event it may be missing was recorded (0 when caught up). `min_position` waits, at most `wait`
seconds (≤ 5), until the read models reach that position.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Final, TypeVar

from litestar import Response
from litestar.datastructures import ResponseHeader

from services.ledger import Ledger

T = TypeVar("T")
POLL_SECONDS: Final = 0.05

FRESHNESS_HEADERS: Final = [
    ResponseHeader(
        name="X-Log-Position", value="0", documentation_only=True, description="The log position this answer reflects"
    ),
    ResponseHeader(name="X-Log-Head", value="0", documentation_only=True, description="The log's newest position"),
    ResponseHeader(
        name="X-Caught-Up",
        value="true",
        documentation_only=True,
        description="Whether the answer reflects the head and min_position",
    ),
    ResponseHeader(
        name="X-Log-Age",
        value="0.000",
        documentation_only=True,
        description="Seconds since the oldest event this answer may be missing was recorded (0 when caught up)",
    ),
]
"""What the OpenAPI document says every read-model answer carries."""


def age_seconds(ledger: Ledger, position: int, head: int) -> float:
    """How long the first event after `position` has been waiting for the read models (0 if none)."""
    if position >= head:
        return 0.0
    page = ledger.store.read_all(after_position=position, limit=1)
    if not page.events:
        return 0.0
    return max(0.0, (datetime.now(UTC) - page.events[0].recorded_at).total_seconds())


def answer(ledger: Ledger, read: Callable[[], T], min_position: int, wait: float) -> Response[T]:
    """Read; if the answer is older than `min_position`, read again until it is or `wait` runs out."""
    deadline = time.monotonic() + wait
    while True:
        result = read()
        position: int = getattr(result, "position")  # noqa: B009  # every query answer has one
        if position >= min_position or time.monotonic() >= deadline:
            break
        time.sleep(POLL_SECONDS)
    head = ledger.store.head_position()
    headers = {
        "X-Log-Position": str(position),
        "X-Log-Head": str(head),
        "X-Caught-Up": "true" if position >= max(min_position, head) else "false",
        "X-Log-Age": f"{age_seconds(ledger, position, head):.3f}",
    }
    return Response(result, headers=headers)
