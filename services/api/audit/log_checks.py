"""Auditors' checks of the log itself: verify (I7) in their subtree, seals to print and to check later, replay
verification of read models (I6), and — for the provincial administrator — the record of auditors' reads.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Any

import anyio.to_thread
import msgspec
from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.openapi.spec import Example
from litestar.params import QueryParameter

from domain.codec import EVENTS
from eventstore import VerifyReport
from projections.person_states import PersonStates
from projections.queries import subtree_units
from projections.registry import PROJECTIONS
from projections.runner import Runner
from services.api.platform.audit_params import Cursor, Limit, UserId, after_position
from services.api.platform.examples import UNIT
from services.api.platform.heavy import Checkpoint, HeavyGate
from services.api.platform.params import Caller, Context, UnitIdPath, unusable
from services.api.platform.responses import BOUNDED_READ_PROBLEMS, READ_PROBLEMS, problems
from services.audit.access import AuditRead, list_reads
from services.audit.auditors import record, require_auditor
from services.audit.replay_check import ReplayReport, check_replay
from services.audit.unit_verify import verify_unit
from services.audit.verifying import KEPT_SEAL_PATTERN, KeptSeal, SealCheck, check_kept_seal_signed, kept_form
from services.commands.actors import Actor, Role
from services.commands.walls import require_role, require_within, today
from services.ledger import Ledger
from services.reads import caller_units

log = logging.getLogger(__name__)

REPLAY_GATE = "partyledger.replay_gate"
REPLAYS_PER_USER = 4
REPLAY_WINDOW_SECONDS = 600.0
REPLAY_PROBLEMS = problems(400, 401, 404, 429, 503)
UnitParam = Annotated[
    str | None,
    QueryParameter(
        max_length=100,
        description="Default: the caller's own unit",
        examples=[Example(summary="A grassroots cell", value=UNIT)],
    ),
]
PRINTED_EXAMPLE = f"seal 3 · position 1024 · 2026-12-07 06:00:00 UTC · sha256 {'3b' * 32}"
"""What `partyledger seal` prints (`Seal.printable`): the example of the check's first form."""
SealParam = Annotated[
    str,
    QueryParameter(
        pattern=KEPT_SEAL_PATTERN,
        max_length=300,
        description="The line `partyledger seal` printed (as `verify --seal` takes it), or HASH@POSITION",
        examples=[
            Example(summary="The line `partyledger seal` printed", value=PRINTED_EXAMPLE),
            Example(summary="A seal kept on paper as HASH@POSITION", value=f"{'3b' * 32}@1024"),
        ],
    ),
]


class ProblemRead(msgspec.Struct, frozen=True):
    position: int
    kind: str
    message: str


class VerifyRead(msgspec.Struct, frozen=True):
    """The verify report: `ok`, or the first broken position and what is wrong there."""

    unit_id: str
    ok: bool
    summary: str
    events_checked: int
    streams: int
    seals_checked: int
    head_position: int
    problem: ProblemRead | None


class SealRead(msgspec.Struct, frozen=True):
    """A seal to print and keep outside the system; `kept` is what `partyledger verify --seal` takes."""

    seal_number: int
    up_to_position: int
    event_count: int
    seal_hash: str
    prev_seal_hash: str
    sealed_at: datetime
    kept: str
    printable: str


class DifferenceRead(msgspec.Struct, frozen=True):
    row_key: str
    live: object
    rebuilt: object


class ComparisonRead(msgspec.Struct, frozen=True):
    projection: str
    unit_id: str
    position: int
    live_digest: str
    rebuilt_digest: str
    first_difference: DifferenceRead | None


class ReplayRead(msgspec.Struct, frozen=True):
    equal: bool
    summary: str
    checked: int
    units: list[str]
    differing: list[ComparisonRead]


class AccessRead(msgspec.Struct, frozen=True):
    read_id: int
    read_at: datetime
    user_id: str
    role: str
    acting_unit: str
    operation: str
    subject: str
    detail: str


def _verify_read(unit_id: str, report: VerifyReport) -> VerifyRead:
    problem = report.problem
    return VerifyRead(
        unit_id,
        report.ok,
        report.summary(),
        report.events_checked,
        report.streams,
        report.seals_checked,
        report.head_position,
        ProblemRead(problem.position, problem.kind, problem.message) if problem else None,
    )


def replay_gate(state: State) -> HeavyGate:
    """The app's gate for replay checks (one per API process), made at its first replay check."""
    if REPLAY_GATE not in state:
        state[REPLAY_GATE] = HeavyGate(per_user=REPLAYS_PER_USER, window=REPLAY_WINDOW_SECONDS)
    gate: HeavyGate = state[REPLAY_GATE]
    return gate


def _replay_units(ledger: Ledger, principal: Actor, unit_id: str) -> list[str]:
    """The subtree to check, once the caller is known to be an auditor over it (else the wall's 404)."""
    require_auditor(principal)
    tree = ledger.tree()
    require_within(tree, principal, unit_id)
    return subtree_units(tree, unit_id, today())


