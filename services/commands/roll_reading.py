"""Reading a large roll while deciding it: the members' sheet read by a second process, in chunks.

openpyxl is pure Python, and reading the members' sheet of a 400,000-member roll took as long as deciding every
row (bench/roll_import.py). The import decides the members in order anyway, so a second process reads them
and hands them over a chunk at a time while this one decides the units and then each chunk as it arrives: the
two halves overlap on a machine with two cores. The units' sheet is small and read here first (the members
are decided against the tree it builds), and so is the short sheet of open files. What a row that cannot be
read becomes is unchanged (`RowProblem`).
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.context import SpawnProcess
from pathlib import Path
from typing import Any, Final

from openpyxl import load_workbook

from .roll_sheets import (
    MEMBERS_SHEET,
    MemberRow,
    OpenFileRow,
    RowProblem,
    UnitRow,
    member_rows,
    open_file_rows,
    sheet_size,
    unit_rows,
)

READ_CHUNK: Final = 2000
"""Member rows handed over at once (a few hundred kilobytes pickled)."""
WAIT_SECONDS: Final = 5.0
"""How often a wait for the next chunk checks that the reader is still alive."""


class RollUnreadable(ValueError):
    """The members' sheet could not be read (the reason is the reader's, one line, no cell values)."""


@dataclass
class ParallelRoll:
    """A `RollFeed`: the units read, the members coming from the reader process."""

    units: tuple[UnitRow, ...]
    problems: tuple[RowProblem, ...]
    open_files: tuple[OpenFileRow, ...]
    _queue: Any = field(repr=False)
    _process: SpawnProcess = field(repr=False)
    expected_members: int = 0

    def member_chunks(self) -> Iterator[tuple[Sequence[MemberRow], Sequence[RowProblem]]]:
        """Chunks in sheet order until the reader says it is done; its failure is raised here."""
        while True:
            message = self._next()
            if message[0] == "rows":
                yield message[1], message[2]
            elif message[0] == "size":
                self.expected_members = message[1]
            elif message[0] == "error":
                raise RollUnreadable(message[1])
            else:
                return

    def _next(self) -> tuple[Any, ...]:
        while True:
            try:
                message: tuple[Any, ...] = self._queue.get(timeout=WAIT_SECONDS)
                return message
            except queue.Empty:
                if not self._process.is_alive():
                    raise RollUnreadable(f"the reader stopped (exit code {self._process.exitcode})") from None


@contextmanager
def read_roll_in_parallel(path: Path) -> Iterator[ParallelRoll]:
    """The roll of `path`, its members read by a second process while the caller decides; the reader is
    stopped on leaving (also when the caller gave up before the last chunk)."""
    context = multiprocessing.get_context("spawn")  # no fork of a process holding a database pool's threads
    channel = context.Queue(maxsize=32)
    process = context.Process(target=_read_members, args=(str(path), channel), name="roll-reader", daemon=True)
    process.start()
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            problems: list[RowProblem] = []
            units = tuple(unit_rows(book, problems))
            open_files = tuple(open_file_rows(book, problems))
        finally:
            book.close()
        yield ParallelRoll(units, tuple(problems), open_files, channel, process)
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        channel.close()


def _read_members(path: str, channel: Any) -> None:
    """The reader process: the sheet's size, then chunks of rows with the problems found in them, then "end"."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            channel.put(("size", sheet_size(book, MEMBERS_SHEET)))
            problems: list[RowProblem] = []
            rows: list[MemberRow] = []
            for row in member_rows(book, problems):
                rows.append(row)
                if len(rows) == READ_CHUNK:
                    channel.put(("rows", tuple(rows), tuple(problems)))
                    rows.clear()
                    problems.clear()
            channel.put(("rows", tuple(rows), tuple(problems)))
        finally:
            book.close()
    except Exception as exc:  # a broken file: one line for the operator, in the parent
        channel.put(("error", str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__))
        return
    channel.put(("end",))
