"""Read functions for the API and the dashboard: each reads one kind of row, returns plain dataclasses, and
says which log position it reflects. Pass the units of the caller's subtree (`subtree_units`)."""

from .dashboard import (
    Dashboard,
    MemberCounts,
    StageCount,
    StageTime,
    TargetProgress,
    YearFigures,
    YearProgress,
    dashboard,
    yearly_progress,
)
from .deadlines import Breach, DeadlineBoard, OpenDeadline, StalePaper, deadlines
from .files import FileEntry, FilesPage, files
from .member_roll import (
    IncomingTransfers,
    MemberEntry,
    MemberExit,
    MemberExits,
    MemberRoll,
    MemberStatus,
    incoming_transfers,
    member_exits,
    member_roll,
)
from .reading import active_pairs, unit_positions, units_behind
from .retention import ClosedFile, ClosedFiles, closed_files
from .statistics import Statistics, in_order, label_vi, statistics
from .units import subtree_units

__all__ = [
    "Breach",
    "ClosedFile",
    "ClosedFiles",
    "Dashboard",
    "DeadlineBoard",
    "FileEntry",
    "FilesPage",
    "IncomingTransfers",
    "MemberCounts",
    "MemberEntry",
    "MemberExit",
    "MemberExits",
    "MemberRoll",
    "MemberStatus",
    "OpenDeadline",
    "StageCount",
    "StageTime",
    "StalePaper",
    "Statistics",
    "TargetProgress",
    "YearFigures",
    "YearProgress",
    "active_pairs",
    "closed_files",
    "dashboard",
    "deadlines",
    "files",
    "in_order",
    "incoming_transfers",
    "label_vi",
    "member_exits",
    "member_roll",
    "statistics",
    "subtree_units",
    "unit_positions",
    "units_behind",
    "yearly_progress",
]
