"""The Vietnamese web dashboard: server-rendered pages under /web on the API's own app, the API's walls and
read path, no script and nothing fetched from the internet (DESIGN §8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Request, Router
from litestar.di import Provide
from litestar.exceptions import NotAuthorizedException, NotFoundException, PermissionDeniedException
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect, Template
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import BeforeMessageSendHookHandler

from services.api.platform.headers import security_headers
from services.commands.walls import NotFound
from services.settings import Settings

from .accounts import (
    assign,
    create_user,
    deactivate,
    end,
    holders_page,
    reset,
    revoke,
    sign_ins_page,
    user_page,
    users_page,
)
from .audit_pages import audit_page, audit_verify, person_as_of, unit_as_of, unit_history
from .charts import funnel_svg, plan_svg
from .common import page
from .erasure import erase, erasure_form
from .failures import failure_pages
from .file_requests import file_requests_page, grant_file_request, refuse_file_request, send_file_request
from .format import FILTERS
from .labels import clock_label
from .my_account import account_page, change_my_password, confirm_totp, offer_totp
from .people import person, take_step
from .person_reads import person_reads_page
from .retention import retention_page
from .retractions import confirm_retraction, retract
from .roll_import import import_page, import_template, import_upload
from .session import PREFIX, csrf_config, signed_in, who
from .signin import home, sign_in, sign_in_page, sign_out, sso_callback, sso_start
from .statistics import statistics_page, statistics_workbook
from .transfers import incoming_transfers, present_transfer
from .units import open_file, unit_dashboard, unit_files, unit_tree

HERE = Path(__file__).parent
STATIC = f"{PREFIX}/static"
"""The stylesheet: no personal data, so a browser may cache it."""


def page_headers() -> BeforeMessageSendHookHandler:
    """The security headers of every answer, the dashboard's pages (no script, never stored) told apart."""
    return security_headers(PREFIX, STATIC)


def _engine(engine: JinjaTemplateEngine) -> None:
    engine.engine.filters.update(FILTERS)
    engine.engine.globals.update(prefix=PREFIX, funnel_svg=funnel_svg, plan_svg=plan_svg, who=who, clock_vi=clock_label)


def web_templates() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine, engine_callback=_engine)


def _sign_in_again(request: Request[Any, Any, Any], exc: NotAuthorizedException) -> Redirect:
    return Redirect(f"{PREFIX}/sign-in")


def _missing(request: Request[Any, Any, Any], exc: NotFoundException | NotFound) -> Template:
    """Outside the walls and nonexistent read the same, as in the API (I8)."""
    return page("message.html", None, status_code=404, title="Không tìm thấy",
                message="Không có trang này trong phạm vi đơn vị của bạn.")  # fmt: skip


def _forbidden(request: Request[Any, Any, Any], exc: PermissionDeniedException) -> Template:
    return page("message.html", None, status_code=403, title="Yêu cầu bị từ chối",
                message="Phiên làm việc của biểu mẫu không hợp lệ; hãy tải lại trang rồi gửi lại.")  # fmt: skip


def web_router(settings: Settings) -> Router:
    """Every page under /web, out of the OpenAPI document; forms guarded by CSRF tokens."""
    pages = Router(
        path="/",
        route_handlers=[
            unit_tree, unit_dashboard, unit_files, open_file, person, take_step, person_reads_page,
            statistics_page, statistics_workbook,
            audit_page, audit_verify, incoming_transfers, present_transfer,
            unit_history,
            unit_as_of,
            person_as_of,
            confirm_retraction,
            retract,
            erasure_form,
            erase,
            retention_page,
            users_page, create_user, user_page, assign, end, reset, revoke, deactivate, holders_page, sign_ins_page,
            file_requests_page, send_file_request, grant_file_request, refuse_file_request,
            import_page, import_template, import_upload,
            account_page, change_my_password, offer_totp, confirm_totp,
        ],
        dependencies={"viewer": Provide(signed_in, sync_to_thread=False)},
    )  # fmt: skip
    return Router(
        path=PREFIX,
        route_handlers=[
            home,
            sign_in_page,
            sign_in,
            sign_out,
            sso_start,
            sso_callback,
            pages,
            create_static_files_router(path="/static", directories=[HERE / "static"], include_in_schema=False),
        ],
        include_in_schema=False,
        middleware=[DefineMiddleware(CSRFMiddleware, config=csrf_config(settings))],
        exception_handlers={
            NotAuthorizedException: _sign_in_again,
            NotFoundException: _missing,
            NotFound: _missing,
            PermissionDeniedException: _forbidden,
            **failure_pages(),
        },
    )
