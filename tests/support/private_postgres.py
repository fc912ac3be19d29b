"""A PostgreSQL cluster of the test's own: `initdb` into a temporary folder, `pg_ctl` on a free port.

Fault tests terminate its backends (and may stop it) without touching the machine's shared server. The
binaries come from PATH or /usr/lib/postgresql/<version>/bin; a root user runs them as `postgres` (initdb
refuses root). In CI a missing binary fails the test, elsewhere it skips.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.processes import free_port
from tests.support.servers import in_ci


def postgres_binary(name: str) -> Path | None:
    found = shutil.which(name)
    if found:
        return Path(found)
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return Path(candidates[-1]) if candidates else None


def _missing(what: str) -> None:
    message = f"{what} is needed for the private PostgreSQL cluster (install the postgresql package)"
    if in_ci():
        pytest.fail(f"CI must not skip: {message}", pytrace=False)
    pytest.skip(message)


class PrivatePostgres:
    """One cluster: `start`, `stop`, and `url` for the `postgres` superuser on 127.0.0.1 (trust auth)."""

    def __init__(self) -> None:
        initdb, pg_ctl = postgres_binary("initdb"), postgres_binary("pg_ctl")
        if initdb is None or pg_ctl is None:
            _missing("initdb and pg_ctl")
        assert initdb is not None and pg_ctl is not None
        self.initdb, self.pg_ctl = initdb, pg_ctl
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="partyledger-pg-"))
        self.user = "postgres" if os.geteuid() == 0 else None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str | Path) -> None:
        done = subprocess.run(
            [str(a) for a in args], user=self.user, capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            raise AssertionError(f"{Path(str(args[0])).name} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")

    def create(self) -> None:
        if self.user:
            shutil.chown(self.folder, self.user)
        self._run(self.initdb, "-D", self.folder / "data", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        log = self.folder / "server.log"
        self._run(self.pg_ctl, "-D", self.folder / "data", "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        if (self.folder / "data" / "postmaster.pid").exists():
            self._run(self.pg_ctl, "-D", self.folder / "data", "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    cluster = PrivatePostgres()
    try:
        cluster.create()
        cluster.start()
        yield cluster
    finally:
        try:
            cluster.stop()
        finally:
            cluster.remove()
