"""`partyledger init --province`: an empty production ledger gets its province, once; a ledger with one refuses."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from domain.codec import EVENTS
from domain.units.events import UnitRegistered
from domain.units.kinds import UnitKind
from eventstore import open_store
from services.cli.main import cli
from services.commands.tree_log import UNIT_TREE_STREAM
from services.embedded import seed_minimal_province
from tests.support.queues import queue_name

NAME = "Đảng bộ Thành phố Hồ Chí Minh"


@pytest.fixture
def environment(redis_url: str) -> dict[str, str]:
    return {
        "PARTYLEDGER_ENVIRONMENT": "development",
        "PARTYLEDGER_BROKER_URL": redis_url,
        "PARTYLEDGER_QUEUE": queue_name("init"),
    }


def init(url: str, environment: dict[str, str], code: str = "HCM", name: str = NAME) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["init", "--database-url", url, "--province", code, "--name", name], env=environment
    )
    return result.exit_code, result.output


def test_init_gives_an_empty_postgres_ledger_its_province(postgres_url: str, environment: dict[str, str]) -> None:
    code, output = init(postgres_url, environment)

    assert code == 0, output
    assert "province HCM registered as unit-hcm" in output
    store = open_store(postgres_url)
    try:
        events = [EVENTS.decode(e.event_type, e.schema_version, e.data) for e in store.read_stream(UNIT_TREE_STREAM)]
    finally:
        store.close()
    assert len(events) == 1
    province = events[0]
    assert isinstance(province, UnitRegistered)
    assert (province.unit_id, province.code, province.name, province.kind, province.parent_id) == (
        "unit-hcm",
        "HCM",
        NAME,
        UnitKind.PROVINCIAL_COMMITTEE,
        None,
    )


def test_init_on_a_ledger_with_a_province_is_refused_in_one_line(
    postgres_url: str, environment: dict[str, str]
) -> None:
    assert init(postgres_url, environment)[0] == 0

    code, output = init(postgres_url, environment, code="LD", name="Đảng bộ tỉnh Lâm Đồng")

    assert code == 1
    assert output.strip().splitlines()[-1] == (
        "Error: R-UNIT-TREE: sổ này đã có đảng bộ tỉnh (Đảng bộ Thành phố Hồ Chí Minh, mã HCM); "
        "chỉ sổ còn trống mới khởi tạo được"
    )
    store = open_store(postgres_url)
    try:
        assert store.stream_version(UNIT_TREE_STREAM) == 1
    finally:
        store.close()


def test_init_on_a_ledger_holding_any_unit_writes_nothing(postgres_url: str, environment: dict[str, str]) -> None:
    store = open_store(postgres_url)
    seed_minimal_province(store)
    before = store.head_position()
    store.close()

    code, output = init(postgres_url, environment)

    assert code == 1
    assert "R-UNIT-TREE: sổ này đã có đảng bộ tỉnh" in output
    store = open_store(postgres_url)
    try:
        assert store.head_position() == before
    finally:
        store.close()


def test_init_refuses_a_malformed_code_and_writes_nothing(postgres_url: str, environment: dict[str, str]) -> None:
    code, output = init(postgres_url, environment, code="Hồ Chí Minh")

    assert code == 1
    assert output.strip().splitlines()[-1].startswith("Error: code: mã tổ chức gồm 1 đến 32 chữ cái không dấu")
