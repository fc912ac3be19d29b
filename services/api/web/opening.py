"""Opening a file from a cell's page: which of the API's creating steps the caller may take there.

The forms post to `units.open_file`, which sends the body through the one use case,
`services.commands.people.record_person_step`; this module only decides what the page offers and what the page
itself fixes (the cell an enrolment goes to).
"""

from __future__ import annotations

from typing import Final

from domain.units.state import Unit
from services.commands.actors import Actor
from services.commands.person_steps import STEPS, Step

from .forms import FormField, form_fields

OPENING: Final = tuple(s for s in STEPS if s.creates)
FIXED: Final = frozenset({"cell_id"})


def _names_cell(step: Step) -> bool:
    """An enrolment names its cell; a nomination lands in the caller's own unit (the API's `acting_unit_id`)."""
    return "cell_id" in step.body.__struct_fields__


def opening_steps(unit: Unit, viewer: Actor) -> list[Step]:
    """The creating steps the caller's role takes, on an active cell; a nomination only on the caller's own."""
    if not unit.kind.holds_members or not unit.is_active:
        return []
    return [s for s in OPENING if viewer.role in s.roles and (_names_cell(s) or viewer.unit_id == unit.unit_id)]


def opening_forms(unit: Unit, viewer: Actor) -> list[tuple[Step, list[FormField]]]:
    return [(s, form_fields(s)) for s in opening_steps(unit, viewer)]


def fixed_values(step: Step, unit: Unit) -> dict[str, str]:
    """What the page decides, whatever was posted: an enrolment goes to the cell whose page this is."""
    return {"cell_id": unit.unit_id} if _names_cell(step) else {}
