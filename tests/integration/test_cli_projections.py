"""`partyledger projections status`, `rebuild` and `rebuild --check` on the embedded default."""

from __future__ import annotations

import subprocess
from pathlib import Path

import psycopg

from tests.support.processes import BIN


def partyledger(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "partyledger"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": str(BIN), "PARTYLEDGER_DATA_DIR": str(data)},
    )


def test_status_rebuild_and_check_on_a_fresh_demo_log(tmp_path: Path) -> None:
    assert partyledger("init", data=tmp_path).returncode == 0
    assert partyledger("seed", "--scale", "small", "--seed", "3", data=tmp_path).returncode == 0

    behind = partyledger("projections", "status", data=tmp_path)
    rebuilt = partyledger("rebuild", data=tmp_path)
    status = partyledger("projections", "status", data=tmp_path)
    in_two = partyledger("rebuild", "--jobs", "2", data=tmp_path)
    check = partyledger("rebuild", "--check", data=tmp_path)

    assert behind.returncode == 0 and "units behind: " in behind.stdout and "units behind: 0" not in behind.stdout
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "units behind: 0" in status.stdout and "parked: 0" in status.stdout
    assert in_two.returncode == 0 and "rebuilding (2 processes)" in in_two.stdout + in_two.stderr, in_two.stderr
    assert check.returncode == 0 and "rebuild equals live" in check.stdout


def test_jobs_must_be_a_positive_count(tmp_path: Path) -> None:
    result = partyledger("rebuild", "--jobs", "0", data=tmp_path)
    assert result.returncode == 2 and "Invalid value for '--jobs'" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_projection_is_a_one_line_error(tmp_path: Path) -> None:
    result = partyledger("rebuild", "--projection", "nonsense", data=tmp_path)
    assert result.returncode != 0
    assert "no projection named 'nonsense'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_rebuild_on_postgresql_vacuums_the_rows_it_left_dead(postgres_url: str, tmp_path: Path) -> None:
    """A rebuild replaces every row: the old ones are dead, and pages read over them until a vacuum."""
    url = ["--database-url", postgres_url]
    assert partyledger("seed", "--scale", "small", "--seed", "3", *url, data=tmp_path).returncode == 0

    rebuilt = partyledger("rebuild", "--jobs", "2", *url, data=tmp_path)

    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "vacuumed and analysed: projection_rows, projection_checkpoints, rollup_rows" in rebuilt.stdout
    with psycopg.connect(postgres_url) as connection:
        vacuumed = connection.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL AND last_analyze IS NOT NULL"
        ).fetchall()
    assert {"projection_rows", "projection_checkpoints", "rollup_rows"} <= {name for (name,) in vacuumed}
