"""Every error as RFC 9457 problem details; a refused rule carries its id and both languages (I12)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import NotAuthorizedException, NotFoundException, ValidationException
from litestar.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsException, ProblemDetailsPlugin
from litestar.status_codes import HTTP_400_BAD_REQUEST, HTTP_409_CONFLICT, HTTP_422_UNPROCESSABLE_ENTITY

from domain.errors import DomainError, InvalidCommand, RuleViolation
from eventstore import IdempotencyKeyReused, InvalidAppend, WrongExpectedVersion
from services.api.platform.metrics import RULE_REFUSALS
from services.commands.walls import NOT_FOUND_DETAIL, FiledElsewhere, NotFound

PROBLEM_BASE = "https://partyledger.example/problems/"


def _problem(kind: str, title: str, status: int, detail: str, **extra: Any) -> ProblemDetailsException:
    return ProblemDetailsException(
        type_=PROBLEM_BASE + kind, title=title, status_code=status, detail=detail, extra=extra or None
    )


def rule_refused(exc: RuleViolation) -> ProblemDetailsException:
    RULE_REFUSALS.labels(rule_id=exc.rule_id).inc()
    return _problem(
        "rule-refused",
        "A party rule refuses this step",
        HTTP_422_UNPROCESSABLE_ENTITY,
        exc.reason_en,
        rule_id=exc.rule_id,
        message_en=exc.reason_en,
        message_vi=exc.message_vi,
    )


def invalid_command(exc: InvalidCommand) -> ProblemDetailsException:
    return _problem(
        "invalid-field",
        "A field of the command is invalid",
        HTTP_422_UNPROCESSABLE_ENTITY,
        exc.message_en,
        pointer=f"/{exc.field}",
        message_en=exc.message_en,
        message_vi=exc.message_vi,
    )


def domain_error(exc: DomainError) -> ProblemDetailsException:
    return _problem(
        "refused",
        "The step is refused",
        HTTP_422_UNPROCESSABLE_ENTITY,
        exc.message_en,
        message_en=exc.message_en,
        message_vi=exc.message_vi,
    )


def version_conflict(exc: WrongExpectedVersion) -> ProblemDetailsException:
    return _problem(
        "version-conflict",
        "The record changed since you read it",
        HTTP_409_CONFLICT,
        str(exc),
        current_version=exc.current,
        expected_version=exc.expected,
    )


def key_reused(exc: IdempotencyKeyReused) -> ProblemDetailsException:
    return _problem(
        "idempotency-key-reused",
        "This Idempotency-Key was used for a different request",
        HTTP_422_UNPROCESSABLE_ENTITY,
        str(exc),
    )


def bad_append(exc: InvalidAppend) -> ProblemDetailsException:
    return _problem("invalid-event", "The event cannot be recorded", HTTP_400_BAD_REQUEST, str(exc))


def _not_found(exc: NotFound) -> ProblemDetailsException:
    """A use case's 'no such thing' (missing or behind a wall): exactly the answer of `not_found()` (I8)."""
    return ProblemDetailsException(status_code=404, title=NOT_FOUND_DETAIL)


FILED_ELSEWHERE_EN = (
    "This citizen ID is filed with a unit outside yours; file a request for it (POST /file-requests): the unit "
    "holding the file, or a committee above both, grants or refuses it (R-FILE-REQUEST)."
)
FILED_ELSEWHERE_VI = (
    "Số định danh này đã có hồ sơ ở một tổ chức đảng ngoài phạm vi của đồng chí; hãy gửi “Đề nghị chuyển hồ sơ” "
    "để tổ chức đang quản lý hồ sơ hoặc cấp ủy cấp trên chung xem xét chuyển hồ sơ sang."
)


def _filed_elsewhere(exc: FiledElsewhere) -> ProblemDetailsException:
    """I8: the only thing said is that the number is filed outside the caller's units (not where, not the stage)."""
    return _problem(
        "filed-elsewhere",
        "This citizen ID is filed with a unit outside yours",
        HTTP_409_CONFLICT,
        "File a request for it: POST /file-requests with the citizen ID, your cell and a reason; the unit that holds "
        "the file, or a committee above both units, grants (the file moves to your cell) or refuses it.",
        message_en=FILED_ELSEWHERE_EN,
        message_vi=FILED_ELSEWHERE_VI,
    )


def _validation(exc: ValidationException) -> ProblemDetailsException:
    """Litestar's own request validation (400), or a value of the documented form that the ledger cannot use
    (422, `params.unusable`): either keeps its per-parameter messages (`key`, `source`)."""
    errors = exc.extra if isinstance(exc.extra, list) else []
    if exc.status_code == HTTP_422_UNPROCESSABLE_ENTITY:
        return _problem("invalid-parameter", "A parameter cannot be used", exc.status_code, exc.detail, errors=errors)
    return _problem("invalid-request", "The request is malformed", exc.status_code, exc.detail, errors=errors)


def problem_details_plugin() -> ProblemDetailsPlugin:
    return ProblemDetailsPlugin(
        ProblemDetailsConfig(
            enable_for_all_http_exceptions=True,
            exception_to_problem_detail_map={
                RuleViolation: rule_refused,
                InvalidCommand: invalid_command,
                DomainError: domain_error,
                WrongExpectedVersion: version_conflict,
                IdempotencyKeyReused: key_reused,
                InvalidAppend: bad_append,
                ValidationException: _validation,
                NotFound: _not_found,
                FiledElsewhere: _filed_elsewhere,
            },
        )
    )


def not_found() -> NotFoundException:
    """The one answer for a thing outside the caller's walls and a thing that does not exist (I8)."""
    return NotFoundException(NOT_FOUND_DETAIL)


def unauthorised(reason: str) -> NotAuthorizedException:
    return NotAuthorizedException(f"Sign in with a valid bearer token ({reason})")


def problem_response(
    slug: str, title: str, status: int, detail: str, headers: dict[str, str] | None = None
) -> Response[dict[str, Any]]:
    """Problem details from an exception handler that Litestar's plugin does not reach (a bug, a lost
    database, a body the decoder could not read): the same four members as every other error."""
    return Response(
        {"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail},
        status_code=status,
        media_type="application/problem+json",
        headers=headers,
    )


def not_utf8(request: Request[Any, Any, Any], exc: UnicodeDecodeError) -> Response[dict[str, Any]]:
    """A body whose bytes are not UTF-8 stops the JSON decoder before Litestar's validation sees it (found by
    the fuzzer: was a 500): the request is malformed."""
    request.logger.warning("request body on %s is not UTF-8", request.url.path)
    return problem_response("invalid-request", "The request is malformed", 400, "The body is not UTF-8 text.")


def internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """A bug is still a problem-details answer, without internals."""
    request.logger.exception("unhandled error on %s", request.url.path)
    return problem_response(
        "internal",
        "Internal error",
        500,
        "The request failed inside the server; nothing was recorded unless a position was returned.",
    )
