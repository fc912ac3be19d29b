"""Password hashes (argon2id through argon2-cffi), one-time passwords, and what a new password must be.

The parameters are chosen for this deployment's 2-core machines (bench/signin.py measures them; bench/README.md
says what a sign-in costs): argon2id with 46 MiB, one pass, one lane — the OWASP password-storage minimum of
that memory. The library's defaults (64 MiB, 3 passes, 4 lanes) cost 3–4 times as much per sign-in here with 4
lanes on 2 cores; memory is what makes a guess dear on a GPU, and 46 MiB keeps that. A hash made with other
parameters is replaced at the next good sign-in (`needs_rehash`).
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

TIME_COST: Final = 1
MEMORY_KIB: Final = 46 * 1024
PARALLELISM: Final = 1
MIN_LENGTH: Final = 10
MAX_LENGTH: Final = 256
ONE_TIME_ALPHABET: Final = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=PARALLELISM)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return hasher().check_needs_rehash(stored)


@lru_cache(maxsize=1)
def decoy_hash() -> str:
    """Verified against when the login is unknown, so an unknown login costs what a wrong password costs."""
    return hash_password(secrets.token_urlsafe(16))


def one_time_password() -> str:
    """Shown once to whoever created or reset the account; changed at the first sign-in."""
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(14))


def weak_password_reason(password: str, login: str) -> str | None:
    """Why a new password is refused (Vietnamese, for the form and the API's `message_vi`), or None."""
    if len(password) < MIN_LENGTH:
        return f"Mật khẩu mới cần ít nhất {MIN_LENGTH} ký tự."
    if len(password) > MAX_LENGTH:
        return f"Mật khẩu mới dài quá {MAX_LENGTH} ký tự."
    if login and login.lower() in password.lower():
        return "Mật khẩu mới không được chứa tên đăng nhập."
    if len(set(password)) < 5:
        return "Mật khẩu mới quá đơn giản."
    return None
