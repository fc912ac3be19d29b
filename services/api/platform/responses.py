"""What the OpenAPI document says each operation may answer besides success: RFC 9457 problem details.

Every error is `application/problem+json` (problems.py); these declarations let a client (and the fuzzer)
know which statuses an operation answers and what the body holds.
"""

from __future__ import annotations

from typing import Any, Final

import msgspec
from litestar.openapi.datastructures import ResponseSpec

PROBLEM_JSON: Final = "application/problem+json"


class ProblemDetails(msgspec.Struct, frozen=True):
    """RFC 9457 problem details; `rule_id` and the two messages when a party rule refused the step (I12)."""

    status: int
    type: str | None = None
    title: str | None = None
    detail: str | None = None
    instance: str | None = None
    rule_id: str | None = None
    message_en: str | None = None
    message_vi: str | None = None
    pointer: str | None = None
    current_version: int | None = None
    expected_version: int | None = None
    errors: list[dict[str, Any]] | None = None
    extra: Any = None


WHY: Final[dict[int, str]] = {
    400: "Malformed request: bad JSON, a wrong type, an unknown field, a bad date or a missing header",
    401: "No valid bearer token",
    403: "Sign-in refused although the password was right: a first sign-in must set `new_password`, or the "
    "account holds no role today",
    404: "No such thing in your units (a thing outside your walls looks exactly the same)",
    409: "Version conflict: the stream changed since you read it; `current_version` says where it is now",
    413: "The body is larger than the API accepts",
    422: "Refused: a party rule (`rule_id`, `message_en`, `message_vi`), an invalid field, a reused key, or a "
    "parameter of the documented form that the ledger cannot use (`errors` names it)",
    429: "Too many requests from this caller: try again after `Retry-After` seconds",
    503: "Busy or unavailable for now: try again after `Retry-After` seconds (a command with the same Idempotency-Key)",
}


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """The problem responses of an operation, for a handler's `responses=`."""
    return {
        status: ResponseSpec(
            data_container=ProblemDetails, description=WHY[status], media_type=PROBLEM_JSON, generate_examples=False
        )
        for status in statuses
    }


RECORDED: Final = (
    "Recorded: the stream, its new version and the log positions written (`duplicate` true when this is a "
    "retry with the same Idempotency-Key, answered with the first result; no `Location`: read the stream by "
    "its id)"
)
"""The description of every command's 201."""

READ_PROBLEMS: Final = problems(400, 401, 404, 429, 503)
BOUNDED_READ_PROBLEMS: Final = problems(400, 401, 404, 422, 429, 503)
"""A read with a parameter of the documented form that the ledger may still not be able to use (`params.unusable`:
a date it cannot hold, a term whose years run backwards, a cursor it never gave)."""
WRITE_PROBLEMS: Final = problems(400, 401, 404, 409, 413, 422, 429, 503)
