"""Detours of an open file (DOMAIN.md §3): returned for correction, withdrawn, moved to another cell."""

from __future__ import annotations

from typing import Final

from domain.calendar import WorkingCalendar
from domain.errors import RuleViolation
from domain.person import commands as c
from domain.person import events as ev
from domain.person.facts import PersonFacts
from domain.person.guards import check_helper, check_step, refuse_order
from domain.person.records import PersonState
from domain.person.stages import BEFORE_VOTE, FILE_STAGES, MAY_OPEN_FILE, MEMBER_STAGES, PIPELINE, Stage, previous_stage
from domain.person.values import clean_text
from domain.rules.base import RuleSet
from domain.rules.dossier import check_dossier_return

Events = list[ev.PersonEvent]

RETURNABLE = frozenset(PIPELINE[1 : PIPELINE.index(Stage.ADMITTED)])
"""Stages a dossier can be sent back from; after the decision, only annulment undoes an admission."""


def return_dossier(
    state: PersonState, cmd: c.ReturnDossier, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> Events:
    """R-DOSSIER-RETURN [U, configurable]: back one stage for correction, with a reason and no penalty."""
    check_dossier_return(rules)
    check_step(state, cmd, RETURNABLE)
    reason = clean_text(cmd.reason, "reason")
    return [
        ev.DossierReturned(
            rule_set=rules.rule_set_id,
            from_stage=state.stage,
            to_stage=previous_stage(state.stage),
            reason=reason,
        )
    ]


def withdraw_candidate(
    state: PersonState,
    cmd: c.WithdrawCandidate,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """§3: the candidate leaves the source pool before a decision; the file closes."""
    check_step(state, cmd, RETURNABLE | {Stage.SOURCE_POOL})
    return [ev.CandidateWithdrawn(rule_set=rules.rule_set_id, reason=clean_text(cmd.reason, "reason"))]


def transfer_candidate(
    state: PersonState,
    cmd: c.TransferCandidate,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """§3: the file moves with its history; the new cell names a helper; R-SPONSOR-COWORK is waived."""
    check_step(state, cmd, BEFORE_VOTE)
    if cmd.to_cell_id == state.cell_id:
        raise refuse_order(cmd, "the file is already in that cell", "hồ sơ đã ở chi bộ này")
    check_helper(facts, cmd.helper_id, cmd.person_id)
    return [
        ev.CandidateTransferred(
            rule_set=rules.rule_set_id,
            from_cell_id=state.cell_id or "",
            to_cell_id=cmd.to_cell_id,
            helper_id=cmd.helper_id,
        )
    ]


FILE_REQUEST: Final = "R-FILE-REQUEST"
HANDED_OVER: Final = MAY_OPEN_FILE - {Stage.NEW}
"""Closed files and former members: what another cell may ask for, to open a new file itself."""


def hand_over_file(
    state: PersonState, cmd: c.HandOverFile, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> Events:
    """R-FILE-REQUEST: only a file with nothing open moves on request; an open file moves by the candidate
    transfer (§3) and a member by the transfer of activity (§4), which keep their own deadlines and papers."""
    if state.stage not in HANDED_OVER:
        raise RuleViolation(
            FILE_REQUEST,
            "only a closed file is handed over on request; an open file is transferred, a member transfers activity",
            "chỉ hồ sơ đã đóng mới chuyển theo đề nghị; hồ sơ đang mở dùng “chuyển hồ sơ người vào Đảng”, "
            "đảng viên dùng “chuyển sinh hoạt đảng”",
        )
    if cmd.to_cell_id == state.cell_id:
        raise refuse_order(cmd, "the file is already in that cell", "hồ sơ đã ở chi bộ này")
    return [
        ev.FileHandedOver(
            rule_set=rules.rule_set_id,
            from_cell_id=state.cell_id or "",
            to_cell_id=clean_text(cmd.to_cell_id, "to_cell_id"),
            request_id=clean_text(cmd.request_id, "request_id"),
            reason=clean_text(cmd.reason, "reason"),
        )
    ]


def refuse_file_request(
    state: PersonState, cmd: c.RefuseFileRequest, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> Events:
    """R-FILE-REQUEST: a refusal names its reason and changes nothing but the record."""
    if state.version == 0:
        raise refuse_order(cmd, "no such file", "không có hồ sơ này")
    return [
        ev.FileRequestRefused(
            rule_set=rules.rule_set_id,
            request_id=clean_text(cmd.request_id, "request_id"),
            to_cell_id=clean_text(cmd.to_cell_id, "to_cell_id"),
            reason=clean_text(cmd.reason, "reason"),
        )
    ]


def follow_reorganisation(
    state: PersonState,
    cmd: c.FollowReorganisation,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """R-UNIT-REORG: open files and members move to the successor; a closed file stays with the unit that closed
    it. Following again, or for someone no longer in the ceased cell, changes nothing (a retried sweep is safe)."""
    if state.stage not in FILE_STAGES | MEMBER_STAGES or state.cell_id != cmd.from_cell_id:
        return []
    if cmd.to_cell_id == cmd.from_cell_id:
        raise refuse_order(cmd, "a unit cannot succeed itself", "tổ chức đảng không thể tiếp nhận hồ sơ của chính mình")
    reference = clean_text(cmd.reference, "reference")
    return [
        ev.MovedByReorganisation(
            rule_set=rules.rule_set_id, from_cell_id=cmd.from_cell_id, to_cell_id=cmd.to_cell_id, reference=reference
        )
    ]
