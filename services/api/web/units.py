"""Unit pages: the tree (with search that ignores diacritics), a unit's dashboard, and its files by stage."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from domain.person.stages import Stage
from domain.text import search_key
from domain.units.state import Unit
from domain.units.tree import UnitTree
from projections import queries
from services.api.platform.problems import FILED_ELSEWHERE_VI, not_found
from services.commands.actors import Actor
from services.commands.people import record_person_step, step_request
from services.commands.person_steps import Step
from services.commands.results import Recorded
from services.commands.walls import FiledElsewhere, NotFound, today
from services.denial_records import Denial
from services.ledger import Ledger
from services.reads import units_in_view

from .common import (
    Viewer,
    breadcrumbs,
    fresh_snapshot,
    freshness,
    page,
    places_below,
    snapshot,
    subtree,
    unit_names,
    visible_unit,
)
from .file_view import opening_choices
from .forms import FormField, body_from_form, with_choices
from .opening import FIXED, fixed_values, opening_forms, opening_steps
from .pages import TERMS, overview, term_of
from .people import Form, attempt, named
from .session import PREFIX, Context

Year = Annotated[int | None, QueryParameter(ge=1990, le=2200)]
MinPosition = Annotated[int, QueryParameter(ge=0)]


@dataclass
class Node:
    unit: Unit
    children: list[Node] = field(default_factory=list)


def _tree(tree: UnitTree, principal: Actor) -> Node:
    """The caller's subtree today, children in code order."""
    view = tree.as_of(today())

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
    tree = ledger.tree()
    visible_unit(tree, viewer, viewer.unit_id)
    root = _tree(tree, viewer)
    found = _matches(root, q) if q.strip() else None
    paths = {u.unit_id: breadcrumbs(tree, viewer, u.unit_id) for u in found or []}
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
    tree = ledger.tree()
    unit = visible_unit(tree, viewer, unit_id)
    chosen_year = year or today().year
    chosen_term = term if term in TERMS else term_of(chosen_year)
    units = _units_of_year(tree, viewer, unit_id, chosen_year)
    data, fresh = fresh_snapshot(
        ledger, overview, tree, units, chosen_year, chosen_term, today(), ledger.calendar(),
        reader=viewer, units=units, min_position=min_position,
    )  # fmt: skip
    return page(
        "dashboard.html",
        viewer,
        unit=unit,
        crumbs=breadcrumbs(tree, viewer, unit_id),
        data=data,
        year=chosen_year,
        current_year=today().year,
        term=chosen_term,
        terms=TERMS,
        fresh=fresh,
        names=unit_names(tree),
        places=places_below(
            tree, unit_id, [d.unit_id for d in data.deadlines.open] + [b.unit_id for b in data.deadlines.breaches]
        ),
        may_open=bool(opening_steps(unit, viewer)),
    )


def _units_of_year(tree: UnitTree, viewer: Actor, unit_id: str, year: int) -> list[str]:
    """A past year's figures cover the units as they stood on 31/12 of that year (that the viewer may see
    today, I8): the Political School of 2021 is its five cells, not the seven it has since 01/07/2025."""
    if year >= today().year:
        return subtree(tree, viewer, unit_id)
    try:
        return units_in_view(tree, viewer, unit_id, date(year, 12, 31))
    except NotFound:
        return subtree(tree, viewer, unit_id)  # the unit did not exist yet: its own figures are all there is


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
    tree = ledger.tree()
    return _files_page(ledger, tree, viewer, visible_unit(tree, viewer, unit_id), stage, cursor, q)


def _files_page(
    ledger: Ledger,
    tree: UnitTree,
    viewer: Actor,
    unit: Unit,
    stage: str | None,
    cursor: str | None,
    q: str,
    **extra: Any,
) -> Template:
    """The files table, and the forms that open a new file for those who may (`extra` refills a refused one)."""
    chosen = stage if stage in {s.value for s in Stage} else None
    units = subtree(tree, viewer, unit.unit_id)
    try:
        found = snapshot(ledger, queries.files, units, chosen, cursor or None, 100, reader=viewer, units=units)
    except ValueError:
        found = snapshot(ledger, queries.files, units, chosen, None, 100, reader=viewer, units=units)
    wanted = search_key(q)
    rows = [f for f in found.files if not wanted or wanted in search_key(f.full_name or "")]
    return page(
        "files.html",
        viewer,
        unit=unit,
        crumbs=breadcrumbs(tree, viewer, unit.unit_id),
        files=rows,
        page_data=found,
        stage=chosen,
        stages=[s for s in Stage if s is not Stage.NEW],
        q=q,
        names=unit_names(tree),
        fresh=freshness(ledger, found.position, units),
        prefix=PREFIX,
        **({"openings": _openings(ledger, unit, viewer), "fixed": FIXED, "request_key": uuid.uuid4().hex} | extra),
    )


def _openings(ledger: Ledger, unit: Unit, viewer: Actor) -> list[tuple[Step, list[FormField]]]:
    """The forms that open a file here, their helper picked among the cell's members."""
    forms = opening_forms(unit, viewer)
    if not forms:
        return []
    choices = opening_choices(ledger, unit, viewer)
    return [(step, with_choices(fields, choices)) for step, fields in forms]


@post("/units/{unit_id:str}/files/{operation_id:str}", sync_to_thread=True, status_code=303)
def open_file(
    request: Request[Any, Any, Any],
    unit_id: FromPath[str],
    operation_id: FromPath[str],
    data: Form,
    viewer: Viewer,
    ledger: Context,
) -> Redirect | Template:
    """Nominate or enrol through the API's own command; a refusal brings the form back filled, nothing recorded."""
    tree = ledger.tree()
    unit = visible_unit(tree, viewer, unit_id)
    step = next((s for s in opening_steps(unit, viewer) if s.operation_id == operation_id), None)
    if step is None:
        raise not_found()
    form = {**data, **fixed_values(step, unit)}

    def record() -> Recorded:
        person_id = ledger.person_id_of(form.get("citizen_id", ""))
        seen = ledger.people.load(ledger.store, person_id).version  # 0, or a former member's closed stream
        body = body_from_form(step, form, seen, opening_choices(ledger, unit, viewer))
        key = form.get("request_key") or uuid.uuid4().hex
        try:
            return record_person_step(ledger, step_request(viewer, step, person_id, body, key))
        except FiledElsewhere as refused:  # recorded as the API's hook records it (I8)
            client = request.client.host if request.client else "unknown"
            reason = f"filed elsewhere: {refused.reason}"
            who = (viewer.user_id, str(viewer.role), viewer.unit_id)
            ledger.denials.submit(Denial(409, reason, *who, True, client, "POST", request.url.path))
            raise

    outcome = attempt(record)
    if isinstance(outcome, Recorded):
        return Redirect(f"{PREFIX}/people/{outcome.stream_id}?recorded={outcome.last_position}", status_code=303)
    extra = {
        "refusal": named(outcome, ledger, tree, viewer),
        "open_step": operation_id,
        "values": form,
        "status_code": 422,
    }
    extra["file_request_link"] = outcome.message == FILED_ELSEWHERE_VI  # R-FILE-REQUEST: the way to ask for it
    return _files_page(ledger, tree, viewer, unit, None, None, "", **extra)
