"""Corrections (DOMAIN.md §3, R-RETRACT): an entry recorded by mistake is retracted by a new event."""

from __future__ import annotations

from domain.calendar import WorkingCalendar
from domain.person import commands as c
from domain.person import events as ev
from domain.person.facts import PersonFacts, require
from domain.person.records import PersonState
from domain.person.values import clean_text
from domain.rules.base import RuleSet
from domain.rules.retraction import check_latest, check_retract_window, check_retractable_kind


def retract_entry(
    state: PersonState, cmd: c.RetractEntry, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> list[ev.PersonEvent]:
    """R-RETRACT: the latest standing entry, of a kind that may be retracted, within the window, with a reason.

    The entry as the log holds it (its type, the day it was recorded) is a fact; which entries still stand,
    and the events each appended, are the file's own (`PersonState.undo`)."""
    entry = require(facts.entry, "entry")
    reason = clean_text(cmd.reason, "reason")
    check_retractable_kind(entry.event_type, entry.first_of_entry)
    standing = {e.version: e for e in state.undo}
    check_latest(cmd.entry_version, standing.keys(), entry.retracted)
    check_retract_window(entry.recorded_on, cmd.occurred_on)
    retracted = standing[cmd.entry_version]
    return [
        ev.EntryRetracted(
            rule_set=rules.rule_set_id,
            entry_version=cmd.entry_version,
            entry_events=len(retracted.events),
            entry_event_type=entry.event_type,
            reason=reason,
        )
    ]
