"""The officers' desk for HTTP tests: people made through the API, and bodies that only the walls can refuse."""

from __future__ import annotations

import typing
from datetime import date
from enum import Enum
from typing import Any

import msgspec

from services.commands.actors import Role
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.support.person_ids import person_id_of

CELL, SIBLING = "unit-school-cell-1", "unit-school-cell-2"
Headers = dict[str, str]


def citizen(n: int) -> str:
    return f"001085{n:06d}"


def person(n: int) -> str:
    return person_id_of(citizen(n))


def particulars(name: str) -> dict[str, Any]:
    return {
        "full_name": name,
        "sex": "male",
        "date_of_birth": "1985-04-01",
        "ethnicity": "kinh",
        "religion": "none",
        "education": "university",
        "occupation": "public_employee",
    }


class Desk:
    """Officers of the Political School posting steps, with a fresh Idempotency-Key per request."""

    def __init__(self, client: Client, settings: Settings) -> None:
        self.client, self.settings, self.keys = client, settings, 0

    def who(self, role: Role, unit: str) -> Headers:
        return bearer(self.settings, role, unit, user=f"user-{role}-{unit}")

    @property
    def cell(self) -> Headers:
        return self.who(Role.CELL_SECRETARY, CELL)

    def post(self, headers: Headers, path: str, body: dict[str, Any], key: str | None = None) -> Any:
        self.keys += 1
        return self.client.post(
            path, json=body, headers=headers | {"Idempotency-Key": key or f"request-{self.keys:04d}"}
        )

    def step(self, headers: Headers, who: str, path: str, version: int, on: str, **body: Any) -> int:
        response = self.post(headers, f"/people/{who}{path}", {"expected_version": version, "occurred_on": on, **body})
        assert response.status_code == 201, response.text
        stream_version: int = response.json()["stream_version"]
        return stream_version

    def enrol(self, n: int, *, official: bool = True) -> str:
        body = {
            "citizen_id": citizen(n),
            "particulars": particulars(f"Đảng Viên {'ABCDEFGHIJ'[n]}"),
            "cell_id": CELL,
            "admitted_on": "2010-05-01" if official else "2020-06-01",
            "ceremony_on": "2010-05-19" if official else "2020-06-10",
            "official_from": "2011-05-19" if official else None,
            "roll_ref": f"Sổ đảng viên {n}",
            "occurred_on": "2020-11-02",
            "expected_version": 0,
        }
        response = self.post(self.cell, "/people/enrolment", body)
        assert response.status_code == 201, response.text
        return person(n)

    def nominate(self, n: int, helper: str) -> str:
        body = {
            "citizen_id": citizen(n),
            "particulars": particulars("Quần Chúng Ưu Tú"),
            "helper_id": helper,
            "resolution_ref": "NQ 05-NQ/CB",
            "occurred_on": "2020-12-01",
            "expected_version": 0,
        }
        response = self.post(self.cell, "/people", body)
        assert response.status_code == 201, response.text
        return person(n)


def log_position(client: Client) -> int:
    position: int = client.get("/ready").json()["log_position"]
    return position


def walk_to_sponsored(desk: Desk, who: str, members: list[str]) -> int:
    cell, v = desk.cell, 1
    v = desk.step(cell, who, "/training-certificate", v, "2021-01-15", certificate_ref="GCN 12", issued_on="2021-01-10")
    v = desk.step(cell, who, "/application", v, "2021-02-01", application_ref="Đơn 1-KNĐ")
    v = desk.step(cell, who, "/background-form", v, "2021-02-02", form_ref="Lý lịch 2-KNĐ")
    subjects = [{"relation": "self", "full_name": "Quần Chúng Ưu Tú"}]
    v = desk.step(cell, who, "/verification", v, "2021-02-03", subjects=subjects)
    v = desk.step(
        cell,
        who,
        "/verification-results",
        v,
        "2021-03-01",
        relation="self",
        full_name="Quần Chúng Ưu Tú",
        result_ref="KQ 1",
    )
    v = desk.step(cell, who, "/verification-certificate", v, "2021-03-05")
    letters = [{"sponsor_id": m, "kind": "member", "document_ref": f"Thư {m[-4:]}"} for m in members[:2]]
    return desk.step(cell, who, "/sponsors", v, "2021-12-10", sponsors=letters)


def sample(kind: Any) -> Any:
    """A well-formed value of a body field's type, so that only the walls can refuse the request."""
    kind = typing.get_args(kind)[0] if typing.get_origin(kind) is typing.Annotated else kind
    if kind is str:
        return "x-sample"
    if kind is bool:
        return False
    if kind is int:
        return 1
    if kind is date:
        return "2022-01-03"
    if isinstance(kind, type) and issubclass(kind, Enum):
        return next(iter(kind)).value
    if typing.get_origin(kind) is tuple:
        return []
    if isinstance(kind, type) and kind.__name__ == "Particulars":
        return particulars("Người Lạ")
    return None


def sample_body(body: type[msgspec.Struct]) -> dict[str, Any]:
    found = {f.name: sample(f.type) for f in msgspec.structs.fields(body) if f.required}
    return found | ({"citizen_id": citizen(7)} if "citizen_id" in found else {})
