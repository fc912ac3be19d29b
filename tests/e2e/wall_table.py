"""The expected answers of the unit-wall matrix, written out by hand (not derived from the app's own tables).

Roles: S cell secretary, G grassroots committee officer, U upper committee officer, A provincial
administrator, K auditor (inspection), V viewer. An operation is allowed when the caller's role is listed AND
the target is in the caller's subtree (own unit or below); otherwise it must look exactly like a missing thing.
"""

from __future__ import annotations

READ = "SGUAKV"
CELL = "SA"
CELL_COMMITTEE = "SGA"
COMMITTEE = "GA"
DECIDERS = "GUA"
UPPER = "UA"
ANY_OFFICER = "SGUA"

ROLES_ALLOWED: dict[str, str] = {
    # units and read models
    "getUnit": READ,
    "registerUnit": "A",
    "renameUnit": "A",
    "getDashboard": READ,
    "listFiles": READ,
    "listDeadlines": READ,
    "listMembers": READ,
    "getStatistics": READ,
    "listDenials": "A",
    # a person's file: reads
    "getPerson": READ,
    "listNextSteps": READ,
    # the cell's own steps
    "recordTrainingCertificate": CELL,
    "submitApplication": CELL,
    "submitBackgroundForm": CELL,
    "openVerification": CELL,
    "recordVerificationResult": CELL,
    "recordSponsors": CELL,
    "approveAtCell": CELL,
    "receiveAdmissionDecision": CELL,
    "withdrawCandidate": CELL,
    "holdCeremony": CELL,
    "holdRecognitionVote": CELL,
    "proposeStrikeOff": CELL,
    # the cell or the committee above it
    "updateParticulars": CELL_COMMITTEE,
    "certifyVerification": CELL_COMMITTEE,
    "transferCandidate": CELL_COMMITTEE,
    "completeNewMemberCourse": CELL_COMMITTEE,
    "introduceTransfer": CELL_COMMITTEE,
    "presentTransfer": CELL_COMMITTEE,
    "endTemporaryTransfer": CELL_COMMITTEE,
    "rateMember": CELL_COMMITTEE,
    "recordScreeningOutcome": CELL_COMMITTEE,
    # committees
    "appraiseAtSubCommittee": COMMITTEE,
    "approveAtCommittee": COMMITTEE,
    # decisions (a delegated grassroots committee, or the upper level)
    "extendDecisionDeadline": DECIDERS,
    "decideAdmission": DECIDERS,
    "recogniseOfficial": DECIDERS,
    "strikeOffProbationary": DECIDERS,
    "decideStrikeOff": DECIDERS,
    "grantVoluntaryExit": DECIDERS,
    "resolveExpulsionAppeal": DECIDERS,
    "annulAdmission": DECIDERS,
    "consentToLateCeremony": UPPER,
    # any officer level
    "rejectCandidate": CELL,  # the sample body rejects at level "cell"; other levels need their own role
    "returnDossier": ANY_OFFICER,
    "reportViolation": ANY_OFFICER,
    "dismissViolation": ANY_OFFICER,
    "disciplineMember": ANY_OFFICER,
    "appealExpulsion": ANY_OFFICER,
}
"""Every operation except /health, /ready and the two that create a person (their target is the caller's own
cell: tested in test_person_pipeline_api.py)."""

CREATING = {"nominateCandidate", "enrollMember"}
PUBLIC = {"health", "ready"}

POSITIONS: dict[str, tuple[str, str]] = {
    # name: (caller's unit, target unit). Person targets live in the target unit; people belong to cells, so for
    # the "parent" position a person endpoint asks for a person of unit-school, which cannot exist: the answer
    # must still be the same 404 as for any missing thing.
    "own": ("unit-school-cell-1", "unit-school-cell-1"),
    "child": ("unit-school", "unit-school-cell-1"),
    "sibling": ("unit-school-cell-2", "unit-school-cell-1"),
    "parent": ("unit-school-cell-1", "unit-school"),
}
WALL_PASSES = {"own": True, "child": True, "sibling": False, "parent": False}
