"""What the OpenAPI document says the orchestrator's probes answer (the handlers are in app.py).

Neither probe needs a token or counts against the rate limit; `/ready` answers 503 (plain JSON, not problem
details: a probe reads the status code) while the log does not answer.
"""

from __future__ import annotations

from typing import Any, Final

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example

LIVE: Final = {
    200: ResponseSpec(
        data_container=dict[str, str],
        generate_examples=False,
        description="The process answers",
        examples=[Example(summary="Alive", value={"status": "ok"})],
    )
}
READY: Final = {
    200: ResponseSpec(
        data_container=dict[str, Any],
        generate_examples=False,
        description="The log answers; `log_position` is its head",
        examples=[Example(summary="Ready", value={"status": "ready", "database": "ok", "log_position": 1024})],
    ),
    503: ResponseSpec(
        data_container=dict[str, str],
        generate_examples=False,
        description="The log does not answer",
        examples=[
            Example(
                summary="Database down", value={"status": "unavailable", "database": "unreachable: OperationalError"}
            )
        ],
    ),
}
