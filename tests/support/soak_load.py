"""The soak's load: concurrent HTTP clients, each an officer of its own cell with its own people.

Every command carries an Idempotency-Key and the expected version. A command without a 2xx answer (no answer,
5xx, 429) is retried with the same key and body until it gets one or the clients give up; every attempt's
answer is kept, so the checks can tell "acknowledged" from "never answered" afterwards.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from services.commands.actors import Actor, Role
from services.tokens import issue_token
from tests.e2e.desk import particulars

CELLS = [f"unit-school-cell-{n}" for n in range(1, 6)]
NAMES = ["Đảng Viên An", "Đảng Viên Bình", "Đảng Viên Chi", "Đảng Viên Dũng", "Đảng Viên Giang"]
UPDATES_PER_PERSON = 4


@dataclass
class Command:
    """One command and what became of each attempt (status, or None for no answer)."""

    key: str
    user: str
    unit: str
    path: str
    body: dict[str, Any]
    answers: list[int | None] = field(default_factory=list)
    acked_at: float | None = None
    latency: float | None = None
    stream: str | None = None
    position: int | None = None

    @property
    def acked(self) -> bool:
        return self.acked_at is not None

    @property
    def first_answer_ok(self) -> bool:
        return bool(self.answers) and self.answers[0] is not None and 200 <= self.answers[0] < 300


class Officer(threading.Thread):
    """One client: enrols a member, updates their particulars a few times, then the next member."""

    def __init__(self, number: int, base_url: str, signing_key: str, until: float, give_up: float) -> None:
        super().__init__(name=f"officer-{number}", daemon=True)
        self.number, self.base_url, self.until, self.give_up = number, base_url, until, give_up
        self.user, self.unit = f"soak-{number:02d}", CELLS[number % len(CELLS)]
        token = issue_token(Actor(self.user, Role.CELL_SECRETARY, self.unit), signing_key, hours=2)
        self.headers = {"Authorization": f"Bearer {token}"}
        self.commands: list[Command] = []
        self.acknowledged: list[Command] = []  # read by the lag monitor while running

    def run(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=10.0) as client:
            person = 0
            while time.monotonic() < self.until:
                person += 1
                if not self._send(client, self._enrolment(person)):
                    return
                stream = self.commands[-1].stream
                for version in range(1, UPDATES_PER_PERSON + 1):
                    if time.monotonic() >= self.until or not self._send(client, self._update(stream, version)):
                        return

    def _key(self) -> str:
        return f"soak-{self.number:02d}-{len(self.commands) + 1:06d}"

    def _enrolment(self, person: int) -> Command:
        body = {
            "citizen_id": f"001085{self.number:02d}{person:04d}",
            "particulars": particulars(NAMES[0]),
            "cell_id": self.unit,
            "admitted_on": "2010-05-01",
            "ceremony_on": "2010-05-19",
            "official_from": "2011-05-19",
            "roll_ref": f"Sổ đảng viên {self.number}-{person}",
            "occurred_on": "2020-11-02",
            "expected_version": 0,
        }
        return Command(self._key(), self.user, self.unit, "/people/enrolment", body)

    def _update(self, stream: str | None, version: int) -> Command:
        body = {
            "particulars": particulars(NAMES[version % len(NAMES)]),
            "occurred_on": f"2021-01-{version + 1:02d}",
            "expected_version": version,
        }
        return Command(self._key(), self.user, self.unit, f"/people/{stream}/particulars", body)

    def _send(self, client: httpx.Client, command: Command) -> bool:
        """Send until a 2xx (True) or a refusal/give-up (False: this officer stops, the command stays open)."""
        self.commands.append(command)
        attempt = 0
        while time.monotonic() < self.give_up:
            attempt += 1
            started = time.monotonic()
            status, answer = _post(client, command, self.headers)
            command.answers.append(status)
            if status is not None and 200 <= status < 300:
                command.acked_at, command.latency = time.monotonic(), time.monotonic() - started
                command.stream, command.position = answer["stream_id"], answer["last_position"]
                self.acknowledged.append(command)
                return True
            if status is not None and status < 500 and status != 429:
                return False  # a refusal: a bug of the soak or of the ledger; the checks report it
            time.sleep(min(1.0, 0.1 * attempt))
        return False


def _post(client: httpx.Client, command: Command, headers: dict[str, str]) -> tuple[int | None, Any]:
    try:
        response = client.post(command.path, json=command.body, headers=headers | {"Idempotency-Key": command.key})
    except httpx.HTTPError:
        return None, None
    return response.status_code, (response.json() if response.status_code < 300 else None)
