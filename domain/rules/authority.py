"""Which body may take a step: the competent decider, the disciplining body, the cell holding the file."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from domain.errors import RuleViolation
from domain.rules.base import RuleSet
from domain.rules.votes import two_thirds_of
from domain.units.kinds import UnitKind

UPPER_KINDS = frozenset({UnitKind.UPPER_COMMITTEE, UnitKind.PROVINCIAL_COMMITTEE})
"""Bodies whose standing committee decides when no grassroots committee holds the power."""

COMMITTEE_KINDS = UPPER_KINDS | {UnitKind.GRASSROOTS_COMMITTEE, UnitKind.GRASSROOTS_CELL}
"""Bodies above the cell that may remove a member from a post."""


class Penalty(StrEnum):
    """The disciplinary scale, mildest first (DOMAIN.md §4)."""

    REPRIMAND = "reprimand"
    WARNING = "warning"
    REMOVAL_FROM_POST = "removal_from_post"
    EXPULSION = "expulsion"

    @property
    def label_vi(self) -> str:
        return _PENALTY_VI[self]


_PENALTY_VI = {
    Penalty.REPRIMAND: "khiển trách",
    Penalty.WARNING: "cảnh cáo",
    Penalty.REMOVAL_FROM_POST: "cách chức",
    Penalty.EXPULSION: "khai trừ",
}


class Body(Protocol):
    """What R-AUTH-ADMIT reads about the deciding body (see `domain.person.facts.DeciderFacts`)."""

    @property
    def unit_id(self) -> str: ...
    @property
    def kind(self) -> UnitKind: ...
    @property
    def admission_delegated(self) -> bool: ...
    @property
    def committee_size(self) -> int: ...


def _admit_problem(
    rules: RuleSet, body: Body, acting_unit_id: str, votes_in_favour: int | None, upper_only: bool
) -> tuple[str, str] | None:
    """Why `body` may not decide, in English and Vietnamese; None when it may."""
    needed = two_thirds_of(rules, body.committee_size)
    if body.unit_id != acting_unit_id:
        return (
            f"{acting_unit_id} is not the competent body {body.unit_id}",
            f"{acting_unit_id} không phải cấp có thẩm quyền {body.unit_id}",
        )
    if body.kind in UPPER_KINDS:
        return None
    if upper_only:
        return "the case went up to the upper committee", "vụ việc đã chuyển lên cấp ủy cấp trên quyết định"
    if body.kind is not UnitKind.GRASSROOTS_COMMITTEE or not body.admission_delegated:
        return (
            f"{body.unit_id} holds no delegated power to admit",
            f"{body.unit_id} không được ủy quyền quyết định kết nạp",
        )
    if votes_in_favour is None or votes_in_favour < needed:
        return (
            f"{votes_in_favour or 0} of {body.committee_size} committee members in favour; {needed} needed",
            f"chỉ {votes_in_favour or 0}/{body.committee_size} cấp ủy viên tán thành; cần {needed}",
        )
    return None


def check_auth_admit(
    rules: RuleSet, body: Body, acting_unit_id: str, votes_in_favour: int | None, *, upper_only: bool = False
) -> None:
    """R-AUTH-ADMIT: a delegated grassroots committee with ≥2/3 of all its members, else the upper level.

    Covers admission, official recognition, strike-off of a probationary member and annulment; `upper_only`
    when a deadlocked recognition went up (R-RECOGNISE-DEADLOCK).
    """
    problem = _admit_problem(rules, body, acting_unit_id, votes_in_favour, upper_only)
    if problem is not None:
        raise RuleViolation("R-AUTH-ADMIT", problem[0], problem[1], body=body.unit_id)


def _body_may_impose(penalty: Penalty, body_kind: UnitKind, expulsion_delegated: bool) -> bool:
    if penalty in {Penalty.REPRIMAND, Penalty.WARNING}:
        return True
    if penalty is Penalty.REMOVAL_FROM_POST:
        return body_kind in COMMITTEE_KINDS
    delegated = body_kind is UnitKind.GRASSROOTS_COMMITTEE and expulsion_delegated
    return body_kind in UPPER_KINDS or delegated


def check_auth_discipline(penalty: Penalty, body_kind: UnitKind, expulsion_delegated: bool, on_probation: bool) -> None:
    """R-AUTH-DISCIPLINE: a cell only reprimands or warns; expulsion needs a delegated committee or higher.

    During probation only a reprimand or a warning may be given (DOMAIN.md §3).
    """
    mild = penalty in {Penalty.REPRIMAND, Penalty.WARNING}
    if on_probation and not mild:
        en, vi = (
            "a probationary member may only be reprimanded or warned",
            ("đảng viên dự bị chỉ bị kỷ luật khiển trách hoặc cảnh cáo"),
        )
    elif not _body_may_impose(penalty, body_kind, expulsion_delegated):
        en = f"a {body_kind} body may not impose {penalty}"
        vi = f"cấp này không có thẩm quyền thi hành kỷ luật bằng hình thức {penalty.label_vi}"
    else:
        return
    raise RuleViolation("R-AUTH-DISCIPLINE", en, vi, penalty=str(penalty))


def check_auth_cell(acting_unit_id: str, owner_unit_id: str) -> None:
    """R-AUTH-CELL: a cell's step (vote, ceremony, receiving a transfer) is taken by the unit it belongs to."""
    if acting_unit_id != owner_unit_id:
        raise RuleViolation(
            "R-AUTH-CELL",
            f"{acting_unit_id} cannot take this step; it belongs to {owner_unit_id}",
            f"{acting_unit_id} không có thẩm quyền thực hiện bước này; bước này thuộc {owner_unit_id}",
        )


def check_auth_strikeoff(body_kind: UnitKind) -> None:
    """R-AUTH-STRIKEOFF: an official member is struck off by a grassroots committee or higher, not a cell."""
    if body_kind not in COMMITTEE_KINDS:
        raise RuleViolation(
            "R-AUTH-STRIKEOFF",
            "only a grassroots committee or a higher body strikes an official member off",
            "chỉ cấp ủy cơ sở trở lên mới quyết định xóa tên đảng viên chính thức",
        )
