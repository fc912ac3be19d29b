"""`partyledger import-members` on an empty PostgreSQL ledger given its province by `init`: refused rows reported
row by row and nothing written, a dry run writing nothing, the import, and the same file again adding nothing —
for members and for open files alike."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from redis import Redis

from services.cli.main import cli
from services.commands.roll_sheets import MEMBERS_SHEET, OPEN_FILES_SHEET
from tests.support.queues import queue_name


@pytest.fixture
def ledger(postgres_url: str, redis_url: str) -> tuple[str, dict[str, str]]:
    environment = {
        "PARTYLEDGER_ENVIRONMENT": "development",
        "PARTYLEDGER_BROKER_URL": redis_url,
        "PARTYLEDGER_QUEUE": queue_name("import"),
    }
    founded = invoke(postgres_url, environment, "init", "--province", "HCM", "--name", "Đảng bộ Thành phố Hồ Chí Minh")
    assert founded.exit_code == 0, founded.output
    return postgres_url, environment


def invoke(url: str, environment: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, [*args, "--database-url", url], env=environment)


def doorbells(environment: dict[str, str]) -> int:
    """Messages waiting in the workers' queue (no worker runs here to take them)."""
    client = Redis.from_url(environment["PARTYLEDGER_BROKER_URL"])
    try:
        return int(client.llen(environment["PARTYLEDGER_QUEUE"]))
    finally:
        client.close()


def head(url: str) -> int:
    """How many events the log holds (positions on PostgreSQL may skip numbers)."""
    with psycopg.connect(url) as connection:
        found = connection.execute("SELECT count(*) FROM event_log").fetchone()
    return int(found[0]) if found else 0


def template(ledger: tuple[str, dict[str, str]], tmp_path: Path, *, refused_row: bool = False) -> Path:
    url, environment = ledger
    path = tmp_path / "so-dang-vien.xlsx"
    assert invoke(url, environment, "import-members", "--template", str(path)).exit_code == 0
    if refused_row:
        book = load_workbook(path)
        book[MEMBERS_SHEET].append(
            ["079080000101", "Phạm Văn Bình", "Nam", date(1980, 1, 15), "Kinh", "Không", "Đại học", "Công an", None,
             "VD.BT.BTX.TOAN", date(1997, 6, 1), date(1997, 6, 20), date(1998, 6, 20), "Thẻ đảng viên số 1"]
        )  # fmt: skip
        book.save(path)
    return path


def test_a_file_with_a_refused_row_is_reported_and_nothing_is_written(
    ledger: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    url, environment = ledger
    before = head(url)

    result = invoke(url, environment, "import-members", str(template(ledger, tmp_path, refused_row=True)))

    assert result.exit_code == 1
    refusal = "Trang “Đảng viên”, dòng 5, cột “Ngày quyết định kết nạp” [R-ELIG-AGE]: đảng viên mới 17 tuổi"
    assert refusal in result.output
    assert "Chưa ghi gì vào sổ" in result.output
    assert head(url) == before


def test_a_dry_run_writes_nothing_then_the_import_writes_and_a_second_adds_nothing(
    ledger: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    url, environment = ledger
    path = template(ledger, tmp_path)
    before = head(url)
    rung = doorbells(environment)

    dry = invoke(url, environment, "import-members", str(path), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "tổ chức mới 3 (đã ghi 0)" in dry.output
    assert (head(url), doorbells(environment)) == (before, rung)

    done = invoke(url, environment, "import-members", str(path))
    assert done.exit_code == 0, done.output
    assert "đảng viên mới 3 (đã ghi 3)" in done.output
    written = head(url)
    assert written == before + 11  # 3 units, 3 members, 2 open files (1 and 4 steps)
    assert doorbells(environment) > rung  # the workers were rung for the new units

    again = invoke(url, environment, "import-members", str(path))
    assert again.exit_code == 0, again.output
    assert "tổ chức mới 0 (đã ghi 0), đã có 3; đảng viên mới 0 (đã ghi 0), đã có 3" in again.output
    assert head(url) == written


def test_open_files_a_refused_row_in_the_dry_run_then_the_import_and_again_nothing(
    ledger: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    url, environment = ledger
    path = template(ledger, tmp_path)
    book = load_workbook(path)
    book[OPEN_FILES_SHEET].append(
        [
            "079098000601",
            "Châu Văn Minh",
            "Nam",
            date(1998, 3, 9),
            "Kinh",
            "Không",
            "Đại học",
            "Công an",
            None,
            "VD.BT.BTX.TOAN",
            "Đã có đơn xin vào Đảng",
            "079085001234",
            date(2025, 1, 6),
            "Nghị quyết số 9",
            "Giấy chứng nhận số 77",
            date(2025, 3, 3),
            date(2025, 2, 3),
            "Đơn xin vào Đảng",
            None,
            None,
        ]
    )  # fmt: skip  (the application dated before the awareness class)
    book.save(path)
    before = head(url)

    dry = invoke(url, environment, "import-members", str(path), "--dry-run")

    assert dry.exit_code == 1
    assert (
        "Trang “Hồ sơ đang xét”, dòng 4, cột “Ngày nộp đơn xin vào Đảng” [R-STAGE-ORDER]: Châu Văn Minh" in dry.output
    )
    assert "person-" not in dry.output and head(url) == before

    book[OPEN_FILES_SHEET].delete_rows(4)
    book.save(path)
    done = invoke(url, environment, "import-members", str(path))
    assert done.exit_code == 0, done.output
    assert "hồ sơ đang xét mới 2 (đã ghi 2), đã có 0" in done.output
    written = head(url)

    again = invoke(url, environment, "import-members", str(path))
    assert again.exit_code == 0, again.output
    assert "hồ sơ đang xét mới 0 (đã ghi 0), đã có 2" in again.output
    assert head(url) == written


def test_only_clean_writes_the_rows_that_pass(ledger: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    url, environment = ledger
    before = head(url)

    path = template(ledger, tmp_path, refused_row=True)

    result = invoke(url, environment, "import-members", str(path), "--only-clean")

    assert result.exit_code == 0, result.output
    assert "dòng bị từ chối 1" in result.output
    assert head(url) == before + 11


def test_an_import_before_init_says_what_to_run(postgres_url: str, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook")
    environment = {"PARTYLEDGER_ENVIRONMENT": "development"}
    assert invoke(postgres_url, environment, "init").exit_code == 0

    result = invoke(postgres_url, environment, "import-members", str(path))

    assert result.exit_code == 1, result.exception
    assert result.output.strip().splitlines()[-1].startswith("Error: sổ chưa có đảng bộ tỉnh: chạy partyledger init")
