"""Signing in as oneself: a password (argon2), a TOTP code for those who enrolled one, throttling per address,
lockout per account, a first-sign-in change; then a session kept server-side (`services.credentials`).

A session answers with a short-lived access token (`Settings.access_minutes`) and a refresh token. Every
refresh checks the session is not revoked, the account is active and the assignment it acts in still holds
today (its dates, its unit still live: R-ACCT-REORG), so revoking a user, an assignment or a session refuses
the next refresh at once and leaves the last access token at most its few minutes. The dashboard's cookie
carries a session too (checked the same way on every page), never a long-lived bearer token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

import pyotp

from domain.accounts.holders import current_assignments, holds_on
from domain.accounts.roles import SECOND_FACTOR
from domain.accounts.state import Accounts, Assignment
from services.credentials import Attempt, CredentialStore, SessionRow
from services.passwords import decoy_hash, hash_password, needs_rehash, verify_password, weak_password_reason
from services.settings import Settings
from services.tokens import issue_access_token

from .account_log import load_accounts
from .actors import Actor, Role
from .context import CommandContext
from .walls import today

LOCK_AFTER: Final = 5
LOCK_FOR: Final = timedelta(minutes=15)
ADDRESS_LIMIT: Final = 20
ADDRESS_WINDOW: Final = timedelta(minutes=15)
SESSION_FOR: Final = timedelta(hours=12)


class SignInRefused(Exception):
    """Why nobody is signed in: `kind` for the API's problem type, `message_vi` for the form. A wrong password
    and an unknown login are the same `bad-credentials`, at the same cost."""

    def __init__(self, kind: str, message_vi: str, retry_after: int | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.message_vi = message_vi
        self.retry_after = retry_after


BAD = ("bad-credentials", "Tên đăng nhập hoặc mật khẩu không đúng.")


@dataclass(frozen=True)
class SignIn:
    login: str
    password: str
    client: str
    totp: str | None = None
    new_password: str | None = None
    assignment_id: str | None = None


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int
    session_id: str
    actor: Actor


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _split(token: str) -> tuple[str, str] | None:
    session_id, _, secret = token.partition(".")
    return (session_id, secret) if session_id.startswith("ses-") and secret else None


def _throttle(credentials: CredentialStore, client: str, now: datetime) -> None:
    if credentials.failures_from(client, now - ADDRESS_WINDOW) >= ADDRESS_LIMIT:
        raise SignInRefused(
            "throttled",
            "Có quá nhiều lần đăng nhập sai từ máy này. Xin thử lại sau 15 phút.",
            int(ADDRESS_WINDOW.total_seconds()),
        )


def _locked_until(credentials: CredentialStore, user_id: str, now: datetime) -> datetime | None:
    failures = credentials.failures_since_success(user_id, now - LOCK_FOR)
    return failures[-1] + LOCK_FOR if len(failures) >= LOCK_AFTER else None


def sign_in(ctx: CommandContext, credentials: CredentialStore, settings: Settings, request: SignIn) -> Tokens:
    """Throttle, lockout, password (decoy for an unknown login), first-sign-in change, TOTP, current role."""
    now = datetime.now(UTC)
    _throttle(credentials, request.client, now)
    accounts = load_accounts(ctx.store)
    user = accounts.user_by_login(request.login)
    stored = credentials.credential(user.user_id) if user is not None else None
    if user is None or stored is None:
        verify_password(decoy_hash(), request.password)
        credentials.record_attempt(Attempt(now, None, request.client, "unknown_login"))
        raise SignInRefused(*BAD)
    locked = _locked_until(credentials, user.user_id, now)
    if locked is not None:
        credentials.record_attempt(Attempt(now, user.user_id, request.client, "locked"))
        raise SignInRefused(
            "locked",
            f"Tài khoản tạm khóa do nhập sai mật khẩu {LOCK_AFTER} lần. Xin thử lại sau 15 phút.",
            max(1, int((locked - now).total_seconds())),
        )
    if not verify_password(stored.password_hash, request.password):
        credentials.record_attempt(Attempt(now, user.user_id, request.client, "wrong_password"))
        raise SignInRefused(*BAD)
    if stored.totp_secret and not pyotp.TOTP(stored.totp_secret).verify(request.totp or "", valid_window=1):
        credentials.record_attempt(Attempt(now, user.user_id, request.client, "wrong_totp"))
        raise SignInRefused("totp-required", "Cần mã xác thực 6 số từ ứng dụng xác thực (đúng và còn hạn).")
    password_hash = stored.password_hash
    if stored.must_change or needs_rehash(password_hash):
        password_hash = _changed(credentials, user.user_id, user.login, request, stored.must_change, now)
    assignment = _chosen_assignment(ctx, accounts, user.user_id, request.assignment_id)
    if assignment is None:
        credentials.record_attempt(Attempt(now, user.user_id, request.client, "no_role"))
        gone = not user.active_on(today())
        raise SignInRefused(
            "no-role", "Tài khoản này đã bị khóa." if gone else "Tài khoản này hiện không được giao vai trò nào."
        )
    credentials.record_attempt(Attempt(now, user.user_id, request.client, "success"))
    actor = Actor(user.user_id, Role(assignment.role), assignment.unit_id)
    return _open(credentials, settings, actor, assignment.assignment_id, request.client, now, now + SESSION_FOR)


def _changed(
    credentials: CredentialStore, user_id: str, login: str, request: SignIn, must_change: bool, now: datetime
) -> str:
    """The first sign-in (or the first after a reset) sets the user's own password; an old hash is renewed."""
    if not must_change:
        renewed = hash_password(request.password)
        credentials.set_password(user_id, renewed, must_change=False, now=now)
        return renewed
    if not request.new_password:
        raise SignInRefused("password-change-required", "Lần đăng nhập đầu tiên: xin đặt mật khẩu mới của đồng chí.")
    if request.new_password == request.password:
        raise SignInRefused("weak-password", "Mật khẩu mới phải khác mật khẩu được cấp.")
    reason = weak_password_reason(request.new_password, login)
    if reason is not None:
        raise SignInRefused("weak-password", reason)
    changed = hash_password(request.new_password)
    credentials.set_password(user_id, changed, must_change=False, now=now)
    return changed


