"""Encrypting a log written before encryption: the use case behind `partyledger migrate-log` (issue 20; I13).

The mechanics are `eventstore.migration.migrate_log`; this names who migrates: the operator acting as the
province's administrator, at the province (the root of the old log's unit tree), on today's date in Vietnam,
under the rule set in force today (I11), with the sealing key's signature on the new log's first seal when
the process holds it (as `partyledger seal` does).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from domain.rules.registry import rules_in_force
from domain.units.kinds import UnitKind
from eventstore import EventMetadata, EventStore
from eventstore.migration import Migrated, MigrationRefused, RecordOrigin, migrate_log
from eventstore.store import SignSeal
from services.audit.clocks import VIETNAM
from services.commands.actors import Role
from services.commands.tree_log import load_tree

MIGRATOR = "partyledger-migrate-log"
"""The actor the record names: the installation's operator, as `partyledger import-members` names its importer."""


def migrate_ledger(source: EventStore, target: EventStore, *, sign: SignSeal | None = None) -> Migrated:
    """Re-write the old log into the empty new one, sealing personal fields, bound to the old last seal."""
    today = datetime.now(VIETNAM).date()
    tree, _ = load_tree(source)
    root = next((u for u in tree.all_latest() if u.kind is UnitKind.PROVINCIAL_COMMITTEE), None)
    if root is None:
        raise MigrationRefused("the old log has no province in its unit tree: it is not a ledger to migrate")
    metadata = EventMetadata(
        actor=MIGRATOR,
        acting_unit=root.unit_id,
        role=str(Role.PROVINCIAL_ADMIN),
        rule_set=rules_in_force(today).rule_set_id,
        correlation_id=str(uuid.uuid4()),
    )
    return migrate_log(source, target, RecordOrigin(root.unit_id, today, metadata), sign=sign)
