"""Helpers for fuzzing the API with schemathesis 4: the OpenAPI document, a seeded ledger with real ids, runs.

The document is read from `create_app(...).openapi_schema` without starting the app (no ledger is opened), so
the operations are known at collection time; the calls go in-process to an app over a seeded SQLite ledger.

`run_every_check` is the Python equivalent of `schemathesis run --checks all --mode all` with the examples,
coverage and fuzzing phases: schemathesis' own engine, every built-in check, as the provincial administrator
(every unit is theirs). Path and body ids are, most of the time, the ids of the seeded units and people, so
a request reaches the walls, the rules and the log instead of stopping at a 404 for a random id (`RealIds`);
each request carries a fresh Idempotency-Key, as a real client's does.
"""

from __future__ import annotations

import uuid
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from litestar import Litestar
from litestar.testing import TestClient
from schemathesis import Case, GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema
from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

from eventstore import open_store
from services.api.app import create_app
from services.commands.actors import Role
from services.embedded import PROVINCE_TOP, seed_minimal_province
from services.settings import Settings
from tests.e2e.conftest import bearer
from tests.e2e.desk import Desk
from tests.support.person_ids import KEY_SETTING

BASE_URL = "http://testserver"
MAX_EXAMPLES = 6
"""Per operation and mode in the fuzzing phase; the coverage phase adds its own boundary cases."""
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
ACCEPTED = ["2xx", "401", "403", "404", "409", "422", "429"]
"""What a request the document calls valid may be answered: anything but a 400 (the server calling it
malformed) or a 5xx. A 422 is a decision (a party rule, a field the rules refuse), not a rejected request."""


def ledger_settings(data_dir: Path) -> Settings:
    return Settings.from_environment(
        {"PARTYLEDGER_DATA_DIR": str(data_dir), "PARTYLEDGER_BROKER_URL": "memory://"} | KEY_SETTING
    )


def seeded_app(data_dir: Path) -> tuple[Settings, Litestar]:
    settings = ledger_settings(data_dir)
    store = open_store(settings.database_url)
    seed_minimal_province(store)
    store.close()
    return settings, create_app(settings)


@dataclass(frozen=True)
class World:
    """A seeded ledger and a fresh app over it; the ids of its units and of its people."""

    settings: Settings
    app: Litestar
    units: list[str]
    people: list[str]


def seeded_world(data_dir: Path) -> World:
    """The top of a province, three members of unit-school-cell-1 and a candidate they help (enrolled
    through the API by a first app, so the fuzzed app starts its own lifespan on a ledger with people)."""
    settings, setup = seeded_app(data_dir)
    with TestClient(app=setup) as client:
        desk = Desk(client, settings)
        members = [desk.enrol(n) for n in (1, 2, 3)]
        people = [*members, desk.nominate(5, members[0])]
    return World(settings, create_app(settings), [unit.unit_id for unit in PROVINCE_TOP], people)


def openapi_document() -> dict[str, Any]:
    """The app's published document, read without starting it."""
    document: dict[str, Any] = create_app(ledger_settings(Path("/nonexistent"))).openapi_schema.to_schema()
    return document


DOCUMENT = openapi_document()
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
OPERATION_IDS: list[str] = sorted(op["operationId"] for item in DOCUMENT["paths"].values() for op in item.values())
LABELS: dict[str, str] = {
    op["operationId"]: f"{method.upper()} {path}"
    for path, item in DOCUMENT["paths"].items()
    for method, op in item.items()
}
"""schemathesis names an operation by method and path."""
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


def _config(headers: dict[str, str]) -> SchemathesisConfig:
    """`--checks all --mode all` with the examples, coverage and fuzzing phases (no links for stateful)."""
    project = {
        "title": DOCUMENT["info"]["title"],
        "base-url": BASE_URL,
        "workers": 1,
        "headers": headers,
        "phases": {name: {"enabled": name != "stateful"} for name in ("examples", "coverage", "fuzzing", "stateful")},
        "generation": {"max-examples": MAX_EXAMPLES, "mode": "all", "deterministic": True, "database": "none"},
        "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}},
    }
    return SchemathesisConfig.from_dict({"project": [project]})


