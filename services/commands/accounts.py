"""Account use cases: create a user, assign and end roles, deactivate, reset a password, revoke sessions, and
the reads of who holds what (R-ACCT-…). Called alike by the API, the dashboard and the CLI.

User management goes through the same walls as every other step (I8): only the managing roles
(`domain.accounts.roles.MANAGERS`) act, each in its own subtree on today's tree; a user is the caller's when
the account's unit is in that subtree; changing an account (a reset, a revocation, a deactivation) also needs
every role it holds or will hold to be within the subtree and no higher than the caller's own, so nobody can
take over an account that acts above them. Anything outside answers exactly like a missing thing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from domain.accounts import decide as rules
from domain.accounts.events import ACCOUNTS_STREAM
from domain.accounts.holders import Holding, holders
from domain.accounts.roles import MANAGERS, may_grant
from domain.accounts.state import Account, Accounts, Assignment, evolve
from eventstore import NewEvent
from services.credentials import Attempt, CredentialStore
from services.passwords import hash_password, one_time_password

from .account_log import encoded, load_accounts
from .actors import Actor, Role
from .context import CommandContext
from .results import Recorded
from .units import command_metadata
from .walls import WallDenied, governs, require_within, today

READERS = frozenset({*MANAGERS, str(Role.AUDITOR)})


@dataclass(frozen=True)
class NewUser:
    """A user just created: the one-time password is shown once and never stored in clear."""

    user_id: str
    login: str
    one_time_password: str
    recorded: Recorded


def _manager(actor: Actor) -> None:
    if str(actor.role) not in MANAGERS:
        raise WallDenied(f"role {actor.role} does not manage accounts")


def _reader(actor: Actor) -> None:
    if str(actor.role) not in READERS:
        raise WallDenied(f"role {actor.role} does not read accounts")


def _append(ctx: CommandContext, actor: Actor, accounts: Accounts, events: list[object], on: date) -> Recorded:
    if not events:
        return Recorded.unchanged(ACCOUNTS_STREAM, accounts.version)
    metadata = command_metadata(actor, on, None, None)
    new = []
    for event in events:
        event_type, schema_version, data = encoded(event)
        new.append(NewEvent(event_type, data, on, getattr(event, "unit_id"), metadata, schema_version))  # noqa: B009
    result = ctx.store.append(ACCOUNTS_STREAM, new, expected_version=accounts.version)
    return ctx.recorded(result, ACCOUNTS_STREAM, [])


def visible_user(ctx: CommandContext, actor: Actor, user_id: str) -> tuple[Accounts, Account]:
    """The account if its unit is in the caller's subtree (today's tree); else exactly 'no such thing'."""
    _reader(actor)
    accounts = load_accounts(ctx.store)
    user = accounts.users.get(user_id)
    if user is None or not governs(ctx.tree(), actor, user.unit_id):
        raise WallDenied("no such account in the caller's units")
    return accounts, user


def governed_user(ctx: CommandContext, actor: Actor, user_id: str) -> tuple[Accounts, Account]:
    """A user the caller may change: visible, and every role it holds (now or later) within reach."""
    _manager(actor)
    accounts, user = visible_user(ctx, actor, user_id)
    tree, now = ctx.tree(), today()
    for assignment in accounts.assignments_of(user_id):
        last = assignment.last_day
        if last is not None and last < now:
            continue
        if not may_grant(str(actor.role), assignment.role) or not governs(tree, actor, assignment.unit_id):
            raise WallDenied("the account holds a role beyond the caller's reach")
    return accounts, user


def create_user(
    ctx: CommandContext,
    credentials: CredentialStore,
    actor: Actor,
    *,
    login: str,
    full_name: str,
    contact: str,
    unit_id: str,
) -> NewUser:
    """A new account managed at `unit_id` (in the caller's subtree), with a one-time password."""
    _manager(actor)
    require_within(ctx.tree(), actor, unit_id)
    accounts = load_accounts(ctx.store)
    user_id = f"user-{uuid.uuid4()}"
    events = rules.create_user(rules.CreateUser(user_id, login, full_name, contact, unit_id), accounts)
    recorded = _append(ctx, actor, accounts, list(events), today())
    password = one_time_password()
    credentials.set_password(user_id, hash_password(password), must_change=True, now=datetime.now(UTC))
    return NewUser(user_id, events[0].login, password, recorded)


def assign_role(
    ctx: CommandContext,
    actor: Actor,
    *,
    user_id: str,
    role: str,
    unit_id: str,
    valid_from: date,
    valid_until: date | None,
    decision_ref: str,
) -> tuple[str, Recorded]:
    """R-ACCT-GRANT at a unit of the caller's subtree, for a user of that subtree."""
    _manager(actor)
    require_within(ctx.tree(), actor, unit_id)
    accounts, _ = visible_user(ctx, actor, user_id)
    assignment_id = f"asg-{uuid.uuid4()}"
    command = rules.AssignRole(
        assignment_id, user_id, role, unit_id, valid_from, valid_until, decision_ref, actor.user_id
    )
    events = rules.assign_role(command, accounts, ctx.tree(), str(actor.role))
    return assignment_id, _append(ctx, actor, accounts, list(events), today())


def assignment_in_reach(ctx: CommandContext, actor: Actor, assignment_id: str) -> tuple[Accounts, Assignment]:
    _manager(actor)
    accounts = load_accounts(ctx.store)
    found = accounts.assignments.get(assignment_id)
    if found is None or not governs(ctx.tree(), actor, found.unit_id):
        raise WallDenied("no such assignment in the caller's units")
    return accounts, found


def end_assignment(
    ctx: CommandContext,
    credentials: CredentialStore,
    actor: Actor,
    *,
    assignment_id: str,
    last_day: date,
    reason: str,
) -> Recorded:
    """The assignment holds no more after `last_day`; sessions acting in it lose their refresh at once when
    that day is past (a later end is checked by every refresh when it comes)."""
    accounts, _ = assignment_in_reach(ctx, actor, assignment_id)
    events = rules.end_assignment(rules.EndAssignment(assignment_id, last_day, reason), accounts, str(actor.role))
    recorded = _append(ctx, actor, accounts, list(events), today())
    if last_day < today():
        credentials.revoke(datetime.now(UTC), assignment_id=assignment_id)
    return recorded


def deactivate_user(
    ctx: CommandContext, credentials: CredentialStore, actor: Actor, *, user_id: str, reason: str
) -> Recorded:
    """The account acts no more from today: every session is revoked now."""
    accounts, _ = governed_user(ctx, actor, user_id)
    if user_id == actor.user_id:
        raise WallDenied("a caller does not deactivate itself")
    events = rules.deactivate_user(rules.DeactivateUser(user_id, reason), accounts)
    recorded = _append(ctx, actor, accounts, list(events), today())
    credentials.revoke(datetime.now(UTC), user_id=user_id)
    return recorded


def reset_password(ctx: CommandContext, credentials: CredentialStore, actor: Actor, *, user_id: str) -> str:
    """A new one-time password (changed at the next sign-in); every session of the account is revoked."""
    governed_user(ctx, actor, user_id)
    password = one_time_password()
    now = datetime.now(UTC)
    credentials.set_password(user_id, hash_password(password), must_change=True, now=now)
    credentials.revoke(now, user_id=user_id)
    credentials.record_attempt(Attempt(now, user_id, actor.user_id, "password_reset"))  # who reset it
    return password


def revoke_sessions(
    ctx: CommandContext, credentials: CredentialStore, actor: Actor, *, user_id: str, session_id: str | None = None
) -> int:
    """Every session of the user, or one of them; a session of another user answers like a missing one."""
    governed_user(ctx, actor, user_id)
    now = datetime.now(UTC)
    if session_id is not None:
        found = credentials.session(session_id)
        if found is None or found.user_id != user_id:
            raise WallDenied("no such session of this user")
        return credentials.revoke(now, session_id=session_id)
    return credentials.revoke(now, user_id=user_id)


def users_of(ctx: CommandContext, actor: Actor) -> list[Account]:
    """Every account managed in the caller's subtree, by login."""
    _reader(actor)
    accounts, tree = load_accounts(ctx.store), ctx.tree()
    return sorted((u for u in accounts.users.values() if governs(tree, actor, u.unit_id)), key=lambda u: u.login)


def holders_at(ctx: CommandContext, actor: Actor, unit_id: str, on: date | None = None) -> list[Holding]:
    """Who could act for the unit on a date: the wall is today's tree (I8), the date only picks the answer."""
    _reader(actor)
    tree = ctx.tree()
    require_within(tree, actor, unit_id)
    return holders(load_accounts(ctx.store), tree, unit_id, on or today())


def sign_in_history(
    ctx: CommandContext, credentials: CredentialStore, actor: Actor, user_id: str | None = None
) -> tuple[list[Attempt], dict[str, Account]]:
    """Who signed in when (and who failed), for one account or every account of the caller's subtree."""
    if user_id is not None:
        _, user = visible_user(ctx, actor, user_id)
        users = {user.user_id: user}
    else:
        users = {u.user_id: u for u in users_of(ctx, actor)}
    return credentials.attempts(list(users)), users


class BootstrapRefused(Exception):
    """Why the first administrator was not created (one line for the operator)."""


BOOTSTRAP = Actor("partyledger-bootstrap", Role.PROVINCIAL_ADMIN, "")


def bootstrap_admin(
    ctx: CommandContext, credentials: CredentialStore, *, login: str, full_name: str, contact: str = ""
) -> NewUser:
    """The first provincial administrator, at the province (the root of the tree), with a one-time password:
    the only account ever made outside the product, and only while no administrator was ever assigned."""
    accounts = load_accounts(ctx.store)
    if accounts.has_admin():
        raise BootstrapRefused("an administrator exists already: create users in the product")
    tree, on = ctx.tree(), today()
    roots = [u.unit_id for u in tree.all_latest() if u.parent_id is None and tree.live_on(u.unit_id, on)]
    if len(roots) != 1:
        raise BootstrapRefused("the province is not registered yet: bootstrap the province first")
    actor = Actor(BOOTSTRAP.user_id, BOOTSTRAP.role, roots[0])
    user_id = f"user-{uuid.uuid4()}"
    created = rules.create_user(rules.CreateUser(user_id, login, full_name, contact, roots[0]), accounts)
    assignment = rules.AssignRole(
        f"asg-{uuid.uuid4()}", user_id, "provincial_admin", roots[0], on, None, "Khởi tạo hệ thống", actor.user_id
    )
    trial = Accounts(dict(accounts.users), dict(accounts.assignments), dict(accounts.logins), accounts.version)
    evolve(trial, created[0], on)
    assigned = rules.assign_role(assignment, trial, tree, "provincial_admin")
    recorded = _append(ctx, actor, accounts, [*created, *assigned], on)
    password = one_time_password()
    credentials.set_password(user_id, hash_password(password), must_change=True, now=datetime.now(UTC))
    return NewUser(user_id, created[0].login, password, recorded)
