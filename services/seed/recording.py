"""The ledger's clock for a generated history: each paper is entered some working days after its date.

A real unit does not record a step the moment it is signed: the cell's secretary brings the papers to the
committee office, and the officer enters them a few working days later, in office hours. The generator runs
history in the order of the papers' dates, so the store's clock (`EventStore`'s `clock`, which stamps
`recorded_at`) is this object: the desk tells it the date of the paper about to be appended (`paper`), and
each append reads a moment one to six working days later, between 07:30 and 17:00 in Vietnam.

Both clocks then differ as they do in life: the auditors' "what the ledger said on D" misses the papers dated
just before D and entered after it. The ledger clock never runs backwards (each moment is at least a
millisecond after the previous one, the order the log's positions have) and never passes `now`: papers dated
in the last days are entered as the demo starts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from random import Random
from typing import Final
from zoneinfo import ZoneInfo

from domain.calendar import WorkingCalendar

VIETNAM: Final = ZoneInfo("Asia/Ho_Chi_Minh")
LAG_WORKING_DAYS: Final = (1, 6)
OFFICE_HOURS: Final = (time(7, 30), time(17, 0))
STEP: Final = timedelta(milliseconds=1)


class PaperLag:
    """A store clock: the moment the paper last named by `paper` is entered (see the module docstring)."""

    def __init__(self, rng: Random, calendar: WorkingCalendar, now: datetime) -> None:
        self.rng, self.calendar, self.now = rng, calendar, now.astimezone(UTC)
        self._paper: date | None = None
        self._last: datetime | None = None

    def paper(self, on: date) -> None:
        """The next appends are of a paper dated `on`."""
        self._paper = on

    def __call__(self) -> datetime:
        if self._paper is None:
            moment = self.now
        else:
            moment = min(self._entered(self._paper), self.now)
        if self._last is not None and moment <= self._last:
            moment = self._last + STEP
        self._last = moment
        return moment

    def _entered(self, on: date) -> datetime:
        day = self.calendar.add_working_days(on, self.rng.randint(*LAG_WORKING_DAYS))
        opens, closes = (datetime.combine(day, t, VIETNAM) for t in OFFICE_HOURS)
        seconds = self.rng.randrange(int((closes - opens).total_seconds()))
        return (opens + timedelta(seconds=seconds)).astimezone(UTC)
