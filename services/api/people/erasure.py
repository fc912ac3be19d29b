"""`POST /people/{person_id}/erasure`: erase a person's personal data (R-PRIVACY-ERASE; issue 20 item 3).

A thin route around `services.commands.erasure.erase_person`: the competent unit (a committee's officer or the
province's administrator, the person within their units) states the legal ground and the decision's number and
date. A person outside the caller's units, or none, is a 404 like any missing thing (I8); a file still in use is
a 422 naming R-PRIVACY-ERASE; an erased file a 422 naming R-PRIVACY-ERASED.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from litestar import Router, post

from domain.person.erasure import ErasureGround
from services.api.platform.examples import with_example
from services.api.platform.params import Caller, Context, IdempotencyKey, PersonIdPath
from services.api.platform.responses import RECORDED, WRITE_PROBLEMS
from services.api.platform.security import SECURED
from services.commands.erasure import ErasureRequest, erase_person
from services.commands.results import Recorded


class ErasureBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The legal ground, the erasure decision's number and date, and the file's version it was decided on."""

    ground: Annotated[
        ErasureGround,
        msgspec.Meta(description="purpose_complete (a closed file), subject_request, or state_decision"),
    ]
    decision_ref: Annotated[str, msgspec.Meta(min_length=1, max_length=200, description="The decision's number")]
    decided_on: Annotated[date, msgspec.Meta(description="The decision's date (not in the future)")]
    expected_version: Annotated[int, msgspec.Meta(ge=1, description="The file's version the decision was made on")]


@post(
    "/people/{person_id:str}/erasure",
    operation_id="erasePersonalData",
    status_code=201,
    sync_to_thread=True,
    summary="Xóa dữ liệu cá nhân",
    response_description=RECORDED,
    responses=WRITE_PROBLEMS,
)
def erase(
    person_id: PersonIdPath,
    data: Annotated[ErasureBody, with_example(ErasureBody)],
    ledger: Context,
    principal: Caller,
    idempotency_key: IdempotencyKey,
) -> Recorded:
    """Erase the person's personal data so that it cannot be recovered: every key of the file is destroyed, an
    erasure event without personal data is appended, the read models forget the person; counts stay right."""
    request = ErasureRequest(
        principal, person_id, data.ground, data.decision_ref, data.decided_on, data.expected_version, idempotency_key
    )
    return erase_person(ledger, request)


erasure_router = Router(path="/", route_handlers=[erase], tags=["personal data"], **SECURED)
