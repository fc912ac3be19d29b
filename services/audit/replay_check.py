"""Replay verification (I6) for an auditor: rebuild a unit's read models into scratch space from the log and
compare them with the live ones, projection by projection; report equal, or the first row that differs.

It reuses `projections.rebuild.compare` (the same check `partyledger rebuild --check` runs), so an
auditor and an operator can never disagree about what "rebuild equals live" means.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from projections.base import Projection
from projections.rebuild import Comparison, compare
from projections.registry import PROJECTIONS
from projections.runner import Runner


@dataclass(frozen=True)
class ReplayReport:
    units: tuple[str, ...]
    checked: int
    differing: tuple[Comparison, ...] = field(default_factory=tuple)

    @property
    def equal(self) -> bool:
        return not self.differing

    def summary(self) -> str:
        if self.equal:
            return f"rebuild equals live: {self.checked} (projection, unit) pairs over {len(self.units)} units"
        first = self.differing[0]
        row = first.first_difference.row_key if first.first_difference else "?"
        return (
            f"{len(self.differing)} of {self.checked} (projection, unit) pairs differ from a rebuild; first: "
            f"{first.projection} of {first.unit_id}, row {row!r}"
        )


def check_replay(
    runner: Runner,
    units: Sequence[str],
    projections: Sequence[Projection] = PROJECTIONS,
    on_pair: Callable[[], None] = lambda: None,
) -> ReplayReport:
    """Every (projection, unit): rebuild beside, compare digests, keep the differing ones with their row;
    `on_pair` is called after each (a progress bar)."""
    differing = []
    for projection in projections:
        for unit in units:
            comparison = compare(runner, projection, unit)
            if not comparison.equal:
                differing.append(comparison)
            on_pair()
    return ReplayReport(tuple(units), len(units) * len(projections), tuple(differing))
