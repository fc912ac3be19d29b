"""Requests for a file filed elsewhere (R-FILE-REQUEST) over HTTP: file one, see the inbox, grant or refuse.

Thin routes around `services.commands.file_requests`. Filing answers 201 with the request's id whatever the
number (filed elsewhere, nowhere, or in the caller's own units): the same status, body and work. The inbox and
the answers are the holding unit's (or a committee's above it); a request for a file outside the caller's
subtree, or already answered, is a 404 like a missing one (I8).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Final

import msgspec
from litestar import Router, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import PathParameter

from services.api.platform.examples import with_example
from services.api.platform.params import Caller, Context, IdempotencyKey
from services.api.platform.responses import READ_PROBLEMS, RECORDED, WRITE_PROBLEMS
from services.api.platform.security import SECURED
from services.commands.file_requests import (
    RequestAnswer,
    RequestFiling,
    answer_request,
    file_request,
    inbox,
    sent,
)
from services.commands.results import Recorded
from services.ledger import Ledger

CitizenId = Annotated[str, msgspec.Meta(min_length=12, max_length=12, pattern=r"^[0-9]{12}$")]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=1000, description="Why, in the officer's words")]
RequestIdPath = Annotated[
    str, PathParameter(description="A request's id, from filing it or from the inbox", max_length=64)
]
FILED: Final = "The request is recorded; the same answer whatever the citizen ID holds"


class FileRequestBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The number the officer was told is filed elsewhere, the cell it is wanted in, and why."""

    citizen_id: CitizenId
    cell_id: Annotated[str, msgspec.Meta(min_length=1, max_length=120, description="A cell in your units")]
    reason: Reason


class FileRequestAnswerBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Reason
    expected_version: Annotated[int, msgspec.Meta(ge=0, description="The person's version (from the inbox)")]


class FiledRead(msgspec.Struct, frozen=True):
    request_id: str
    status: str


class InboxRead(msgspec.Struct, frozen=True):
    """A pending request for a file your units hold: the person, where the file is, who asks and why."""

    request_id: str
    person_id: str
    full_name: str
    stage: str
    stage_vi: str
    holding_cell_id: str
    requesting_cell_id: str
    reason: str
    requested_on: date
    requested_by: str
    version: int
    may_hand_over: bool


class SentRead(msgspec.Struct, frozen=True):
    """A request your units made; the answer never says where the file was."""

    request_id: str
    citizen_id: str
    requesting_cell_id: str
    reason: str
    requested_on: date
    status: str
    answer_reason: str | None
    answered_on: date | None


INBOX: Final = ResponseSpec(
    data_container=list[InboxRead],
    generate_examples=False,
    description="Pending requests for files your units hold",
    examples=[
        Example(
            summary="A withdrawn candidate's file, asked for by a neighbouring cell",
            value=[
                {
                    "request_id": "file-request-5ee8d4646aad1f9065bfa668bf3e0c0d",
                    "person_id": "person-191b4dc46fe211715e1043d6142ed976",
                    "full_name": "Nguyễn Văn An",
                    "stage": "Withdrawn",
                    "stage_vi": "Đã rút khỏi nguồn",
                    "holding_cell_id": "unit-school-cell-1",
                    "requesting_cell_id": "unit-school-cell-2",
                    "reason": "Quần chúng chuyển công tác về khoa",
                    "requested_on": "2026-12-01",
                    "requested_by": "bithu.chibo2",
                    "version": 2,
                    "may_hand_over": True,
                }
            ],
        )
    ],
)
SENT: Final = ResponseSpec(
    data_container=list[SentRead],
    generate_examples=False,
    description="Requests your units made, with their answers",
    examples=[
        Example(
            summary="A request granted",
            value=[
                {
                    "request_id": "file-request-5ee8d4646aad1f9065bfa668bf3e0c0d",
                    "citizen_id": "001085000003",
                    "requesting_cell_id": "unit-school-cell-2",
                    "reason": "Quần chúng chuyển công tác về khoa",
                    "requested_on": "2026-12-01",
                    "status": "granted",
                    "answer_reason": "Đồng ý",
                    "answered_on": "2026-12-03",
                }
            ],
        )
    ],
)


