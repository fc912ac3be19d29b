"""`partyledger seed` rings the workers for every unit it wrote, instead of leaving them to the beat's sweep."""

from __future__ import annotations

import subprocess
from pathlib import Path

from redis import Redis

from tests.support.processes import BIN
from tests.support.queues import queue_name


def test_seed_leaves_a_doorbell_for_the_workers(tmp_path: Path, redis_url: str) -> None:
    queue = queue_name("seed")
    env = {"PATH": str(BIN), "PARTYLEDGER_DATA_DIR": str(tmp_path), "PARTYLEDGER_BROKER_URL": redis_url,
           "PARTYLEDGER_QUEUE": queue}  # fmt: skip

    result = subprocess.run(
        [str(BIN / "partyledger"), "seed", "--scale", "small", "--seed", "3"],
        capture_output=True, text=True, timeout=300, check=False, env=env,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "workers rung for" in result.stdout
    client = Redis.from_url(redis_url)
    try:
        assert client.llen(queue) > 0
    finally:
        client.close()
