"""Property-based fuzzing of every operation (schemathesis 4, in-process over a seeded embedded ledger).

As the provincial administrator, with the ids of the ledger's real units and people (fuzz_support), through
schemathesis' engine with every check (`--checks all`) in positive and negative mode: no operation answers a
5xx, every answer conforms to the OpenAPI document (its status, content type, headers and body are
declared), every request the document calls invalid is refused, and none it calls valid is refused as
malformed (a 400); methods an operation lacks answer 405 with `Allow`, and a request without the token is
refused. With no token at all, every protected operation answers 401 (the guard runs before parameters are
validated) or 404, never 5xx.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from litestar import Litestar
from schemathesis import Case, GenerationMode
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core.transport import Response

from tests.e2e.fuzz_support import (
    LABELS,
    OPERATION_IDS,
    Report,
    fuzz,
    fuzz_cases,
    run_every_check,
    seeded_app,
    seeded_world,
)

PUBLIC = frozenset({"health", "ready", "signIn", "refreshSession", "signOut"})
"""Liveness and readiness answer without a token, by design."""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    started = time.monotonic()
    found = run_every_check(seeded_world(tmp_path_factory.mktemp("fuzz")))
    print(f"schemathesis, every check: {time.monotonic() - started:.1f} s, answers {dict(found.statuses)}")
    return found


def test_the_run_made_every_check_and_reached_the_ledger(report: Report) -> None:
    load_all_checks()
    assert report.checks == {check.__name__ for check in CHECKS.get_all()}
    assert not report.failures.get("engine"), report.failures["engine"]
    assert report.statuses[201] and report.statuses[422] and report.statuses[200], dict(report.statuses)


@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_every_operation_passes_every_check(report: Report, operation_id: str) -> None:
    failures = report.failures.get(LABELS[operation_id], []) + report.failures.get("engine", [])
    assert not failures, "\n\n".join(failures[:3])


@pytest.fixture(scope="module")
def anonymous(tmp_path_factory: pytest.TempPathFactory) -> Litestar:
    _, app = seeded_app(tmp_path_factory.mktemp("anonymous"))
    return app


@pytest.mark.parametrize(("mode", "operation_id"), fuzz_cases(), ids=str)
def test_without_a_token_every_protected_operation_is_401_or_404(
    anonymous: Litestar, operation_id: str, mode: GenerationMode
) -> None:
    wrong: list[str] = []

    def verify(case: Case[Any], response: Response) -> None:
        allowed = range(200, 500) if operation_id in PUBLIC else (401, 404)
        if response.status_code not in allowed:
            wrong.append(f"{case.as_curl_command()} -> {response.status_code} {response.text[:200]}")

    fuzz(anonymous, operation_id, mode, {}, verify)
    assert not wrong, wrong[0]