@post(
    "/file-requests",
    operation_id="requestFile",
    status_code=201,
    sync_to_thread=True,
    summary="Đề nghị chuyển hồ sơ",
    response_description=FILED,
    responses=WRITE_PROBLEMS,
)
def request_file(
    data: Annotated[FileRequestBody, with_example(FileRequestBody)],
    ledger: Context,
    principal: Caller,
    idempotency_key: IdempotencyKey,
) -> FiledRead:
    """Ask the unit holding a citizen ID's file (answered 409 `filed-elsewhere`) to hand it to your cell."""
    filed = file_request(ledger, RequestFiling(principal, data.citizen_id, data.cell_id, data.reason, idempotency_key))
    return FiledRead(filed.request_id, filed.status)


@get(
    "/file-requests/inbox",
    operation_id="listFileRequestInbox",
    sync_to_thread=True,
    responses={**READ_PROBLEMS, 200: INBOX},
)
def request_inbox(ledger: Context, principal: Caller) -> list[InboxRead]:
    """Pending requests for files your units hold, oldest first; grant or refuse each."""
    return [
        InboxRead(
            request_id=item.request.request_id,
            person_id=item.person.person_id,
            full_name=item.person.particulars.full_name if item.person.particulars else "",
            stage=str(item.person.stage),
            stage_vi=item.person.stage.label_vi,
            holding_cell_id=item.person.cell_id or "",
            requesting_cell_id=item.request.cell_id,
            reason=item.request.reason,
            requested_on=item.request.requested_on,
            requested_by=item.request.requested_by,
            version=item.person.version,
            may_hand_over=item.may_hand_over,
        )
        for item in inbox(ledger, principal)
    ]


@get(
    "/file-requests/sent",
    operation_id="listSentFileRequests",
    sync_to_thread=True,
    responses={**READ_PROBLEMS, 200: SENT},
)
def sent_requests(ledger: Context, principal: Caller) -> list[SentRead]:
    """Requests made for cells in your units, newest first, with their answers."""
    return [
        SentRead(
            request_id=r.request_id,
            citizen_id=r.citizen_id,
            requesting_cell_id=r.cell_id,
            reason=r.reason,
            requested_on=r.requested_on,
            status=r.status,
            answer_reason=r.answer.reason if r.answer else None,
            answered_on=r.answer.on if r.answer else None,
        )
        for r in sent(ledger, principal)
    ]


def _answer(
    ledger: Ledger, principal: Caller, request_id: str, grant: bool, data: FileRequestAnswerBody, key: str
) -> Recorded:
    answer = RequestAnswer(principal, request_id, grant, data.reason, data.expected_version, key)
    return answer_request(ledger, answer)


@post(
    "/file-requests/{request_id:str}/grant",
    operation_id="grantFileRequest",
    status_code=201,
    sync_to_thread=True,
    summary="Đồng ý chuyển hồ sơ",
    response_description=RECORDED,
    responses=WRITE_PROBLEMS,
)
def grant_request(
    request_id: RequestIdPath,
    data: Annotated[FileRequestAnswerBody, with_example(FileRequestAnswerBody)],
    ledger: Context,
    principal: Caller,
    idempotency_key: IdempotencyKey,
) -> Recorded:
    """Hand the closed file over to the asking cell (R-FILE-REQUEST); it may then open a new file."""
    return _answer(ledger, principal, request_id, True, data, idempotency_key)


@post(
    "/file-requests/{request_id:str}/refusal",
    operation_id="refuseFileRequest",
    status_code=201,
    sync_to_thread=True,
    summary="Từ chối đề nghị chuyển hồ sơ",
    response_description=RECORDED,
    responses=WRITE_PROBLEMS,
)
def refuse_request(
    request_id: RequestIdPath,
    data: Annotated[FileRequestAnswerBody, with_example(FileRequestAnswerBody)],
    ledger: Context,
    principal: Caller,
    idempotency_key: IdempotencyKey,
) -> Recorded:
    """Refuse the request with a reason; the file stays where it is."""
    return _answer(ledger, principal, request_id, False, data, idempotency_key)


file_request_router = Router(
    path="/",
    route_handlers=[request_file, request_inbox, sent_requests, grant_request, refuse_request],
    tags=["file requests"],
    **SECURED,
)
