"""R-PRIVACY-RETAIN: the closed files past their retention period, per unit (issue 20 item 4).

This lists them (an erased file is no longer due). The retention run (`services/privacy/retention_run.py`)
erases each one a notice period after it fell due, the unit having seen it listed meanwhile.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from domain.retention import Outcome, RetentionRule, retention_rules
from services.privacy.outcomes import PersonOutcome


@dataclass(frozen=True)
class PastRetention:
    """A closed file due for erasure since `due_on` under `rule`."""

    person: PersonOutcome
    rule: RetentionRule
    closed_on: date
    due_on: date


def rules_from(settings_months: Iterable[tuple[str, int]]) -> dict[Outcome, RetentionRule]:
    """The defaults with the province's overrides from settings (`PARTYLEDGER_RETENTION_MONTHS`)."""
    return retention_rules(dict(settings_months))


def past_retention(
    people: Iterable[PersonOutcome],
    rules: Mapping[Outcome, RetentionRule],
    today: date,
    units: Iterable[str] | None = None,
) -> dict[str, list[PastRetention]]:
    """Unit → its files past their period on `today` (oldest due first); `units` limits it to a subtree."""
    wanted = set(units) if units is not None else None
    found: dict[str, list[PastRetention]] = defaultdict(list)
    for person in people:
        if person.outcome is None or person.since is None or person.erased:
            continue
        if wanted is not None and person.unit_id not in wanted:
            continue
        rule = rules[person.outcome]
        due = rule.due_on(person.since)
        if due <= today:
            found[person.unit_id].append(PastRetention(person, rule, person.since, due))
    return {unit: sorted(items, key=lambda p: (p.due_on, p.person.person_id)) for unit, items in sorted(found.items())}
