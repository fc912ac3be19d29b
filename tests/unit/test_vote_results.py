"""Each vote on the timeline says what it decided: a 5–5 recognition round is recorded as a round without a
result (R-RECOGNISE-DEADLOCK), and says so; an admission vote is recorded only when it passed."""

from __future__ import annotations

from domain.codec import EVENTS
from domain.person.member_events import RecognitionVoteHeld
from domain.rules.votes import VoteOutcome
from services.api.web.vote_results import vote_result_vi


def _round(yes: int, no: int, outcome: VoteOutcome, number: int = 1) -> str | None:
    event = RecognitionVoteHeld(
        rule_set="qd24-2021",
        round=number,
        yes=yes,
        no=no,
        denominator=10,
        outcome=outcome,
        resolution_ref="NQ",
        decision_deadline=None,
    )
    event_type, _, data = EVENTS.encode(event)
    return vote_result_vi(event_type, data)


def test_a_tied_recognition_round_says_it_reached_two_thirds_neither_way_and_what_comes_next() -> None:
    line = _round(5, 5, VoteOutcome.INCONCLUSIVE)
    assert line is not None
    assert line.startswith("Lần 1: 5 tán thành, 5 không tán thành trên 10 đảng viên — chưa đạt hai phần ba")
    assert "sau 3 lần không đạt, cấp ủy cấp trên xem xét, quyết định" in line


def test_decided_rounds_say_which_way() -> None:
    assert "đề nghị công nhận đảng viên chính thức" in (_round(7, 1, VoteOutcome.FOR) or "")
    assert "đề nghị không công nhận" in (_round(1, 7, VoteOutcome.AGAINST) or "")


def test_an_escalation_and_a_passed_admission_vote_say_so_and_other_events_say_nothing() -> None:
    assert vote_result_vi("RecognitionEscalated", {"rounds": 3}) == (
        "Sau 3 lần biểu quyết không đạt hai phần ba, chuyển cấp ủy cấp trên quyết định"
    )
    approved = vote_result_vi("CellApproved", {"yes": 5, "no": 2, "denominator": 7})
    assert approved == "5 tán thành, 2 không tán thành trên 7 đảng viên — đạt hai phần ba, nghị quyết được thông qua"
    assert vote_result_vi("CommitteeApproved", {"yes": 5, "committee_size": 7}) == (
        "5 tán thành trên 7 ủy viên — đạt hai phần ba, nghị quyết được thông qua"
    )
    assert vote_result_vi("CandidateNominated", {}) is None
