"""`partyledger privacy report` and `privacy retention` on the embedded default: a workbook, one-line errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

from openpyxl import load_workbook

from services.privacy.workbook import SHEETS
from tests.support.processes import BIN


def partyledger(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "partyledger"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": str(BIN), "PARTYLEDGER_DATA_DIR": str(data), "PARTYLEDGER_RETENTION_MONTHS": "withdrawn=12"},
    )


def test_the_report_writes_the_register_and_retention_lists_nothing_on_a_new_log(tmp_path: Path) -> None:
    assert partyledger("init", data=tmp_path).returncode == 0
    out = tmp_path / "so-ghi-nhan.xlsx"

    made = partyledger("privacy", "report", "--out", str(out), "--officer", "Nguyễn Văn An", data=tmp_path)
    due = partyledger("privacy", "retention", data=tmp_path)

    assert made.returncode == 0, made.stderr
    assert f"{out}: " in made.stdout and "0 people" in made.stdout
    assert tuple(load_workbook(out).sheetnames) == SHEETS
    assert due.returncode == 0 and "0 file(s) past their retention period" in due.stderr


def test_an_unwritable_report_is_a_one_line_error(tmp_path: Path) -> None:
    assert partyledger("init", data=tmp_path).returncode == 0

    result = partyledger("privacy", "report", "--out", str(tmp_path / "missing" / "r.xlsx"), data=tmp_path)

    assert result.returncode == 1 and "cannot write" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_retention_setting_stops_the_command_naming_it(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(BIN / "partyledger"), "privacy", "retention"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": str(BIN), "PARTYLEDGER_DATA_DIR": str(tmp_path), "PARTYLEDGER_RETENTION_MONTHS": "dead=5"},
    )

    assert result.returncode == 1 and "PARTYLEDGER_RETENTION_MONTHS" in result.stderr
    assert "Traceback" not in result.stderr
