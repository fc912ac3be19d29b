"""Give an empty ledger its province: the root unit, registered through the one unit use case (R-UNIT-TREE).

`POST /units` needs a parent inside the caller's subtree, so on an empty ledger nobody can call it: the
operator who installs the ledger runs `partyledger init --province CODE --name …` once. The root's id follows
the generator's rule (`unit-` + the code in lower case), so a province made either way reads the same. The
first administrator's account is the accounts' own command (`partyledger users add --admin`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from domain.errors import RuleViolation
from domain.paper import check_not_future
from domain.units.commands import RegisterUnit
from domain.units.kinds import UnitKind
from domain.units.refusals import clean_code

from .actors import Actor, Role
from .context import CommandContext
from .results import Recorded
from .tree_log import UNIT_TREE_STREAM
from .units import handle_unit_command
from .walls import today

INSTALLER: Final = "partyledger-init"
"""The actor recorded on the province's registration: the operator's installation, not a person's account."""


def unit_id_for(code: str) -> str:
    """A unit's id from its code, as the province generator makes it (`HCM.Q1` → `unit-hcm-q1`)."""
    return "unit-" + code.lower().replace(".", "-")


@dataclass(frozen=True)
class Founded:
    """The province just registered: its id, its code and the log's answer."""

    unit_id: str
    code: str
    recorded: Recorded


def found_province(ctx: CommandContext, code: str, name: str, on: date | None = None) -> Founded:
    """Register the province as the tree's first unit; refused (R-UNIT-TREE) on a ledger that has any unit."""
    version, tree = ctx.versioned_tree()
    existing = next(iter(tree.all_latest()), None)
    if existing is not None:
        root = next((u for u in tree.all_latest() if u.kind is UnitKind.PROVINCIAL_COMMITTEE), existing)
        raise RuleViolation(
            "R-UNIT-TREE",
            f"this ledger already has its province ({root.code}, {root.name}); init gives only an empty ledger one",
            f"sổ này đã có đảng bộ tỉnh ({root.name}, mã {root.code}); chỉ sổ còn trống mới khởi tạo được",
        )
    day = on or today()
    check_not_future(day, today())  # R-DATE-FUTURE
    unit_id = unit_id_for(clean_code(code))
    actor = Actor(user_id=INSTALLER, role=Role.PROVINCIAL_ADMIN, unit_id=unit_id)
    command = RegisterUnit(unit_id, code.strip(), name, UnitKind.PROVINCIAL_COMMITTEE, None)
    result = handle_unit_command(
        ctx.store,
        command,
        occurred_on=day,
        actor=actor,
        idempotency_key=f"{INSTALLER}:{unit_id}",
        expected_version=version,
        known_tree=(tree, version),
    )
    return Founded(unit_id, code.strip(), ctx.recorded(result, UNIT_TREE_STREAM, [unit_id]))
