"""The dependencies and parameters routes share: the caller, the ledger, the idempotency key, a year and a term.

A parameter the document allows but the server cannot use (a term whose years run backwards, a date the log
cannot hold) is refused with `unusable`: 422 naming the parameter. A value the document itself forbids is
Litestar's 400, which names it too (problems.py).
"""

from __future__ import annotations

from typing import Annotated, Final

from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.openapi.spec import Example
from litestar.params import HeaderParameter, PathParameter, QueryParameter

from projections.queries.dashboard import term_years
from services.api.platform.examples import PERSON, UNIT
from services.commands.actors import Actor
from services.ledger import Ledger

INT64_MAX: Final = 2**63 - 1
"""The largest id or position the databases hold: a larger number names nothing."""
MAX_NUMBER: Final = 2**53 - 1
"""The largest integer a JSON number holds exactly: the bound the document states for an id or a position
(the document's bounds are JSON numbers; a bound of 2**63 - 1 reads back as a larger one)."""

IdempotencyKey = Annotated[
    str,
    HeaderParameter(
        name="Idempotency-Key",
        min_length=8,
        max_length=200,
        pattern=r"^[\x20-\x7e]+$",
        description="Unique per request (printable ASCII): a retry with the same key answers the first result",
        examples=[Example(summary="A UUID", value="5b0e7d0c-6a51-4c1e-9d1f-2f8a3c4b5d6e")],
    ),
]
UnitIdPath = Annotated[
    str, PathParameter(description="A unit's id", examples=[Example(summary="A grassroots cell", value=UNIT)])
]
PersonIdPath = Annotated[
    str,
    PathParameter(
        description="A person's stream id (never the identity number)",
        examples=[Example(summary="A person", value=PERSON)],
    ),
]
Caller = NamedDependency[Actor]
Context = NamedDependency[Ledger]
Year = Annotated[int, QueryParameter(ge=1900, le=2200, description="A calendar year")]
Term = Annotated[
    str,
    QueryParameter(
        pattern=r"^(19|20|21)\d\d-(19|20|21)\d\d$",
        description="A congress term, its first and last calendar years (inclusive): 2020-2025",
    ),
]


def unusable(name: str, message: str, source: str = "query") -> ValidationException:
    """422: the value has the documented form, but the ledger cannot answer for it; names the parameter."""
    return ValidationException(
        f"{name}: {message}", extra=[{"key": name, "source": source, "message": message}], status_code=422
    )


def term_of(term: str) -> str:
    """A term whose years run forwards within 1901–2199 (`term_years`), else 422 naming `term`."""
    try:
        term_years(term)
    except ValueError as exc:
        raise unusable(
            "term", "the first year must be after 1900, the last before 2200, and not before the first"
        ) from exc
    return term
