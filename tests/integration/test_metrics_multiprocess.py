"""`/metrics` under two uvicorn worker processes: with PROMETHEUS_MULTIPROC_DIR every scrape, whichever process
answers it, reports the requests of both (prometheus_client's multiprocess mode, deploy/README "Metrics")."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from eventstore import open_store
from services.embedded import seed_minimal_province
from tests.support.processes import free_port, terminate_group, wait_for

BIN = Path(sys.executable).parent
TOKEN = "metrics-token-for-the-test-0123456789abcdef"
REQUESTS = 40


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    tmp_path = tmp_path_factory.mktemp("two-workers")
    data, metrics = tmp_path / "data", tmp_path / "metrics"
    data.mkdir()
    metrics.mkdir()
    store = open_store(f"sqlite:///{data / 'ledger.sqlite3'}")
    seed_minimal_province(store)
    store.close()
    env = {
        **os.environ,
        "PARTYLEDGER_DATA_DIR": str(data),
        "PARTYLEDGER_BROKER_URL": "memory://",
        "PARTYLEDGER_METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics),
    }
    port = free_port()
    log = tmp_path / "uvicorn.log"
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [str(BIN / "uvicorn"), "--factory", "services.api.app:create_server_app", "--host", "127.0.0.1",
             "--port", str(port), "--workers", "2", "--log-level", "warning", "--no-access-log"],
            env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(base) or process.poll() is not None, 90, "uvicorn with two workers")
        assert process.poll() is None, log.read_text()[-3000:]
        yield base, metrics
    finally:
        terminate_group(process)


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/ready", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def ready_count(text: str) -> float:
    """The requests counted for GET /ready with status 200, summed over the label sets that match."""
    total = 0.0
    for line in text.splitlines():
        if line.startswith("partyledger_requests_total{") and 'path="/ready"' in line and 'status_code="200"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_every_scrape_sums_the_requests_of_both_worker_processes(two_workers: tuple[str, Path]) -> None:
    base, metrics = two_workers
    before = ready_count(httpx.get(f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text)
    for _ in range(REQUESTS):
        with httpx.Client() as fresh:  # a new connection each time, so the kernel hands them to both processes
            assert fresh.get(f"{base}/ready").status_code == 200

    writers = {m.group(1) for f in metrics.iterdir() if (m := re.search(r"_(\d+)\.db$", f.name))}
    assert len(writers) >= 2, "both worker processes must have counted requests"
    for _ in range(8):
        with httpx.Client() as fresh:
            scrape = fresh.get(f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert scrape.status_code == 200
        assert ready_count(scrape.text) - before == REQUESTS


def test_metrics_without_the_token_are_refused_under_two_workers(two_workers: tuple[str, Path]) -> None:
    base, _ = two_workers
    assert httpx.get(f"{base}/metrics").status_code == 401
