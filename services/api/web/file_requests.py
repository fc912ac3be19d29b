"""Đề nghị chuyển hồ sơ (R-FILE-REQUEST): ask for a file filed elsewhere; grant or refuse the ones you hold.

One page per unit: the form to ask (a citizen ID the "Mở hồ sơ mới" form was told is filed elsewhere, the
cell, a reason), the pending requests for files this unit's subtree holds (named by person and unit, with a
grant and a refusal form each), and the requests this unit's cells made with their answers. Every write goes
through `services.commands.file_requests`, as the JSON API's do.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from domain.errors import DomainError
from domain.units.state import Unit
from eventstore import IdempotencyKeyReused, WrongExpectedVersion
from services.commands.actors import Actor
from services.commands.file_requests import (
    ASKERS,
    CELL_KINDS,
    RequestAnswer,
    RequestFiling,
    answer_request,
    file_request,
    inbox,
    sent,
)
from services.commands.results import Recorded
from services.commands.walls import today

from .common import Viewer, breadcrumbs, page, subtree, unit_names, visible_unit
from .people import Form, Refusal, attempt
from .session import PREFIX, Context

STATUS_VI = {"pending": "Đang chờ trả lời", "granted": "Đã đồng ý chuyển hồ sơ", "refused": "Bị từ chối"}


def _cells(tree: Any, viewer: Actor, unit: Unit) -> list[Unit]:
    """The cells of this unit's subtree a request may be made for (the unit itself when it is a cell)."""
    on = today()
    found = [tree.state_on(u, on) for u in subtree(tree, viewer, unit.unit_id)]
    return [u for u in found if u is not None and u.kind in CELL_KINDS]


def _page(
    ledger: Context,
    viewer: Actor,
    unit_id: str,
    *,
    status_code: int = 200,
    refusal: Refusal | None = None,
    values: dict[str, str] | None = None,
    open_request: str | None = None,
    done: str | None = None,
) -> Template:
    tree = ledger.tree()
    unit = visible_unit(tree, viewer, unit_id)
    units = set(subtree(tree, viewer, unit_id))
    may_act = viewer.role in ASKERS
    pending = [i for i in inbox(ledger, viewer) if i.person.cell_id in units] if may_act else []
    made = [r for r in sent(ledger, viewer) if r.cell_id in units] if may_act else []
    return page(
        "file_requests.html",
        viewer,
        status_code=status_code,
        unit=unit,
        crumbs=breadcrumbs(tree, viewer, unit_id),
        may_act=may_act,
        cells=_cells(tree, viewer, unit) if may_act else [],
        pending=pending,
        made=made,
        names=unit_names(tree),
        status_vi=STATUS_VI,
        values=values or {},
        refusal=refusal,
        open_request=open_request,
        done=done,
        request_key=uuid.uuid4().hex,
        prefix=PREFIX,
    )


@get("/units/{unit_id:str}/file-requests", sync_to_thread=True)
def file_requests_page(unit_id: FromPath[str], viewer: Viewer, ledger: Context, done: FromQuery[str] = "") -> Template:
    """The unit's requests both ways (a citizen ID never travels in a URL: the refusal on "Mở hồ sơ mới" posts
    its own request form)."""
    return _page(ledger, viewer, unit_id, done=done if done in {"sent", "granted", "refused"} else None)


def _refused(exc: Exception) -> Refusal:
    """The dashboard's one wording of a refusal (`people.attempt`), for a use case that answers no `Recorded`."""

    def again() -> Recorded:
        raise exc

    outcome = attempt(again)
    return outcome if isinstance(outcome, Refusal) else Refusal(None, str(exc))


@post("/units/{unit_id:str}/file-requests", sync_to_thread=True, status_code=303)
def send_file_request(unit_id: FromPath[str], data: Form, viewer: Viewer, ledger: Context) -> Redirect | Template:
    """File a request; the answer is the same whatever the number holds."""
    tree = ledger.tree()
    unit = visible_unit(tree, viewer, unit_id)
    cells = {c.unit_id for c in _cells(tree, viewer, unit)}
    cell = unit.unit_id if unit.unit_id in cells else data.get("cell_id", "")
    filing = RequestFiling(
        viewer, data.get("citizen_id", ""), cell, data.get("reason", ""), data.get("request_key") or uuid.uuid4().hex
    )
    try:
        file_request(ledger, filing)
    except (DomainError, IdempotencyKeyReused) as exc:
        return _page(ledger, viewer, unit_id, status_code=422, refusal=_refused(exc), values=data)
    return Redirect(f"{PREFIX}/units/{unit_id}/file-requests?done=sent", status_code=303)


def _answer(unit_id: str, request_id: str, grant: bool, data: dict[str, str], viewer: Actor, ledger: Context) -> Any:
    try:
        version = int(data.get("expected_version", ""))
    except ValueError:
        version = -1
    answer = RequestAnswer(
        viewer, request_id, grant, data.get("reason", ""), version, data.get("request_key") or uuid.uuid4().hex
    )
    try:
        answer_request(ledger, answer)
    except (DomainError, WrongExpectedVersion, IdempotencyKeyReused, ValueError) as exc:
        refusal = _refused(exc)
        return _page(ledger, viewer, unit_id, status_code=422, refusal=refusal, values=data, open_request=request_id)
    done = "granted" if grant else "refused"
    return Redirect(f"{PREFIX}/units/{unit_id}/file-requests?done={done}", status_code=303)


@post("/units/{unit_id:str}/file-requests/{request_id:str}/grant", sync_to_thread=True, status_code=303)
def grant_file_request(
    unit_id: FromPath[str], request_id: FromPath[str], data: Form, viewer: Viewer, ledger: Context
) -> Redirect | Template:
    """Hand the closed file over to the asking cell."""
    visible_unit(ledger.tree(), viewer, unit_id)
    result: Redirect | Template = _answer(unit_id, request_id, True, data, viewer, ledger)
    return result


@post("/units/{unit_id:str}/file-requests/{request_id:str}/refusal", sync_to_thread=True, status_code=303)
def refuse_file_request(
    unit_id: FromPath[str], request_id: FromPath[str], data: Form, viewer: Viewer, ledger: Context
) -> Redirect | Template:
    """Refuse with a reason; the file stays."""
    visible_unit(ledger.tree(), viewer, unit_id)
    result: Redirect | Template = _answer(unit_id, request_id, False, data, viewer, ledger)
    return result
