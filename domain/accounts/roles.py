"""Which role may grant which (R-ACCT-GRANT): a role never grants one above its own.

The names are the values of `services.commands.actors.Role` (the domain imports no outer layer; a test keeps
the two lists equal). An auditor stands outside the officers' ladder: only a provincial administrator names one.
"""

from __future__ import annotations

from typing import Final

RANK: Final[dict[str, int]] = {
    "viewer": 0,
    "cell_secretary": 1,
    "grassroots_officer": 2,
    "upper_officer": 3,
    "provincial_admin": 4,
    "auditor": 4,
}
ADMIN: Final = "provincial_admin"
ONLY_BY_ADMIN: Final = frozenset({"provincial_admin", "auditor"})
MANAGERS: Final = frozenset({"provincial_admin", "upper_officer", "grassroots_officer"})
"""The roles that manage accounts, each in its own subtree."""
SECOND_FACTOR: Final = frozenset({"provincial_admin", "auditor"})
"""The roles that may (and should) sign in with a TOTP code too."""


def may_grant(granter: str, role: str) -> bool:
    """R-ACCT-GRANT: a manager grants roles up to its own rank; the administrator's and auditor's roles only
    by an administrator."""
    if granter not in MANAGERS or role not in RANK:
        return False
    if role in ONLY_BY_ADMIN:
        return granter == ADMIN
    return RANK[role] <= RANK[granter]
