"""Accounts and assignments as facts (R-ACCT-…): who could act for a unit on a date, grants no higher than the
granter's, assignments that end on a date or with their unit, and the walls of user management itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from domain.accounts.events import ACCOUNTS_STREAM
from domain.accounts.holders import holds_on
from domain.accounts.roles import RANK
from domain.errors import InvalidCommand, RuleViolation
from domain.units.commands import DissolveUnit, MergeUnit
from services.commands import accounts as uc
from services.commands.account_log import load_accounts
from services.commands.actors import Actor, Role
from services.commands.context import CommandContext
from services.commands.units import UnitChange, change_unit
from services.commands.walls import NotFound, today
from services.credentials import CredentialStore, create_credential_tables
from tests.unit.services.officers import ADMIN, CELL, SIBLING

SCHOOL_OFFICER = Actor("canbo.truongchinhtri", Role.GRASSROOTS_OFFICER, "unit-school")
BLOC_OFFICER = Actor("canbo.khoi", Role.UPPER_OFFICER, "unit-bloc")
SECRETARY = Actor("bithu.chibo1", Role.CELL_SECRETARY, CELL)
LONG_AGO = date(2021, 1, 1)


@pytest.fixture
def creds(tmp_path: Path) -> Iterator[CredentialStore]:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'creds.db'}")
    create_credential_tables(engine)
    yield CredentialStore(engine)
    engine.dispose()


def secretary_of(ctx: CommandContext, creds: CredentialStore, cell: str = CELL, by: Actor = ADMIN) -> tuple[str, str]:
    made = uc.create_user(
        ctx, creds, by, login=f"bithu.{cell[-6:]}", full_name="Nguyễn Văn An", contact="0912 345 678", unit_id=cell
    )
    assignment, _ = uc.assign_role(
        ctx, by, user_id=made.user_id, role="cell_secretary", unit_id=cell, valid_from=LONG_AGO,
        valid_until=None, decision_ref="QĐ 12-QĐ/ĐU",
    )  # fmt: skip
    return made.user_id, assignment


def test_role_names_are_the_actors_roles() -> None:
    assert set(RANK) == {str(r) for r in Role}


def test_who_could_act_for_a_cell_on_a_date(ctx: CommandContext, creds: CredentialStore) -> None:
    user_id, _ = secretary_of(ctx, creds)
    found = uc.holders_at(ctx, ADMIN, CELL, date(2021, 12, 3))
    assert [(h.user.user_id, h.direct) for h in found] == [(user_id, True)]
    assert uc.holders_at(ctx, ADMIN, CELL, date(2020, 12, 3)) == []  # before the assignment began
    assert uc.holders_at(ctx, ADMIN, SIBLING, date(2021, 12, 3)) == []


def test_an_assignment_ends_on_its_date(ctx: CommandContext, creds: CredentialStore) -> None:
    user_id, assignment = secretary_of(ctx, creds)
    uc.end_assignment(ctx, creds, ADMIN, assignment_id=assignment, last_day=date(2022, 6, 30), reason="Hết nhiệm kỳ")
    assert [h.user.user_id for h in uc.holders_at(ctx, ADMIN, CELL, date(2022, 6, 30))] == [user_id]
    assert uc.holders_at(ctx, ADMIN, CELL, date(2022, 7, 1)) == []


def test_an_assignment_until_a_date_holds_to_that_day_only(ctx: CommandContext, creds: CredentialStore) -> None:
    made = uc.create_user(ctx, creds, ADMIN, login="tam.thoi", full_name="Trần Thị Bình", contact="", unit_id=CELL)
    uc.assign_role(ctx, ADMIN, user_id=made.user_id, role="viewer", unit_id=CELL, valid_from=LONG_AGO,
                   valid_until=date(2021, 3, 31), decision_ref="QĐ 3")  # fmt: skip
    assert len(uc.holders_at(ctx, ADMIN, CELL, date(2021, 3, 31))) == 1
    assert uc.holders_at(ctx, ADMIN, CELL, date(2021, 4, 1)) == []


@pytest.mark.parametrize("change", ["merge", "dissolve"])
def test_an_assignment_ends_by_itself_when_its_unit_is_reorganised(
    ctx: CommandContext, creds: CredentialStore, change: str
) -> None:
    """R-ACCT-REORG: no event ends it; the unit that ceased does."""
    secretary_of(ctx, creds)
    version, _ = ctx.versioned_tree()
    ceased = today() - timedelta(days=2)
    kind = MergeUnit if change == "merge" else DissolveUnit
    command = kind(CELL, SIBLING, ceased, "QĐ 99-QĐ/ĐU")
    change_unit(ctx, UnitChange(ADMIN, command, ceased, version, f"reorg-{change}"))
    assert len(uc.holders_at(ctx, ADMIN, SIBLING, ceased - timedelta(days=1))) == 0
    tree = ctx.tree()
    accounts = load_accounts(ctx.store)
    (assignment,) = accounts.assignments.values()
    assert holds_on(accounts, tree, assignment, ceased - timedelta(days=1))
    assert not holds_on(accounts, tree, assignment, ceased)
    assert not holds_on(accounts, tree, assignment, today())


def test_a_role_may_not_grant_a_role_above_its_own(ctx: CommandContext, creds: CredentialStore) -> None:
    made = uc.create_user(ctx, creds, SCHOOL_OFFICER, login="nguoi.moi", full_name="Lê Văn Cường", contact="",
                          unit_id=CELL)  # fmt: skip
    head = ctx.store.head_position()
    for role in ("upper_officer", "provincial_admin", "auditor"):
        with pytest.raises(RuleViolation) as refused:
            uc.assign_role(ctx, SCHOOL_OFFICER, user_id=made.user_id, role=role, unit_id=CELL,
                           valid_from=LONG_AGO, valid_until=None, decision_ref="QĐ 1")  # fmt: skip
        assert refused.value.rule_id == "R-ACCT-GRANT"
    assert ctx.store.head_position() == head
    uc.assign_role(ctx, SCHOOL_OFFICER, user_id=made.user_id, role="cell_secretary", unit_id=CELL,
                   valid_from=LONG_AGO, valid_until=None, decision_ref="QĐ 1")  # fmt: skip


def test_a_secretary_manages_no_account(ctx: CommandContext, creds: CredentialStore) -> None:
    with pytest.raises(NotFound):
        uc.create_user(ctx, creds, SECRETARY, login="ai.do", full_name="Ai Đó", contact="", unit_id=CELL)
    with pytest.raises(NotFound):
        uc.users_of(ctx, SECRETARY)


def test_user_management_stays_inside_the_callers_subtree(ctx: CommandContext, creds: CredentialStore) -> None:
    """A unit, an account or an assignment outside answers exactly like a missing one (I8)."""
    cell_officer = Actor("canbo.chibo2", Role.GRASSROOTS_OFFICER, SIBLING)
    user_id, assignment = secretary_of(ctx, creds)
    head = ctx.store.head_position()
    attempts: list[Callable[[], object]] = [
        lambda: uc.create_user(ctx, creds, cell_officer, login="x.y.z", full_name="X", contact="", unit_id=CELL),
        lambda: uc.reset_password(ctx, creds, cell_officer, user_id=user_id),
        lambda: uc.revoke_sessions(ctx, creds, cell_officer, user_id=user_id),
        lambda: uc.deactivate_user(ctx, creds, cell_officer, user_id=user_id, reason="x"),
        lambda: uc.end_assignment(ctx, creds, cell_officer, assignment_id=assignment, last_day=today(), reason="x"),
        lambda: uc.holders_at(ctx, cell_officer, CELL),
        lambda: uc.sign_in_history(ctx, creds, cell_officer, user_id),
        lambda: uc.reset_password(ctx, creds, cell_officer, user_id="user-does-not-exist"),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound) as refused:
            attempt()
        assert str(refused.value) == "No such resource in your units"
    assert ctx.store.head_position() == head
    assert user_id not in {u.user_id for u in uc.users_of(ctx, cell_officer)}


def test_an_officer_cannot_take_over_an_account_holding_a_higher_role(
    ctx: CommandContext, creds: CredentialStore
) -> None:
    """An account managed in the school but given a provincial role by the administrator is out of the
    school officer's reach: no reset, no revocation."""
    made = uc.create_user(ctx, creds, ADMIN, login="pho.ban", full_name="Phạm Thị Dung", contact="", unit_id=CELL)
    uc.assign_role(ctx, ADMIN, user_id=made.user_id, role="provincial_admin", unit_id="unit-province",
                   valid_from=LONG_AGO, valid_until=None, decision_ref="QĐ 7")  # fmt: skip
    with pytest.raises(NotFound):
        uc.reset_password(ctx, creds, SCHOOL_OFFICER, user_id=made.user_id)
    assert uc.reset_password(ctx, creds, ADMIN, user_id=made.user_id)


def test_a_login_is_unique_and_well_formed(ctx: CommandContext, creds: CredentialStore) -> None:
    uc.create_user(ctx, creds, ADMIN, login="Bithu.A", full_name="A", contact="", unit_id=CELL)
    with pytest.raises(RuleViolation, match="R-ACCT-LOGIN"):
        uc.create_user(ctx, creds, ADMIN, login="bithu.a", full_name="B", contact="", unit_id=CELL)
    with pytest.raises(InvalidCommand):
        uc.create_user(ctx, creds, ADMIN, login="có dấu", full_name="B", contact="", unit_id=CELL)


def test_accounts_live_in_their_own_stream_and_no_credential_reaches_the_log(
    ctx: CommandContext, creds: CredentialStore
) -> None:
    made = uc.create_user(ctx, creds, ADMIN, login="bi.mat", full_name="Võ Văn Em", contact="", unit_id=CELL)
    events = ctx.store.read_stream(ACCOUNTS_STREAM)
    assert [e.event_type for e in events] == ["UserCreated"]
    stored = creds.credential(made.user_id)
    assert stored is not None and stored.must_change
    raw = repr([(e.data, e.metadata) for e in ctx.store.read_all().events])
    assert made.one_time_password not in raw and stored.password_hash not in raw
