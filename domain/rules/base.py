"""Every number and toggle a rule check reads, so that a new implementing text is one new `RuleSet`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction


@dataclass(frozen=True, kw_only=True)
class RuleSet:
    """The values of one generation of implementing texts; defaults are those of `qd24-2021`.

    Toggles for [U] rules (unconfirmed in the texts) default on: `dossier_return_enabled` (a dossier returned
    for correction goes back one stage) and `rating_below_completed_is_not_completed` (a score under 50 is
    NotCompleted). `stale_papers_enforced` covers the [S] 12-month limit on sponsor letters.
    """

    rule_set_id: str
    in_force_from: date
    texts: str

    # Eligibility (R-ELIG-AGE, R-AUTH-OVER60, R-TRAIN-VALID, R-PAPERS-STALE)
    min_age_months: int = 18 * 12
    max_age_months: int = 60 * 12
    youth_max_age_years: int = 30
    train_validity_months: int = 60
    stale_papers_months: int = 12
    stale_papers_enforced: bool = True

    # Votes (R-VOTE-TWOTHIRDS, R-CELL-QUORUM, R-RECOGNISE-DEADLOCK, R-AUTH-ADMIT)
    vote_fraction: Fraction = Fraction(2, 3)
    cell_quorum: int = 3
    deadlock_rounds: int = 3

    # Sponsors (R-SPONSORS, R-SPONSOR-COWORK)
    member_sponsors_required: int = 2
    sponsor_cowork_months: int = 12

    # Deadlines in working days (R-DECIDE-DEADLINE, R-CEREMONY-DEADLINE, R-RECOGNISE-*, R-TRANSFER)
    decide_working_days: int = 60
    decide_extension_max_working_days: int = 30
    decide_extensions_allowed: int = 1
    ceremony_working_days: int = 30
    probation_months: int = 12
    recognise_vote_working_days: int = 30
    recognise_decision_working_days: int = 30
    recognise_extension_max_working_days: int = 30
    transfer_introduce_working_days: int = 60
    transfer_present_working_days: int = 30

    # Removal and return (R-STRIKEOFF-GROUNDS, R-EXPEL-APPEAL, R-READMIT, R-SCREENING)
    strikeoff_inactive_months: int = 3
    strikeoff_education_months: int = 12
    strikeoff_breach_years: int = 2
    expulsion_appeal_days: int = 30
    readmit_wait_months: int = 36
    readmit_wait_after_conviction_months: int = 60
    readmit_max_times: int = 1
    readmit_needs_provincial_consent: bool = True
    not_completed_years_for_action: int = 2

    # Ratings (R-RATING)
    excellent_share_of_good: Fraction = Fraction(1, 5)
    rating_scored: bool = False
    rating_excellent_min: int = 90
    rating_good_min: int = 70
    rating_completed_min: int = 50
    rating_max_score: int = 100
    rating_below_completed_is_not_completed: bool = True

    # [U] toggles
    dossier_return_enabled: bool = True
