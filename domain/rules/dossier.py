"""The candidate's papers: a valid certificate, complete verification, fresh letters, returns to correct."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from domain.errors import RuleViolation
from domain.rules.base import RuleSet
from domain.rules.periods import add_months


def check_train_valid(rules: RuleSet, issued_on: date | None, vote_on: date) -> None:
    """R-TRAIN-VALID: the awareness certificate is valid 60 months up to and including the vote date."""
    if issued_on is not None and issued_on <= vote_on <= add_months(issued_on, rules.train_validity_months):
        return
    when_en = issued_on.isoformat() if issued_on else "—"
    when_vi = f"{issued_on:%d/%m/%Y}" if issued_on else "—"
    raise RuleViolation(
        "R-TRAIN-VALID",
        f"no awareness-class certificate valid on the vote date (certificate of {when_en}, valid "
        f"{rules.train_validity_months} months); the class must be (re)taken",
        f"không có giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng còn hiệu lực vào ngày chi bộ xét "
        f"(giấy ngày {when_vi}, hiệu lực {rules.train_validity_months} tháng); phải học lớp",
        issued_on=when_en,
    )


def check_verify_complete(opened: bool, pending: Collection[str]) -> None:
    """R-VERIFY-COMPLETE: certify (and vote) only once every non-exempt background result is in."""
    if not opened or pending:
        raise RuleViolation(
            "R-VERIFY-COMPLETE",
            f"background verification is incomplete; missing results: {', '.join(sorted(pending)) or '—'}",
            f"thẩm tra lý lịch chưa hoàn tất; còn thiếu kết quả của: {', '.join(sorted(pending)) or '—'}",
            pending=sorted(pending),
        )


def check_papers_stale(rules: RuleSet, sponsored_on: date | None, vote_on: date) -> None:
    """R-PAPERS-STALE [S]: sponsor letters and union resolutions older than 12 months must be redone."""
    if not rules.stale_papers_enforced or sponsored_on is None:
        return
    stale_on = add_months(sponsored_on, rules.stale_papers_months)
    if vote_on > stale_on:
        raise RuleViolation(
            "R-PAPERS-STALE",
            f"the sponsor letters of {sponsored_on.isoformat()} are older than {rules.stale_papers_months} "
            "months; redo the letters, the union resolution and the comment summary",
            f"giấy giới thiệu ngày {sponsored_on:%d/%m/%Y} đã quá {rules.stale_papers_months} tháng; "
            "phải làm lại giấy giới thiệu, nghị quyết giới thiệu của đoàn thể "
            "và bản tổng hợp ý kiến nhận xét",
        )


def check_dossier_return(rules: RuleSet) -> None:
    """R-DOSSIER-RETURN [U]: a dossier goes back one stage for correction, if the rule set enables it."""
    if not rules.dossier_return_enabled:
        raise RuleViolation(
            "R-DOSSIER-RETURN",
            f"returning a dossier for correction is disabled under {rules.rule_set_id}",
            f"bộ quy định {rules.rule_set_id} không áp dụng việc trả hồ sơ để bổ sung, hoàn thiện",
        )
