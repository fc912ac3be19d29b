"""Erasing a person's personal data from the dashboard (R-PRIVACY-ERASE): a confirmation page, then the one use case.

The person page links "Xóa dữ liệu cá nhân" for the roles that may erase (`services.commands.erasure.ERASERS`: a
committee's officer or the province's administrator, the person within their units). This page names the file,
says what an erasure does, asks for the legal ground, the decision's number and date and a confirmation, and
calls `erase_person` — the use case behind `POST /people/{id}/erasure`, `partyledger erase` and the retention
run. A value the form cannot use is refused next to its field; what the rules refuse comes back on top with the
rule; nothing is recorded either way. A caller who may not erase, or a person outside the walls, reads the page
as missing (I8).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Final

from litestar import get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.errors import InvalidCommand, RuleViolation
from domain.person.erasure import ErasureGround
from services.api.platform.problems import not_found
from services.commands.actors import Actor
from services.commands.erasure import ERASERS, ErasureRequest, KeysUnavailable, erase_person
from services.commands.people import visible_records
from services.commands.results import Recorded
from services.commands.walls import today
from services.ledger import Ledger

from .common import Viewer, breadcrumbs, page, unit_names
from .format import parse_day
from .people import Form, Refusal, attempt, named
from .session import PREFIX, Context

NO_GROUND_VI: Final = "Hãy chọn căn cứ xóa dữ liệu cá nhân."
NO_DECISION_VI: Final = "Hãy ghi số quyết định xóa dữ liệu cá nhân."
NO_DATE_VI: Final = "Hãy ghi ngày ký quyết định, dạng dd/mm/yyyy."
BAD_DATE_VI: Final = "Phải là ngày dạng dd/mm/yyyy, ví dụ 15/12/2025."
NOT_CONFIRMED_VI: Final = "Hãy đánh dấu xác nhận: dữ liệu cá nhân đã xóa không thể khôi phục."
NO_KEYS_VI: Final = "Hệ thống đang chạy không có khóa dữ liệu nên chưa thể xóa; hãy báo quản trị viên Tỉnh ủy."
RULE_TITLES_VI: Final = {
    "R-PRIVACY-ERASE": "quy định về xóa dữ liệu cá nhân",
    "R-PRIVACY-ERASED": "hồ sơ đã xóa dữ liệu cá nhân",
    "R-DATE-FUTURE": "quy định ngày trên văn bản",
}
"""The rule a refusal names, in words, beside its id."""
FIELD_OF_RULE: Final = {"R-DATE-FUTURE": "decided_on"}


def _may_erase(viewer: Actor) -> bool:
    return viewer.role in ERASERS


def _form_page(
    ledger: Ledger,
    viewer: Actor,
    person_id: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    refusal: Refusal | None = None,
    status_code: int = 200,
) -> Template:
    if not _may_erase(viewer):
        raise not_found()  # not this caller's to erase: the same answer as a person who never was
    state, _ = visible_records(ledger, viewer, person_id)
    assert state.cell_id is not None
    tree = ledger.tree()
    return page(
        "erasure.html",
        viewer,
        status_code=status_code,
        state=state,
        name=state.particulars.full_name if state.particulars else "",
        cell_name=unit_names(tree).get(state.cell_id, ""),
        crumbs=breadcrumbs(tree, viewer, state.cell_id),
        grounds=[(g.value, g.label_vi) for g in ErasureGround],
        values=values or {},
        errors=errors or {},
        refusal=refusal,
        rule_title=RULE_TITLES_VI.get(refusal.rule_id or "", "") if refusal else "",
        today=today(),
        request_key=uuid.uuid4().hex,
        prefix=PREFIX,
    )


@get("/people/{person_id:str}/erasure", sync_to_thread=True)
def erasure_form(person_id: FromPath[str], viewer: Viewer, ledger: Context) -> Template:
    """The confirmation form: which file, what erasing does, the ground, the decision and a confirmation."""
    return _form_page(ledger, viewer, person_id)


def _read(data: dict[str, str]) -> tuple[dict[str, str], ErasureGround | None, date | None]:
    """The form's own checks, each refused field with its Vietnamese message (all at once)."""
    errors: dict[str, str] = {}
    ground = next((g for g in ErasureGround if g.value == data.get("ground", "")), None)
    if ground is None:
        errors["ground"] = NO_GROUND_VI
    if not data.get("decision_ref", "").strip():
        errors["decision_ref"] = NO_DECISION_VI
    decided_on = None
    try:
        decided_on = parse_day(data.get("decided_on", ""))
    except ValueError:
        errors["decided_on"] = BAD_DATE_VI
    else:
        if decided_on is None:
            errors["decided_on"] = NO_DATE_VI
    if data.get("confirm", "") not in {"on", "true", "1"}:
        errors["confirm"] = NOT_CONFIRMED_VI
    return errors, ground, decided_on


@post("/people/{person_id:str}/erasure", sync_to_thread=True, status_code=303)
def erase(person_id: FromPath[str], data: Form, viewer: Viewer, ledger: Context) -> Redirect | Template:
    """Erase through the one use case; a field the form cannot use or a refusal comes back on the same form."""
    if not _may_erase(viewer):
        raise not_found()
    kept = {name: data.get(name, "") for name in ("ground", "decision_ref", "decided_on")}

    def again(errors: dict[str, str] | None = None, refusal: Refusal | None = None) -> Template:
        return _form_page(ledger, viewer, person_id, values=kept, errors=errors, refusal=refusal, status_code=422)

    errors, ground, decided_on = _read(data)
    if errors or ground is None or decided_on is None:
        return again(errors=errors)  # a foreign person is missing all the same (`_form_page`'s walls)
    at_field: dict[str, str] = {}

    def record() -> Recorded:
        request = ErasureRequest(
            viewer,
            person_id,
            ground,
            data.get("decision_ref", ""),
            decided_on,
            int(data.get("expected_version", "")),
            data.get("request_key") or uuid.uuid4().hex,
        )
        try:
            return erase_person(ledger, request)
        except InvalidCommand as exc:  # the decision's number itself (hidden characters, too long)
            at_field[exc.field] = exc.message_vi
            raise
        except RuleViolation as exc:
            if exc.rule_id in FIELD_OF_RULE:
                at_field[FIELD_OF_RULE[exc.rule_id]] = exc.message_vi
            raise

    try:
        outcome = attempt(record)
    except KeysUnavailable:
        return again(refusal=Refusal(None, NO_KEYS_VI))
    if isinstance(outcome, Recorded):
        return Redirect(f"{PREFIX}/people/{person_id}?recorded={outcome.last_position}", status_code=303)
    if at_field and outcome.rule_id is None:
        return again(errors=at_field)
    return again(errors=at_field, refusal=named(outcome, ledger, ledger.tree(), viewer))
