"""R-FILE-REQUEST over HTTP: asking for a file filed elsewhere reveals nothing; only its holder answers.

A cell secretary of unit-school-cell-2 (the stranger) asks for numbers unit-school-cell-1 holds and for a
number no one holds: the answers are the same in status and body (but the request's own id), and the log
gains one `FileRequested` under the asking cell each time. The inbox and the answers are the holding
cell's (or the school's above both); anyone else gets the 404 of a missing request. A grant moves the file and
the stranger's cell then opens its own; a refusal leaves everything as it was.
"""

from __future__ import annotations

from typing import Any

import pytest

from services.commands.actors import Role
from services.commands.walls import today
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.e2e.desk import CELL, SIBLING, Desk, citizen, particulars, person
from tests.security.conftest import log_state

Headers = dict[str, str]


def who(settings: Settings, role: Role, unit: str, user: str) -> Headers:
    return bearer(settings, role, unit, user=user)


def ask(client: Client, settings: Settings, n: int, key: str) -> Any:
    body = {"citizen_id": citizen(n), "cell_id": SIBLING, "reason": "Quần chúng chuyển công tác về đơn vị"}
    headers = who(settings, Role.CELL_SECRETARY, SIBLING, "bithu.chibo2") | {"Idempotency-Key": "idempotency-" + key}
    return client.post("/file-requests", json=body, headers=headers)


@pytest.fixture
def held(client: Client, settings: Settings) -> Desk:
    """cell-1 holds member 1, a withdrawn candidate 3 and an open file 2; cell-2 has member 6 (a helper)."""
    desk = Desk(client, settings)
    member = desk.enrol(1)
    desk.nominate(2, member)
    desk.nominate(3, member)
    withdrawn = desk.post(desk.cell, f"/people/{person(3)}/withdrawal",
                          {"reason": "Xin rút", "occurred_on": "2021-02-01", "expected_version": 1})  # fmt: skip
    assert withdrawn.status_code == 201, withdrawn.text
    body = {"citizen_id": citizen(6), "particulars": particulars("Đảng Viên G"), "cell_id": SIBLING,
            "admitted_on": "2010-05-01", "ceremony_on": "2010-05-19", "official_from": "2011-05-19",
            "roll_ref": "Sổ 6", "occurred_on": "2020-11-02", "expected_version": 0}  # fmt: skip
    enrolled = desk.post(desk.who(Role.CELL_SECRETARY, SIBLING), "/people/enrolment", body)
    assert enrolled.status_code == 201, enrolled.text
    return desk


def test_unknown_and_foreign_numbers_answer_alike(client: Client, settings: Settings, held: Desk) -> None:
    before = log_state(settings)
    answers = [ask(client, settings, n, f"ask-{n}") for n in (1, 2, 3, 8)]  # member, open, withdrawn, unknown
    assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
    bodies = [{k: v for k, v in a.json().items() if k != "request_id"} for a in answers]
    assert bodies == [{"status": "pending"}] * 4
    assert {len(a.json()["request_id"]) for a in answers} == {len("file-request-") + 32}
    assert len({a.headers.get("content-length") for a in answers}) == 1
    after = log_state(settings)
    assert after.events == before.events + 4


def test_the_filed_elsewhere_answer_points_to_the_request(client: Client, settings: Settings, held: Desk) -> None:
    body = {"citizen_id": citizen(3), "particulars": particulars("Người Khác"), "helper_id": person(6),
            "resolution_ref": "NQ 7", "occurred_on": "2021-05-04", "expected_version": 0}  # fmt: skip
    headers = who(settings, Role.CELL_SECRETARY, SIBLING, "bithu.chibo2") | {
        "Idempotency-Key": "idempotency-" + "nominate-3"
    }
    refused = client.post("/people", json=body, headers=headers)
    assert refused.status_code == 409
    assert "/file-requests" in refused.json()["detail"]
    assert "Đề nghị chuyển hồ sơ" in refused.json()["message_vi"]


@pytest.mark.parametrize(
    ("role", "unit", "sees"),
    [
        (Role.CELL_SECRETARY, CELL, True),  # the holder
        (Role.GRASSROOTS_OFFICER, "unit-school", True),  # the committee above both
        (Role.CELL_SECRETARY, SIBLING, False),  # the asker itself
        (Role.CELL_SECRETARY, "unit-school-cell-3", False),  # a third cell
    ],
)
def test_the_inbox_is_the_holders(
    client: Client, settings: Settings, held: Desk, role: Role, unit: str, sees: bool
) -> None:
    request_id = ask(client, settings, 3, "ask-3").json()["request_id"]
    ask(client, settings, 8, "ask-8")  # unknown: in no one's inbox
    found = client.get("/file-requests/inbox", headers=who(settings, role, unit, "officer"))
    assert found.status_code == 200, found.text
    if sees:
        (item,) = found.json()
        assert (item["request_id"], item["person_id"], item["full_name"]) == (request_id, person(3), "Quần Chúng Ưu Tú")
        assert (item["holding_cell_id"], item["requesting_cell_id"], item["may_hand_over"]) == (CELL, SIBLING, True)
    else:
        assert found.json() == []
    body = {"reason": "Đồng ý", "expected_version": 2}
    headers = who(settings, role, unit, "officer") | {"Idempotency-Key": f"idempotency-answer-{unit}"}
    answer = client.post(f"/file-requests/{request_id}/refusal", json=body, headers=headers)
    assert answer.status_code == (201 if sees else 404), answer.text


