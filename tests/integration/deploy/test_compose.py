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
APP_SERVICES = ("api", "worker", "beat", "sealer")


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


def run_config(compose_file: Path, *, quiet: bool = True) -> subprocess.CompletedProcess[str]:
    """`config` in a copy of the project with only deploy/.env.example (no deploy/.env), no variable of ours set."""
    command = [*compose_tool(), "--env-file", str(EXAMPLE), "-f", str(compose_file), "config"]
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PARTYLEDGER_", "POSTGRES_"))}
    return subprocess.run(
        command + (["--quiet"] if quiet else []),
        cwd=compose_file.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The compose file and the example env file alone, as in a fresh checkout before `cp .env.example .env`."""
    (tmp_path / "deploy").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "deploy" / ".env.example")
    shutil.copy(COMPOSE, tmp_path / "docker-compose.yml")
    return tmp_path / "docker-compose.yml"


def test_the_compose_tool_validates_the_stack_with_only_the_env_example(project: Path) -> None:
    assert not (project.parent / "deploy" / ".env").exists()
    result = run_config(project)
    assert result.returncode == 0, result.stderr


def test_the_seal_key_reaches_only_the_sealer(project: Path) -> None:
    """I7: the private key is mounted into the one process that consumes the seal task's queue; every other
    service runs with PARTYLEDGER_SEAL_KEY_FILE empty, whatever deploy/.env says."""
    resolved = yaml.safe_load(run_config(project, quiet=False).stdout)["services"]
    holders = {name for name, service in resolved.items() if "seal_key" in _secret_names(service)}
    assert holders == {"sealer"}
    for name in ("migrate", "api", "worker", "beat"):
        assert not resolved[name]["environment"].get("PARTYLEDGER_SEAL_KEY_FILE"), name
    sealer = resolved["sealer"]
    assert sealer["environment"]["PARTYLEDGER_SEAL_KEY_FILE"] == "/run/secrets/seal_key"
    assert sealer["command"][3:6] == ["worker", "--queues", "seals"]
    for name in APP_SERVICES:  # the seal task is routed to the sealer's queue by every process that sends it
        assert resolved[name]["environment"]["PARTYLEDGER_SEAL_QUEUE"] == "seals", name
    assert "seals" not in resolved["worker"]["command"]


def test_every_setting_of_the_env_example_reaches_the_app_services(stack: dict[str, Any]) -> None:
    """No `env_file:` any more: a setting added to deploy/.env.example must be passed on here too."""
    settings = {
        line.split("=", 1)[0]
        for line in EXAMPLE.read_text().splitlines()
        if line.startswith("PARTYLEDGER_") and "=" in line
    }
    for name in APP_SERVICES:
        assert settings <= set(stack[name]["environment"]), (name, settings - set(stack[name]["environment"]))


def _secret_names(service: dict[str, Any]) -> set[str]:
    return {s if isinstance(s, str) else s["source"] for s in service.get("secrets", [])}


def test_the_compose_tool_rejects_a_broken_stack(project: Path) -> None:
    """Proof that the check above can fail: an unknown key in a service is refused."""
    project.write_text(COMPOSE.read_text().replace("  beat:\n", "  beat:\n    colour: red\n"))
    assert run_config(project).returncode != 0


@pytest.fixture(scope="module")
def stack() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded["services"]  # type: ignore[no-any-return]


def database_user(service: dict[str, Any]) -> str:
    url = str(service["environment"]["PARTYLEDGER_DATABASE_URL"])
    return url.split("://", 1)[1].split(":", 1)[0]


def test_the_stack_has_its_services_and_each_long_running_one_a_health_check(stack: dict[str, Any]) -> None:
    assert set(stack) == {"postgres", "redis", "migrate", "api", "worker", "beat", "sealer"}
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
    assert stack["sealer"]["deploy"]["replicas"] == 1
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
