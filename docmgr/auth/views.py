"""Login, logout, and how requests are authenticated (session cookie or API token)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote, urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlalchemy import select

from docmgr import audit
from docmgr.auth import sessions, throttle
from docmgr.auth.guard import PUBLIC, requires
from docmgr.auth.models import ApiToken, User
from docmgr.db import session
from docmgr.errors import wants_json


bp = Blueprint("auth", __name__)


def init_login(app, login_manager: LoginManager, csrf) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "docmgr.auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(key: str) -> User | None:
        # The session cookie and the remember-me cookie name a login session (docmgr.auth.sessions):
        # once it is ended (logout, password change, disabled account), no copy of either works.
        return sessions.load(session(), key)

    @login_manager.request_loader
    def load_from_token(req) -> User | None:
        header = req.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        token = session().scalars(
            select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(header[7:].strip()))
        ).first()
        if token is None or not token.user.active:
            return None
        g.docmgr_token_auth = True
        return token.user

    @app.before_request
    def check_csrf() -> None:
        # A call authenticated by a valid API token carries no cookie, so CSRF does not apply to it. Not so
        # for any other request with a "Bearer" header: an invalid token, or a session cookie that
        # authenticated the request first (Flask-Login then never reads the token).
        if request.headers.get("Authorization", "").startswith("Bearer "):
            if current_user.is_authenticated and g.get("docmgr_token_auth"):
                return
        if app.config.get("WTF_CSRF_ENABLED", True) and request.blueprint and request.blueprint.startswith("docmgr"):
            csrf.protect()

    @login_manager.unauthorized_handler
    def unauthorized():
        if wants_json():
            return {"error": "Cần đăng nhập (phiên hoặc mã API)."}, 401
        flash(login_manager.login_message, "info")
        return redirect(url_for("docmgr.auth.login", next=request.full_path))


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path of this site only.

    Browsers drop tabs and line breaks inside a URL and read a backslash as a slash, so
    "/<tab>/evil.example" or "/\\evil.example" would leave the site: the target is checked after the same
    clean-up, and anything with a control character, a scheme or a host is refused.
    """
    default = url_for("docmgr.documents.index")
    if not target:
        return default
    # Checked as given and once more percent-decoded, so that no layer of decoding can make it leave.
    for form in (target, unquote(target)):
        if any(ord(c) < 32 or ord(c) == 127 for c in form):
            return default
        cleaned = form.replace("\\", "/")
        parts = urlsplit(cleaned)
        if parts.scheme or parts.netloc or not cleaned.startswith("/") or cleaned.startswith("//"):
            return default
    return target


@bp.route("/login", methods=["GET", "POST"])
@requires(PUBLIC)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    if request.method == "POST":
        username = request.form.get("username", "").strip()[:200]
        address = request.remote_addr or "?"
        db = session()
        attempt_id, lock = throttle.attempt(db, username, address)  # reserved and committed before checking
        if lock:
            current_app.logger.warning("login refused for %r from %s: locked", username, address)
            flash(lock.message, "error")
            return render_template("auth/login.html"), 429
        user = db.scalars(select(User).where(User.username == username)).first()
        if throttle.verify(user, request.form.get("password", "")):
            remember = bool(request.form.get("remember"))
            config = current_app.config
            lifetime = (dt.timedelta(days=int(config["DOCMGR_REMEMBER_DAYS"])) if remember
                        else dt.timedelta(hours=int(config["DOCMGR_SESSION_HOURS"])))
            sessions.start(db, user, remember=remember, lifetime=lifetime, remote_addr=address,
                           user_agent=request.headers.get("User-Agent", ""))
            login_user(user, remember=remember, duration=lifetime)
            throttle.succeeded(db, attempt_id, username, address)
            sessions.sweep(db)
            audit.record(db, "login", user)
            db.commit()
            return redirect(safe_next(request.args.get("next")))
        current_app.logger.info("failed login for %r from %s", username, address)
        flash("Tên đăng nhập hoặc mật khẩu không đúng.", "error")
        return render_template("auth/login.html"), 401
    return render_template("auth/login.html")


@bp.route("/logout", methods=["POST"])
@requires("login")
def logout():
    db = session()
    if not g.get("docmgr_token_auth"):
        sessions.end(db, current_user.login_key)
        db.commit()
    logout_user()
    flash("Đã đăng xuất.", "info")
    return redirect(url_for("docmgr.auth.login"))
