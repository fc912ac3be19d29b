"""Helpers for fuzzing the API with schemathesis 4: the OpenAPI document, a seeded ledger, bounded runs.

The document is read from `create_app(...).openapi_schema` without starting the app (no ledger is opened), so
the operations are known at collection time; the calls go in-process to an app over a seeded SQLite ledger.
Each operation is fuzzed once per generation mode and every check's first failure is kept, so one test per
(operation, check) can assert on it (and a known finding can be an exact, strict xfail).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from litestar import Litestar
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from eventstore import open_store
from services.api.app import create_app
from services.embedded import seed_minimal_province
from services.settings import Settings

BASE_URL = "http://testserver"
MAX_EXAMPLES = 6
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
ALL_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    missing_required_header,
]
KINDS: dict[str, str] = {
    "ServerError": "server_error",
    "UndefinedStatusCode": "status_code",
    "UndefinedContentType": "content_type",
    "MalformedMediaType": "content_type",
    "JsonSchemaError": "body",
    "MissingContentType": "content_type",
    "MissingHeaders": "headers",
    "AcceptedNegativeData": "negative_rejected",
    "MissingHeaderNotRejected": "missing_header_rejected",
}
"""schemathesis failure classes, by what they say is wrong; an unknown class is kept under its own name."""
CHECK_KINDS = sorted(set(KINDS.values()))


def ledger_settings(data_dir: Path) -> Settings:
    return Settings.from_environment({"PARTYLEDGER_DATA_DIR": str(data_dir), "PARTYLEDGER_BROKER_URL": "memory://"})


def seeded_app(data_dir: Path) -> tuple[Settings, Litestar]:
    settings = ledger_settings(data_dir)
    store = open_store(settings.database_url)
    seed_minimal_province(store)
    store.close()
    return settings, create_app(settings)


def openapi_document() -> dict[str, Any]:
    """The app's published document, read without starting it."""
    document: dict[str, Any] = create_app(ledger_settings(Path("/nonexistent"))).openapi_schema.to_schema()
    return document


DOCUMENT = openapi_document()
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
OPERATION_IDS: list[str] = sorted(op["operationId"] for item in DOCUMENT["paths"].values() for op in item.values())
NOTHING_TO_NEGATE: frozenset[str] = frozenset(
    op["operationId"]
    for item in DOCUMENT["paths"].values()
    for op in item.values()
    if not (op.get("parameters") or op.get("requestBody") or op.get("security"))
)
"""Operations with no parameter, body or token (/health, /ready): negative mode cannot make a wrong request."""


def fuzz_cases() -> list[tuple[GenerationMode, str]]:
    """(mode, operation) pairs worth fuzzing: negative mode only where something can be made wrong."""
    return [
        (mode, op)
        for mode in MODES
        for op in OPERATION_IDS
        if not (mode is GenerationMode.NEGATIVE and op in NOTHING_TO_NEGATE)
    ]


def fuzz(
    app: Litestar, operation_id: str, mode: GenerationMode, headers: dict[str, str], verify: Callable[..., None]
) -> None:
    """Up to MAX_EXAMPLES derandomized cases of one operation, each sent in-process, then `verify(case, response)`."""
    operation = SCHEMA.find_operation_by_id(operation_id)

    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Case[Any]) -> None:
        if isinstance(case.query, dict) and "wait" in case.query:
            case.query["wait"] = 0  # a read model waits up to 5 s for `min_position`: keep the run bounded
        verify(case, case.call(base_url=BASE_URL, app=app, headers=headers))

    run()


@dataclass
class Findings:
    """Every check's first failure per (operation, mode), fuzzed once on first demand."""

    app: Litestar
    headers: dict[str, str]
    seen: dict[tuple[str, GenerationMode], dict[str, str]] = field(default_factory=dict)

    def of(self, operation_id: str, mode: GenerationMode) -> dict[str, str]:
        key = (operation_id, mode)
        if key not in self.seen:
            failures: dict[str, str] = {}

            def verify(case: Case[Any], response: Response) -> None:
                try:
                    case.validate_response(response, checks=ALL_CHECKS)
                except FailureGroup as group:
                    for failure in group.exceptions:
                        kind = KINDS.get(type(failure).__name__, type(failure).__name__)
                        failures.setdefault(kind, f"{group}")

            fuzz(self.app, operation_id, mode, self.headers, verify)
            self.seen[key] = failures
        return self.seen[key]
