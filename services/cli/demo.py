"""`partyledger demo`: the whole platform on the embedded default, on one machine, with no servers.

A SQLite log and read models in one folder, a real `celery worker` process (with its beat) on kombu's SQLite
transport, a generated province, and the API on localhost. Ctrl-C stops everything; running it again reuses
the folder.

The worker runs in its own session (Ctrl-C in the terminal must reach it once, through the demo), so nothing
stops it but the demo: SIGINT, SIGTERM and SIGHUP all end the demo through its cleanup, and on Linux the
kernel sends the worker SIGTERM if the demo dies without one (SIGKILL, the OOM killer).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from random import Random
from types import FrameType

import click

from domain.calendar import WorkingCalendar
from services.commands.walls import today
from services.data_keys import open_ledger_log
from services.embedded import DEMO_USERS
from services.projection_runtime import build_runtime
from services.seed import generate_province
from services.seed.recording import PaperLag
from services.settings import Settings
from services.tokens import issue_token

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""Besides SIGINT (KeyboardInterrupt already runs the cleanup): by default these end the process at once."""
PR_SET_PDEATHSIG = 1
SERVER_URLS = ("PARTYLEDGER_DATABASE_URL", "PARTYLEDGER_BROKER_URL")
"""Unset for the demo and its worker and API: the demo is the embedded default, whatever the shell says."""


def demo_settings(data_dir: str | None) -> Settings:
    env = dict(os.environ)
    env["PARTYLEDGER_DATA_DIR"] = data_dir or env.get("PARTYLEDGER_DATA_DIR") or "data"
    env.setdefault("PARTYLEDGER_SWEEP_SECONDS", "5")
    for name in SERVER_URLS:
        env.pop(name, None)
    return Settings.from_environment(env)


def embedded_environment(settings: Settings) -> dict[str, str]:
    """The environment the worker and the API read their settings from, so they find the demo's ledger."""
    env = {
        **os.environ,
        "PARTYLEDGER_DATA_DIR": str(settings.data_dir),
        "PARTYLEDGER_SWEEP_SECONDS": str(settings.sweep_seconds),
    }
    for name in SERVER_URLS:
        env.pop(name, None)
    return env


def seed_if_empty(settings: Settings) -> None:
    """A province whose history runs to today (Vietnam's date), each paper entered some working days after
    its date (`PaperLag`), so the auditors' two clocks differ as in life; then its read models are built
    here, before the API starts, so the first page shown has its figures instead of zeros."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    recording = PaperLag(Random(2025), WorkingCalendar(), datetime.now(UTC))
    # only the seed writes here; redone if cut short
    store = open_ledger_log(settings, durable=False, clock=recording)
    try:
        if store.head_position() != 0:
            return
        with click.progressbar(length=100, label="Tạo dữ liệu mẫu (generating the demo province)") as bar:

            def advance(done: int, total: int) -> None:
                bar.update(round(100 * done / max(total, 1)) - bar.pos)

            key = settings.person_key()  # kept in the data folder: the demo's ids are not the seed's
            generate_province(
                store,
                scale="small",
                seed=2025,
                progress=advance,
                last_day=today(),
                recording=recording,
                person_key=key,
            )
    finally:
        store.close()
    build_read_models(settings)


def build_read_models(settings: Settings) -> None:
    """Every read model of the new province, in this process, with a progress bar (the worker would take
    about half a minute after the API started, showing zeros meanwhile)."""
    runtime = build_runtime(settings)
    try:
        units = list(runtime.store.unit_heads())
        with click.progressbar(units, label="Dựng số liệu tổng hợp (building the read models)") as bar:
            for unit_id in bar:
                runtime.runner.catch_up(unit_id)
    finally:
        runtime.close()


def start_worker(settings: Settings) -> subprocess.Popen[bytes]:
    """The worker and its beat in their own process group, so Ctrl-C here stops them exactly once."""
    log = (settings.data_dir / "worker.log").open("ab")
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "services.worker.app",
            "worker",
            "-B",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "-n",
            "demo@%h",
        ],
        env=embedded_environment(settings),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=dies_with(os.getpid()) if sys.platform == "linux" else None,
    )


def dies_with(parent: int) -> Callable[[], None]:
    """Run in the worker between fork and exec: ask the kernel for SIGTERM (celery's warm shutdown, which
    stops the beat and the pool) when the demo dies, and go at once if it already has."""

    def ask() -> None:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)

    return ask


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the worker's group, SIGKILL after 20 s; a second Ctrl-C or SIGTERM meanwhile is ignored,
    so it cannot cut the cleanup short and leave the worker behind."""
    for stop in (signal.SIGINT, *STOP_SIGNALS):
        signal.signal(stop, signal.SIG_IGN)
    if worker.poll() is not None:
        return
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)


def print_users(settings: Settings, port: int) -> None:
    base = f"http://127.0.0.1:{port}"
    click.echo(f"\nParty Ledger — {base}   (API: {base}/schema, contract {base}/schema/openapi.json)")
    click.echo(f"Dashboard (Vietnamese; pick a demo user): {base}/web\nDemo users (bearer tokens):")
    for user in DEMO_USERS:
        token = issue_token(user, settings.signing_key, hours=settings.token_hours)
        click.echo(f"  {user.role.label_vi:<26} {user.user_id:<22} {user.unit_id:<20} {token}")
    example = f"{base}/units/unit-school/dashboard?year={today().year}"
    click.echo(f"\nTry: curl -H 'Authorization: Bearer <token>' '{example}'")
    click.echo("Ctrl-C stops the API and the worker.\n")


@click.command("demo")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--data", "data_dir", type=click.Path(file_okay=False), help="Folder for the embedded ledger.")
def demo_command(port: int, data_dir: str | None) -> None:
    """Run the platform on its embedded default: log, worker, beat, demo data and the API on localhost."""
    settings = demo_settings(data_dir)
    seed_if_empty(settings)
    for stop in STOP_SIGNALS:  # through the `finally` below (uvicorn re-raises a SIGTERM it handled)
        signal.signal(stop, _stop)
    worker = start_worker(settings)
    try:
        print_users(settings, port)
        serve_api(settings, port)
    finally:
        stop_worker(worker)


def serve_api(settings: Settings, port: int) -> None:
    """The API in this process, made by the factory production's `uvicorn --factory` runs.

    The app is named, not imported: entry points never import each other. The factory reads its settings from
    the environment, so this process's environment becomes the demo's first.
    """
    import uvicorn  # the web stack is imported by this command alone: every other command starts ~2 s sooner

    os.environ.clear()
    os.environ.update(embedded_environment(settings))
    uvicorn.run(
        "services.api.app:create_server_app",
        factory=True,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        proxy_headers=False,  # the app believes X-Forwarded-For only from PARTYLEDGER_TRUSTED_PROXIES
    )
