"""Signing in as oneself: argon2 passwords, lockout per account and throttling per address, the first-sign-in
change, TOTP, and sessions whose refresh is refused at once when the user, the assignment or the session is
revoked (the access token then dies within its few minutes: tests/e2e/test_accounts_api.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import jwt
import pyotp
import pytest
import sqlalchemy as sa

from services.commands import accounts as uc
from services.commands.context import CommandContext
from services.commands.sign_in import (
    ADDRESS_LIMIT,
    LOCK_AFTER,
    SessionEnded,
    SignIn,
    SignInRefused,
    Tokens,
    enable_totp,
    refresh,
    session_actor,
    sign_in,
    sign_out,
)
from services.commands.walls import today
from services.credentials import CredentialStore, create_credential_tables
from services.settings import Settings
from services.tokens import read_token
from tests.unit.services.officers import ADMIN, CELL

NEW = "Mật-khẩu-riêng-2026"
SETTINGS = Settings(data_dir=Path("."), database_url="memory://", broker_url="memory://")


@pytest.fixture
def creds(tmp_path: Path) -> Iterator[CredentialStore]:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'creds.db'}")
    create_credential_tables(engine)
    yield CredentialStore(engine)
    engine.dispose()


def secretary(ctx: CommandContext, creds: CredentialStore) -> tuple[str, str, str]:
    made = uc.create_user(ctx, creds, ADMIN, login="bithu.an", full_name="Nguyễn Văn An", contact="", unit_id=CELL)
    since = today() - timedelta(days=30)
    assignment, _ = uc.assign_role(ctx, ADMIN, user_id=made.user_id, role="cell_secretary", unit_id=CELL,
                                   valid_from=since, valid_until=None, decision_ref="QĐ 1")  # fmt: skip
    return made.user_id, made.one_time_password, assignment


def first_sign_in(ctx: CommandContext, creds: CredentialStore, password: str, client: str = "10.0.0.1") -> Tokens:
    return sign_in(ctx, creds, SETTINGS, SignIn("bithu.an", password, client, new_password=NEW))


def refused(kind: str, ctx: CommandContext, creds: CredentialStore, request: SignIn) -> SignInRefused:
    with pytest.raises(SignInRefused) as caught:
        sign_in(ctx, creds, SETTINGS, request)
    assert caught.value.kind == kind
    return caught.value


def test_first_sign_in_sets_the_users_own_password(ctx: CommandContext, creds: CredentialStore) -> None:
    user_id, one_time, _ = secretary(ctx, creds)
    refused("password-change-required", ctx, creds, SignIn("bithu.an", one_time, "a"))
    refused("weak-password", ctx, creds, SignIn("bithu.an", one_time, "a", new_password="short"))
    tokens = first_sign_in(ctx, creds, one_time)
    actor = read_token(tokens.access_token, SETTINGS.signing_key)
    assert (actor.user_id, str(actor.role), actor.unit_id) == (user_id, "cell_secretary", CELL)
    claims = jwt.decode(tokens.access_token, SETTINGS.signing_key, algorithms=["HS256"], issuer="partyledger")
    assert claims["exp"] - claims["iat"] == SETTINGS.access_minutes * 60  # minutes, not hours
    refused("bad-credentials", ctx, creds, SignIn("bithu.an", one_time, "a"))
    assert sign_in(ctx, creds, SETTINGS, SignIn("BITHU.AN", NEW, "a")).actor.user_id == user_id


def test_a_wrong_password_and_an_unknown_login_are_refused_alike(ctx: CommandContext, creds: CredentialStore) -> None:
    secretary(ctx, creds)
    wrong = refused("bad-credentials", ctx, creds, SignIn("bithu.an", "sai-mat-khau", "a"))
    unknown = refused("bad-credentials", ctx, creds, SignIn("khong.co", "x", "a"))
    assert wrong.message_vi == unknown.message_vi


def test_the_account_locks_after_repeated_wrong_passwords(ctx: CommandContext, creds: CredentialStore) -> None:
    _, one_time, _ = secretary(ctx, creds)
    first_sign_in(ctx, creds, one_time)
    for n in range(LOCK_AFTER):
        refused("bad-credentials", ctx, creds, SignIn("bithu.an", f"sai-{n}", f"h{n}"))
    locked = refused("locked", ctx, creds, SignIn("bithu.an", NEW, "elsewhere"))
    assert locked.retry_after is not None and 0 < locked.retry_after <= 15 * 60


def test_an_address_is_throttled_after_many_failures(ctx: CommandContext, creds: CredentialStore) -> None:
    _, one_time, _ = secretary(ctx, creds)
    first_sign_in(ctx, creds, one_time, client="192.0.2.9")
    for n in range(ADDRESS_LIMIT):
        refused("bad-credentials", ctx, creds, SignIn(f"doan.{n}", "x", "192.0.2.66"))
    refused("throttled", ctx, creds, SignIn("bithu.an", NEW, "192.0.2.66"))
    assert sign_in(ctx, creds, SETTINGS, SignIn("bithu.an", NEW, "192.0.2.9")).actor.unit_id == CELL


def test_refresh_rotates_and_a_spent_refresh_token_is_refused(ctx: CommandContext, creds: CredentialStore) -> None:
    _, one_time, _ = secretary(ctx, creds)
    tokens = first_sign_in(ctx, creds, one_time)
    again = refresh(ctx, creds, SETTINGS, tokens.refresh_token)
    assert again.session_id == tokens.session_id and again.refresh_token != tokens.refresh_token
    with pytest.raises(SessionEnded):
        refresh(ctx, creds, SETTINGS, tokens.refresh_token)


def test_revoking_the_user_refuses_refresh_at_once(ctx: CommandContext, creds: CredentialStore) -> None:
    user_id, one_time, _ = secretary(ctx, creds)
    tokens = first_sign_in(ctx, creds, one_time)
    uc.deactivate_user(ctx, creds, ADMIN, user_id=user_id, reason="Chuyển công tác")
    with pytest.raises(SessionEnded):
        refresh(ctx, creds, SETTINGS, tokens.refresh_token)
    refused("no-role", ctx, creds, SignIn("bithu.an", NEW, "a"))


def test_ending_the_assignment_refuses_refresh_at_once(ctx: CommandContext, creds: CredentialStore) -> None:
    _, one_time, assignment = secretary(ctx, creds)
    tokens = first_sign_in(ctx, creds, one_time)
    uc.end_assignment(ctx, creds, ADMIN, assignment_id=assignment, last_day=today() - timedelta(days=1), reason="x")
    with pytest.raises(SessionEnded):
        refresh(ctx, creds, SETTINGS, tokens.refresh_token)


def test_one_session_is_revoked_and_the_others_stay(ctx: CommandContext, creds: CredentialStore) -> None:
    user_id, one_time, _ = secretary(ctx, creds)
    laptop = first_sign_in(ctx, creds, one_time)
    phone = sign_in(ctx, creds, SETTINGS, SignIn("bithu.an", NEW, "b"))
    assert uc.revoke_sessions(ctx, creds, ADMIN, user_id=user_id, session_id=laptop.session_id) == 1
    with pytest.raises(SessionEnded):
        session_actor(ctx, creds, laptop.refresh_token)
    assert session_actor(ctx, creds, phone.refresh_token).user_id == user_id
    sign_out(creds, phone.refresh_token)
    with pytest.raises(SessionEnded):
        refresh(ctx, creds, SETTINGS, phone.refresh_token)


def test_an_administrator_with_totp_needs_the_code(ctx: CommandContext, creds: CredentialStore) -> None:
    made = uc.create_user(
        ctx, creds, ADMIN, login="quan.tri", full_name="Hoàng Văn Giang", contact="", unit_id="unit-province"
    )
    uc.assign_role(ctx, ADMIN, user_id=made.user_id, role="provincial_admin", unit_id="unit-province",
                   valid_from=today(), valid_until=None, decision_ref="QĐ 2")  # fmt: skip
    tokens = sign_in(ctx, creds, SETTINGS, SignIn("quan.tri", made.one_time_password, "a", new_password=NEW))
    secret = pyotp.random_base32()
    with pytest.raises(SignInRefused):
        enable_totp(creds, tokens.actor, secret, "000000")
    enable_totp(creds, tokens.actor, secret, pyotp.TOTP(secret).now())
    refused("totp-required", ctx, creds, SignIn("quan.tri", NEW, "a"))
    code = pyotp.TOTP(secret).now()
    assert sign_in(ctx, creds, SETTINGS, SignIn("quan.tri", NEW, "a", totp=code)).actor.user_id == made.user_id


def test_a_password_reset_revokes_every_session(ctx: CommandContext, creds: CredentialStore) -> None:
    user_id, one_time, _ = secretary(ctx, creds)
    tokens = first_sign_in(ctx, creds, one_time)
    fresh = uc.reset_password(ctx, creds, ADMIN, user_id=user_id)
    with pytest.raises(SessionEnded):
        refresh(ctx, creds, SETTINGS, tokens.refresh_token)
    refused("password-change-required", ctx, creds, SignIn("bithu.an", fresh, "a"))
