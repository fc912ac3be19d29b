"""How fresh a query's answer is (I10: dashboards say how stale they are), and read-your-writes waiting.

Every read-model answer carries the log position it reflects (in the body and `X-Log-Position`), the log's
head (`X-Log-Head`), whether it has caught up (`X-Caught-Up`) and its age (`X-Log-Age`): how many seconds ago
the oldest event it may be missing was recorded (0 when caught up). Both are judged on the units the answer
covers: a unit whose read models hold every event of its own is caught up, however far other units have
moved the head. `min_position` waits, at most `wait` seconds (≤ 5), until the read models reflect that
position — at once when it is no event of these units. The answer given is recorded for `reader` when it names
people (I13, `services.audit.person_reads`), once, before it leaves: the read path of the API and the pages.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Final, TypeVar

from litestar import Response
from litestar.datastructures import ResponseHeader

from services.audit.person_reads import record_list_read
from services.commands.actors import Actor
from services.ledger import Ledger
from services.reads import Lag, lag_of

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


def age_seconds(lag: Lag) -> float:
    """How long the oldest event the answer is missing has been waiting for the read models (0 if none)."""
    if lag.caught_up or lag.behind_since is None:
        return 0.0
    return max(0.0, (datetime.now(UTC) - lag.behind_since).total_seconds())


def answer(
    ledger: Ledger, read: Callable[[], T], units: Sequence[str], min_position: int, wait: float, *, reader: Actor
) -> Response[T]:
    """`answered`, with what it knows of its freshness in the headers."""
    result, position, lag = answered(ledger, read, units, min_position, wait, reader=reader)
    headers = {
        "X-Log-Position": str(position),
        "X-Log-Head": str(lag.head),
        "X-Caught-Up": "true" if lag.caught_up else "false",
        "X-Log-Age": f"{age_seconds(lag):.3f}",
    }
    return Response(result, headers=headers)


def answered(
    ledger: Ledger, read: Callable[[], T], units: Sequence[str], min_position: int, wait: float, *, reader: Actor
) -> tuple[T, int, Lag]:
    """Read; if the answer does not reflect `min_position` yet, read again until it does or `wait` runs out;
    record the answer given if it names people (a record that cannot be written fails the read: I13).
    Returns the answer, the position it reflects and the units' lag.

    Judged per unit (`lag_of`): a position the units' read models have passed, or one that is no event of
    theirs, is reflected at once; events of other units never make the answer stale. The lag is measured
    before the read, so the rows read are at least as new as what the headers claim."""
    deadline = time.monotonic() + wait
    while True:
        lag = lag_of(ledger.engine, ledger.store, units, min_position, ledger.heads)
        result = read()
        position: int = getattr(result, "position")  # noqa: B009  # every query answer has one
        if position >= min_position or lag.reflects_min_position or time.monotonic() >= deadline:
            break
        time.sleep(POLL_SECONDS)
    record_list_read(ledger.engine, reader, units, result)
    return result, position, lag