def _chosen_assignment(ctx: CommandContext, accounts: Accounts, user_id: str, chosen: str | None) -> Assignment | None:
    """The assignment the session acts in: the one asked for if it holds today, else the oldest that holds."""
    held = current_assignments(accounts, ctx.tree(), user_id, today())
    if chosen is not None:
        return next((a for a in held if a.assignment_id == chosen), None)
    return held[0] if held else None


def _open(
    credentials: CredentialStore,
    settings: Settings,
    actor: Actor,
    assignment_id: str | None,
    client: str,
    now: datetime,
    expires_at: datetime,
) -> Tokens:
    session_id, secret = f"ses-{secrets.token_urlsafe(12)}", secrets.token_urlsafe(32)
    credentials.open_session(
        SessionRow(
            session_id,
            actor.user_id,
            assignment_id,
            str(actor.role),
            actor.unit_id,
            _digest(secret),
            now,
            expires_at,
            now,
            None,
            client[:100],
        )
    )
    return _tokens(settings, actor, session_id, secret, now)


def _tokens(settings: Settings, actor: Actor, session_id: str, secret: str, now: datetime) -> Tokens:
    access = issue_access_token(
        actor, settings.signing_key, minutes=settings.access_minutes, session_id=session_id, now=now
    )
    return Tokens(access, f"{session_id}.{secret}", int(settings.access_minutes * 60), session_id, actor)


class SessionEnded(Exception):
    """The session is unknown, revoked, expired, or its account or assignment no longer holds."""


def _live_session(ctx: CommandContext, credentials: CredentialStore, token: str, now: datetime) -> SessionRow:
    parts = _split(token)
    row = credentials.session(parts[0]) if parts else None
    if parts is None or row is None or not hmac.compare_digest(row.secret_hash, _digest(parts[1])):
        raise SessionEnded("unknown session")
    if row.revoked_at is not None or row.expires_at <= now:
        raise SessionEnded("revoked or expired")
    if row.assignment_id is not None and not _still_holds(ctx, row):
        credentials.revoke(now, session_id=row.session_id)
        raise SessionEnded("the account or its assignment no longer holds")
    return row


def _still_holds(ctx: CommandContext, row: SessionRow) -> bool:
    accounts = load_accounts(ctx.store)
    assignment = accounts.assignments.get(row.assignment_id or "")
    return assignment is not None and holds_on(accounts, ctx.tree(), assignment, today())


def refresh(ctx: CommandContext, credentials: CredentialStore, settings: Settings, token: str) -> Tokens:
    """A new access token and a new refresh token (the old one is spent: a replay finds it gone)."""
    now = datetime.now(UTC)
    row = _live_session(ctx, credentials, token, now)
    secret = secrets.token_urlsafe(32)
    if not credentials.rotate(row.session_id, row.secret_hash, _digest(secret), now):
        raise SessionEnded("refresh token already used")
    actor = Actor(row.user_id, Role(row.role), row.unit_id)
    return _tokens(settings, actor, row.session_id, secret, now)


def sign_out(credentials: CredentialStore, token: str) -> None:
    """Revoke the session of this refresh token (or dashboard cookie); an unknown one changes nothing."""
    parts = _split(token)
    row = credentials.session(parts[0]) if parts else None
    if parts is not None and row is not None and hmac.compare_digest(row.secret_hash, _digest(parts[1])):
        credentials.revoke(datetime.now(UTC), session_id=row.session_id)


