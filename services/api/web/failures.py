"""The dashboard's answers when the server, not the officer, failed: a Vietnamese page in the dashboard's
frame, never the API's English problem JSON. The same statuses and headers as the API's (503 with Retry-After
for a lost database, 503 for personal data no configured key opens, 500 for a bug), and the same log lines."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template
from litestar.types import ExceptionHandlersMap

from services.api.platform.outages import KEYS_UNAVAILABLE, RETRY_AFTER_SECONDS, UNAVAILABLE

from .common import page

CHECK_WHAT_WAS_RECORDED = "Nếu bạn vừa gửi biểu mẫu, hãy mở lại hồ sơ để xem việc đã được ghi vào sổ hay chưa."


def _server_failure(request: Request[Any, Any, Any], exc: Exception) -> Template:
    request.logger.exception("unhandled error on %s", request.url.path)
    return page("message.html", None, status_code=500, title="Máy chủ gặp lỗi",
                message=f"Yêu cầu chưa thực hiện được do lỗi phía máy chủ. {CHECK_WHAT_WAS_RECORDED}")  # fmt: skip


def _database_unavailable(request: Request[Any, Any, Any], exc: Exception) -> Template:
    request.logger.warning("database unavailable on %s: %s", request.url.path, str(exc).splitlines()[0:1])
    answer = page("message.html", None, status_code=503, title="Tạm thời chưa truy cập được sổ",
                  message=f"Máy chủ tạm mất kết nối tới cơ sở dữ liệu. Hãy thử lại sau ít phút. "
                          f"{CHECK_WHAT_WAS_RECORDED}")  # fmt: skip
    answer.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return answer


def _keys_unavailable(request: Request[Any, Any, Any], exc: Exception) -> Template:
    request.logger.error("sealed personal data did not open on %s: %s", request.url.path, exc)
    return page("message.html", None, status_code=503, title="Chưa mở được dữ liệu cá nhân",
                message="Máy chủ chưa được cấu hình khóa để mở dữ liệu cá nhân đã mã hóa của trang này. "
                        "Hãy báo quản trị hệ thống của tỉnh; dữ liệu trong sổ không bị ảnh hưởng.")  # fmt: skip


def failure_pages() -> ExceptionHandlersMap:
    """The web router's handlers for server-side failures: nearer than the app's, so they win under /web."""
    return {
        500: _server_failure,
        **dict.fromkeys(UNAVAILABLE, _database_unavailable),
        **dict.fromkeys(KEYS_UNAVAILABLE, _keys_unavailable),
    }
