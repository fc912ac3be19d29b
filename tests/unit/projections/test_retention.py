"""R-PRIVACY-RETAIN's read model: a closed file's outcome and the day it closed, in the unit that holds it; a file
reopened loses its row (what the dashboard's "Hồ sơ hết thời hạn lưu trữ" judges against the periods)."""

from __future__ import annotations

from datetime import date

from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.values import RejectionLevel
from projections import retention
from tests.unit.projections.people import Ledger
from tests.unit.projections.test_files import candidate


def test_a_rejected_file_has_its_outcome_until_a_new_file_reopens_it() -> None:
    ledger = Ledger()
    hoa = candidate(ledger)
    hoa.nominate(date(2021, 3, 1))
    assert ledger.build(retention)["cb-a"].get(f"r:{hoa.stream_id}") is None  # an open file keeps no row
    hoa.run(c.RejectCandidate(**hoa.at(date(2021, 4, 1)), level=RejectionLevel.CELL, reason="Chưa đủ điều kiện"))

    closed = ledger.build(retention)["cb-a"].get(f"r:{hoa.stream_id}")
    hoa.nominate(date(2022, 3, 1))
    reopened = ledger.build(retention)["cb-a"].get(f"r:{hoa.stream_id}")

    assert closed == {"stream_id": hoa.stream_id, "full_name": hoa.particulars.full_name, "stage": "Rejected",
                      "outcome": "rejected", "closed_on": "2021-04-01"}  # fmt: skip
    assert reopened is None


def test_a_member_who_left_is_kept_from_the_day_they_left_and_a_serving_member_is_not() -> None:
    ledger = Ledger()
    left, serving = candidate(ledger, 1), candidate(ledger, 2)
    for person in (left, serving):
        person.to_ceremony(date(2021, 3, 1))
        person.recognise(date(2021, 9, 1), date(2022, 7, 5), date(2022, 7, 20))
    left.run(mc.GrantVoluntaryExit(**left.at(date(2023, 4, 1)), reason="Hoàn cảnh gia đình", decision_ref="QĐ"))

    rows = ledger.build(retention)["cb-a"]

    assert [(key, row["outcome"], row["closed_on"]) for key, row in rows.items()] == [
        (f"r:{left.stream_id}", "voluntary_exit", "2023-04-01")
    ]
    assert rows.get(f"r:{serving.stream_id}") is None
