"""The person page offers exactly the steps the use case would take from this caller now (issue 22, "Must
show"): for several roles and stages, the forms on the page and the API's next-steps list equal the steps
that `record_person_step`'s own walls and rules do not refuse for who acts or when (the role, the walls,
R-STAGE-ORDER, R-AUTH-CELL, R-AUTH-ADMIT's competent body, R-VERIFY-COMPLETE). A step refused only for what
its form says (a vote count, a reference, a sample date) is one the caller may take: the officer fills it.

The probe decides each step exactly as the use case does (walls, facts from the log, `handle`) without
appending, so one file serves every caller and step.
"""

from __future__ import annotations

import re
from typing import Any, Final

import msgspec

from domain.errors import DomainError, InvalidCommand, RuleViolation
from domain.person.handlers import handle
from domain.person.values import RejectionLevel
from services.commands.actors import Actor, Role
from services.commands.people import check_walls, step_request
from services.commands.person_facts import FactContext, build_facts
from services.commands.person_steps import STEPS, Step
from services.commands.walls import NotFound, today
from services.ledger import Ledger
from services.settings import Settings
from tests.e2e.conftest import Client
from tests.e2e.desk import CELL, SIBLING, Desk, sample_body, walk_to_sponsored
from tests.e2e.web_support import sign_in

WHO_OR_WHEN: Final = frozenset({"R-STAGE-ORDER", "R-AUTH-CELL", "R-AUTH-STRIKEOFF", "R-VERIFY-COMPLETE"})
CALLERS: Final = [
    (Role.CELL_SECRETARY, CELL),
    (Role.GRASSROOTS_OFFICER, "unit-school"),
    (Role.UPPER_OFFICER, "unit-bloc"),
    (Role.PROVINCIAL_ADMIN, "unit-province"),
    (Role.VIEWER, "unit-school"),
]
OFFERED = re.compile(r'<form method="post" action="[^"]*/steps/[^"]*" class="step" data-operation="(\w+)"')


def _who_or_when(exc: RuleViolation) -> bool:
    """R-AUTH-ADMIT is about who when the caller is not the competent body (not about the votes counted)."""
    return exc.rule_id in WHO_OR_WHEN or (exc.rule_id == "R-AUTH-ADMIT" and "competent body" in str(exc))


def accepts(ledger: Ledger, actor: Actor, step: Step, person_id: str) -> bool:
    """Whether the use case would take the step from this caller today, but for what the form says (a
    choice the form offers, such as a rejection's level, may be any of its values)."""
    levels = [{"level": level.value} for level in RejectionLevel] if "level" in step.body.__struct_fields__ else [{}]
    return any(_accepts(ledger, actor, step, person_id, chosen) for chosen in levels)


def _accepts(ledger: Ledger, actor: Actor, step: Step, person_id: str, chosen: dict[str, str]) -> bool:
    state = ledger.people.load(ledger.store, person_id)
    paper = {"occurred_on": today().isoformat(), "expected_version": state.version}
    named = {"year": today().year - 1, "to_cell_id": SIBLING, "to_unit_id": SIBLING, **chosen}  # real values
    fields = step.body.__struct_fields__
    body = msgspec.convert(sample_body(step.body) | paper | {k: v for k, v in named.items() if k in fields}, step.body)
    request = step_request(actor, step, person_id, body, "probe")
    tree, calendar, known = ledger.for_command(person_id)
    assert known is not None
    try:
        reads = check_walls(tree, request, known)
        context = FactContext(ledger.store, tree, known, request.command, reads, request.stated)
        handle(known, request.command, calendar, build_facts(step.facts, context))
    except NotFound:
        return False
    except RuleViolation as exc:
        return not _who_or_when(exc)
    except InvalidCommand as exc:  # "facts.decider": the body that acts is not the one the rules name
        return not exc.field.startswith("facts.")
    except (DomainError, ValueError):
        return True
    return True


def offered(client: Client, settings: Settings, role: Role, unit: str, person_id: str) -> set[str]:
    sign_in(client, settings, role, unit)
    answer = client.get(f"/web/people/{person_id}")
    return set(OFFERED.findall(answer.text)) if answer.status_code == 200 else set()


def test_the_steps_offered_are_the_steps_the_use_case_would_take(client: Client, settings: Settings) -> None:
    ledger: Ledger = client.app.state.ledger
    desk = Desk(client, settings)
    members = [desk.enrol(n) for n in (1, 2, 3, 4)]
    who = desk.nominate(9, members[0])
    school, bloc = desk.who(Role.GRASSROOTS_OFFICER, "unit-school"), desk.who(Role.UPPER_OFFICER, "unit-bloc")
    v = walk_to_sponsored(desk, who, members)

    def advance(stage_name: str, version: int) -> int:
        steps: dict[str, tuple[dict[str, str], str, str, dict[str, Any]]] = {
            "CellApproved": (desk.cell, "/cell-vote", "2021-12-15", {"yes": 4, "no": 0, "resolution_ref": "NQ 20"}),
            "CommitteeApproved": (school, "/committee-resolution", "2021-12-20",
                                  {"yes": 5, "committee_size": 5, "resolution_ref": "NQ 41"}),
            "Admitted": (bloc, "/admission-decision", "2021-12-28", {"decision_ref": "QĐ 120"}),
            "Received": (desk.cell, "/admission-decision-receipt", "2022-01-05", {}),
            "Probationary": (desk.cell, "/ceremony", "2022-01-10", {"mentor_id": members[0], "ceremony_ref": "BB"}),
        }  # fmt: skip
        headers, path, on, body = steps[stage_name]
        return desk.step(headers, who, path, version, on, **body)

    checked = 0
    for stage_name in ("Sponsored", "CellApproved", "CommitteeApproved", "Admitted", "Received", "Probationary"):
        if stage_name != "Sponsored":
            v = advance(stage_name, v)
        for role, unit in CALLERS:
            actor = Actor(f"user-{role}-{unit}", role, unit)
            expected = {s.operation_id for s in STEPS if not s.creates and accepts(ledger, actor, s, who)}
            expected.discard("presentTransfer")  # the receiving unit's step, on its own page
            expected.discard("retractEntry")  # offered on the timeline's entry it undoes (test_web_retractions.py)
            shown = offered(client, settings, role, unit, who)
            assert shown == expected, (stage_name, role, sorted(shown ^ expected))
            listed = client.get(f"/people/{who}/next-steps", headers=desk.who(role, unit)).json()
            assert {s["operation_id"] for s in listed} == expected, (stage_name, role)  # the API lists the same
            checked += len(expected)
    assert checked > 30  # the comparison is about steps actually offered, not empty lists
