"""X-Forwarded-For is believed only from the proxies in PARTYLEDGER_TRUSTED_PROXIES (none by default): a caller
writing the header itself neither buys a fresh rate budget per request nor has its refusals recorded under an
address of its choosing. Against the API as production runs it (a `uvicorn` process), from loopback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from projections.engine import projection_engine
from services.api.platform.clients import client_address, networks
from services.denial_records import recent_denials
from services.settings import Settings, SettingsError
from tests.support.processes import ApiServer, api_server

SPOOFED = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"]


@contextmanager
def limited_api(folder: Path, **extra: str) -> Iterator[tuple[ApiServer, Settings]]:
    env = {
        "PARTYLEDGER_DATA_DIR": str(folder),
        "PARTYLEDGER_BROKER_URL": "memory://",
        "PARTYLEDGER_RATE_LIMIT_PER_MINUTE": "3",
        **extra,
    }
    with api_server(env, folder / "api.log") as server:
        yield server, Settings.from_environment(env)


def anonymous_reads(server: ApiServer, forwarded: list[str]) -> list[int]:
    """One request without a token per X-Forwarded-For value (each is refused 401 and recorded)."""
    with httpx.Client(base_url=server.url, timeout=10) as http:
        return [http.get("/units/unit-school", headers={"X-Forwarded-For": f}).status_code for f in forwarded]


def recorded_clients(settings: Settings) -> list[str]:
    engine = projection_engine(settings.database_url)
    try:
        return sorted(d.client for d in recent_denials(engine) if d.status == 401)
    finally:
        engine.dispose()


@pytest.mark.slow
def test_a_header_from_an_untrusted_peer_changes_nothing(tmp_path: Path) -> None:
    with limited_api(tmp_path) as (server, settings):
        statuses = anonymous_reads(server, SPOOFED)

    assert statuses == [401, 401, 401, 429]  # one budget for the one address that asked
    assert recorded_clients(settings) == ["127.0.0.1"] * 3


@pytest.mark.slow
def test_from_a_trusted_proxy_the_address_it_saw_is_the_client(tmp_path: Path) -> None:
    forwarded = [*SPOOFED[:3], "6.6.6.6, 198.51.100.7"]  # a caller's own header, then what the proxy appended
    with limited_api(tmp_path, PARTYLEDGER_TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8") as (server, settings):
        statuses = anonymous_reads(server, forwarded)

    assert statuses == [401] * 4  # four clients behind the proxy, each with its own budget
    assert recorded_clients(settings) == sorted([*SPOOFED[:3], "198.51.100.7"])


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("192.0.2.9", ["203.0.113.1"], "192.0.2.9"),  # not a proxy of ours: the header is ignored
        ("10.0.0.5", ["203.0.113.1"], "203.0.113.1"),
        ("10.0.0.5", ["6.6.6.6, 203.0.113.1, 10.0.0.4"], "203.0.113.1"),  # skip our proxies, not further
        ("10.0.0.5", ["6.6.6.6", "203.0.113.1"], "203.0.113.1"),  # two headers read as one list
        ("10.0.0.5", [], "10.0.0.5"),
        ("10.0.0.5", ["10.0.0.7"], "10.0.0.7"),  # only proxies: the first of them
    ],
)
def test_the_client_is_the_right_most_address_not_of_a_trusted_proxy(
    peer: str, forwarded: list[str], client: str
) -> None:
    assert client_address(peer, forwarded, networks(["10.0.0.0/8"])) == client


def test_trusted_proxies_must_be_addresses() -> None:
    assert Settings.from_environment({"PARTYLEDGER_DATA_DIR": "/tmp/x"}).trusted_proxies == ()
    with pytest.raises(SettingsError, match="PARTYLEDGER_TRUSTED_PROXIES must be IP addresses"):
        Settings.from_environment({"PARTYLEDGER_TRUSTED_PROXIES": "10.0.0.1, proxy.internal"})
