"""Unit pages: the tree (with search that ignores diacritics), a unit's dashboard, and its files by stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from litestar import get
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Template

from domain.person.stages import Stage
from domain.text import search_key
from domain.units.state import Unit
from projections import queries

from ..auth import Principal
from ..context import Ledger
from ..walls import today
from .common import Viewer, breadcrumbs, freshness, page, snapshot, subtree, visible_unit
from .pages import TERMS, overview, term_of
from .session import PREFIX, Context

Year = Annotated[int | None, QueryParameter(ge=1990, le=2200)]
MinPosition = Annotated[int, QueryParameter(ge=0)]


@dataclass
class Node:
    unit: Unit
    children: list[Node] = field(default_factory=list)


def _tree(ledger: Ledger, principal: Principal) -> Node:
    """The caller's subtree today, children in code order."""
    view = ledger.tree().as_of(today())

    def grow(unit_id: str) -> Node:
        unit = view.get(unit_id)
        assert unit is not None
        kids = sorted((view.get(k) for k in view.children(unit_id)), key=lambda u: u.code if u else "")
        return Node(unit, [grow(k.unit_id) for k in kids if k is not None])

    return grow(principal.unit_id)


def _matches(root: Node, query: str) -> list[Unit]:
    wanted = search_key(query)
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if wanted in search_key(node.unit.name) or wanted in search_key(node.unit.code):
            found.append(node.unit)
        stack.extend(node.children)
    return sorted(found, key=lambda u: u.code)


@get("/units", sync_to_thread=True)
def unit_tree(viewer: Viewer, ledger: Context, q: FromQuery[str] = "") -> Template:
    """The tree from the caller's unit down; a search lists matching units with their paths."""
    visible_unit(ledger, viewer, viewer.unit_id)
    root = _tree(ledger, viewer)
    found = _matches(root, q) if q.strip() else None
    paths = {u.unit_id: breadcrumbs(ledger.tree(), viewer, u.unit_id) for u in found or []}
    return page("tree.html", viewer, root=root, q=q, found=found, paths=paths)


@get("/units/{unit_id:str}", sync_to_thread=True)
def unit_dashboard(
    unit_id: FromPath[str],
    viewer: Viewer,
    ledger: Context,
    year: Year = None,
    term: FromQuery[str | None] = None,
    min_position: MinPosition = 0,
) -> Template:
    """Funnel, members, targets per year against plan, deadlines by urgency, children, freshness."""
    unit = visible_unit(ledger, viewer, unit_id)
    chosen_year = year or today().year
    chosen_term = term if term in TERMS else term_of(chosen_year)
    units = subtree(ledger, viewer, unit_id)
    data = snapshot(
        ledger, overview, ledger.tree(), units, chosen_year, chosen_term, today(), ledger.calendar(),
        min_position=min_position,
    )  # fmt: skip
    return page(
        "dashboard.html",
        viewer,
        unit=unit,
        crumbs=breadcrumbs(ledger.tree(), viewer, unit_id),
        data=data,
        year=chosen_year,
        term=chosen_term,
        terms=TERMS,
        fresh=freshness(ledger, data.position),
        names=_names(ledger),
    )


def _names(ledger: Ledger) -> dict[str, str]:
    return {u.unit_id: u.name for u in ledger.tree().all_latest()}


@get("/units/{unit_id:str}/files", sync_to_thread=True)
def unit_files(
    unit_id: FromPath[str],
    viewer: Viewer,
    ledger: Context,
    stage: FromQuery[str | None] = None,
    cursor: FromQuery[str | None] = None,
    q: FromQuery[str] = "",
) -> Template:
    """Files of the subtree, one stage or all, a page at a time; a name filter within the page."""
    unit = visible_unit(ledger, viewer, unit_id)
    chosen = stage if stage in {s.value for s in Stage} else None
    units = subtree(ledger, viewer, unit_id)
    try:
        found = snapshot(ledger, queries.files, units, chosen, cursor or None, 100)
    except ValueError:
        found = snapshot(ledger, queries.files, units, chosen, None, 100)
    wanted = search_key(q)
    rows = [f for f in found.files if not wanted or wanted in search_key(f.full_name or "")]
    return page(
        "files.html",
        viewer,
        unit=unit,
        crumbs=breadcrumbs(ledger.tree(), viewer, unit_id),
        files=rows,
        page_data=found,
        stage=chosen,
        stages=[s for s in Stage if s is not Stage.NEW],
        q=q,
        names=_names(ledger),
        fresh=freshness(ledger, found.position),
        prefix=PREFIX,
    )
