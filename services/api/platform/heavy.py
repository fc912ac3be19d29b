"""Requests that cost seconds of CPU and database (a replay check rebuilds read models: 8–50 s on a province),
bounded so that no caller can take the server with them.

One at a time per process (a second is answered at once, not queued behind the first), a few starts per user
per window, run in a worker thread so the event loop keeps serving everyone else, and stopped at a deadline:
the work calls `checkpoint()` between its steps and is abandoned there once the time is up. Refusals are
problem details with `Retry-After`: 503 while another runs or when the work ran out of time, 429 when the
caller's own budget is spent (recorded like any rate refusal).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from typing import TypeVar

import anyio.to_thread
from litestar.exceptions import ServiceUnavailableException, TooManyRequestsException

T = TypeVar("T")
Checkpoint = Callable[[], None]


class Overran(Exception):
    """The work passed its deadline; raised from `checkpoint()` inside the worker thread."""


def _retry_after(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}


class HeavyGate:
    """Admits one heavy request at a time and at most `per_user` starts per user every `window` seconds."""

    def __init__(self, per_user: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_user = per_user
        self.window = window
        self.clock = clock
        self._busy_until: float | None = None
        self._starts: dict[str, deque[float]] = {}

    def _admit(self, user: str, now: float) -> None:
        starts = self._starts.setdefault(user, deque())
        while starts and now - starts[0] >= self.window:
            starts.popleft()
        if len(starts) >= self.per_user:
            raise TooManyRequestsException(
                f"at most {self.per_user} of these every {self.window:.0f} s per user",
                headers=_retry_after(starts[0] + self.window - now),
            )
        if self._busy_until is not None:
            raise ServiceUnavailableException(
                "another check is running on this server; try again shortly",
                headers=_retry_after(self._busy_until - now),
            )
        starts.append(now)
        if len(self._starts) > 10_000:  # forget idle users rather than grow without end
            self._starts = {u: s for u, s in self._starts.items() if s and now - s[-1] < self.window}

    async def run(self, user: str, work: Callable[[Checkpoint], T], seconds: float) -> T:
        """`work(checkpoint)` in a worker thread, if admitted; 503 when it overran `seconds`."""
        now = self.clock()
        self._admit(user, now)
        deadline = now + seconds
        self._busy_until = deadline

        def checkpoint() -> None:
            if self.clock() > deadline:
                raise Overran

        try:
            return await anyio.to_thread.run_sync(work, checkpoint)
        except Overran:
            raise ServiceUnavailableException(
                f"the check took longer than {seconds:.0f} s and was stopped; check a smaller unit",
                headers=_retry_after(self.window / self.per_user),
            ) from None
        finally:
            self._busy_until = None
