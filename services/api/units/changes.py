"""Changes to units over HTTP: reorganisation (R-UNIT-REORG), admission delegation, term targets, yearly plans.

Each is one POST that calls the one use case, `services.commands.units.change_unit` (walls for the role and
every unit named, decide at the tree version the caller saw — `expected_version`, from `GET /units/{id}` —
append, ring), with an `Idempotency-Key`. A refused wall answers 404 like a missing unit (I8).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, post
from litestar.handlers import HTTPRouteHandler
from litestar.types import BeforeRequestHookHandler

from domain.units.commands import (
    ChangeAdmissionDelegation,
    DissolveUnit,
    MergeUnit,
    MoveUnit,
    ReclassifyUnit,
    SetTermTarget,
    SetYearlyPlan,
    SplitUnit,
    UnitCommand,
)
from domain.units.events import TargetMetric
from domain.units.kinds import UnitKind
from services.api.platform.examples import with_example
from services.api.platform.params import Caller, Context, IdempotencyKey, UnitIdPath
from services.api.platform.responses import RECORDED, WRITE_PROBLEMS
from services.api.platform.security import SECURITY, authenticate
from services.commands.actors import Actor
from services.commands.results import Recorded
from services.commands.units import UnitChange, change_unit
from services.ledger import Ledger

UnitId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Reference = Annotated[
    str, msgspec.Meta(min_length=1, max_length=200, description="Number and date of the decision or resolution")
]
Count = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]


class UnitChangeBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What every unit command states: the decision's date, the tree version it was decided on, its paper."""

    occurred_on: date
    expected_version: Annotated[int, msgspec.Meta(ge=0, description="The unit tree's version (GET /units/{id})")]
    document_ref: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class MoveBody(UnitChangeBody, frozen=True, kw_only=True, forbid_unknown_fields=True):
    parent_id: UnitId
    effective_on: date
    reference: Reference


class MergeBody(UnitChangeBody, frozen=True, kw_only=True, forbid_unknown_fields=True):
    successor_id: UnitId
    effective_on: date
    reference: Reference


class SplitBody(UnitChangeBody, frozen=True, kw_only=True, forbid_unknown_fields=True):
    successor_ids: Annotated[list[UnitId], msgspec.Meta(min_length=1, max_length=20)]
    files_successor_id: UnitId
    effective_on: date
    reference: Reference


class DissolveBody(UnitChangeBody, frozen=True, kw_only=True, forbid_unknown_fields=True):
    successor_id: UnitId
    effective_on: date
    reference: Reference


class ReclassifyBody(UnitChangeBody, frozen=True, kw_only=True, forbid_unknown_fields=True):
    kind: UnitKind
    effective_on: date
    reference: Reference


class DelegationBody(UnitChangeBody, frozen=True, kw_only=True, forbid_unknown_fields=True):
    admission_delegated: bool
    reference: Reference


class TermTargetBody(UnitChangeBody, frozen=True, kw_only=True, forbid_unknown_fields=True):
    term: Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{4}$", examples=["2020-2025"])]
    metric: TargetMetric
    target: Count
    reference: Reference


class YearlyPlanBody(UnitChangeBody, frozen=True, kw_only=True, forbid_unknown_fields=True):
    year: Annotated[int, msgspec.Meta(ge=1930, le=2200)]
    metric: TargetMetric
    planned: Count


def _change(ledger: Ledger, principal: Actor, command: UnitCommand, body: UnitChangeBody, key: str) -> Recorded:
    """The body's paper, date and version around the command, through the one use case."""
    request = UnitChange(principal, command, body.occurred_on, body.expected_version, key, body.document_ref)
    return change_unit(ledger, request)


def _route(path: str, operation_id: str, summary: str) -> HTTPRouteHandler:
    return post(
        f"/{{unit_id:str}}/{path}",
        operation_id=operation_id,
        summary=summary,
        status_code=201,
        response_description=RECORDED,
        sync_to_thread=True,
        responses=WRITE_PROBLEMS,
    )


