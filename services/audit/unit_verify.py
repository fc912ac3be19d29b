"""An auditor's verify of a unit's subtree (I7 within the walls, I8): the whole log for the province's root."""

from __future__ import annotations

import logging

from eventstore import VerifyReport
from projections.queries import subtree_units
from services.audit.auditors import require_auditor
from services.audit.verifying import verify_scope
from services.commands.actors import Actor
from services.commands.context import CommandContext
from services.commands.walls import require_within, today

log = logging.getLogger(__name__)


def verify_unit(ctx: CommandContext, principal: Actor, unit_id: str) -> VerifyReport:
    """An auditor's verify of the unit's subtree (the whole log for the root), walls first."""
    require_auditor(principal)
    try:
        tree = ctx.tree()
    except Exception:  # the tree stream itself was rewritten: walls cannot be drawn, the log must be checked
        log.exception("the unit tree cannot be read; verifying the whole log for %s", principal.user_id)
        return verify_scope(ctx.store, None)
    require_within(tree, principal, unit_id)
    unit = tree.state_on(unit_id, today())
    whole = unit is not None and unit.parent_id is None
    return verify_scope(ctx.store, None if whole else subtree_units(tree, unit_id, today()))
