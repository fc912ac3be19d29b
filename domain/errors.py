"""Why the domain refuses something: a broken party rule, or a command that is malformed.

Both carry an English message (API, logs) and a Vietnamese one (dashboard), so a refusal reads the same
wherever it surfaces (I12).
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the user can act on; never a bug."""

    def __init__(self, message_en: str, message_vi: str, **details: Any) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_vi = message_vi
        self.details = details


class RuleViolation(DomainError):
    """A party rule (`R-…` of DOMAIN.md) forbids the step."""

    def __init__(self, rule_id: str, message_en: str, message_vi: str, **details: Any) -> None:
        super().__init__(f"{rule_id}: {message_en}", message_vi, **details)
        self.rule_id = rule_id
        self.reason_en = message_en


class InvalidCommand(DomainError):
    """A command whose content is malformed (bad identity number, empty reason, unknown value)."""

    def __init__(self, field: str, message_en: str, message_vi: str, **details: Any) -> None:
        super().__init__(f"{field}: {message_en}", message_vi, **details)
        self.field = field
