"""R-RETRACT on the dashboard: the person page links "Thu hồi" on the one entry the officer may retract now,
the confirmation asks for the reason in Vietnamese, and the retraction goes through the one use case."""

from __future__ import annotations

import re

from services.commands.actors import Role
from services.settings import Settings
from tests.e2e.conftest import Client
from tests.e2e.desk import SIBLING, Desk
from tests.e2e.web_support import CELL, post_form, sign_in

LINK = re.compile(r'<a class="retract" href="(/web/people/[^"]+/retractions/(\d+))">Thu hồi</a>')


def trained_candidate(client: Client, settings: Settings) -> str:
    desk = Desk(client, settings)
    member = desk.enrol(1)
    who = desk.nominate(9, member)
    desk.step(desk.cell, who, "/training-certificate", 1, "2021-06-20", certificate_ref="GCN 7", issued_on="2021-06-19")
    return who


def test_the_cell_retracts_its_mistaken_entry_from_the_person_page(client: Client, settings: Settings) -> None:
    who = trained_candidate(client, settings)
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)

    links = LINK.findall(client.get(f"/web/people/{who}").text)
    assert [version for _, version in links] == ["2"]  # the latest entry only; the nomination is never retracted
    confirm_path = links[0][0]
    confirm = client.get(confirm_path)
    assert confirm.status_code == 200
    assert "Lý do thu hồi" in confirm.text and "GCN 7" in confirm.text and "20/06/2021" in confirm.text

    head = client.get("/ready").json()["log_position"]
    empty = post_form(client, confirm_path, confirm_path, {"reason": "   ", "expected_version": "2"})
    assert empty.status_code == 422 and "Hãy ghi lý do thu hồi" in empty.text
    assert client.get("/ready").json()["log_position"] == head

    done = post_form(client, confirm_path, confirm_path, {"reason": "Ghi nhầm ngày", "expected_version": "2"})
    assert done.status_code == 303, done.text
    page = client.get(done.headers["location"]).text
    assert "Quần chúng ưu tú" in page and "Thu hồi mục ghi nhầm" in page
    assert LINK.findall(page) == []


def test_a_neighbouring_cell_reads_the_confirmation_like_a_missing_page(client: Client, settings: Settings) -> None:
    who = trained_candidate(client, settings)
    sign_in(client, settings, Role.CELL_SECRETARY, SIBLING)

    foreign = client.get(f"/web/people/{who}/retractions/2")
    missing = client.get("/web/people/person-00000000000000000000000000000000/retractions/2")

    assert foreign.status_code == missing.status_code == 404
    assert foreign.text == missing.text


def test_an_entry_that_is_not_the_latest_has_no_confirmation(client: Client, settings: Settings) -> None:
    who = trained_candidate(client, settings)
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)

    assert client.get(f"/web/people/{who}/retractions/1").status_code == 404
    assert client.get(f"/web/people/{who}/retractions/9").status_code == 404
