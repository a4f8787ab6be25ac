"""docmgr's exceptions and the error handlers that turn them into pages and JSON."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from docmgr.db import session


class DocMgrError(Exception):
    """Base class. ``str(error)`` is a message for the user, in Vietnamese."""

    status = 500


class UserValueError(DocMgrError):
    """The user's input is not acceptable (HTTP 400)."""

    status = 400

    def __init__(self, message: str, field_errors: dict[str, str] | None = None):
        super().__init__(message)
        self.field_errors = field_errors or {}


class NotFoundError(DocMgrError):
    status = 404


class PermissionDeniedError(DocMgrError):
    status = 403


class ConflictError(DocMgrError):
    """Someone else holds what the user asked for (an edit lock); the message says who and until when."""

    status = 409


class SetupError(DocMgrError, RuntimeError):
    """docmgr is not set up right; the message says how to fix it."""


def is_api() -> bool:
    """Is this request under the JSON API (/api/…)?"""
    return request.path.startswith(_api_prefix())


def wants_json() -> bool:
    return is_api() or request.accept_mimetypes.best == "application/json"


def _api_prefix() -> str:
    return current_app.config.get("DOCMGR_URL_PREFIX", "").rstrip("/") + "/api/"


def _render(status: int, message: str, extra: dict | None = None):
    if wants_json():
        return jsonify({"error": message, **(extra or {})}), status
    return render_template("errors/error.html", status=status, message=message), status


_HTTP_MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy trang hoặc văn bản yêu cầu.",
    405: "Phương thức không được hỗ trợ.",
    413: "Tệp tải lên vượt quá dung lượng cho phép.",
    429: "Quá nhiều yêu cầu, vui lòng thử lại sau.",
}


def register_error_handlers(blueprint_or_app) -> None:
    @blueprint_or_app.errorhandler(DocMgrError)
    def handle_docmgr_error(error: DocMgrError):
        extra = {"fields": error.field_errors} if isinstance(error, UserValueError) and error.field_errors else None
        return _render(error.status, str(error), extra)

    @blueprint_or_app.errorhandler(OverflowError)
    def handle_overflow(error: OverflowError):
        # A number past what the database holds, from a field no check caught: the user's input, not a crash.

        session().rollback()
        return _render(400, "Giá trị số quá lớn hoặc không hợp lệ.")

    @blueprint_or_app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        if error.code == 401:
            return current_app.login_manager.unauthorized()
        message = _HTTP_MESSAGES.get(error.code or 500, error.description or "Lỗi.")
        if error.code == 413:
            message = f"{message[:-1]} (tối đa {current_app.config['DOCMGR_MAX_UPLOAD_MB']} MB)."
        if error.code == 400 and error.description and "CSRF" in error.description:
            message = "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ (CSRF). Vui lòng tải lại trang."
        return _render(error.code or 500, message)
