"""Why each known finding of the API fuzzing fails (the report of the fuzzing, in short)."""

PROBLEM_TYPE = (
    "F1: error answers are application/problem+json (RFC 9457) but the document declares only application/json "
    "for its 400 (Litestar's default ValidationException schema) and nothing for 401/404/409/422"
)
UNDECLARED_STATUS = (
    "F2: the operation answers 404 (wall / missing thing), 400 or 422 (domain refusal) but the document declares "
    "only its success code and 400; 401/404/409/422 problem responses are missing"
)
PUBLIC_DECLARED_SECURE = (
    "F3: the global `security: [{bearer: []}]` also covers /health and /ready, which rightly answer 200 "
    "without a token; the document should say `security: []` on these two operations"
)
MALFORMED_BEFORE_AUTH = (
    "F5: without a token, a request missing its Idempotency-Key (or with a malformed parameter) is answered 400 "
    "before authentication: Litestar validates parameters before resolving the `principal` dependency"
)
