"""Kinds of party organisation and which may sit under which (R-UNIT-TREE, R-UNIT-REORG, R-AUTH-ADMIT)."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class UnitKind(StrEnum):
    """A level of the party's organisation, bottom-up (see the glossary of DOMAIN.md)."""

    CELL = "cell"
    GRASSROOTS_CELL = "grassroots_cell"
    SUB_COMMITTEE = "sub_committee"
    GRASSROOTS_COMMITTEE = "grassroots_committee"
    UPPER_COMMITTEE = "upper_committee"
    PROVINCIAL_COMMITTEE = "provincial_committee"

    @property
    def label_vi(self) -> str:
        return _LABELS_VI[self]

    @property
    def is_grassroots(self) -> bool:
        """A grassroots organisation (tổ chức cơ sở đảng): where a member's party life is anchored."""
        return self in (UnitKind.GRASSROOTS_CELL, UnitKind.GRASSROOTS_COMMITTEE)

    @property
    def holds_members(self) -> bool:
        """A cell (chi bộ) of either kind: members meet, vote and keep candidates' files there."""
        return self in (UnitKind.CELL, UnitKind.GRASSROOTS_CELL)

    @property
    def allowed_parent_kinds(self) -> frozenset[UnitKind]:
        """R-UNIT-TREE: the kinds this kind may sit under (none for the province)."""
        return ALLOWED_PARENTS[self]

    @property
    def successor_kinds(self) -> frozenset[UnitKind]:
        """R-UNIT-REORG: kinds that can take over this kind's members and open files."""
        return SUCCESSOR_KINDS[self]

    @property
    def may_be_delegated_admission(self) -> bool:
        """R-AUTH-ADMIT (a): only a grassroots committee (đảng ủy cơ sở) can be delegated power to admit."""
        return self is UnitKind.GRASSROOTS_COMMITTEE


_LABELS_VI: Final[dict[UnitKind, str]] = {
    UnitKind.CELL: "Chi bộ",
    UnitKind.GRASSROOTS_CELL: "Chi bộ cơ sở",
    UnitKind.SUB_COMMITTEE: "Đảng bộ bộ phận",
    UnitKind.GRASSROOTS_COMMITTEE: "Đảng bộ cơ sở",
    UnitKind.UPPER_COMMITTEE: "Đảng bộ cấp trên trực tiếp của cơ sở",
    UnitKind.PROVINCIAL_COMMITTEE: "Đảng bộ tỉnh",
}

ALLOWED_PARENTS: Final[dict[UnitKind, frozenset[UnitKind]]] = {
    UnitKind.CELL: frozenset({UnitKind.GRASSROOTS_COMMITTEE, UnitKind.SUB_COMMITTEE}),
    UnitKind.SUB_COMMITTEE: frozenset({UnitKind.GRASSROOTS_COMMITTEE}),
    UnitKind.GRASSROOTS_CELL: frozenset({UnitKind.UPPER_COMMITTEE}),
    UnitKind.GRASSROOTS_COMMITTEE: frozenset({UnitKind.UPPER_COMMITTEE}),
    UnitKind.UPPER_COMMITTEE: frozenset({UnitKind.PROVINCIAL_COMMITTEE}),
    UnitKind.PROVINCIAL_COMMITTEE: frozenset(),
}
"""R-UNIT-TREE. A grassroots cell has no units under it; a sub-committee holds only cells."""

SUCCESSOR_KINDS: Final[dict[UnitKind, frozenset[UnitKind]]] = {
    UnitKind.CELL: frozenset({UnitKind.CELL, UnitKind.GRASSROOTS_CELL}),
    UnitKind.GRASSROOTS_CELL: frozenset({UnitKind.GRASSROOTS_CELL, UnitKind.CELL}),
    UnitKind.SUB_COMMITTEE: frozenset({UnitKind.SUB_COMMITTEE, UnitKind.GRASSROOTS_COMMITTEE}),
    UnitKind.GRASSROOTS_COMMITTEE: frozenset({UnitKind.GRASSROOTS_COMMITTEE}),
    UnitKind.UPPER_COMMITTEE: frozenset({UnitKind.UPPER_COMMITTEE}),
    UnitKind.PROVINCIAL_COMMITTEE: frozenset(),
}
"""R-UNIT-REORG. Members and candidates' files of a cell go to a cell; a committee's pending decisions go to a
committee of the same level. The province is never reorganised in its own ledger."""
