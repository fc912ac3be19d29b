"""The embedded default's starting data: the top of a province's unit tree, recorded through the handlers.

A full realistic province comes with the seed generator; this is what the first run needs to show the log
working end to end (decide → append → seal → verify).
"""

from __future__ import annotations

from datetime import date
from typing import Final

from domain.units.commands import RegisterUnit
from domain.units.kinds import UnitKind
from eventstore import EventStore
from services.commands.actors import Actor, Role
from services.commands.tree_log import load_tree
from services.commands.units import handle_unit_command

DEMO_USERS: Final = (
    Actor("admin.tinhuy", Role.PROVINCIAL_ADMIN, "unit-province"),
    Actor("kiemtra.tinhuy", Role.AUDITOR, "unit-province"),
    Actor("canbo.dangbocoquandang", Role.UPPER_OFFICER, "unit-dcqd"),
    Actor("canbo.truongchinhtri", Role.GRASSROOTS_OFFICER, "unit-school"),
    Actor("bithu.chibo1", Role.CELL_SECRETARY, "unit-school-cell-1"),
    Actor("xem.truongchinhtri", Role.VIEWER, "unit-school"),
)
"""One user per role the demo's Political School needs; offered only on the embedded development ledger.

`canbo.dangbocoquandang` is the officer of the committee that decides the school's admissions and
recognitions today: the committee of the provincial party bodies (unit-dcqd), which took over the bloc
committee of provincial agencies on 01/03/2025 (R-AUTH-ADMIT)."""

ADMINISTRATOR = Actor(user_id="admin-demo", role=Role.PROVINCIAL_ADMIN, unit_id="unit-province")

PROVINCE_TOP = [
    RegisterUnit("unit-province", "TU", "Tỉnh ủy", UnitKind.PROVINCIAL_COMMITTEE, None),
    RegisterUnit("unit-bloc", "DUK", "Đảng ủy Khối các cơ quan tỉnh", UnitKind.UPPER_COMMITTEE, "unit-province"),
    RegisterUnit("unit-school", "TCT", "Đảng bộ Trường Chính trị tỉnh", UnitKind.GRASSROOTS_COMMITTEE, "unit-bloc"),
    *(
        RegisterUnit(f"unit-school-cell-{n}", f"TCT-CB{n}", f"Chi bộ {name}", UnitKind.CELL, "unit-school")
        for n, name in enumerate(
            [
                "Khoa Lý luận cơ sở",
                "Khoa Xây dựng Đảng",
                "Khoa Nhà nước và Pháp luật",
                "Phòng Đào tạo",
                "Phòng Tổ chức - Hành chính",
            ],
            start=1,
        )
    ),
]


def seed_minimal_province(store: EventStore) -> int:
    """Register the units that are missing; returns how many were recorded (0 on a second run)."""
    tree, _ = load_tree(store)
    added = 0
    for command in PROVINCE_TOP:
        if tree.latest(command.unit_id) is not None:
            continue
        handle_unit_command(
            store,
            command,
            occurred_on=date(2020, 10, 15),
            actor=ADMINISTRATOR,
            idempotency_key=f"seed-{command.unit_id}",
        )
        tree, _ = load_tree(store)
        added += 1
    return added
