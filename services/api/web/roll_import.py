"""`/web/import`: the provincial administrator loads the roll's workbook — check it, read the refusals row by
row, then confirm — through the one import use case (`services.commands.roll_import`), as the CLI does.

The checked file waits for the confirmation in the data folder under its SHA-256 (readable by this process
only, removed once written or after a day): the confirmation names the file by that digest and is decided
again, under the confirming caller's walls, before anything is written.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from io import BytesIO
from pathlib import Path
from typing import Annotated, Any, Final

from litestar import Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template

from services.commands.actors import Actor, Role
from services.commands.roll_import import ImportReport, import_roll
from services.commands.roll_sheets import read_roll
from services.commands.roll_template import roll_template
from services.commands.walls import NotFound, today
from services.ledger import Ledger

from .common import Viewer, page
from .session import Context

XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES: Final = 64 << 20
"""A city's roll (400,000 members) is about 30 MB; the rest of the dashboard keeps the API's small limit."""
KEEP_SECONDS: Final = 24 * 3600
SHOWN: Final = 500
DIGEST: Final = re.compile(r"[0-9a-f]{64}")
Upload = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


def _administrator(viewer: Actor) -> None:
    """Only the provincial administrator loads a roll; anyone else finds no such page (I8)."""
    if viewer.role is not Role.PROVINCIAL_ADMIN:
        raise NotFound("import is the provincial administrator's")


def _folder(ledger: Ledger) -> Path:
    folder = ledger.settings.data_dir / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    return folder


def _keep(ledger: Ledger, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()
    path = _folder(ledger) / f"{digest}.xlsx"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(content)
    return digest


@get("/import", sync_to_thread=False)
def import_page(viewer: Viewer) -> Template:
    _administrator(viewer)
    return page("roll_import.html", viewer, report=None)


@get("/import/template.xlsx", sync_to_thread=True)
def import_template(viewer: Viewer, ledger: Context) -> Response[bytes]:
    """The template, its example under the caller's own province (one function makes it, as for the CLI)."""
    _administrator(viewer)
    root = ledger.tree().latest(viewer.unit_id)
    content = roll_template(root.code if root else "TINH", today())
    headers = {"Content-Disposition": 'attachment; filename="mau-nhap-so-dang-vien.xlsx"'}
    return Response(content, media_type=XLSX, headers=headers)


@post("/import", sync_to_thread=True, status_code=200, request_max_body_size=MAX_UPLOAD_BYTES)
def import_upload(data: Upload, viewer: Viewer, ledger: Context) -> Template:
    """Check an uploaded file (nothing written), or write one checked before (`upload` names it)."""
    _administrator(viewer)
    only_clean = data.get("only_clean") == "on"
    upload, chosen = data.get("upload"), data.get("file")
    if isinstance(chosen, UploadFile) and chosen.filename:
        content, write = chosen.file.read(), False
        digest = _keep(ledger, content)
    elif isinstance(upload, str) and DIGEST.fullmatch(upload) and (_folder(ledger) / f"{upload}.xlsx").exists():
        digest, write = upload, True
        content = (_folder(ledger) / f"{digest}.xlsx").read_bytes()
    else:
        return _answer(viewer, None, error="Hãy chọn tệp Excel (.xlsx) theo mẫu để kiểm tra.")
    try:
        roll = read_roll(BytesIO(content))
    except Exception:  # not a workbook at all: one sentence, never a 500
        return _answer(viewer, None, error="Không đọc được tệp: hãy lưu tệp dưới dạng Excel (.xlsx) theo mẫu.")
    report = import_roll(ledger, viewer, roll, write=write, only_clean=only_clean)
    if report.written:
        (_folder(ledger) / f"{digest}.xlsx").unlink(missing_ok=True)
    return _answer(viewer, report, digest=digest, only_clean=only_clean)


def _answer(viewer: Actor, report: ImportReport | None, **context: Any) -> Template:
    status = 422 if context.get("error") else 200
    shown = report.problems[:SHOWN] if report else []
    return page("roll_import.html", viewer, status_code=status, report=report, problems=shown, **context)
