"""Units: the tree as the caller may see it, and the administrator's steps on it (DOMAIN.md §1)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.types import BeforeRequestHookHandler

from domain.units.commands import RegisterUnit, RenameUnit
from domain.units.kinds import UnitKind
from domain.units.state import Unit
from services.api.platform.examples import with_example
from services.api.platform.params import Caller, Context, IdempotencyKey, UnitIdPath
from services.api.platform.responses import READ_PROBLEMS, RECORDED, WRITE_PROBLEMS
from services.api.platform.security import SECURITY, authenticate
from services.commands.results import Recorded
from services.commands.units import UnitChange, change_unit
from services.commands.walls import require_within, today


class UnitRead(msgspec.Struct, frozen=True):
    unit_id: str
    code: str
    name: str
    kind: UnitKind
    kind_vi: str
    parent_id: str | None
    admission_delegated: bool
    path: list[str]
    tree_version: int
    """The unit tree's version: send it as `expected_version` with a unit command."""


class RegisterUnitBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    unit_id: Annotated[str, msgspec.Meta(pattern=r"^unit-[a-z0-9-]{1,60}$")]
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=30)]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    kind: UnitKind
    parent_id: str
    occurred_on: date
    expected_version: Annotated[int, msgspec.Meta(ge=0)]
    admission_delegated: bool = False
    document_ref: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class RenameUnitBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    occurred_on: date
    expected_version: Annotated[int, msgspec.Meta(ge=0)]
    document_ref: Annotated[str, msgspec.Meta(max_length=200)] | None = None


def _read(unit: Unit, path: list[str], tree_version: int) -> UnitRead:
    return UnitRead(
        unit.unit_id,
        unit.code,
        unit.name,
        unit.kind,
        unit.kind.label_vi,
        unit.parent_id,
        unit.admission_delegated,
        path,
        tree_version,
    )


class UnitController(Controller):
    path = "/units"
    tags = ["units"]  # noqa: RUF012  # Litestar reads these as class attributes
    before_request: BeforeRequestHookHandler | None = authenticate
    security = SECURITY

    @get("/{unit_id:str}", operation_id="getUnit", sync_to_thread=True, responses=READ_PROBLEMS)
    def get_unit(self, unit_id: UnitIdPath, ledger: Context, principal: Caller) -> UnitRead:
        """One unit the caller may see, with its path from the caller's unit down (breadcrumbs)."""
        version, tree = ledger.versioned_tree()
        require_within(tree, principal, unit_id)
        unit = tree.latest(unit_id)
        assert unit is not None
        path = [u.unit_id for u in tree.ancestors(unit_id, today())]
        visible = path[path.index(principal.unit_id) :] if principal.unit_id in path else []
        return _read(unit, visible, version)

    @post(
        "/",
        operation_id="registerUnit",
        status_code=201,
        response_description=RECORDED,
        sync_to_thread=True,
        responses=WRITE_PROBLEMS,
    )
    def register(
        self,
        data: Annotated[RegisterUnitBody, with_example(RegisterUnitBody)],
        ledger: Context,
        principal: Caller,
        idempotency_key: IdempotencyKey,
    ) -> Recorded:
        """Register a unit under one the administrator governs (R-UNIT-TREE)."""
        command = RegisterUnit(data.unit_id, data.code, data.name, data.kind, data.parent_id, data.admission_delegated)
        request = UnitChange(
            principal, command, data.occurred_on, data.expected_version, idempotency_key, data.document_ref
        )
        return change_unit(ledger, request)

    @post(
        "/{unit_id:str}/rename",
        operation_id="renameUnit",
        status_code=201,
        response_description=RECORDED,
        sync_to_thread=True,
        responses=WRITE_PROBLEMS,
    )
    def rename(
        self,
        unit_id: UnitIdPath,
        data: Annotated[RenameUnitBody, with_example(RenameUnitBody)],
        ledger: Context,
        principal: Caller,
        idempotency_key: IdempotencyKey,
    ) -> Recorded:
        """Rename a unit the administrator governs; its id, code and history stay."""
        command = RenameUnit(unit_id, data.name)
        request = UnitChange(
            principal, command, data.occurred_on, data.expected_version, idempotency_key, data.document_ref
        )
        return change_unit(ledger, request)
