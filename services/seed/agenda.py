"""The generator's clock: tasks run in the order of their paper dates, ties in the order they were planned.

Running history forward in date order is what lets every fact (a cell's roll, who is official, which body
decides) be read off the generator's own states as they stand on the step's date.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

Task = Callable[[date], None]
Progress = Callable[[int, int], None]


@dataclass
class Agenda:
    """A priority queue of (date, sequence, task); tasks planned after `until` are dropped."""

    start: date
    until: date
    _heap: list[tuple[date, int, Task]] = field(default_factory=list)
    _sequence: int = 0
    _today: date | None = None

    def at(self, on: date, task: Task) -> None:
        """Plan a task; never before the day being run (history is written forward), never after the end."""
        if on > self.until:
            return
        self._sequence += 1
        heapq.heappush(self._heap, (max(on, self._today or self.start), self._sequence, task))

    def run(self, progress: Progress | None = None) -> None:
        total = (self.until - self.start).days
        reported = -1
        while self._heap:
            on, _, task = heapq.heappop(self._heap)
            self._today = on
            done = (on - self.start).days
            if progress is not None and done != reported:
                progress(done, total)
                reported = done
            task(on)
        if progress is not None:
            progress(total, total)
