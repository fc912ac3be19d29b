"""The API document's page at /schema, rendered here from the document itself: no script, no other origin.

Litestar's interactive viewers (Swagger UI, ReDoc, …) load their script from a CDN: a third party's code on
the dashboard's origin, and a blank page on a network without the internet (a party office). The contract is
`/schema/openapi.json`; this page lists its operations with links to it, for a person reading, and any
OpenAPI tool the reader trusts can load the JSON.
"""

from __future__ import annotations

from html import escape
from typing import Any

from litestar import Request
from litestar.openapi.plugins import OpenAPIRenderPlugin

METHODS = ("get", "put", "post", "delete", "patch")


def _rows(document: dict[str, Any]) -> list[str]:
    rows = []
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            token = "bearer" if operation.get("security") else "none"
            cells = (method.upper(), path, operation.get("operationId", ""), operation.get("summary", ""), token)
            rows.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    return rows


class OperationIndex(OpenAPIRenderPlugin):
    """Served at /schema: the operations of the document, each with its id, and the link to the JSON."""

    def __init__(self) -> None:
        super().__init__(path="/", favicon="", style="")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        info = openapi_schema.get("info", {})
        title = escape(f"{info.get('title', '')} {info.get('version', '')}".strip())
        document = escape(self.get_openapi_json_route(request))
        page = [
            '<!doctype html><html lang="en"><head><meta charset="utf-8">',
            f"<title>{title}</title></head><body><h1>{title}</h1>",
            f"<p>{escape(info.get('description', ''))}</p>",
            f'<p>The contract is the OpenAPI document <a href="{document}">{document}</a>.</p>',
            "<table><thead><tr><th>Method</th><th>Path</th><th>Operation</th><th>Summary</th><th>Token</th></tr>",
            "</thead><tbody>",
            *_rows(openapi_schema),
            "</tbody></table></body></html>",
        ]
        return "\n".join(page).encode()
