"""`partyledger token`: the embedded mode's way to sign in issues a token the API accepts."""

from __future__ import annotations

import subprocess

from services.commands.actors import Actor, Role
from services.settings import DEVELOPMENT_SIGNING_KEY
from services.tokens import read_token
from tests.support.processes import BIN

THU = Actor(user_id="thu.nguyen", role=Role.CELL_SECRETARY, unit_id="unit-school-cell-1")


def test_the_cli_issues_a_token_the_api_accepts() -> None:
    result = subprocess.run(
        [
            str(BIN / "partyledger"),
            "token",
            "--user",
            "thu.nguyen",
            "--role",
            "cell_secretary",
            "--unit",
            "unit-school-cell-1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={"PATH": str(BIN)},
    )
    assert read_token(result.stdout.strip(), DEVELOPMENT_SIGNING_KEY) == THU
