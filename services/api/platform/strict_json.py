"""A JSON command body is read as strictly as the document describes it.

Litestar converts a request's parameters and body with msgspec's `strict=False`, which a query string needs
(every value arrives as text) but which also let a JSON body say `"expulsion_delegated": 0` or
`"expected_version": "3"` where the document requires a boolean or an integer (found by the fuzzer: a
request the document calls invalid was recorded). Before Litestar converts it, the body is converted once
to the handler's own body type with `strict=True`; a value of the wrong JSON type is a 400 naming its path,
as Litestar names any other invalid field. A whole number written as a float (`3.0`) is still an integer,
as JSON Schema reads it.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import ValidationException
from litestar.params import BodyKwarg

WRITES = frozenset({"POST", "PUT", "PATCH"})


def _json_body_type(request: Request[Any, Any, Any]) -> Any:
    """The type a handler decodes its JSON body into, or None (no body, or a form)."""
    data = request.route_handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return None
    kwarg = data.kwarg_definition
    if isinstance(kwarg, BodyKwarg) and kwarg.media_type not in (None, RequestEncodingType.JSON):
        return None
    return data.annotation


async def refuse_loose_json(request: Request[Any, Any, Any]) -> None:
    """400 naming the field when the body holds a value of another JSON type than its schema's; a body that
    is no JSON at all is left to Litestar's own answer."""
    body_type = _json_body_type(request) if request.method in WRITES else None
    if body_type is None:
        return
    try:
        value = msgspec.json.decode(await request.body())
    except msgspec.DecodeError:
        return
    try:
        msgspec.convert(_whole_numbers(value), type=body_type, strict=True)
    except msgspec.ValidationError as exc:
        raise ValidationException(
            f"Validation failed for {request.method} {request.url.path}",
            extra=[{"message": str(exc), "key": "data", "source": "body"}],
        ) from exc


def _whole_numbers(value: Any) -> Any:
    """The decoded JSON with every float that is a whole number (`3.0`, `1e2`) as an int."""
    if isinstance(value, dict):
        return {key: _whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
