"""The production stack as promised: the compose file validates, and its services, health checks and the
owner/app-role split are the ones deploy/README.md describes."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.servers import in_ci

ROOT = Path(__file__).resolve().parents[3]
COMPOSE = ROOT / "docker-compose.yml"
EXAMPLE = ROOT / "deploy" / ".env.example"
APP_SERVICES = ("api", "worker", "beat")


def compose_tool() -> list[str]:
    """`docker compose` (the plugin) if present, else Debian's `docker-compose`; .ci/run installs the latter."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    message = "no compose tool: install Debian's docker-compose (.ci/run does) or the docker compose plugin"
    if in_ci():
        pytest.fail(f"CI must not skip: {message}", pytrace=False)
    pytest.skip(message)


def run_config(compose_file: Path) -> subprocess.CompletedProcess[str]:
    command = [*compose_tool(), "--env-file", str(EXAMPLE), "-f", str(compose_file), "config", "--quiet"]
    environment = {**os.environ, "PARTYLEDGER_ENV_FILE": str(EXAMPLE)}
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60, check=False)


def test_the_compose_tool_validates_the_stack() -> None:
    result = run_config(COMPOSE)
    assert result.returncode == 0, result.stderr


def test_the_compose_tool_rejects_a_broken_stack(tmp_path: Path) -> None:
    """Proof that the check above can fail: an unknown key in a service is refused."""
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(COMPOSE.read_text().replace("  beat:\n", "  beat:\n    colour: red\n"))
    assert run_config(broken).returncode != 0


@pytest.fixture(scope="module")
def stack() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded["services"]  # type: ignore[no-any-return]


def database_user(service: dict[str, Any]) -> str:
    url = str(service["environment"]["PARTYLEDGER_DATABASE_URL"])
    return url.split("://", 1)[1].split(":", 1)[0]


def test_the_stack_has_its_services_and_each_long_running_one_a_health_check(stack: dict[str, Any]) -> None:
    assert set(stack) == {"postgres", "redis", "migrate", "api", "worker", "beat"}
    for name in ("postgres", "redis", *APP_SERVICES):
        assert stack[name]["healthcheck"]["test"], name
    api_check = " ".join(stack["api"]["healthcheck"]["test"])
    assert "/health" in api_check and "/ready" in api_check


def test_migrations_run_once_as_the_owner_and_the_services_as_the_app_role(stack: dict[str, Any]) -> None:
    migrate = stack["migrate"]
    assert migrate["command"] == ["partyledger", "migrate"] and migrate["restart"] == "no"
    assert database_user(migrate) == "partyledger" == stack["postgres"]["environment"]["POSTGRES_USER"]
    for name in APP_SERVICES:
        assert database_user(stack[name]).startswith("${PARTYLEDGER_APP_ROLE"), name
        assert stack[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


def test_several_api_processes_worker_replicas_and_exactly_one_beat(stack: dict[str, Any]) -> None:
    assert stack["api"]["command"][0] == "uvicorn"
    workers = dict(line.split("=", 1) for line in EXAMPLE.read_text().splitlines() if line.startswith("UVICORN_"))
    assert int(workers["UVICORN_WORKERS"]) >= 2
    assert stack["worker"]["deploy"]["replicas"] >= 2
    assert stack["beat"]["deploy"]["replicas"] == 1
    assert stack["worker"]["command"][:4] == ["celery", "-A", "services.worker.app", "worker"]
    assert stack["beat"]["command"][:4] == ["celery", "-A", "services.worker.app", "beat"]


def test_the_image_installs_the_hashed_lock_and_runs_unprivileged() -> None:
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "--require-hashes -r requirements.lock" in dockerfile
    users = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}


def test_the_api_leaves_x_forwarded_for_to_the_app(stack: dict[str, Any]) -> None:
    """uvicorn's own proxy headers trust any loopback peer; the app believes only PARTYLEDGER_TRUSTED_PROXIES."""
    command = stack["api"]["command"]
    assert "--no-proxy-headers" in command and "--proxy-headers" not in command
    assert "--forwarded-allow-ips" not in " ".join(command)
