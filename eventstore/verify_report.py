"""What a verify answers: how much of the log it checked, and the first place that does not fit (I7)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """The first place where the log disagrees with its own hashes."""

    position: int
    kind: str  # changed | removed | inserted | seal
    message: str


@dataclass(slots=True)
class VerifyReport:
    events_checked: int = 0
    streams: int = 0
    seals_checked: int = 0
    head_position: int = 0
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        if self.problem is None:
            return (
                f"log intact: {self.events_checked} events in {self.streams} streams up to position "
                f"{self.head_position}, {self.seals_checked} seals verified"
            )
        return f"log broken at position {self.problem.position} ({self.problem.kind}): {self.problem.message}"