def session_actor(ctx: CommandContext, credentials: CredentialStore, token: str) -> Actor:
    """The dashboard's caller: its session checked on every page, as a refresh is."""
    row = _live_session(ctx, credentials, token, datetime.now(UTC))
    return Actor(row.user_id, Role(row.role), row.unit_id)


def open_service_session(
    credentials: CredentialStore, settings: Settings, actor: Actor, client: str, expires_at: datetime
) -> Tokens:
    """A dashboard session for a caller the ledger trusts without an account: a demo user on the embedded
    ledger, or a bearer token of `partyledger token` pasted in (its own expiry bounds the session)."""
    now = datetime.now(UTC)
    return _open(credentials, settings, actor, None, client, now, min(expires_at, now + SESSION_FOR))


def change_password(credentials: CredentialStore, actor: Actor, ctx: CommandContext, current: str, new: str) -> None:
    """The signed-in user's own change: the current password first; other sessions stay (a reset revokes them)."""
    stored = credentials.credential(actor.user_id)
    user = load_accounts(ctx.store).users.get(actor.user_id)
    if stored is None or user is None or not verify_password(stored.password_hash, current):
        raise SignInRefused(*BAD)
    reason = weak_password_reason(new, user.login) if new != current else "Mật khẩu mới phải khác mật khẩu cũ."
    if reason is not None:
        raise SignInRefused("weak-password", reason)
    credentials.set_password(actor.user_id, hash_password(new), must_change=False, now=datetime.now(UTC))


def totp_offer(ctx: CommandContext, credentials: CredentialStore, actor: Actor, password: str) -> tuple[str, str]:
    """A new TOTP secret and its otpauth URI for an authenticator app (administrators and auditors, their
    password again first); nothing changes until `enable_totp` sees a code made from it."""
    if str(actor.role) not in SECOND_FACTOR:
        raise SignInRefused("totp-not-offered", "Xác thực hai lớp dành cho quản trị viên và kiểm tra viên.")
    stored = credentials.credential(actor.user_id)
    user = load_accounts(ctx.store).users.get(actor.user_id)
    if stored is None or user is None or not verify_password(stored.password_hash, password):
        raise SignInRefused(*BAD)
    secret = pyotp.random_base32()
    return secret, otpauth_uri(ctx, actor, secret)


def otpauth_uri(ctx: CommandContext, actor: Actor, secret: str) -> str:
    """The otpauth:// URI of a secret for the caller's account, which an authenticator app accepts."""
    user = load_accounts(ctx.store).users.get(actor.user_id)
    name = user.login if user is not None else actor.user_id
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name="Party Ledger")


def enable_totp(credentials: CredentialStore, actor: Actor, secret: str, code: str) -> None:
    """Enabled only when a code from the app matches: a wrongly typed secret never locks an administrator out."""
    try:
        matches = pyotp.TOTP(secret).verify(code, valid_window=1)
    except ValueError:  # not base32, or too short a secret: nothing the offer made
        matches = False
    if str(actor.role) not in SECOND_FACTOR or not matches:
        raise SignInRefused("totp-required", "Mã xác thực không khớp; xin nhập mã đang hiện trên ứng dụng.")
    credentials.set_totp(actor.user_id, secret)


def sign_in_external(
    ctx: CommandContext, credentials: CredentialStore, settings: Settings, login: str, client: str
) -> Tokens:
    """A person the single sign-on vouched for: the ledger's own account by that login, active and holding a
    role today, gets the ledger's own session (no password here, the provider checked it)."""
    now = datetime.now(UTC)
    accounts = load_accounts(ctx.store)
    user = accounts.user_by_login(login)
    if user is None:
        credentials.record_attempt(Attempt(now, None, client, "unknown_login"))
        raise SignInRefused("no-role", "Tài khoản đăng nhập một lần này chưa có trong sổ; xin liên hệ quản trị viên.")
    assignment = _chosen_assignment(ctx, accounts, user.user_id, None)
    if assignment is None:
        credentials.record_attempt(Attempt(now, user.user_id, client, "no_role"))
        raise SignInRefused("no-role", "Tài khoản này hiện không được giao vai trò nào.")
    credentials.record_attempt(Attempt(now, user.user_id, client, "success_sso"))
    actor = Actor(user.user_id, Role(assignment.role), assignment.unit_id)
    return _open(credentials, settings, actor, assignment.assignment_id, client, now, now + SESSION_FOR)


def second_factor(credentials: CredentialStore, actor: Actor) -> tuple[bool, bool]:
    """(offered, enabled) for the caller's own account: offered to administrators and auditors (SECOND_FACTOR),
    enabled once `enable_totp` kept a secret; a service token's principal has no account, so neither."""
    stored = credentials.credential(actor.user_id)
    if stored is None:
        return False, False
    return str(actor.role) in SECOND_FACTOR, bool(stored.totp_secret)
