"""Reading a large roll while deciding it: a second process reads the workbook and hands its rows over.

openpyxl is pure Python, and reading the members' sheet of a 400,000-member roll took as long as deciding every
row (bench/roll_import.py). The import decides the members in order anyway, so a reader process sends the
units and the open files first, then the members a chunk at a time, while this process decides the units and
then each chunk as it arrives: the two halves overlap on a machine with two cores. What a row that cannot be
read becomes is unchanged (`RowProblem`); the rows come in sheet order, as `read_roll` gives them.
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
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse

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
    """The workbook could not be read (the reason is the reader's, one line, no cell values)."""


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
    """The roll of `path` read by a second process: its units and open files first (the caller decides the
    units while the members are read), then the members in chunks. The reader is stopped on leaving (also
    when the caller gave up before the last chunk); a file it cannot read raises `RollUnreadable`."""
    context = multiprocessing.get_context("spawn")  # no fork of a process holding a database pool's threads
    channel = context.Queue(maxsize=32)
    process = context.Process(target=_read, args=(str(path), channel), name="roll-reader", daemon=True)
    process.start()
    try:
        roll = ParallelRoll((), (), (), channel, process)
        first = roll._next()
        if first[0] == "error":
            raise RollUnreadable(first[1])
        _, roll.units, roll.open_files, roll.problems, roll.expected_members = first
        yield roll
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        channel.close()


def _read(path: str, channel: Any) -> None:
    """The reader process: ("sheets", units, open files, their problems, members expected), then chunks of
    members with the problems found in them, then ("end",); ("error", reason) if the file cannot be read."""
    ReadOnlyWorksheet._get_size = _stored_size  # this process only (a reader): see `_stored_size`
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            problems: list[RowProblem] = []
            units = tuple(unit_rows(book, problems))
            open_files = tuple(open_file_rows(book, problems))
            channel.put(("sheets", units, open_files, tuple(problems), sheet_size(book, MEMBERS_SHEET)))
            problems.clear()
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
        reason = str(exc).strip()
        channel.put(("error", reason.splitlines()[0][:200] if reason else type(exc).__name__))
        return
    channel.put(("end",))


def _stored_size(sheet: ReadOnlyWorksheet) -> None:
    """A sheet's size as the file stores it, looked for only before the sheet's data.

    openpyxl's read-only load looks for every sheet's stored size when it opens the workbook, but stops only at
    the end of the sheet's data when there is none (it listens for closing tags), so a file written without
    one — openpyxl's own write-only mode, other tools — was parsed once more in full just to open it: half
    of a 400,000-member roll's raw read (bench/roll_import.py). The size is read from the opening tags here,
    where Excel writes it (`<dimension>` precedes `<sheetData>`); none found leaves the sheet unsized, which
    `read_roll` asks for anyway (`reset_dimensions`)."""
    source = sheet._get_source()
    try:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                boundaries = SheetDimension.from_tree(element).boundaries
                if boundaries is not None:
                    sheet._min_column, sheet._min_row, sheet._max_column, sheet._max_row = boundaries
                return
            if element.tag == DATA_TAG:
                return
    finally:
        source.close()
