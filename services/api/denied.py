"""The wall's refusal: the same 404 as a missing thing (I8), carrying its reason for the denial record only."""

from __future__ import annotations

from litestar.exceptions import NotFoundException

NOT_FOUND_DETAIL = "No such resource in your units"


class WallDenied(NotFoundException):
    """Rendered exactly like `problems.not_found()`; `reason` never reaches the response."""

    def __init__(self, reason: str) -> None:
        super().__init__(NOT_FOUND_DETAIL)
        self.reason = reason