@pytest.mark.parametrize("role", [Role.VIEWER, Role.AUDITOR])
def test_readers_have_no_inbox(client: Client, settings: Settings, held: Desk, role: Role) -> None:
    for path in ("/file-requests/inbox", "/file-requests/sent"):
        assert client.get(path, headers=who(settings, role, "unit-school", "reader")).status_code == 404


def test_a_grant_moves_the_file_and_the_asking_cell_takes_the_next_step(
    client: Client, settings: Settings, held: Desk
) -> None:
    request_id = ask(client, settings, 3, "ask-3").json()["request_id"]
    holder = who(settings, Role.CELL_SECRETARY, CELL, "bithu.chibo1")
    granted = client.post(f"/file-requests/{request_id}/grant", json={"reason": "Đồng ý", "expected_version": 2},
                          headers=holder | {"Idempotency-Key": "idempotency-" + "grant-3"})  # fmt: skip
    assert granted.status_code == 201, granted.text
    stranger = who(settings, Role.CELL_SECRETARY, SIBLING, "bithu.chibo2")
    now_theirs = client.get(f"/people/{person(3)}", headers=stranger)
    assert now_theirs.status_code == 200 and now_theirs.json()["cell_id"] == SIBLING
    assert client.get(f"/people/{person(3)}", headers=holder).status_code == 404
    sent = client.get("/file-requests/sent", headers=stranger).json()
    assert [(s["request_id"], s["status"]) for s in sent] == [(request_id, "granted")]
    body = {"citizen_id": citizen(3), "particulars": particulars("Quần Chúng Ưu Tú"), "helper_id": person(6),
            "resolution_ref": "NQ 9", "occurred_on": today().isoformat(), "expected_version": 3}  # fmt: skip
    renominated = client.post(
        "/people", json=body, headers=stranger | {"Idempotency-Key": "idempotency-" + "renominate-3"}
    )
    assert renominated.status_code == 201, renominated.text
    again = client.post(f"/file-requests/{request_id}/grant", json={"reason": "Lại", "expected_version": 4},
                        headers=holder | {"Idempotency-Key": "idempotency-" + "grant-3-again"})  # fmt: skip
    assert again.status_code == 404


def test_a_refusal_changes_nothing_but_the_record(client: Client, settings: Settings, held: Desk) -> None:
    request_id = ask(client, settings, 3, "ask-3").json()["request_id"]
    holder = who(settings, Role.CELL_SECRETARY, CELL, "bithu.chibo1")
    before = client.get(f"/people/{person(3)}", headers=holder).json()
    body = {"reason": "Chưa đủ căn cứ", "expected_version": 2}
    refused = client.post(
        f"/file-requests/{request_id}/refusal", json=body, headers=holder | {"Idempotency-Key": "idempotency-refuse-3"}
    )
    assert refused.status_code == 201, refused.text
    after = client.get(f"/people/{person(3)}", headers=holder).json()
    assert {k: v for k, v in after.items() if k != "version"} == {k: v for k, v in before.items() if k != "version"}
    stranger = who(settings, Role.CELL_SECRETARY, SIBLING, "bithu.chibo2")
    (mine,) = client.get("/file-requests/sent", headers=stranger).json()
    assert (mine["status"], mine["answer_reason"]) == ("refused", "Chưa đủ căn cứ")
    assert client.get(f"/people/{person(3)}", headers=stranger).status_code == 404


def test_an_open_file_is_refused_by_the_rule(client: Client, settings: Settings, held: Desk) -> None:
    request_id = ask(client, settings, 2, "ask-2").json()["request_id"]
    holder = who(settings, Role.CELL_SECRETARY, CELL, "bithu.chibo1")
    before = log_state(settings)
    granted = client.post(f"/file-requests/{request_id}/grant", json={"reason": "Đồng ý", "expected_version": 1},
                          headers=holder | {"Idempotency-Key": "idempotency-" + "grant-2"})  # fmt: skip
    assert granted.status_code == 422 and granted.json()["rule_id"] == "R-FILE-REQUEST", granted.text
    assert log_state(settings) == before
