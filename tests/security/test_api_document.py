"""The API document is served without any third-party origin: /schema/openapi.json is the contract and /schema
a script-free page listing its operations. The CDN viewers (a stranger's script on the dashboard's origin,
and a blank page offline) are gone."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import Client

ADDRESS = re.compile(r"(?:https?:)?//[a-z0-9.-]+", re.IGNORECASE)


def test_the_document_page_lists_every_operation_with_no_script_and_no_other_origin(client: Client) -> None:
    page = client.get("/schema")
    document = client.get("/schema/openapi.json").json()

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert ADDRESS.findall(page.text) == []
    assert "<script" not in page.text.lower() and "<link" not in page.text.lower()
    assert 'href="/schema/openapi.json"' in page.text
    operations = {op["operationId"] for item in document["paths"].values() for op in item.values()}
    assert operations and all(f"<td>{operation}</td>" in page.text for operation in operations)
    assert "default-src 'none'" in page.headers["content-security-policy"]


@pytest.mark.parametrize("viewer", ["swagger", "redoc", "elements", "rapidoc", "scalar"])
def test_no_viewer_that_loads_a_cdn_script_is_served(client: Client, viewer: str) -> None:
    answer = client.get(f"/schema/{viewer}")
    assert answer.status_code == 404
    assert ADDRESS.findall(answer.text) == []
