"""`partyledger privacy report`'s use case: the processing register and the impact-assessment annex that
Law 91/2025/QH15 and Decree 356/2025/NĐ-CP ask for, built from the code's own declarations and the log.

Every line comes from something the platform holds: the field classes beside the fields, the roles and the
step table, the retention rules in force, and figures measured from the log, the read models and the record
of reads. The workbook itself is `services/privacy/workbook.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from domain.retention import Outcome, RetentionRule
from domain.rules.registry import RULE_SETS
from eventstore import EventStore
from services.commands.tree_log import load_tree
from services.privacy.access_rules import RoleAccess, role_access
from services.privacy.catalogue import Entry, catalogue
from services.privacy.figures import Figures, measure
from services.privacy.outcomes import scan_log
from services.privacy.retention import PastRetention, past_retention, rules_from

CONTROLLER_UNKNOWN = "Tỉnh ủy (chưa có đơn vị gốc trong sổ)"


@dataclass(frozen=True)
class PrivacyReport:
    made_on: date
    controller: str
    """The province's party committee, the controller and processor of the ledger's data."""
    rule_texts: str
    officer: str | None
    """The named data-protection person, when the operator gives one."""
    entries: list[Entry]
    roles: list[RoleAccess]
    rules: dict[Outcome, RetentionRule]
    overridden: frozenset[Outcome]
    past: dict[str, list[PastRetention]]
    figures: Figures
    head_position: int


def privacy_report(
    store: EventStore,
    engine: sa.Engine,
    *,
    retention_months: Iterable[tuple[str, int]],
    today: date,
    officer: str | None = None,
) -> PrivacyReport:
    """Measure and gather everything the register and the annex state, as of `today`."""
    overrides = tuple(retention_months)
    head = store.head_position()
    scan = scan_log(store)
    entries = catalogue()
    rules = rules_from(overrides)
    tree, _ = load_tree(store)
    roots = [u for u in tree.all_latest() if u.parent_id is None]
    return PrivacyReport(
        made_on=today,
        controller=roots[0].name if roots else CONTROLLER_UNKNOWN,
        rule_texts=RULE_SETS[-1].texts,
        officer=officer,
        entries=entries,
        roles=role_access(),
        rules=rules,
        overridden=frozenset(Outcome(name) for name, _ in overrides),
        past=past_retention(scan.people, rules, today),
        figures=measure(scan, entries, engine),
        head_position=head,
    )