def _replay(ledger: Ledger, units: list[str], checkpoint: Checkpoint) -> ReplayReport:
    runner = Runner(ledger.engine, ledger.store, EVENTS, PROJECTIONS, enrich=PersonStates(ledger.store, EVENTS))
    return check_replay(runner, units, on_pair=checkpoint)


def _replay_read(report: ReplayReport) -> ReplayRead:
    differing = [
        ComparisonRead(
            c.projection,
            c.unit_id,
            c.position,
            c.live_digest,
            c.rebuilt_digest,
            DifferenceRead(c.first_difference.row_key, c.first_difference.live, c.first_difference.rebuilt)
            if c.first_difference
            else None,
        )
        for c in report.differing
    ]
    return ReplayRead(report.equal, report.summary(), report.checked, list(report.units), differing)


def _access_read(read: AuditRead) -> AccessRead:
    """`read_at` with its zone, as the document's `date-time` requires (SQLite returns naive UTC)."""
    fields = {name: getattr(read, name) for name in AccessRead.__struct_fields__}
    fields["read_at"] = read.read_at.replace(tzinfo=read.read_at.tzinfo or UTC)
    return AccessRead(**fields)


class AuditLogController(Controller):
    path = "/audit"
    tags = ["audit"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get("/verify", operation_id="verifyLog", sync_to_thread=True, responses=READ_PROBLEMS)
    def verify(self, ledger: Context, principal: Caller, unit_id: UnitParam = None) -> VerifyRead:
        """Every hash chain with an event in the unit's subtree, and every seal; names the first broken position."""
        chosen = unit_id or principal.unit_id
        return _verify_read(chosen, verify_unit(ledger, principal, chosen))

    @get("/seals", operation_id="listSeals", sync_to_thread=True, responses=READ_PROBLEMS)
    def seals(
        self,
        ledger: Context,
        principal: Caller,
        cursor: Cursor = None,
        limit: Limit = 100,
    ) -> list[SealRead]:
        """Seals in order, each printable (hash, position, time) to keep outside the system."""
        require_auditor(principal)
        after = after_position(cursor)
        chosen = [s for s in ledger.store.seals() if s.seal_number > after][:limit]
        return [
            SealRead(
                s.seal_number,
                s.up_to_position,
                s.event_count,
                s.seal_hash.hex(),
                s.prev_seal_hash.hex(),
                s.sealed_at,
                kept_form(s),
                s.printable(),
            )
            for s in chosen
        ]

    @get("/seals/check", operation_id="checkSeal", sync_to_thread=True, responses=BOUNDED_READ_PROBLEMS)
    def check_seal(
        self,
        ledger: Context,
        principal: Caller,
        seal: SealParam,
    ) -> SealCheck:
        """Does the log still prove a seal kept earlier (the line `partyledger seal` printed, or `HASH@POSITION`)?
        holds=false names what broke."""
        require_auditor(principal)
        try:
            kept = KeptSeal.parse(seal)
        except ValueError as exc:
            raise unusable("seal", str(exc)) from exc
        return check_kept_seal_signed(ledger.store, kept, ledger.settings.seal_public_key_file)

    @get("/units/{unit_id:str}/replay-check", operation_id="checkReplay", responses=REPLAY_PROBLEMS)
    async def replay_check(
        self, request: Request[Any, Any, Any], unit_id: UnitIdPath, ledger: Context, principal: Caller
    ) -> ReplayRead:
        """Rebuild the subtree's read models beside the live ones from the log; equal, or the first differing row.
        Costly, so bounded: one at a time per server, a few per auditor every ten minutes, stopped at
        PARTYLEDGER_REPLAY_CHECK_SECONDS (429 or 503 with Retry-After)."""
        units = await anyio.to_thread.run_sync(_replay_units, ledger, principal, unit_id)  # the walls come first
        work = partial(_replay, ledger, units)
        report = await replay_gate(request.app.state).run(principal.user_id, work, ledger.settings.replay_check_seconds)
        await anyio.to_thread.run_sync(record, ledger.engine, principal, "checkReplay", unit_id)
        return _replay_read(report)

    @get("/reads", operation_id="listAuditReads", sync_to_thread=True, responses=READ_PROBLEMS)
    def reads(
        self,
        ledger: Context,
        principal: Caller,
        user_id: UserId = None,
        cursor: Cursor = None,
        limit: Limit = 100,
    ) -> list[AccessRead]:
        """Who read which personal data through the audit endpoints, and when (provincial administrator): reads made
        for a unit of the caller's subtree, all of them at the province's root (I8)."""
        require_role(principal, Role.PROVINCIAL_ADMIN)
        tree = ledger.tree()
        at_root = (unit := tree.live_on(principal.unit_id, today())) is not None and unit.parent_id is None
        units = None if at_root else caller_units(tree, principal, today())
        found = list_reads(ledger.engine, after=after_position(cursor), limit=limit, user_id=user_id, units=units)
        return [_access_read(r) for r in found]