UNIT_FIELDS = ("cell_id", "to_cell_id", "parent_id", "successor_id", "files_successor_id")
PERSON_FIELDS = ("helper_id", "mentor_id")
VERSIONS = [0, 1, 2, 8]
"""Stream versions of the seeded world (a new stream, a person's, the next one, the unit tree's)."""


def _pick(pool: list[Any], generated: Any) -> Any:
    """One of `pool`, or (one time in len(pool) + 1) the generated value, chosen by the value: deterministic."""
    chosen = zlib.crc32(repr(generated).encode()) % (len(pool) + 1)
    return pool[chosen] if chosen < len(pool) else generated


@dataclass(frozen=True, eq=False)  # hashed by identity: schemathesis keeps its hooks in hashed caches
class RealIds:
    """A `before_call` hook: the ids of the world's units and people in a request's path, most of the time, in
    every phase (schemathesis' dictionaries reach only its fuzzing phase); in positive mode also in its body
    (with a stream version the world has) and a fresh Idempotency-Key, which keep a valid request valid."""

    world: World

    def __call__(self, context: Any, case: Case[Any], kwargs: dict[str, Any]) -> None:
        for name, pool in (("unit_id", self.world.units), ("person_id", self.world.people)):
            if isinstance(case.path_parameters, dict) and name in case.path_parameters:
                case.path_parameters[name] = _pick(pool, case.path_parameters[name])
        if case.meta is None or not case.meta.generation.mode.is_positive:
            return  # an edited header or body is revalidated: a negative case would stop being one
        if case.headers is not None and "Idempotency-Key" in case.headers:
            case.headers["Idempotency-Key"] = str(uuid.uuid4())
        if isinstance(case.body, dict):
            self._body(case.body)

    def _body(self, body: dict[str, Any]) -> None:
        for names, pool in ((UNIT_FIELDS, self.world.units), (PERSON_FIELDS, self.world.people)):
            for name in names:
                if isinstance(body.get(name), str):
                    body[name] = _pick(pool, body[name])
        for letter in body.get("sponsors") or ():
            if isinstance(letter, dict) and isinstance(letter.get("sponsor_id"), str):
                letter["sponsor_id"] = _pick(self.world.people, letter["sponsor_id"])
        if isinstance(body.get("expected_version"), int):
            body["expected_version"] = _pick(VERSIONS, body["expected_version"])


@dataclass
class Report:
    """What a run found: each operation's failures (check and what it said), the checks that ran, the
    statuses answered."""

    failures: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    checks: set[str] = field(default_factory=set)
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, finished: events.ScenarioFinished) -> None:
        for nodes in finished.recorder.checks.values():
            for node in nodes:
                self.checks.add(node.name)
                if node.status is Status.FAILURE and node.failure_info is not None:
                    info = node.failure_info
                    self.failures[finished.recorder.label].append(f"{node.name}: {info.failure}\n{info.code_sample}")
        for interaction in finished.recorder.interactions.values():
            if interaction.response is not None:
                self.statuses[interaction.response.status_code] += 1


def run_every_check(world: World) -> Report:
    """Every operation through schemathesis' engine as the provincial administrator; what it found."""
    headers = bearer(world.settings, Role.PROVINCIAL_ADMIN, "unit-province", user="user-fuzz-admin")
    schema = schemathesis.openapi.from_dict(DOCUMENT, config=_config(headers))
    schema.app = world.app
    real_ids = GLOBAL_HOOK_DISPATCHER.register_hook_with_name(RealIds(world), "before_call")  # global only
    report = Report()
    try:
        for event in from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                report.add(event)
            elif isinstance(event, events.NonFatalError | events.FatalError):
                report.failures["engine"].append(str(event))
    finally:
        GLOBAL_HOOK_DISPATCHER.unregister(real_ids)
    return report
