"""R-RETRACT: which entries of a file may be retracted as recorded by mistake, and until when (DOMAIN.md §3).

A design rule, not a regulation's, so its numbers are constants here rather than fields of every rule set:
- only the latest standing entry of the file is retracted (later ones first, newest first), and only among
  the file's last `RETRACT_DEPTH` standing entries since the last reorganisation moved it;
- within `RETRACT_WITHIN_DAYS` days of the day the entry was recorded, by a retraction dated no earlier than
  that day;
- never the entry that opened the file (a nomination, an enrolment: a wrong one is withdrawn or closed by
  its own step), an event the ledger wrote by itself (a reorganisation's move), nor a retraction (the step
  is recorded again instead).
Who may retract (the unit that recorded the entry or a committee above it) is a wall, checked by the use case.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import Final

from domain.errors import RuleViolation

RULE_ID: Final = "R-RETRACT"
RETRACT_WITHIN_DAYS: Final = 30
"""Days after the entry was recorded (the ledger's clock, in Vietnam) that a retraction may be dated."""
RETRACT_DEPTH: Final = 5
"""Standing entries of a file that may still be retracted in turn, newest first (the state keeps this many)."""

NOT_RETRACTABLE: Final = frozenset({"CandidateNominated", "MemberEnrolled", "MovedByReorganisation", "EntryRetracted"})
"""Event types that are never retracted (see the module's docstring)."""


def _refuse(en: str, vi: str) -> RuleViolation:
    return RuleViolation(RULE_ID, en, vi)


def check_retractable_kind(event_type: str, first_of_entry: bool) -> None:
    """R-RETRACT: a retraction, an opening entry or the ledger's own move is never retracted."""
    if event_type == "EntryRetracted":
        raise _refuse(
            "a retraction is not retracted; record the step again",
            "không thu hồi một lần thu hồi; hãy ghi nhận lại bước đó",
        )
    if event_type in NOT_RETRACTABLE:
        raise _refuse(
            f"a {event_type} entry cannot be retracted",
            "mục này không thu hồi được: việc mở hồ sơ hay chuyển theo sắp xếp tổ chức không được thu hồi",
        )
    if not first_of_entry:
        raise _refuse(
            "name the entry's first event: this one was recorded with a step and goes with it",
            "mục này được ghi kèm một bước; hãy thu hồi chính bước đó",
        )


def check_latest(entry_version: int, standing: Collection[int], already_retracted: bool) -> None:
    """R-RETRACT: only the latest standing entry; later ones are retracted first, older ones no longer."""
    if already_retracted:
        raise _refuse("the entry has already been retracted", "mục này đã được thu hồi")
    if standing and entry_version < max(standing) and entry_version in standing:
        raise _refuse(
            "later entries stand after this one: retract them first, newest first",
            "sau mục này còn các bước khác chưa thu hồi; phải thu hồi các bước sau trước, từ bước mới nhất",
        )
    if entry_version not in standing:
        raise _refuse(
            f"the entry is no longer retractable (only the last {RETRACT_DEPTH} entries since the file last "
            "moved with a reorganisation can be, newest first)",
            f"mục này không còn thu hồi được (chỉ thu hồi được tối đa {RETRACT_DEPTH} bước gần nhất, "
            "lần lượt từ bước mới nhất, kể từ lần sắp xếp tổ chức gần nhất)",
        )


def check_retract_window(recorded_on: date, retracted_on: date) -> None:
    """R-RETRACT: dated from the day the entry was recorded to `RETRACT_WITHIN_DAYS` days after it."""
    last = recorded_on + timedelta(days=RETRACT_WITHIN_DAYS)
    if retracted_on < recorded_on:
        raise _refuse(
            f"a retraction is dated no earlier than the day the entry was recorded ({recorded_on.isoformat()})",
            f"ngày thu hồi không được trước ngày mục đó được ghi vào sổ ({recorded_on:%d/%m/%Y})",
        )
    if retracted_on > last:
        raise _refuse(
            f"an entry is retracted within {RETRACT_WITHIN_DAYS} days of being recorded "
            f"({recorded_on.isoformat()}, so by {last.isoformat()})",
            f"chỉ thu hồi được trong {RETRACT_WITHIN_DAYS} ngày kể từ ngày ghi vào sổ "
            f"({recorded_on:%d/%m/%Y}, tức đến hết ngày {last:%d/%m/%Y})",
        )
