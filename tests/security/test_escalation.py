"""Privilege escalation and the unit-wall cases the matrix (tests/e2e/test_unit_walls_matrix.py) does not
reach: a role taking another role's step, a body that names a foreign unit behind an own path, a validly
signed token for a unit that does not exist, and a read of the tree before the caller's unit existed.

Each refusal is the same 404 as a missing thing (I8), leaves the log unchanged, and is recorded with why."""

from __future__ import annotations

from typing import Any

import pytest

from services.commands.actors import Role
from services.commands.person_steps import STEPS
from services.denial_records import recent_denials
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.e2e.desk import CELL, SIBLING, Desk, particulars, sample_body
from tests.security.conftest import log_state

WRITE_PROBES = [
    ("cell secretary deciding admission", Role.CELL_SECRETARY, "decideAdmission"),
    ("cell secretary recognising official", Role.CELL_SECRETARY, "recogniseOfficial"),
    ("cell secretary expelling", Role.CELL_SECRETARY, "decideStrikeOff"),
    ("viewer reporting a violation", Role.VIEWER, "reportViolation"),
    ("viewer updating particulars", Role.VIEWER, "updateParticulars"),
    ("auditor rating a member", Role.AUDITOR, "rateMember"),
    ("auditor granting an exit", Role.AUDITOR, "grantVoluntaryExit"),
]


MISSING = {"status": 404, "title": "No such resource in your units", "detail": "Not Found"}
"""What a request for a person or unit that does not exist gets (tests/e2e/test_unit_walls_matrix.py)."""


def _refused_like_missing(answer: Any) -> None:
    assert answer.status_code == 404, answer.text
    assert answer.json() == MISSING


@pytest.mark.parametrize(("case", "role", "operation"), WRITE_PROBES, ids=[p[0] for p in WRITE_PROBES])
def test_a_role_cannot_take_another_roles_step_even_in_its_own_unit(
    client: Client, settings: Settings, member: str, case: str, role: Role, operation: str
) -> None:
    step = next(s for s in STEPS if s.operation_id == operation)
    before = log_state(settings)
    body = sample_body(step.body) | {"expected_version": 1}
    headers = bearer(settings, role, CELL, user=f"climber-{role}") | {"Idempotency-Key": f"climb-{case[:40]}"}

    answer = client.post(step.route.replace("{person_id}", member), json=body, headers=headers)

    _refused_like_missing(answer)
    assert log_state(settings) == before
    client.app.state.ledger.denials.flush()  # recorded off the answer's path
    denial = recent_denials(client.app.state.ledger.engine, limit=1)[0]
    assert (denial.user_id, denial.status, denial.reason) == (
        f"climber-{role}",
        404,
        f"unit wall: role {role} may not take this step",
    )


def test_an_enrolment_into_a_foreign_cell_behind_an_own_token_is_refused(client: Client, settings: Settings) -> None:
    before = log_state(settings)
    body = {
        "citizen_id": "001085000077",
        "particulars": particulars("Người Ngoài"),
        "cell_id": SIBLING,
        "admitted_on": "2010-05-01",
        "ceremony_on": "2010-05-19",
        "official_from": "2011-05-19",
        "roll_ref": "Sổ 77",
        "occurred_on": "2020-11-02",
        "expected_version": 0,
    }
    headers = bearer(settings, Role.CELL_SECRETARY, CELL) | {"Idempotency-Key": "foreign-enrolment"}

    _refused_like_missing(client.post("/people/enrolment", json=body, headers=headers))
    assert log_state(settings) == before


def test_a_transfer_of_an_own_candidate_into_a_foreign_cell_is_refused(client: Client, settings: Settings) -> None:
    desk = Desk(client, settings)
    helper = desk.enrol(1)
    candidate = desk.nominate(9, helper)
    before = log_state(settings)
    body = {"to_cell_id": "unit-bloc", "helper_id": helper, "occurred_on": "2021-01-05", "expected_version": 1}

    answer = desk.post(desk.cell, f"/people/{candidate}/transfer", body)

    _refused_like_missing(answer)
    assert log_state(settings) == before


def test_a_validly_signed_token_for_a_unit_that_does_not_exist_sees_nothing(
    client: Client, settings: Settings, member: str
) -> None:
    ghost = bearer(settings, Role.PROVINCIAL_ADMIN, "unit-ghost", user="ghost.admin")
    for path in ["/units/unit-province", f"/units/{CELL}/members", f"/people/{member}", "/units/unit-ghost"]:
        _refused_like_missing(client.get(path, headers=ghost))


def test_the_tree_before_the_callers_unit_existed_is_outside_its_walls(client: Client, settings: Settings) -> None:
    viewer = bearer(settings, Role.VIEWER, CELL)
    assert client.get(f"/units/{CELL}/members", headers=viewer).status_code == 200
    _refused_like_missing(client.get(f"/units/{CELL}/members", params={"on": "2019-01-01"}, headers=viewer))
