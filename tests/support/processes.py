"""Real server and worker processes for integration tests, started privately and always cleaned up."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.servers import in_ci

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: object, timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class PrivateRedis:
    """A redis-server of the test's own (own port, own folder), so stopping it never touches shared services."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        server = shutil.which("redis-server")
        if server is None:
            message = "redis-server is not installed (.ci/run installs it)"
            if in_ci():
                pytest.fail(f"CI must not skip: {message}")
            pytest.skip(message)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                server,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, f"private redis on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@contextmanager
def private_redis(folder: Path) -> Iterator[PrivateRedis]:
    redis = PrivateRedis(folder)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


class Worker:
    """`celery worker` as its own process group, so SIGKILL takes its pool children with it."""

    def __init__(self, env: Mapping[str, str], log: Path, concurrency: int = 2, *, beat: bool = False) -> None:
        self.env = {**os.environ, **env}
        self.log = log
        self.concurrency = concurrency
        self.beat = beat  # embed the beat (-B): the sweep then rings for units whose doorbells were lost
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [
                    str(BIN / "celery"),
                    "-A",
                    "services.worker.app",
                    "worker",
                    "--loglevel=INFO",
                    f"--concurrency={self.concurrency}",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-n",
                    f"test-{os.getpid()}-{offset}@%h",
                    *(["-B"] if self.beat else []),
                ],
                env=self.env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(lambda: b" ready." in self.log.read_bytes()[offset:] or self._died(), 60, "the celery worker")
        if self._died():
            raise AssertionError(f"the worker exited at start:\n{self.log.read_text()[-3000:]}")

    def _died(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def kill(self) -> None:
        """SIGKILL the whole group: no warm shutdown, no ack, no cleanup."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        terminate_group(self.process)
        self.process = None


def terminate_group(process: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM the process group for a warm shutdown; SIGKILL what is still there after 20 s."""
    if process is None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextmanager
def celery_worker(env: Mapping[str, str], log: Path, concurrency: int = 2, *, beat: bool = False) -> Iterator[Worker]:
    worker = Worker(env, log, concurrency, beat=beat)
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()


class ApiServer:
    """The API as production runs it: `uvicorn --factory services.api.app:create_server_app` in its own process."""

    def __init__(self, env: Mapping[str, str], log: Path) -> None:
        self.env = {**os.environ, **env}
        self.log = log
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [str(BIN / "uvicorn"), "--factory", "services.api.app:create_server_app", "--host", "127.0.0.1",
                 "--port", str(self.port), "--log-level", "warning", "--no-access-log", "--no-proxy-headers"],
                env=self.env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        wait_for(lambda: self._ready() or self.process is None or self.process.poll() is not None, 60, "the API")
        if self.process is None or self.process.poll() is not None:
            raise AssertionError(f"the API exited at start:\n{self.log.read_text()[-3000:]}")

    def _ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"GET /ready HTTP/1.0\r\n\r\n")
                return b" 200 " in connection.recv(64)
        except OSError:
            return False

    def stop(self) -> None:
        """SIGTERM: uvicorn stops accepting, finishes what is in flight, and exits."""
        terminate_group(self.process)
        self.process = None


@contextmanager
def api_server(env: Mapping[str, str], log: Path) -> Iterator[ApiServer]:
    server = ApiServer(env, log)
    server.start()
    try:
        yield server
    finally:
        server.stop()
