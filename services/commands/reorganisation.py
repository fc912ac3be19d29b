"""Files and members follow a reorganisation (R-UNIT-REORG): when a cell ceases — merged, split, dissolved —
each open file and each member it held moves to the unit named to take its files, on the effective date.

The move is an event on each person's own stream (`MovedByReorganisation`), filed under the old cell and the
new one, so the walls, the facts a vote reads (the successor's roll on the vote date), every read model and
the as-of answers all follow from the log alone: before the effective date the person is the old cell's.
A reorganisation touches many streams and cannot be one append: each person is moved by its own append at
the version read, and following again finds nothing left to move — so a crash half-way is finished by the
next run (`follow_reorganisations`, run after every reorganisation and by the worker's sweep), and a
reorganisation dated in the future is followed once its day has come.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from domain.calendar import WorkingCalendar
from domain.person.commands import FollowReorganisation
from domain.person.handlers import handle
from domain.units.state import Unit
from domain.units.tree import UnitTree

from .actors import Actor
from .context import CommandContext
from .log_facts import persons_of_unit
from .person_log import append_decided
from .walls import today


@dataclass(frozen=True)
class Followed:
    """What one run moved: how many people, from which ceased cells."""

    moved: int
    units: frozenset[str]


def ceased_cells(tree: UnitTree, on: date) -> list[tuple[Unit, str]]:
    """Every unit that had ceased by `on`, with the unit holding its files that day (itself never)."""
    found = []
    for unit in tree.all_latest():
        state = tree.state_on(unit.unit_id, on)
        if state is None or state.is_active or state.files_successor_id is None:
            continue
        try:
            found.append((state, tree.successor_of(unit.unit_id, on)))
        except ValueError:
            continue  # a successor not on record that day: nothing can move yet
    return found


def follow_reorganisations(
    ctx: CommandContext, actor: Actor, *, only: str | None = None, reference: str | None = None
) -> Followed:
    """Move every person still placed in a ceased unit (or in `only`, the unit just reorganised) to the unit
    holding its files today, dated the day it ceased; idempotent, see the module doc."""
    now = today()
    tree, calendar = ctx.tree(), ctx.calendar()
    correlation, moved, units = str(uuid.uuid4()), 0, set[str]()
    for unit, successor in ceased_cells(tree, now):
        if only is not None and unit.unit_id != only:
            continue
        effective = unit.ceased_on or now
        paper = reference or f"R-UNIT-REORG: {unit.code} → {successor}"
        for person_id in persons_of_unit(ctx.store, unit.unit_id):
            if _follow(ctx, actor, person_id, unit.unit_id, successor, effective, paper, calendar, correlation):
                moved += 1
                units |= {unit.unit_id, successor}
    if units:
        ctx.ring(units)
    return Followed(moved, frozenset(units))


def _follow(
    ctx: CommandContext,
    actor: Actor,
    person_id: str,
    ceased: str,
    successor: str,
    effective: date,
    reference: str,
    calendar: WorkingCalendar,
    correlation: str,
) -> bool:
    before = ctx.people.load(ctx.store, person_id)
    if before.cell_id != ceased:
        return False
    command = FollowReorganisation(
        person_id=person_id,
        occurred_on=effective,
        acting_unit_id=actor.unit_id,
        from_cell_id=ceased,
        to_cell_id=successor,
        reference=reference,
    )
    events = handle(before, command, calendar)[1]
    if not events:
        return False
    key = f"{actor.user_id}:follow:{person_id}:{before.version}"
    append_decided(ctx.store, before, command, events, actor, correlation_id=correlation, idempotency_key=key)
    return True
