"""A second commune-level committee beside the Political School's bloc, for the pickers of a file's cells."""

from __future__ import annotations

from services.commands.actors import Role
from services.settings import Settings
from tests.e2e.conftest import Client
from tests.e2e.desk import Desk, citizen, particulars, person

OTHER_CELL = "unit-hoabinh-cell"
OTHER_LABEL = "Chi bộ Tổ Toán (XHB-CB1) — Đảng bộ Trường Trung học cơ sở Hòa Bình"
NEAR_LABEL = "Chi bộ Khoa Xây dựng Đảng (TCT-CB2) — Đảng bộ Trường Chính trị tỉnh"
ANOTHER_COMMUNE = (
    ("unit-hoabinh", "XHB", "Đảng bộ xã Hòa Bình", "upper_committee", "unit-province"),
    ("unit-hoabinh-school", "XHB-THCS", "Đảng bộ Trường Trung học cơ sở Hòa Bình", "grassroots_committee",
     "unit-hoabinh"),
    (OTHER_CELL, "XHB-CB1", "Chi bộ Tổ Toán", "cell", "unit-hoabinh-school"),
)  # fmt: skip
"""A second commune beside the Political School's bloc, with one cell and (`another_commune`) one member."""


def another_commune(client: Client, settings: Settings) -> str:
    """The commune registered through the API, and a member enrolled in its cell (Đảng Viên G)."""
    desk = Desk(client, settings)
    admin = desk.who(Role.PROVINCIAL_ADMIN, "unit-province")
    for version, (unit_id, code, name, kind, parent) in enumerate(ANOTHER_COMMUNE, start=8):
        body = {"unit_id": unit_id, "code": code, "name": name, "kind": kind, "parent_id": parent,
                "occurred_on": "2020-10-20", "expected_version": version}  # fmt: skip
        assert desk.post(admin, "/units", body).status_code == 201
    enrolment = {
        "citizen_id": citizen(6), "particulars": particulars("Đảng Viên G"), "cell_id": OTHER_CELL,
        "admitted_on": "2010-05-01", "ceremony_on": "2010-05-19", "official_from": "2011-05-19",
        "roll_ref": "Sổ 6", "occurred_on": "2020-11-02", "expected_version": 0,
    }  # fmt: skip
    assert desk.post(admin, "/people/enrolment", enrolment).status_code == 201
    return person(6)
