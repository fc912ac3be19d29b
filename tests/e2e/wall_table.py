"""The expected answers of the unit-wall matrix, written out by hand (not derived from the app's own tables).

Roles: S cell secretary, G grassroots committee officer, U upper committee officer, A provincial
administrator, K auditor (inspection), V viewer. An operation is allowed when the caller's role is listed AND
the target is in the caller's subtree (own unit or below); otherwise it must look exactly like a missing thing.

The tree (the seeded top of a province plus one sub-committee):

    unit-province ─ unit-bloc ─ unit-school ─┬─ unit-school-cell-1 … unit-school-cell-5
                                             └─ unit-school-sub (a sub-committee, no cells)

Positions, as (caller's unit, target). A unit endpoint targets a unit; a person endpoint targets the member
enrolled in unit-school-cell-1, who exists in every position, so a refusal hides a real person:

- own: the caller's own unit / a person of its own cell;
- child: the caller one level up (the school) / a person of a cell under it;
- sibling: the caller at another cell of the same school / a person of the neighbouring cell;
- parent: the target belongs to the caller's parent and not to the caller. For a unit endpoint, the parent unit
  itself. People live only in cells, which are leaves, so no person belongs to a unit above a cell; a person of
  the parent's subtree outside the caller's own is therefore asked for by a caller that is itself a committee
  level: the sub-committee unit-school-sub asks for a person of unit-school-cell-1, a cell its parent (the
  school) holds directly. A wall that let a unit reach "up one level and back down" would pass it.

The province's calendar belongs to the root: its writes pass only for a caller at the province (PROVINCE_CALLERS
places the caller at the province, at the bloc below it, at the school and at a cell); every caller reads it.
"""

from __future__ import annotations

READ = "SGUAKV"
CELL = "SA"
CELL_COMMITTEE = "SGA"
COMMITTEE = "GA"
DECIDERS = "GUA"
UPPER = "UA"
ANY_OFFICER = "SGUA"
AUDIT = "KA"

ROLES_ALLOWED: dict[str, str] = {
    # units and read models
    "getUnit": READ,
    "registerUnit": "A",
    "renameUnit": "A",
    "moveUnit": "A",
    "mergeUnit": "A",
    "splitUnit": "A",
    "dissolveUnit": "A",
    "reclassifyUnit": "A",
    "changeAdmissionDelegation": "A",
    "setTermTarget": ANY_OFFICER,
    "setYearlyPlan": ANY_OFFICER,
    # the province's working calendar (see PROVINCE_CALLERS)
    "getCalendar": READ,
    "declareDayOff": "A",
    "declareWorkingDay": "A",
    "withdrawDayDeclaration": "A",
    "getDashboard": READ,
    "listFiles": READ,
    "listDeadlines": READ,
    "listMembers": READ,
    "getStatistics": READ,
    "listDenials": "A",
    # a person's file: reads
    "getPerson": READ,
    "listNextSteps": READ,
    "listPersonReads": "SGUAK",  # who read the file (I13): officers and auditors, not viewers
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
    "retractEntry": ANY_OFFICER,  # and the unit that recorded the entry must be within the caller's (R-RETRACT)
    "erasePersonalData": DECIDERS,  # the sample body's ground needs a closed file: allowed callers get a 422
    # auditors (inspection) read, replay and verify; the administrator sees who read what
    "getPersonHistory": AUDIT,
    "getPersonAsOf": AUDIT,
    "listUnitHistory": AUDIT,
    "getDashboardAsOf": AUDIT,
    "getTreeAsOf": AUDIT,
    "checkReplay": AUDIT,
    "verifyLog": AUDIT,
    "listSeals": AUDIT,
    "checkSeal": AUDIT,
    "listAuditReads": "A",
}
"""Every operation except /health, /ready and the two that create a person (their target is the caller's own
cell: tested in test_person_pipeline_api.py)."""

CREATING = {"nominateCandidate", "enrollMember"}
FILE_REQUESTS = {"requestFile", "listFileRequestInbox", "listSentFileRequests", "grantFileRequest", "refuseFileRequest"}
"""R-FILE-REQUEST: a request names a citizen ID and the asking cell, and its answers a request id; their walls
(the asking cell within the caller's units; the file within the answerer's) are tested in
tests/security/test_file_request_walls.py and tests/unit/services/test_file_requests.py."""
ACCOUNTS = {
    "signIn", "refreshSession", "signOut", "getMe", "changeMyPassword", "offerTotp", "confirmTotp",
    "listUsers", "createUser", "listHolders", "listSignIns", "getUser", "listUserSignIns", "assignRole",
    "endAssignment", "resetPassword", "revokeSessions", "deactivateUser",
}  # fmt: skip
"""Issue 19: sign-in and the caller's own account name no unit; user management's walls (a user's units within
the caller's, no role granted above one's own, every role an account holds within reach before it is reset or
locked) are tested in tests/unit/services/test_accounts.py and tests/e2e/test_accounts_api.py."""
UNSCOPED = {"listSeals", "checkSeal", "listAuditReads"}
"""Operations about the whole log, not a unit (seals bind every event; the read record is the province's):
the role alone is the wall."""
PUBLIC = {"health", "ready"}

POSITIONS: dict[str, tuple[str, str]] = {
    # name: (caller's unit, target unit)
    "own": ("unit-school-cell-1", "unit-school-cell-1"),
    "child": ("unit-school", "unit-school-cell-1"),
    "sibling": ("unit-school-cell-2", "unit-school-cell-1"),
    "parent": ("unit-school-cell-1", "unit-school"),
}
PERSON_POSITIONS: dict[str, tuple[str, str]] = {
    # name: (caller's unit, the cell of the person asked for)
    "own": ("unit-school-cell-1", "unit-school-cell-1"),
    "child": ("unit-school", "unit-school-cell-1"),
    "sibling": ("unit-school-cell-2", "unit-school-cell-1"),
    "parent": ("unit-school-sub", "unit-school-cell-1"),
}
WALL_PASSES = {"own": True, "child": True, "sibling": False, "parent": False}

PROVINCE_WIDE = {"getCalendar", "declareDayOff", "declareWorkingDay", "withdrawDayDeclaration"}
PROVINCE_CALLERS: dict[str, str] = {
    "own": "unit-province",
    "child": "unit-bloc",
    "sibling": "unit-school",
    "parent": "unit-school-cell-1",
}
PROVINCE_PASSES: dict[str, dict[str, bool]] = {
    "getCalendar": {"own": True, "child": True, "sibling": True, "parent": True},
    "declareDayOff": {"own": True, "child": False, "sibling": False, "parent": False},
    "declareWorkingDay": {"own": True, "child": False, "sibling": False, "parent": False},
    "withdrawDayDeclaration": {"own": True, "child": False, "sibling": False, "parent": False},
}
