"""R-PRIVACY-RETAIN: how long a closed file's personal data is kept after its outcome, per outcome [U].

DOMAIN.md §4b: each outcome (rejected, withdrawn, struck off before admission, left the party, died) has a
retention period set by the province; past it the file is erased and only non-identifying counts remain.
The periods below are defaults, each overridable in settings (`PARTYLEDGER_RETENTION_MONTHS`). They keep
what the party's own rules still read: a rejected or withdrawn candidate may be nominated again, and a
member who left is judged for readmission on how and when they left (R-READMIT: once only, 36 or 60 months,
some exits barring it), so those outcomes are kept longer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Final

from domain.person.records import PersonState
from domain.person.stages import Stage
from domain.rules.periods import add_months


class Outcome(StrEnum):
    """How a file or a membership ended; an open file or a serving member has no outcome yet."""

    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    PROBATIONARY_STRUCK_OFF = "probationary_struck_off"
    ANNULLED = "annulled"
    STRUCK_OFF = "struck_off"
    EXPELLED = "expelled"
    VOLUNTARY_EXIT = "voluntary_exit"
    DIED = "died"

    @property
    def label_vi(self) -> str:
        return _OUTCOME_LABELS_VI[self]


_OUTCOME_LABELS_VI: Final = {
    Outcome.REJECTED: "Không được kết nạp",
    Outcome.WITHDRAWN: "Rút khỏi danh sách nguồn",
    Outcome.PROBATIONARY_STRUCK_OFF: "Xóa tên đảng viên dự bị (chưa được công nhận chính thức)",
    Outcome.ANNULLED: "Hủy bỏ quyết định kết nạp",
    Outcome.STRUCK_OFF: "Xóa tên trong danh sách đảng viên",
    Outcome.EXPELLED: "Khai trừ ra khỏi Đảng",
    Outcome.VOLUNTARY_EXIT: "Cho ra khỏi Đảng",
    Outcome.DIED: "Từ trần",
}


@dataclass(frozen=True)
class RetentionRule:
    """Keep a file with this outcome `months` after the outcome's date, then erase it (R-PRIVACY-RETAIN)."""

    outcome: Outcome
    months: int

    @property
    def rule_id(self) -> str:
        return f"R-PRIVACY-RETAIN:{self.outcome.value}"

    def due_on(self, closed_on: date) -> date:
        """The first day the file is past its period."""
        return add_months(closed_on, self.months)


DEFAULT_MONTHS: Final[dict[Outcome, int]] = {
    Outcome.REJECTED: 24,
    Outcome.WITHDRAWN: 24,
    Outcome.PROBATIONARY_STRUCK_OFF: 60,
    Outcome.ANNULLED: 60,
    Outcome.STRUCK_OFF: 120,
    Outcome.EXPELLED: 120,
    Outcome.VOLUNTARY_EXIT: 120,
    Outcome.DIED: 60,
}
"""Defaults [U]: two years for a candidate who did not go on (time to be nominated again), five after a
probation or an admission that came to nothing, ten after leaving the party (readmission is judged on it)."""

MAX_MONTHS: Final = 1200


def retention_rules(overrides: Mapping[str, int] | None = None) -> dict[Outcome, RetentionRule]:
    """The province's rules: the defaults with the settings' overrides (outcome value → months)."""
    rules = {outcome: RetentionRule(outcome, months) for outcome, months in DEFAULT_MONTHS.items()}
    for name, months in (overrides or {}).items():
        outcome = Outcome(name)
        rules[outcome] = replace(rules[outcome], months=months)
    return rules


_CLOSED: Final[dict[Stage, Outcome]] = {
    Stage.REJECTED: Outcome.REJECTED,
    Stage.WITHDRAWN: Outcome.WITHDRAWN,
    Stage.ANNULLED: Outcome.ANNULLED,
    Stage.STRUCK_OFF: Outcome.STRUCK_OFF,
    Stage.EXPELLED: Outcome.EXPELLED,
    Stage.EXITED: Outcome.VOLUNTARY_EXIT,
}


def outcome_of(state: PersonState) -> Outcome | None:
    """R-PRIVACY-RETAIN's outcome (None while the file is open or the member serves): a struck-off member who
    never became official left before admission was complete (xóa tên đảng viên dự bị)."""
    outcome = _CLOSED.get(state.stage)
    if outcome is Outcome.STRUCK_OFF and state.departures and not state.departures[-1].was_official:
        return Outcome.PROBATIONARY_STRUCK_OFF
    return outcome
