"""Deadlines counted in working days; lateness is recorded as data, never voids the act (DOMAIN.md §2.8)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Annotated

from domain.calendar import WorkingCalendar
from domain.errors import RuleViolation
from domain.privacy import NotPersonal
from domain.rules.base import RuleSet


@dataclass(frozen=True, kw_only=True)
class Deadline:
    """A due date set by the rule set of the step that started the clock; events carry it for dashboards."""

    rule_id: Annotated[str, NotPersonal.PROCEDURE]
    due_on: Annotated[date, NotPersonal.PROCEDURE]
    extensions_left: Annotated[int, NotPersonal.PROCEDURE] = 0
    max_extension_working_days: Annotated[int, NotPersonal.PROCEDURE] = 0

    def late_by(self, calendar: WorkingCalendar, acted_on: date) -> int:
        """Working days past the due date (0 when on time; a weekend after the due date adds nothing)."""
        if acted_on <= self.due_on:
            return 0
        return calendar.working_days_between(self.due_on, acted_on)

    def refuse_if_late(self, calendar: WorkingCalendar, acted_on: date, consent_ref: str | None) -> int:
        """Late acts that need a recorded consent are refused without it; returns the lateness."""
        late = self.late_by(calendar, acted_on)
        if late and consent_ref is None:
            raise RuleViolation(
                self.rule_id,
                f"due by {self.due_on.isoformat()}, {late} working days late; "
                "the upper level's recorded consent is required",
                f"quá hạn {late} ngày làm việc (hạn {self.due_on:%d/%m/%Y}); "
                "phải có ý kiến đồng ý bằng văn bản của cấp ủy cấp trên",
                due_on=self.due_on.isoformat(),
                late_by_working_days=late,
            )
        return late

    def extended(self, calendar: WorkingCalendar, extra_working_days: int, requested_on: date) -> Deadline:
        """One extension of bounded length, asked for before the due date passes."""
        if (
            self.extensions_left <= 0
            or not 0 < extra_working_days <= self.max_extension_working_days
            or self.late_by(calendar, requested_on) > 0
        ):
            raise RuleViolation(
                self.rule_id,
                f"an extension of {extra_working_days} working days is not allowed: "
                f"{self.extensions_left} left, at most {self.max_extension_working_days} days, asked on "
                f"{requested_on.isoformat()} for a due date of {self.due_on.isoformat()}",
                f"không được gia hạn {extra_working_days} ngày làm việc: còn {self.extensions_left} lần, "
                f"tối đa {self.max_extension_working_days} ngày, "
                f"phải đề nghị trước hạn {self.due_on:%d/%m/%Y}",
            )
        return replace(
            self,
            due_on=calendar.add_working_days(self.due_on, extra_working_days),
            extensions_left=self.extensions_left - 1,
        )


class RecognitionStep(StrEnum):
    """The two clocks of R-RECOGNISE-DEADLINE."""

    CELL_VOTE = "cell_vote"
    DECISION = "decision"


class TransferStep(StrEnum):
    """The two clocks of R-TRANSFER."""

    INTRODUCE = "introduce"
    PRESENT = "present"


def decide_deadline(rules: RuleSet, calendar: WorkingCalendar, resolved_on: date) -> Deadline:
    """R-DECIDE-DEADLINE: decide within 60 working days of the cell's resolution, extendable once by ≤30."""
    return Deadline(
        rule_id="R-DECIDE-DEADLINE",
        due_on=calendar.add_working_days(resolved_on, rules.decide_working_days),
        extensions_left=rules.decide_extensions_allowed,
        max_extension_working_days=rules.decide_extension_max_working_days,
    )


def ceremony_deadline(rules: RuleSet, calendar: WorkingCalendar, received_on: date) -> Deadline:
    """R-CEREMONY-DEADLINE: hold it within 30 working days of receiving the decision; later needs consent."""
    return Deadline(
        rule_id="R-CEREMONY-DEADLINE",
        due_on=calendar.add_working_days(received_on, rules.ceremony_working_days),
    )


def recognise_deadline(rules: RuleSet, calendar: WorkingCalendar, step: RecognitionStep, started_on: date) -> Deadline:
    """R-RECOGNISE-DEADLINE: the cell votes within 30 working days after probation, the body 30 more (+30)."""
    deciding = step is RecognitionStep.DECISION
    days = rules.recognise_decision_working_days if deciding else rules.recognise_vote_working_days
    return Deadline(
        rule_id="R-RECOGNISE-DEADLINE",
        due_on=calendar.add_working_days(started_on, days),
        extensions_left=1 if deciding else 0,
        max_extension_working_days=rules.recognise_extension_max_working_days if deciding else 0,
    )


def transfer_deadline(rules: RuleSet, calendar: WorkingCalendar, step: TransferStep, started_on: date) -> Deadline:
    """R-TRANSFER: introduced within 60 working days of its cause, presented within 30 of the introduction."""
    days = rules.transfer_introduce_working_days
    if step is TransferStep.PRESENT:
        days = rules.transfer_present_working_days
    return Deadline(rule_id="R-TRANSFER", due_on=calendar.add_working_days(started_on, days))
