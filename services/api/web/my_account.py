"""Bảo mật tài khoản: the signed-in user's own password and TOTP second factor (issue 19), the pages of
`POST /me/password`, `/me/totp` and `/me/totp/confirm`, calling the same use cases in
`services.commands.sign_in`. Each refusal is told at the field it concerns; the secret is shown as grouped
text and as the otpauth:// URI an authenticator app accepts (no QR code: no library for it is installed)."""

from __future__ import annotations

import re
from typing import Annotated

from litestar import get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template

from services.commands.sign_in import (
    BAD,
    SignInRefused,
    change_password,
    enable_totp,
    otpauth_uri,
    second_factor,
    totp_offer,
)
from services.ledger import Ledger

from .common import Viewer, page
from .session import Context

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
SECRET = re.compile(r"^[A-Z2-7]{32}$")
CODE = re.compile(r"^[0-9]{6}$")
WRONG_CURRENT = "Mật khẩu hiện tại không đúng."


def grouped(secret: str) -> str:
    """The secret in groups of four, as an officer types it into a phone app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _page(ledger: Ledger, viewer: Viewer, *, status_code: int = 200, errors: dict[str, str] | None = None,
          notice: str | None = None, offer: tuple[str, str] | None = None) -> Template:  # fmt: skip
    offered, enabled = second_factor(ledger.credentials, viewer)
    has_account = ledger.credentials.credential(viewer.user_id) is not None
    return page(
        "my_account.html", viewer, status_code=status_code, errors=errors or {}, notice=notice,
        has_account=has_account, offered=offered, enabled=enabled,
        secret=offer[0] if offer else None, secret_grouped=grouped(offer[0]) if offer else None,
        otpauth=offer[1] if offer else None,
    )  # fmt: skip


@get("/account", sync_to_thread=True)
def account_page(viewer: Viewer, ledger: Context) -> Template:
    return _page(ledger, viewer)


@post("/account/password", sync_to_thread=True, status_code=200)
def change_my_password(data: Form, viewer: Viewer, ledger: Context) -> Template:
    """The current password first; the new one twice, checked by the same rule as a first sign-in."""
    current, new = data.get("current_password", ""), data.get("new_password", "")
    if not current:
        return _page(ledger, viewer, status_code=422, errors={"current_password": "Xin nhập mật khẩu hiện tại."})
    if new != data.get("new_password_again", ""):
        return _page(ledger, viewer, status_code=422,
                     errors={"new_password_again": "Hai lần nhập mật khẩu mới không khớp."})  # fmt: skip
    try:
        change_password(ledger.credentials, viewer, ledger, current, new)
    except SignInRefused as exc:
        field = "current_password" if exc.kind == BAD[0] else "new_password"
        message = WRONG_CURRENT if exc.kind == BAD[0] else exc.message_vi
        return _page(ledger, viewer, status_code=422, errors={field: message})
    return _page(ledger, viewer, notice="Đã đổi mật khẩu.")


@post("/account/totp", sync_to_thread=True, status_code=200)
def offer_totp(data: Form, viewer: Viewer, ledger: Context) -> Template:
    """A new secret (the password again first); nothing is enabled until a code from it is confirmed."""
    try:
        offer = totp_offer(ledger, ledger.credentials, viewer, data.get("password", ""))
    except SignInRefused as exc:
        message = WRONG_CURRENT if exc.kind == BAD[0] else exc.message_vi
        return _page(ledger, viewer, status_code=422, errors={"password": message})
    return _page(ledger, viewer, offer=offer)


@post("/account/totp/confirm", sync_to_thread=True, status_code=200)
def confirm_totp(data: Form, viewer: Viewer, ledger: Context) -> Template:
    """Enabled only when the 6-digit code matches the secret shown; a refusal shows the same secret again."""
    secret, code = data.get("secret", "").strip(), data.get("code", "").strip()
    if not SECRET.match(secret):
        return _page(ledger, viewer, status_code=422,
                     errors={"password": "Mã bí mật không hợp lệ; xin bật lại từ đầu."})  # fmt: skip
    offer = (secret, otpauth_uri(ledger, viewer, secret))
    if not CODE.match(code):
        return _page(ledger, viewer, status_code=422, offer=offer,
                     errors={"code": "Mã xác thực gồm đúng 6 chữ số."})  # fmt: skip
    try:
        enable_totp(ledger.credentials, viewer, secret, code)
    except SignInRefused as exc:
        return _page(ledger, viewer, status_code=422, offer=offer, errors={"code": exc.message_vi})
    return _page(ledger, viewer, notice="Đã bật xác thực hai lớp. Từ nay khi đăng nhập, xin nhập thêm mã 6 số.")
