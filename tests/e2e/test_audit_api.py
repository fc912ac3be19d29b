"""Auditors over HTTP: they read, replay and verify in their subtree, never write, and every read of personal
data is on record for the provincial administrator."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from eventstore.canonical import canonical_json
from projections.engine import projection_engine
from projections.schema import projection_rows as pr
from services.commands.actors import Role
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.e2e.desk import CELL, SIBLING, Desk, sample_body
from tests.support.stores import Backdoor

SCHOOL = "unit-school"


def auditor(settings: Settings, unit: str = SCHOOL, user: str = "kiem-tra-1") -> dict[str, str]:
    return bearer(settings, Role.AUDITOR, unit, user=user)


def test_an_auditor_cannot_write(client: Client, settings: Settings) -> None:
    member = Desk(client, settings).enrol(1)
    before = client.get("/ready").json()["log_position"]
    body = sample_body_for_rating()
    headers = auditor(settings, CELL) | {"Idempotency-Key": "audit-write-1"}

    answer = client.post(f"/people/{member}/ratings", json=body, headers=headers)

    assert answer.status_code == 404
    assert client.get("/ready").json()["log_position"] == before


def sample_body_for_rating() -> dict[str, object]:
    from services.commands.person_steps import STEPS

    step = next(s for s in STEPS if s.operation_id == "rateMember")
    return sample_body(step.body)


@pytest.mark.parametrize(
    "path",
    [
        "/audit/people/{person}/history",
        "/audit/people/{person}/as-of?on=2021-01-01&clock=occurred",
        f"/audit/units/{CELL}/history",
        f"/audit/units/{CELL}/as-of/dashboard?on=2021-01-01&clock=recorded",
        f"/audit/verify?unit_id={CELL}",
        f"/audit/units/{CELL}/replay-check",
    ],
)
def test_an_auditor_cannot_read_outside_its_subtree(client: Client, settings: Settings, path: str) -> None:
    member = Desk(client, settings).enrol(1)

    answer = client.get(path.format(person=member), headers=auditor(settings, SIBLING))

    assert answer.status_code == 404
    assert client.get(path.format(person=member), headers=auditor(settings, SCHOOL)).status_code == 200


def test_history_carries_hashes_and_chain_status(client: Client, settings: Settings) -> None:
    member = Desk(client, settings).enrol(1)

    page = client.get(f"/audit/units/{SCHOOL}/history?subtree=true&limit=3", headers=auditor(settings)).json()
    rest = client.get(
        f"/audit/units/{SCHOOL}/history?subtree=true&cursor={page['next_cursor']}", headers=auditor(settings)
    ).json()
    enrolled = client.get(
        f"/audit/units/{SCHOOL}/history?subtree=true&event_type=MemberEnrolled&actor=user-cell_secretary-{CELL}",
        headers=auditor(settings),
    ).json()

    whole = client.get(f"/audit/units/{SCHOOL}/history?subtree=true", headers=auditor(settings)).json()

    events = page["events"] + rest["events"]
    assert len(page["events"]) == 3 and rest["events"]
    assert events == whole["events"]  # two pages are the whole history: nothing missed, nothing twice
    positions = [e["position"] for e in events]
    assert positions == sorted(set(positions))
    assert all(e["chain"] == "ok" and len(e["hash"]) == 64 for e in events)
    assert [e["stream_id"] for e in enrolled["events"]] == [member]


@pytest.mark.parametrize("kind", ["changed", "removed", "inserted"])
def test_verify_over_http_names_the_broken_position(client: Client, settings: Settings, kind: str) -> None:
    """A member's enrolment is changed or copied as a second event; a cell's registration (tree stream) removed."""
    member = Desk(client, settings).enrol(1)
    backdoor = Backdoor(settings.database_url)
    backdoor.disable_append_only()
    (enrolled,) = backdoor.execute("SELECT * FROM event_log WHERE stream_id = %s", (member,))
    tree = [row[0] for row in backdoor.execute("SELECT position FROM event_log WHERE stream_id LIKE 'unittree-%'")]
    if kind == "changed":
        backdoor.execute("UPDATE event_log SET metadata = %s WHERE position = %s", ('{"actor":"x"}', enrolled[0]))
        expected = enrolled[0]
    elif kind == "removed":
        backdoor.execute("DELETE FROM event_log WHERE position = %s", (tree[4],))
        expected = tree[5]
    else:
        row = list(enrolled)
        row[0], row[2] = enrolled[0] + 1, 2
        backdoor.execute(
            "INSERT INTO event_log VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", tuple(row)
        )
        expected = enrolled[0] + 1

    report = client.get("/audit/verify", headers=auditor(settings)).json()

    assert report["ok"] is False
    assert report["problem"]["position"] == expected
    assert report["problem"]["kind"] == kind
    assert str(expected) in report["summary"]


def test_verify_still_answers_when_the_unit_tree_itself_was_rewritten(client: Client, settings: Settings) -> None:
    """The walls come from the tree stream; an auditor must still learn where the log was broken."""
    backdoor = Backdoor(settings.database_url)
    backdoor.disable_append_only()
    backdoor.execute("UPDATE event_log SET data = %s WHERE position = 1", ('{"forged":1}',))

    report = client.get("/audit/verify", headers=auditor(settings))

    assert report.status_code == 200
    assert (report.json()["problem"]["position"], report.json()["problem"]["kind"]) == (1, "changed")


def test_a_seal_is_printable_and_checkable_later(client: Client, settings: Settings) -> None:
    from eventstore import open_store

    store = open_store(settings.database_url)
    store.seal()
    store.close()

    (seal,) = client.get("/audit/seals", headers=auditor(settings)).json()
    holds = client.get("/audit/seals/check", params={"seal": seal["kept"]}, headers=auditor(settings)).json()
    backdoor = Backdoor(settings.database_url)
    backdoor.disable_append_only()
    backdoor.execute("UPDATE event_log SET data = %s WHERE position = 1", (canonical_json({"forged": 1}).decode(),))
    broken = client.get("/audit/seals/check", params={"seal": seal["kept"]}, headers=auditor(settings)).json()

    assert seal["seal_hash"] in seal["printable"] and f"position {seal['up_to_position']}" in seal["printable"]
    assert holds["holds"] is True
    assert broken["holds"] is False


def test_the_seal_check_takes_the_line_partyledger_seal_printed(client: Client, settings: Settings) -> None:
    """Issue 18: what `partyledger seal` prints, pasted as `verify --seal` takes it, is what the API checks too."""
    from eventstore import open_store

    store = open_store(settings.database_url)
    store.seal()
    store.close()
    (seal,) = client.get("/audit/seals", headers=auditor(settings)).json()
    printed = seal["printable"]
    misnumbered = printed.replace(f"seal {seal['seal_number']} ", f"seal {seal['seal_number'] + 1} ", 1)

    def check(text: str) -> Any:
        return client.get("/audit/seals/check", params={"seal": text}, headers=auditor(settings))

    holds, copied, wrong_number, garbled = (
        check(printed), check(f"  {printed}\n"), check(misnumbered), check(printed.replace("sha256", "md5"))
    )  # fmt: skip

    assert printed.startswith("seal ") and " · sha256 " in printed
    assert (holds.status_code, holds.json()["holds"], holds.json()["seal_number"]) == (200, True, seal["seal_number"])
    assert copied.json()["holds"] is True  # as copied from a terminal, spaces and newline around it
    assert wrong_number.json()["holds"] is False and "not" in wrong_number.json()["reason"]
    assert garbled.status_code == 400 and garbled.headers["content-type"].startswith("application/problem+json")


def test_replay_check_over_http_names_an_altered_row(client: Client, settings: Settings) -> None:
    Desk(client, settings).enrol(1)
    clean = client.get(f"/audit/units/{CELL}/replay-check", headers=auditor(settings)).json()
    engine = projection_engine(settings.database_url)
    where = (pr.c.projection == "unit_dashboard", pr.c.unit_id == CELL, pr.c.row_key == "members")
    with engine.begin() as connection:
        connection.execute(sa.update(pr).where(*where).values(data={"official": 99}))
    engine.dispose()

    altered = client.get(f"/audit/units/{CELL}/replay-check", headers=auditor(settings)).json()

    assert clean["equal"] is True
    assert altered["equal"] is False
    assert altered["differing"][0]["first_difference"]["row_key"] == "members"
    assert altered["differing"][0]["first_difference"]["live"] == {"official": 99}


def test_every_read_of_personal_data_is_on_record_for_the_administrator(client: Client, settings: Settings) -> None:
    member = Desk(client, settings).enrol(1)
    client.get(f"/audit/people/{member}/history", headers=auditor(settings, user="kiem-tra-7"))
    client.get(
        f"/audit/people/{member}/as-of?on=2021-01-01&clock=recorded", headers=auditor(settings, user="kiem-tra-7")
    )
    admin = bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province")

    reads = client.get("/audit/reads?user_id=kiem-tra-7", headers=admin).json()

    assert [(r["operation"], r["subject"], r["role"]) for r in reads] == [
        ("getPersonHistory", member, "auditor"),
        ("getPersonAsOf", member, "auditor"),
    ]
    assert client.get("/audit/reads", headers=auditor(settings)).status_code == 404
    backdoor = Backdoor(settings.database_url)
    with pytest.raises(backdoor.refusal):
        backdoor.execute("DELETE FROM audit_reads")


def test_an_administrator_below_the_province_sees_only_the_reads_made_for_its_subtree(
    client: Client, settings: Settings
) -> None:
    """I8: the record of reads is itself personal data; a school's administrator sees its own auditors' reads."""
    member = Desk(client, settings).enrol(1)
    school_auditor = bearer(settings, Role.AUDITOR, "unit-school", user="kiem-tra-truong")
    client.get(f"/audit/people/{member}/history", headers=school_auditor)
    client.get(f"/audit/people/{member}/history", headers=auditor(settings, unit="unit-province", user="kiem-tra-tinh"))

    school = client.get("/audit/reads", headers=bearer(settings, Role.PROVINCIAL_ADMIN, "unit-school")).json()
    province = client.get("/audit/reads", headers=bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province")).json()

    assert {r["user_id"] for r in school} == {"kiem-tra-truong"}
    assert {r["user_id"] for r in province} == {"kiem-tra-truong", "kiem-tra-tinh"}
