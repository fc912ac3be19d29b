"""A process that holds no key for sealed personal data (a KEK rotated out of the settings without
`PARTYLEDGER_DATA_KEK_PREVIOUS`) fails closed: the API answers 503 problem details, the dashboard a Vietnamese
page; neither shows the data, an English error, or a 500."""

from __future__ import annotations

from dataclasses import replace

import pytest
from litestar.testing import TestClient

import services.api.web.units as units
from services.api.app import create_app
from services.commands.actors import Role
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.e2e.desk import Desk
from tests.e2e.web_support import CELL, sign_in

ANOTHER_KEK = "a key-encryption key this ledger's subject keys were never wrapped with"


def test_sealed_data_without_its_key_is_a_503_page_in_vietnamese_and_a_503_problem(
    client: Client, settings: Settings
) -> None:
    member = Desk(client, settings).enrol(1)
    assert client.get(f"/people/{member}", headers=bearer(settings, Role.CELL_SECRETARY, CELL)).status_code == 200
    rotated = replace(settings, data_kek=ANOTHER_KEK, data_kek_previous=())

    with TestClient(app=create_app(rotated)) as lost:
        answer = lost.get(f"/people/{member}", headers=bearer(rotated, Role.CELL_SECRETARY, CELL))
        sign_in(lost, rotated, Role.CELL_SECRETARY, CELL)
        page = lost.get(f"/web/people/{member}")

    assert answer.status_code == 503 and answer.json()["type"].endswith("/keys-unavailable")
    assert "PARTYLEDGER_DATA_KEK_PREVIOUS" in answer.json()["detail"]
    assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
    assert "Chưa mở được dữ liệu cá nhân" in page.text and "Hãy báo quản trị hệ thống" in page.text
    assert "Đảng Viên B" not in page.text  # the member's name does not leak around the refusal


def test_a_bug_on_a_page_is_a_vietnamese_500_page(
    client: Client, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(units, "fresh_snapshot", broken)
    page = client.get(f"/web/units/{CELL}")

    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "Máy chủ gặp lỗi" in page.text and "a bug" not in page.text
