"""`partyledger demo`: a fresh folder becomes a running platform; Ctrl-C leaves no process behind."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
from pathlib import Path

import httpx
import pytest

from services.commands.actors import Actor, Role
from services.commands.walls import today
from services.settings import DEVELOPMENT_SIGNING_KEY
from services.tokens import issue_token
from tests.support.processes import BIN, free_port, wait_for


def children_of(pid: int) -> set[int]:
    """Every descendant of `pid`, from /proc (the worker runs in its own session, but stays our child)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.slow
def test_the_demo_serves_the_school_dashboard_with_a_separate_worker_and_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTYLEDGER_")}
    demo = subprocess.Popen(
        [str(BIN / "partyledger"), "demo", "--port", str(port), "--data", str(tmp_path / "ledger")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    token = issue_token(Actor("viewer", Role.VIEWER, "unit-school"), DEVELOPMENT_SIGNING_KEY, hours=1)
    try:
        wait_for(lambda: _get(f"{base}/ready") == 200, 120, "the demo's /ready")
        workers = children_of(demo.pid)
        assert workers, "the worker must be a process of its own"

        response = httpx.get(
            f"{base}/units/unit-school/dashboard",
            params={"year": today().year, "wait": 0},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )  # the first answer already has the figures: the demo builds its read models before it serves
        assert response.status_code == 200, response.text
        board = response.json()
        assert board["position"] > 0 and board["members"]["official"] > 0
        history = sqlite3.connect(tmp_path / "ledger" / "ledger.sqlite3")
        [(last_paper, entered_late)] = history.execute(
            "SELECT max(occurred_on), sum(substr(recorded_at, 1, 10) > occurred_on) FROM event_log"
        ).fetchall()
        history.close()
        assert last_paper >= f"{today():%Y-%m}-01"  # history runs to this month
        assert entered_late > 0  # papers are entered some working days after their dates
    finally:
        demo.send_signal(signal.SIGINT)
        output = demo.communicate(timeout=60)[0].decode()
    assert demo.returncode is not None
    assert "Bí thư chi bộ" in output and "canbo.dangbocoquandang" in output  # the bloc's officer too
    wait_for(lambda: not any(alive(pid) for pid in workers), 30, "every child process to exit")


def _get(url: str) -> int:
    try:
        return httpx.get(url, timeout=2).status_code
    except httpx.HTTPError:
        return 0


def processes_of(folder: Path, but: int) -> set[int]:
    """Every live process started for this demo folder (the worker, its beat and pool), found by the
    environment the demo gives them, whoever their parent is now."""
    marker = f"PARTYLEDGER_DATA_DIR={folder}".encode()
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != but:
            try:
                environment = (entry / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if marker in environment and alive(int(entry.name)):
                found.add(int(entry.name))
    return found


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded folder for the stop tests: each demo reuses it, as a second run does."""
    return tmp_path_factory.mktemp("demo") / "ledger"


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL], ids=["term", "hangup", "killed"])
def test_the_demo_stops_its_worker_when_it_is_stopped_or_dies(demo_folder: Path, how: signal.Signals) -> None:
    """SIGTERM (a service manager, `kill`), SIGHUP (the terminal closed) or the demo dying outright (SIGKILL,
    the OOM killer): the worker and its beat go too, instead of running on against the folder."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTYLEDGER_")}
    demo = subprocess.Popen(
        [str(BIN / "partyledger"), "demo", "--port", str(port), "--data", str(demo_folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _get(f"http://127.0.0.1:{port}/ready") == 200, 120, "the demo's /ready")
        wait_for(lambda: len(processes_of(demo_folder, demo.pid)) >= 2, 60, "the worker and its beat")
        demo.send_signal(how)
        demo.wait(timeout=60)
        wait_for(lambda: not processes_of(demo_folder, demo.pid), 40, "every process of the demo to exit")
    finally:
        for pid in processes_of(demo_folder, demo.pid):  # only what this demo started, by id
            os.kill(pid, signal.SIGKILL)
        if demo.poll() is None:
            demo.kill()
            demo.wait(timeout=10)
