"""An in-memory unit log for the unit tests: decide against the tree, then keep what was decided."""

from __future__ import annotations

from datetime import date

from domain.units.aggregate import decide
from domain.units.commands import RegisterUnit, UnitCommand
from domain.units.events import UnitEvent
from domain.units.kinds import UnitKind
from domain.units.tree import UnitTree

FOUNDED = date(2015, 1, 1)


class Ledger:
    """An in-memory unit log: decide against the tree, then append what was decided."""

    def __init__(self) -> None:
        self.log: list[tuple[UnitEvent, date]] = []
        self.tree = UnitTree.from_events([])

    def run(self, command: UnitCommand, on: date = FOUNDED) -> tuple[UnitEvent, ...]:
        events = decide(command, self.tree, on)
        for event in events:
            self.log.append((event, on))
            self.tree = self.tree.with_event(event, on)
        return events

    def register(self, unit_id: str, kind: UnitKind, parent: str | None, on: date = FOUNDED) -> None:
        self.run(RegisterUnit(unit_id, unit_id.upper(), f"Đơn vị {unit_id}", kind, parent), on)
