"""The web dashboard under test: a signed-in browser-like client, forms posted with their CSRF token, and a
Political School cell with a candidate waiting for the cell's vote."""

from __future__ import annotations

import re
from typing import Any

from services.commands.actors import Actor, Role
from services.projection_runtime import catch_up_every_unit
from services.settings import Settings
from services.tokens import issue_token
from tests.e2e.conftest import Client
from tests.e2e.desk import CELL, Desk, walk_to_sponsored

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


def token(settings: Settings, role: Role, unit: str) -> str:
    return issue_token(Actor(f"user-{role}-{unit}", role, unit), settings.signing_key, hours=1)


def sign_in(client: Client, settings: Settings, role: Role, unit: str) -> None:
    """Through the sign-in form, as a user pasting the token would."""
    client.cookies.clear()
    form = client.get("/web/sign-in")
    answer = client.post(
        "/web/sign-in",
        data={"_csrf_token": csrf_of(form.text), "token": token(settings, role, unit)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def post_form(client: Client, page_path: str, action: str, fields: dict[str, Any]) -> Any:
    """Post a form of `page_path` with that page's CSRF token."""
    page = client.get(page_path)
    assert page.status_code == 200, page.text
    return client.post(action, data={"_csrf_token": csrf_of(page.text), **fields}, follow_redirects=False)


def candidate_waiting_for_the_cell_vote(client: Client, settings: Settings) -> tuple[str, int]:
    """Four members in cell 1 and a candidate walked (through the API) up to the cell's vote."""
    desk = Desk(client, settings)
    members = [desk.enrol(n) for n in (1, 2, 3, 4)]
    who = desk.nominate(9, members[0])
    return who, walk_to_sponsored(desk, who, members)


def catch_up(settings: Settings) -> None:
    """Run the read models over the log, as the worker would (no worker runs in-process)."""
    catch_up_every_unit(settings)


__all__ = ["CELL", "candidate_waiting_for_the_cell_vote", "catch_up", "csrf_of", "post_form", "sign_in", "token"]
