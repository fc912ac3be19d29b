"""R-PRIVACY-RETAIN, issue 20 item 4 ("purpose complete"): erase the closed files past their retention period,
after telling their unit.

A file falls due on its rule's day (`domain.retention.RetentionRule.due_on`); it is then listed to its unit (the
dashboard's "Hồ sơ hết thời hạn lưu trữ") for `notice_days`, and only the first run on or after
`erase_on = due_on + notice_days` erases it — through the one erasure use case
(`services.commands.erasure.erase_person`, ground `purpose_complete`, the decision named by the rule, e.g.
"R-PRIVACY-RETAIN:withdrawn"), acting as the province's administrator (`RETENTION_USER`). Then it finishes any
erasure whose keys are still alive (`finish_erasures`).

The beat runs it daily (`partyledger.retention`); `partyledger privacy retention --erase` runs the same. It is
idempotent and safe when two run at once: an erased file is no longer due, and an erasure appends at the version
it was decided on, so the loser of a race gets a conflict (or finds the file erased) and counts it as done.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

from domain.errors import RuleViolation
from domain.person.erasure import ErasureGround
from domain.retention import Outcome, RetentionRule
from eventstore import WrongExpectedVersion
from services.commands.actors import Actor, Role
from services.commands.context import CommandContext
from services.commands.erasure import ErasureRequest, erase_person, finish_erasures
from services.privacy.outcomes import PersonOutcome, scan_log
from services.privacy.retention import PastRetention, past_retention

RETENTION_USER: Final = "partyledger-retention"
"""Who the log names as the eraser: the system, acting as the province's administrator."""
DEFAULT_NOTICE_DAYS: Final = 30
ALREADY_ERASED: Final = "R-PRIVACY-ERASED"


@dataclass(frozen=True)
class DueFile:
    """A file past its period: listed to its unit until `erase_on`, erased by the first run from that day."""

    past: PastRetention
    erase_on: date

    @property
    def person(self) -> PersonOutcome:
        return self.past.person

    @property
    def rule(self) -> RetentionRule:
        return self.past.rule


@dataclass
class RetentionRun:
    """What one run did, in counts (the log lines name no one); `units` are the units to ring."""

    erased: int = 0
    in_notice: int = 0
    raced: int = 0
    deferred: int = 0
    finished: int = 0
    units: set[str] = field(default_factory=set)

    def summary(self) -> str:
        return (
            f"{self.erased} file(s) erased past their retention period, {self.in_notice} listed to their units "
            f"within the notice period, {self.raced} already erased by another run, {self.deferred} left for the "
            f"next run (changed meanwhile), {self.finished} earlier erasure(s) finished"
        )


def due_for_erasure(
    people: Iterable[PersonOutcome],
    rules: Mapping[Outcome, RetentionRule],
    today: date,
    notice_days: int,
    units: Iterable[str] | None = None,
) -> list[DueFile]:
    """Every file past its period and not yet erased (of `units` when given), soonest erasure first."""
    found = past_retention(people, rules, today, units)
    due = [DueFile(p, p.due_on + timedelta(days=notice_days)) for items in found.values() for p in items]
    return sorted(due, key=lambda d: (d.erase_on, d.person.unit_id, d.person.person_id))


def retention_actor(ctx: CommandContext) -> Actor:
    """The province's administrator, as the system: its walls are the whole province."""
    root = next(u for u in ctx.tree().all_latest() if u.parent_id is None)
    return Actor(RETENTION_USER, Role.PROVINCIAL_ADMIN, root.unit_id)


def run_retention(
    ctx: CommandContext, rules: Mapping[Outcome, RetentionRule], today: date, notice_days: int
) -> RetentionRun:
    """Erase every file whose notice period has passed; count those still within it; finish earlier erasures."""
    run = RetentionRun()
    due = due_for_erasure(scan_log(ctx.store).people, rules, today, notice_days)
    ready = [item for item in due if item.erase_on <= today]
    run.in_notice = len(due) - len(ready)
    actor = retention_actor(ctx) if ready else None
    for item in ready:
        assert actor is not None
        person_id = item.person.person_id
        request = ErasureRequest(actor, person_id, ErasureGround.PURPOSE_COMPLETE, item.rule.rule_id, today)
        try:
            erase_person(ctx, request)
        except WrongExpectedVersion:  # something was appended since the file was read: erased by another run?
            ctx.people.forget(person_id)
            if ctx.people.load(ctx.store, person_id).erased:
                run.raced += 1
            else:
                run.deferred += 1  # a step came in between: the next run judges the file again
            continue
        except RuleViolation as refused:
            if refused.rule_id != ALREADY_ERASED:
                raise
            run.raced += 1  # another run erased it after this one listed it
            continue
        run.erased += 1
        run.units.add(item.person.unit_id)
    run.finished = finish_erasures(ctx.store)
    return run
