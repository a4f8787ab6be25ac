"""Login, logout, and how requests are authenticated (session cookie or API token)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlalchemy import select

from docmgr import audit
from docmgr.auth import throttle
from docmgr.auth.models import ApiToken, User
from docmgr.auth.permissions import PUBLIC, requires
from docmgr.db import session

bp = Blueprint("auth", __name__)


def init_login(app, login_manager: LoginManager, csrf) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "docmgr.auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = session().get(User, int(user_id)) if user_id.isdigit() else None
        return user if user and user.active else None

    @login_manager.request_loader
    def load_from_token(req) -> User | None:
        header = req.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        token = session().scalars(
            select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(header[7:].strip()))
        ).first()
        return token.user if token and token.user.active else None

    @app.before_request
    def check_csrf() -> None:
        # Token-authenticated API calls carry no cookie, so CSRF does not apply to them.
        if request.headers.get("Authorization", "").startswith("Bearer "):
            return
        if app.config.get("WTF_CSRF_ENABLED", True) and request.blueprint and request.blueprint.startswith("docmgr"):
            csrf.protect()

    @login_manager.unauthorized_handler
    def unauthorized():
        from docmgr.errors import wants_json

        if wants_json():
            return {"error": "Cần đăng nhập (phiên hoặc mã API)."}, 401
        flash(login_manager.login_message, "info")
        return redirect(url_for("docmgr.auth.login", next=request.full_path))


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("docmgr.documents.index")


@bp.route("/login", methods=["GET", "POST"])
@requires(PUBLIC)
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        address = request.remote_addr or "?"
        db = session()
        lock = throttle.check(db, username, address)
        if lock:
            current_app.logger.warning("login refused for %r from %s: locked", username, address)
            flash(lock.message, "error")
            return render_template("auth/login.html"), 429
        user = db.scalars(select(User).where(User.username == username)).first()
        if user and user.active and user.check_password(request.form.get("password", "")):
            login_user(user, remember=bool(request.form.get("remember")))
            throttle.clear(db, username)
            audit.record(db, "login", user)
            db.commit()
            return redirect(_safe_next(request.args.get("next")))
        throttle.record_failure(db, username, address)
        db.commit()
        current_app.logger.info("failed login for %r from %s", username, address)
        flash("Tên đăng nhập hoặc mật khẩu không đúng.", "error")
        return render_template("auth/login.html"), 401
    return render_template("auth/login.html")


@bp.route("/logout", methods=["POST"])
@requires("login")
def logout():
    logout_user()
    flash("Đã đăng xuất.", "info")
    return redirect(url_for("docmgr.auth.login"))
