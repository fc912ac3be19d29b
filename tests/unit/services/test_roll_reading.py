"""The roll read by a second process (what `import-members` does) gives the rows `read_roll` gives, in order,
and a file it cannot read is one clear refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from services.commands.roll_reading import RollUnreadable, read_roll_in_parallel
from services.commands.roll_sheets import read_roll
from tests.unit.services.test_roll_import import BAD_MEMBERS, member, workbook


def test_the_parallel_read_gives_the_same_rows_and_problems_as_the_plain_one(tmp_path: Path) -> None:
    many = [member(f"0790800{n:05d}", "Đặng Văn Giang") for n in range(2500)]  # more than one chunk
    path = tmp_path / "roll.xlsx"
    path.write_bytes(workbook(members=[*BAD_MEMBERS, *many]).getvalue())
    plain = read_roll(path)

    with read_roll_in_parallel(path) as parallel:
        chunks = list(parallel.member_chunks())
        units, open_files, expected = parallel.units, parallel.open_files, parallel.expected_members

    assert (units, open_files) == (plain.units, plain.open_files)
    assert tuple(row for rows, _ in chunks for row in rows) == plain.members
    assert parallel.problems + tuple(p for _, problems in chunks for p in problems) == plain.problems
    assert len(chunks) > 1 and expected == len(BAD_MEMBERS) + 2500 + 3  # the size Excel stores


def test_a_file_that_is_not_a_workbook_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "roll.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(RollUnreadable) as refused, read_roll_in_parallel(path):
        pass
    assert "\n" not in str(refused.value)


def test_a_workbook_without_the_sheets_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    with read_roll_in_parallel(path) as parallel:
        assert (parallel.units, list(parallel.member_chunks())) == ((), [((), ())])
