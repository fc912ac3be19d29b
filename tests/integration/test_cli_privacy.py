"""`partyledger privacy report` and `privacy retention` on the embedded default: a workbook, one-line errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

from openpyxl import load_workbook

from services.commands.context import CommandContext
from services.data_keys import open_ledger_log
from services.embedded import seed_minimal_province
from services.privacy.workbook import SHEETS
from services.settings import Settings
from tests.support.person_ids import KEY_SETTING, TEST_PERSON_ID_KEY
from tests.support.processes import BIN
from tests.unit.services.officers import SECRETARY, enrol, nominate, person, take


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


def test_retention_lists_a_due_file_then_erase_runs_the_daily_run_once(tmp_path: Path) -> None:
    """`privacy retention` names the file and the day it will be erased; `--erase` (the beat's run) erases what
    is past its period and its notice, in counts; run again, it changes nothing."""
    env = {"PARTYLEDGER_DATA_DIR": str(tmp_path), **KEY_SETTING}
    settings = Settings.from_environment(env)
    store = open_ledger_log(settings)
    seed_minimal_province(store)
    ctx = CommandContext(store, person_key=TEST_PERSON_ID_KEY)
    enrol(ctx, 1)
    nominate(ctx, 2, helper=person(1))
    take(ctx, SECRETARY, "withdrawCandidate", person(2), "w2", reason="Xin rút", occurred_on="2021-04-01",
         expected_version=1)  # fmt: skip
    store.close()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(BIN / "partyledger"), "privacy", "retention", *args], capture_output=True,
                              text=True, timeout=120, check=False, env={"PATH": str(BIN), **env})  # fmt: skip

    listed = run()
    assert listed.returncode == 0, listed.stderr
    assert (
        "Quần Chúng Bình" in listed.stdout and "01/04/2021" in listed.stdout and "xóa ngày 01/05/2023" in listed.stdout
    )
    erased = run("--erase")
    assert erased.returncode == 0, erased.stderr
    assert erased.stdout.startswith("1 file(s) erased") and "Quần Chúng" not in erased.stdout
    again = run("--erase")
    assert again.returncode == 0 and again.stdout.startswith("0 file(s) erased"), again.stdout
    assert "0 file(s) past their retention period" in run().stderr
    assert run("--erase", "--unit", "unit-school").returncode == 2
