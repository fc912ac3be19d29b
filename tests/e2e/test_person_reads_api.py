"""Who read a person's file (I13), over HTTP on PostgreSQL: a read through the API and one through the dashboard
both leave a record, the person's unit lists them (`listPersonReads`, and "Ai đã xem hồ sơ này" on the file's
page, naming people and units in Vietnamese), a foreign person answers exactly like a missing one, and a read
whose record cannot be written is not answered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from litestar.testing import TestClient

from eventstore import open_store
from services.api.app import create_app
from services.commands.actors import Actor, Role
from services.embedded import seed_minimal_province
from services.settings import Settings
from services.tokens import issue_token
from tests.e2e.conftest import Client, bearer
from tests.e2e.desk import CELL, SIBLING, Desk
from tests.e2e.web_support import csrf_of
from tests.support.person_ids import KEY_SETTING

SCHOOL = "unit-school"


@pytest.fixture
def pg_settings(postgres_url: str, tmp_path: Path) -> Settings:
    settings = Settings.from_environment(
        {"PARTYLEDGER_ENVIRONMENT": "development", "PARTYLEDGER_DATABASE_URL": postgres_url,
         "PARTYLEDGER_DATA_DIR": str(tmp_path),
         "PARTYLEDGER_BROKER_URL": "memory://"} | KEY_SETTING
    )  # fmt: skip
    store = open_store(postgres_url)
    seed_minimal_province(store)
    store.close()
    return settings


@pytest.fixture
def pg_client(pg_settings: Settings) -> Iterator[Client]:
    with TestClient(app=create_app(pg_settings)) as test_client:
        yield test_client


def account(client: Client, settings: Settings, login: str, full_name: str, unit: str) -> str:
    admin = bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province", "admin.tinhuy")
    made = client.post("/users/new", json={"login": login, "full_name": full_name, "unit_id": unit}, headers=admin)
    assert made.status_code == 201, made.text
    user_id: str = made.json()["user_id"]
    return user_id


def web_sign_in(client: Client, settings: Settings, actor: Actor) -> None:
    client.cookies.clear()
    form = client.get("/web/sign-in")
    token = issue_token(actor, settings.signing_key, hours=1)
    answer = client.post("/web/sign-in", data={"_csrf_token": csrf_of(form.text), "token": token},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text


def reads(client: Client, settings: Settings, person_id: str, role: Role, unit: str, **params: Any) -> Any:
    return client.get(f"/people/{person_id}/reads", params=params, headers=bearer(settings, role, unit))


def test_api_and_dashboard_reads_are_recorded_and_listed(pg_client: Client, pg_settings: Settings) -> None:
    client, settings = pg_client, pg_settings
    who = Desk(client, settings).enrol(1)
    secretary = account(client, settings, "bithu.an", "Nguyễn Văn An", CELL)
    officer = account(client, settings, "canbo.binh", "Trần Thị Bình", SCHOOL)

    seen = client.get(f"/people/{who}", headers=bearer(settings, Role.CELL_SECRETARY, CELL, secretary))
    assert seen.status_code == 200, seen.text
    web_sign_in(client, settings, Actor(officer, Role.GRASSROOTS_OFFICER, SCHOOL))
    page = client.get(f"/web/people/{who}")
    assert page.status_code == 200, page.text

    listed = reads(client, settings, who, Role.AUDITOR, "unit-province")
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert [(r["user_id"], r["role"], r["acting_unit"], r["kind"]) for r in body["reads"]] == [
        (officer, "grassroots_officer", SCHOOL, "file"),
        (secretary, "cell_secretary", CELL, "person"),
    ]
    assert body["next_cursor"] is None
    assert "Đảng Viên" not in listed.text  # ids only: the record never holds the data read

    # the file's page names the readers, their roles and units in Vietnamese, with the time as dd/mm/yyyy HH:MM
    again = client.get(f"/web/people/{who}").text
    section = again[again.index('id="reads"') :]
    for words in ("Ai đã xem hồ sơ này", "Trần Thị Bình", "Cán bộ đảng ủy cơ sở", "Nguyễn Văn An", "Bí thư chi bộ",
                  "Chi bộ Khoa Lý luận cơ sở", "Xem hồ sơ", "Tra cứu hồ sơ qua API"):  # fmt: skip
        assert words in section, words
    assert secretary not in section and officer not in section and who not in section.split("</section>")[0]

    first = reads(client, settings, who, Role.CELL_SECRETARY, CELL, limit=2).json()
    assert first["next_cursor"] is not None
    rest = reads(client, settings, who, Role.CELL_SECRETARY, CELL, limit=2, cursor=first["next_cursor"]).json()
    ids = [r["read_id"] for r in first["reads"] + rest["reads"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == len(set(ids))


def test_a_unit_list_is_recorded_once_with_its_unit_and_count(
    pg_client: Client, pg_settings: Settings, postgres_url: str
) -> None:
    desk = Desk(pg_client, pg_settings)
    desk.enrol(1)
    desk.enrol(2)
    from services.projection_runtime import catch_up_every_unit

    catch_up_every_unit(pg_settings)
    roll = pg_client.get(f"/units/{SCHOOL}/members", headers=bearer(pg_settings, Role.UPPER_OFFICER, SCHOOL))
    assert roll.status_code == 200 and len(roll.json()["members"]) == 2
    with psycopg.connect(postgres_url) as connection:
        rows = connection.execute("SELECT kind, person_id, unit_id, people, position FROM person_reads").fetchall()
    assert rows == [("list", None, SCHOOL, 2, roll.json()["position"])]


def test_a_foreign_person_is_answered_like_a_missing_one(pg_client: Client, pg_settings: Settings) -> None:
    who = Desk(pg_client, pg_settings).enrol(1)
    foreign = reads(pg_client, pg_settings, who, Role.CELL_SECRETARY, SIBLING)
    missing = reads(pg_client, pg_settings, "person-" + "0" * 32, Role.CELL_SECRETARY, SIBLING)
    viewer = reads(pg_client, pg_settings, who, Role.VIEWER, CELL)
    assert foreign.status_code == missing.status_code == viewer.status_code == 404
    assert foreign.content == missing.content == viewer.content
    volatile = {"date", "x-request-id", "content-length"}
    assert {k: v for k, v in foreign.headers.items() if k not in volatile} == {
        k: v for k, v in missing.headers.items() if k not in volatile
    }
    web_sign_in(pg_client, pg_settings, Actor("bithu.chibo2", Role.CELL_SECRETARY, SIBLING))
    assert pg_client.get(f"/web/people/{who}/reads").status_code == 404
    web_sign_in(pg_client, pg_settings, Actor("xem", Role.VIEWER, CELL))
    page = pg_client.get(f"/web/people/{who}")
    assert page.status_code == 200 and "Ai đã xem hồ sơ này" not in page.text  # a viewer reads no record


def test_a_read_that_cannot_be_recorded_is_not_answered(
    pg_client: Client, pg_settings: Settings, postgres_url: str
) -> None:
    who = Desk(pg_client, pg_settings).enrol(1)
    with psycopg.connect(postgres_url, autocommit=True) as owner:
        owner.execute("ALTER TABLE person_reads RENAME TO person_reads_away")
    try:
        answer = pg_client.get(f"/people/{who}", headers=bearer(pg_settings, Role.CELL_SECRETARY, CELL))
        assert answer.status_code == 503, answer.text
        assert "Official" not in answer.text and who not in answer.text
        web_sign_in(pg_client, pg_settings, Actor("bithu.chibo1", Role.CELL_SECRETARY, CELL))
        page = pg_client.get(f"/web/people/{who}")
        assert page.status_code == 503 and "Đảng Viên" not in page.text
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as owner:
            owner.execute("ALTER TABLE person_reads_away RENAME TO person_reads")


def test_auditors_reads_of_a_file_and_of_a_units_history_are_recorded(
    pg_client: Client, pg_settings: Settings, postgres_url: str
) -> None:
    who = Desk(pg_client, pg_settings).enrol(1)
    auditor = bearer(pg_settings, Role.AUDITOR, "unit-province", "kiemtra.tinhuy")
    for path, params in (
        (f"/audit/people/{who}/history", {}),
        (f"/audit/people/{who}/as-of", {"on": "2021-01-01", "clock": "recorded"}),
        (f"/audit/units/{CELL}/history", {}),
        (f"/audit/units/{CELL}/as-of/dashboard", {"on": "2030-01-01", "clock": "occurred"}),
    ):
        assert pg_client.get(path, params=params, headers=auditor).status_code == 200, path
    with psycopg.connect(postgres_url) as connection:
        rows = connection.execute(
            "SELECT kind, person_id, unit_id, people FROM person_reads ORDER BY read_id"
        ).fetchall()
    assert rows[:3] == [("history", who, None, 1), ("as_of", who, None, 1), ("list", None, CELL, 1)]
    assert [r[0] for r in rows[3:]] in ([], ["list"])  # the as-of dashboard names people only when the clocks differ
    listed = reads(pg_client, pg_settings, who, Role.CELL_SECRETARY, CELL).json()["reads"]
    assert [(r["kind"], r["role"]) for r in listed] == [("as_of", "auditor"), ("history", "auditor")]
