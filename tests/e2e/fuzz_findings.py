"""Known findings of the API fuzzing (see test_api_fuzzing): (operationId, "<mode>-<check>") -> reason."""

from __future__ import annotations

from tests.e2e.fuzz_reasons import MALFORMED_BEFORE_AUTH, PROBLEM_TYPE, PUBLIC_DECLARED_SECURE

WRITES: tuple[str, ...] = (
    "annulAdmission",
    "appealExpulsion",
    "appraiseAtSubCommittee",
    "approveAtCell",
    "approveAtCommittee",
    "certifyVerification",
    "completeNewMemberCourse",
    "consentToLateCeremony",
    "decideAdmission",
    "decideStrikeOff",
    "disciplineMember",
    "dismissViolation",
    "endTemporaryTransfer",
    "enrollMember",
    "extendDecisionDeadline",
    "grantVoluntaryExit",
    "holdCeremony",
    "holdRecognitionVote",
    "introduceTransfer",
    "nominateCandidate",
    "openVerification",
    "presentTransfer",
    "proposeStrikeOff",
    "rateMember",
    "receiveAdmissionDecision",
    "recogniseOfficial",
    "recordScreeningOutcome",
    "recordSponsors",
    "recordTrainingCertificate",
    "recordVerificationResult",
    "registerUnit",
    "rejectCandidate",
    "renameUnit",
    "reportViolation",
    "resolveExpulsionAppeal",
    "returnDossier",
    "strikeOffProbationary",
    "submitApplication",
    "submitBackgroundForm",
    "transferCandidate",
    "updateParticulars",
    "withdrawCandidate",
)
"""Every write operation: each answers its errors as problem+json the document does not declare (F1) and, without
a token, validates its parameters before authenticating (F5)."""

READ_MODELS: tuple[str, ...] = (
    "getDashboard",
    "getStatistics",
    "listDeadlines",
    "listDenials",
    "listFiles",
    "listMembers",
)

_OBSERVED: dict[tuple[str, str], tuple[str, ...]] = {
    ("negative-content_type", PROBLEM_TYPE): WRITES + READ_MODELS,
    ("negative-negative_rejected", PUBLIC_DECLARED_SECURE): ("health", "ready"),
    ("no_token-negative", MALFORMED_BEFORE_AUTH): WRITES,
    ("positive-content_type", PROBLEM_TYPE): WRITES,
}
KNOWN: dict[tuple[str, str], str] = {(op, check): reason for (check, reason), ops in _OBSERVED.items() for op in ops}
