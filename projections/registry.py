"""Every read model the product keeps; the runner, the sweep and rebuild iterate over this list."""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import cast

from . import deadlines, files, member_roll, retention, statistics, unit_activity, unit_dashboard, unit_plans
from .base import Projection


def _as_projection(module: ModuleType) -> Projection:
    """A read model is a module with `name`, `version`, `event_types` and `apply` (one module per model)."""
    return cast(Projection, module)


PROJECTIONS: Sequence[Projection] = tuple(
    _as_projection(m)
    for m in (unit_plans, unit_activity, unit_dashboard, files, deadlines, member_roll, statistics, retention)
)


def by_name(name: str) -> Projection:
    for projection in PROJECTIONS:
        if projection.name == name:
            return projection
    raise KeyError(f"no projection named {name!r}; known: {', '.join(p.name for p in PROJECTIONS)}")
