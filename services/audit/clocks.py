"""The two clocks of I9 and which events each one counts for a date.

"True on D" counts the events whose paper is dated on or before D (`occurred_on`); "the ledger on D" counts
those the ledger had recorded by the end of D in Vietnam (`recorded_at`), where the papers are dated.

A retracted entry (R-RETRACT) was never true: "true on D" leaves it and its retraction out whenever the
retraction was recorded (`Cut.knowing`). The ledger's clock shows it was there until the retraction was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from eventstore import RecordedEvent

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock(StrEnum):
    OCCURRED = "occurred"
    """What was true on the date: by the date on the paper."""
    RECORDED = "recorded"
    """What the ledger said on the date: by when it was entered."""


def end_of_day(on: date) -> datetime:
    """The first instant after `on` in Vietnam, in UTC: recorded before it means known on `on`."""
    return datetime.combine(on + timedelta(days=1), time(), VIETNAM).astimezone(UTC)


def start_of_day(on: date) -> datetime:
    return datetime.combine(on, time(), VIETNAM).astimezone(UTC)


@dataclass(frozen=True)
class Cut:
    """One date on one clock: decides which events count."""

    on: date
    clock: Clock
    cutoff: datetime = field(init=False)
    retracted: frozenset[tuple[str, int]] = field(default=frozenset(), compare=False)
    """(stream, version) of the retracted entries' events and of their retractions, left out on the paper clock."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "cutoff", end_of_day(self.on))

    def counts(self, event: RecordedEvent) -> bool:
        if self.clock is Clock.OCCURRED:
            return event.occurred_on <= self.on and (event.stream_id, event.stream_version) not in self.retracted
        return event.recorded_at < self.cutoff

    def knowing(self, retracted: frozenset[tuple[str, int]]) -> Cut:
        """This cut, told which events retractions took back (read from the whole log, whenever recorded)."""
        return Cut(self.on, self.clock, retracted)

    @property
    def other(self) -> Cut:
        return Cut(self.on, Clock.RECORDED if self.clock is Clock.OCCURRED else Clock.OCCURRED, self.retracted)
