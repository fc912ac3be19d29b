"""`partyledger verify`: exit 0 with a one-line summary when intact, non-zero naming the first bad position."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from eventstore import open_store
from eventstore.canonical import canonical_json
from tests.support.events import CODEC, noted
from tests.support.stores import Backdoor, sqlite_url

PARTYLEDGER = str(Path(sys.executable).parent / "partyledger")


def verify(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PARTYLEDGER, "verify", "--database-url", url], capture_output=True, text=True, timeout=120, check=False
    )


def filled(url: str) -> list[int]:
    store = open_store(url, codec=CODEC)
    positions = [store.append(f"file-{n}", [noted(str(n))], expected_version=0).last_position for n in range(5)]
    store.seal()
    store.close()
    return positions


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        found: str = request.getfixturevalue("postgres_url")
        return found
    return sqlite_url(tmp_path)


def test_verify_reports_an_intact_log_in_one_line(url: str) -> None:
    filled(url)

    result = verify(url)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().count("\n") == 0
    assert "log intact: 5 events in 5 streams" in result.stdout


def test_verify_names_the_position_of_a_tampered_row(url: str) -> None:
    positions = filled(url)
    backdoor = Backdoor(url)
    backdoor.disable_append_only()
    backdoor.execute(
        "UPDATE event_log SET data = %s WHERE position = %s",
        (canonical_json({"text": "đã sửa"}).decode(), positions[2]),
    )

    result = verify(url)

    assert result.returncode == 1
    assert f"log broken at position {positions[2]} (changed)" in result.stderr


def test_verify_of_a_missing_log_is_a_one_line_error(tmp_path: Path) -> None:
    result = verify(sqlite_url(tmp_path / "nowhere"))
    assert result.returncode != 0
    assert result.stderr.strip().startswith("Error: no log at")
    assert "Traceback" not in result.stderr
