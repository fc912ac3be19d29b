"""R-ACCT-GRANT and the dates of an assignment, as properties (the domain alone: no clock, no store)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.accounts import decide as rules
from domain.accounts.events import AssignmentEnded, RoleAssigned, UserCreated, UserDeactivated
from domain.accounts.holders import holds_on
from domain.accounts.roles import RANK, may_grant
from domain.accounts.state import replay
from domain.errors import RuleViolation
from domain.units.events import UnitRegistered
from domain.units.kinds import UnitKind
from domain.units.tree import UnitTree

ROLES = sorted(RANK)
START = date(2020, 1, 1)
TREE = UnitTree.from_events(
    [
        (UnitRegistered("p", "P", "Tỉnh ủy", UnitKind.PROVINCIAL_COMMITTEE, None, False), START),
        (UnitRegistered("c", "C", "Chi bộ", UnitKind.GRASSROOTS_CELL, "p", False), START),
    ]
)
days = st.integers(min_value=0, max_value=2000).map(lambda n: START + timedelta(days=n))


@given(st.sampled_from(ROLES), st.sampled_from(ROLES))
def test_no_role_grants_a_role_above_its_own(granter: str, role: str) -> None:
    if may_grant(granter, role):
        assert RANK[role] <= RANK[granter]
        assert granter in {"provincial_admin", "upper_officer", "grassroots_officer"}
        assert role not in {"provincial_admin", "auditor"} or granter == "provincial_admin"


@given(st.sampled_from(ROLES), st.sampled_from(ROLES))
def test_the_decider_refuses_what_may_grant_refuses(granter: str, role: str) -> None:
    accounts = replay([(UserCreated("u", "ai.do", "Ai Đó", "", "c"), START)])
    command = rules.AssignRole("a", "u", role, "c", START, None, "QĐ 1", "x")
    if may_grant(granter, role):
        assert rules.assign_role(command, accounts, TREE, granter)
    else:
        with pytest.raises(RuleViolation, match="R-ACCT-GRANT"):
            rules.assign_role(command, accounts, TREE, granter)


@given(days, st.one_of(st.none(), days), st.one_of(st.none(), days), st.one_of(st.none(), days), days)
def test_an_assignment_holds_exactly_between_its_dates(
    start: date, until: date | None, ended: date | None, deactivated: date | None, asked: date
) -> None:
    """From its first day to the earliest of its own end, an early end and the day before the user is locked."""
    events: list[tuple[object, date]] = [
        (UserCreated("u", "ai.do", "Ai Đó", "", "c"), START),
        (RoleAssigned("a", "u", "viewer", "c", start, until, "QĐ 1", "x"), START),
    ]
    if ended is not None:
        events.append((AssignmentEnded("a", "u", "c", ended, "x"), START))
    if deactivated is not None:
        events.append((UserDeactivated("u", "c", "x"), deactivated))
    accounts = replay(events)  # type: ignore[arg-type]
    last = min((d for d in (until, ended) if d is not None), default=None)
    expected = start <= asked and (last is None or asked <= last) and (deactivated is None or asked < deactivated)
    assert holds_on(accounts, TREE, accounts.assignments["a"], asked) == expected
