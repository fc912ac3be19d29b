"""Officers of the Political School calling the use cases as the adapters do (decode the body, then call)."""

from __future__ import annotations

from typing import Any

import msgspec

from services.commands.actors import Actor, Role
from services.commands.context import CommandContext
from services.commands.people import record_person_step, step_request
from services.commands.person_steps import STEPS, Step
from services.commands.results import Recorded
from tests.support.person_ids import person_id_of

CELL, SIBLING = "unit-school-cell-1", "unit-school-cell-2"
SECRETARY = Actor("bithu.chibo1", Role.CELL_SECRETARY, CELL)
NEIGHBOUR = Actor("bithu.chibo2", Role.CELL_SECRETARY, SIBLING)
ADMIN = Actor("admin.tinhuy", Role.PROVINCIAL_ADMIN, "unit-province")
BY_ID = {s.operation_id: s for s in STEPS}


def citizen(n: int) -> str:
    return f"001085{n:06d}"


def person(n: int) -> str:
    return person_id_of(citizen(n))


def particulars(name: str) -> dict[str, Any]:
    return {"full_name": name, "sex": "male", "date_of_birth": "1985-04-01", "ethnicity": "kinh",
            "religion": "none", "education": "university", "occupation": "public_employee"}  # fmt: skip


def take(ctx: CommandContext, actor: Actor, operation: str, person_id: str, key: str, **body: Any) -> Recorded:
    """Decode the body as the API and the web forms do, then call the one use case."""
    step: Step = BY_ID[operation]
    decoded = msgspec.convert(body, step.body, strict=False)
    return record_person_step(ctx, step_request(actor, step, person_id, decoded, key))


def enrol(ctx: CommandContext, n: int, actor: Actor = SECRETARY, cell: str = CELL) -> Recorded:
    return take(ctx, actor, "enrollMember", person(n), f"enrol-{n}", citizen_id=citizen(n),
                particulars=particulars(f"Đảng Viên {'ABCDEFGHIJ'[n]}"), cell_id=cell, admitted_on="2010-05-01",
                ceremony_on="2010-05-19", official_from="2011-05-19", roll_ref=f"Sổ {n}",
                occurred_on="2020-11-02", expected_version=0)  # fmt: skip


def nominate(ctx: CommandContext, n: int, helper: str, key: str = "nominate", version: int = 0) -> Recorded:
    return take(ctx, SECRETARY, "nominateCandidate", person(n), key, citizen_id=citizen(n),
                particulars=particulars("Quần Chúng Bình"), helper_id=helper, resolution_ref="NQ 01",
                occurred_on="2021-03-01", expected_version=version)  # fmt: skip
