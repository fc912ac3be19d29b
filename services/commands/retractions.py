"""Which entry of a file a caller may retract now (R-RETRACT), asked exactly as the step would be judged.

A page offers "Thu hồi" only where the step would be accepted today: the same walls (`check_walls`), the same
facts from the log (the entry, its recording unit's wall) and the same decision, short of appending. Only the
latest standing entry can be retracted, so there is at most one.
"""

from __future__ import annotations

from domain.errors import DomainError
from domain.person.commands import RetractEntry
from domain.person.handlers import decide
from domain.person.records import PersonState

from .actors import Actor
from .context import CommandContext
from .people import PersonStepRequest, check_walls
from .person_facts import NOTHING_STATED, FactContext, build_facts
from .person_steps import STEPS, Step
from .walls import NotFound, today

RETRACT: Step = next(s for s in STEPS if s.command is RetractEntry)
REASON_PENDING = "—"
"""The reason the officer has yet to give: any non-empty text, so the question is only whether the step may be
taken, never whether a reason was typed."""


def retraction_of(actor: Actor, state: PersonState, entry_version: int, reason: str = REASON_PENDING) -> RetractEntry:
    """The command retracting `entry_version` today, as the caller's unit."""
    return RetractEntry(
        person_id=state.person_id,
        occurred_on=today(),
        acting_unit_id=actor.unit_id,
        entry_version=entry_version,
        reason=reason,
    )


def retractable_entry(ctx: CommandContext, actor: Actor, state: PersonState) -> int | None:
    """The stream version of the entry this caller may retract today, if any."""
    if not state.undo or actor.role not in RETRACT.roles:
        return None
    command = retraction_of(actor, state, state.undo[-1].version)
    request = PersonStepRequest(actor, RETRACT, command, NOTHING_STATED, state.version, "")
    tree, calendar, _ = ctx.for_command(None)
    try:
        reads = check_walls(tree, request, state)
        facts = build_facts(RETRACT.facts, FactContext(ctx.store, tree, state, command, reads, NOTHING_STATED))
        decide(state, command, calendar, facts)
    except (DomainError, NotFound):
        return None
    return command.entry_version
