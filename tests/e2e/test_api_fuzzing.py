"""Property-based fuzzing of every operation (schemathesis 4, in-process over a seeded embedded ledger).

As the provincial admin (all units, every role's steps): no 5xx in positive or negative mode, and every
response conforms to the OpenAPI document — its status is declared, its content type (problem+json for errors)
and its body match. With no token: every protected operation answers 401 (the guard runs before parameters
are validated) or 404, never 5xx. Negative mode skips the operations with nothing to make wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from schemathesis import Case, GenerationMode
from schemathesis.core.transport import Response

from services.commands.actors import Role
from services.settings import Settings
from tests.e2e.conftest import bearer
from tests.e2e.fuzz_support import (
    CHECK_KINDS,
    DOCUMENT,
    KINDS,
    NOTHING_TO_NEGATE,
    OPERATION_IDS,
    Findings,
    fuzz,
    fuzz_cases,
    seeded_app,
)

PUBLIC = frozenset({"health", "ready"})
"""Liveness and readiness answer without a token, by design."""


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Litestar]:
    return seeded_app(tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(scope="module")
def findings(seeded: tuple[Settings, Litestar]) -> Findings:
    settings, app = seeded
    return Findings(app, bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province", user="user-fuzz-admin"))


def cases() -> Iterator[object]:
    for mode, op in fuzz_cases():
        for check in CHECK_KINDS:
            yield pytest.param(op, mode, check, id=f"{op}-{mode}-{check}")


@pytest.mark.parametrize(("operation_id", "mode", "check"), list(cases()))
def test_admin_fuzzing_passes_the_check(
    findings: Findings, operation_id: str, mode: GenerationMode, check: str
) -> None:
    failures = findings.of(operation_id, mode)
    assert check not in failures, failures[check]


@pytest.mark.parametrize(("mode", "operation_id"), fuzz_cases(), ids=str)
def test_admin_fuzzing_finds_no_unclassified_failure(
    findings: Findings, operation_id: str, mode: GenerationMode
) -> None:
    unknown = set(findings.of(operation_id, mode)) - set(KINDS.values())
    assert not unknown, {k: findings.of(operation_id, mode)[k] for k in unknown}


@pytest.mark.parametrize(("mode", "operation_id"), fuzz_cases(), ids=str)
def test_without_a_token_every_protected_operation_is_401_or_404(
    seeded: tuple[Settings, Litestar], operation_id: str, mode: GenerationMode
) -> None:
    _, app = seeded
    wrong: list[str] = []

    def verify(case: Case[Any], response: Response) -> None:
        allowed = range(200, 500) if operation_id in PUBLIC else (401, 404)
        if response.status_code not in allowed:
            wrong.append(f"{case.as_curl_command()} -> {response.status_code} {response.text[:200]}")

    fuzz(app, operation_id, mode, {}, verify)
    assert not wrong, wrong[0]


def _operation(operation_id: str) -> dict[str, Any]:
    (found,) = (op for item in DOCUMENT["paths"].values() for op in item.values() if op["operationId"] == operation_id)
    operation: dict[str, Any] = found
    return operation


READS = {op["operationId"] for item in DOCUMENT["paths"].values() for method, op in item.items() if method == "get"}


@pytest.mark.parametrize("operation_id", [op for op in OPERATION_IDS if op not in PUBLIC])
def test_every_protected_operation_declares_its_token_and_problems(operation_id: str) -> None:
    operation = _operation(operation_id)
    assert operation["security"] == [{"bearer": []}]
    assert {"400", "401", "404"} <= set(operation["responses"]), sorted(operation["responses"])
    for status in ("400", "401", "404"):
        (media_type,) = operation["responses"][status]["content"]
        assert media_type == "application/problem+json"
    if operation_id in READS:
        return
    assert {"409", "413", "422"} <= set(operation["responses"]), sorted(operation["responses"])


def test_only_liveness_and_readiness_are_public_and_have_nothing_to_negate() -> None:
    assert {op for op in OPERATION_IDS if "security" not in _operation(op)} == PUBLIC == NOTHING_TO_NEGATE
    assert "security" not in DOCUMENT