class UnitChangeController(Controller):
    path = "/units"
    tags = ["units"]  # noqa: RUF012  # Litestar reads these as class attributes
    before_request: BeforeRequestHookHandler | None = authenticate
    security = SECURITY

    @_route("move", "moveUnit", "Chuyển tổ chức đảng sang trực thuộc tổ chức khác")
    def move(
        self,
        unit_id: UnitIdPath,
        data: Annotated[MoveBody, with_example(MoveBody)],
        ledger: Context,
        principal: Caller,
        idempotency_key: IdempotencyKey,
    ) -> Recorded:
        """R-UNIT-REORG: the unit sits under another parent from `effective_on`; history keeps the old tree."""
        command = MoveUnit(unit_id, data.parent_id, data.effective_on, data.reference)
        return _change(ledger, principal, command, data, idempotency_key)

    @_route("merger", "mergeUnit", "Hợp nhất tổ chức đảng")
    def merge(
        self,
        unit_id: UnitIdPath,
        data: Annotated[MergeBody, with_example(MergeBody)],
        ledger: Context,
        principal: Caller,
        idempotency_key: IdempotencyKey,
    ) -> Recorded:
        """R-UNIT-REORG: the unit ceases on `effective_on`; the successor takes its members and open files."""
        command = MergeUnit(unit_id, data.successor_id, data.effective_on, data.reference)
        return _change(ledger, principal, command, data, idempotency_key)

    @_route("split", "splitUnit", "Chia tách tổ chức đảng")
    def split(
        self,
        unit_id: UnitIdPath,
        data: Annotated[SplitBody, with_example(SplitBody)],
        ledger: Context,
        principal: Caller,
        idempotency_key: IdempotencyKey,
    ) -> Recorded:
        """R-UNIT-REORG: the unit ceases, split into two or more successors; one takes the open files."""
        successors = tuple(data.successor_ids)
        command = SplitUnit(unit_id, successors, data.files_successor_id, data.effective_on, data.reference)
        return _change(ledger, principal, command, data, idempotency_key)

    @_route("dissolution", "dissolveUnit", "Giải thể tổ chức đảng")
    def dissolve(
        self,
        unit_id: UnitIdPath,
        data: Annotated[DissolveBody, with_example(DissolveBody)],
        ledger: Context,
        principal: Caller,
        idempotency_key: IdempotencyKey,
    ) -> Recorded:
        """R-UNIT-REORG: the unit ceases without a merger; the successor takes its members and open files."""
        command = DissolveUnit(unit_id, data.successor_id, data.effective_on, data.reference)
        return _change(ledger, principal, command, data, idempotency_key)

    @_route("reclassification", "reclassifyUnit", "Chuyển đổi loại hình tổ chức đảng")
    def reclassify(
        self,
        unit_id: UnitIdPath,
        data: Annotated[ReclassifyBody, with_example(ReclassifyBody)],
        ledger: Context,
        principal: Caller,
        idempotency_key: IdempotencyKey,
    ) -> Recorded:
        """R-UNIT-TREE: the unit changes kind from `effective_on` (e.g. a grassroots cell grown into a committee)."""
        command = ReclassifyUnit(unit_id, data.kind, data.effective_on, data.reference)
        return _change(ledger, principal, command, data, idempotency_key)

    @_route("admission-delegation", "changeAdmissionDelegation", "Ủy quyền (hoặc thu hồi ủy quyền) kết nạp đảng viên")
    def delegate(
        self,
        unit_id: UnitIdPath,
        data: Annotated[DelegationBody, with_example(DelegationBody)],
        ledger: Context,
        principal: Caller,
        idempotency_key: IdempotencyKey,
    ) -> Recorded:
        """R-AUTH-ADMIT (a): give a grassroots committee the power to admit, or take it back."""
        command = ChangeAdmissionDelegation(unit_id, data.admission_delegated, data.reference)
        return _change(ledger, principal, command, data, idempotency_key)

    @_route("term-targets", "setTermTarget", "Chỉ tiêu nhiệm kỳ theo nghị quyết đại hội")
    def term_target(
        self,
        unit_id: UnitIdPath,
        data: Annotated[TermTargetBody, with_example(TermTargetBody)],
        ledger: Context,
        principal: Caller,
        idempotency_key: IdempotencyKey,
    ) -> Recorded:
        """DOMAIN.md §5: a target of the congress resolution for a term; a later one replaces it."""
        command = SetTermTarget(unit_id, data.term, data.metric, data.target, data.reference)
        return _change(ledger, principal, command, data, idempotency_key)

    @_route("yearly-plans", "setYearlyPlan", "Kế hoạch năm")
    def yearly_plan(
        self,
        unit_id: UnitIdPath,
        data: Annotated[YearlyPlanBody, with_example(YearlyPlanBody)],
        ledger: Context,
        principal: Caller,
        idempotency_key: IdempotencyKey,
    ) -> Recorded:
        """DOMAIN.md §5: a yearly plan figure; a later one for the same year and metric replaces it."""
        command = SetYearlyPlan(unit_id, data.year, data.metric, data.planned)
        return _change(ledger, principal, command, data, idempotency_key)
