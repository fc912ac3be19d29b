"""Who acts: a user with a role at a unit (I8). Every use case takes one; the API reads it from a token."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a user may do; the unit says where (its subtree)."""

    CELL_SECRETARY = "cell_secretary"
    GRASSROOTS_OFFICER = "grassroots_officer"
    UPPER_OFFICER = "upper_officer"
    PROVINCIAL_ADMIN = "provincial_admin"
    AUDITOR = "auditor"
    VIEWER = "viewer"

    @property
    def label_vi(self) -> str:
        return _LABELS_VI[self]


_LABELS_VI = {
    Role.CELL_SECRETARY: "Bí thư chi bộ",
    Role.GRASSROOTS_OFFICER: "Cán bộ đảng ủy cơ sở",
    Role.UPPER_OFFICER: "Cán bộ cấp ủy cấp trên",
    Role.PROVINCIAL_ADMIN: "Quản trị viên Tỉnh ủy",
    Role.AUDITOR: "Kiểm tra viên",
    Role.VIEWER: "Người xem",
}


@dataclass(frozen=True)
class Actor:
    """The user, the role they act in, and the unit whose subtree bounds what they see and do."""

    user_id: str
    role: Role
    unit_id: str
