"""The users page (managers): accounts, roles, units, disable, unlock, tokens, password reset; and each
user's own account page (change password, log out everywhere). Every change goes through
:mod:`docmgr.auth.operations`."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user
from sqlalchemy import func, select

from docmgr import office
from docmgr.auth import operations as accounts
from docmgr.auth import sessions, throttle
from docmgr.auth.guard import requires
from docmgr.auth.models import ApiToken, Group, LoginSession, User
from docmgr.db import session
from docmgr.errors import NotFoundError, UserValueError
from docmgr.workflow.definitions import ROLES


bp = Blueprint("users", __name__)


def _get(user_id: int) -> User:
    user = session().get(User, user_id)
    if user is None:
        raise NotFoundError("Không có tài khoản này.")
    return user


def _groups(db, form) -> list[Group]:
    ids = [int(i) for i in form.getlist("units") if i.isdigit()]
    found = list(db.scalars(select(Group).where(Group.id.in_(ids)))) if ids else []
    if len(found) != len(set(ids)):
        raise UserValueError("Có đơn vị không tồn tại.")
    return found


def _counts(db, model) -> dict[int, int]:
    return dict(db.execute(select(model.user_id, func.count()).group_by(model.user_id)).all())


@bp.get("/users")
@requires("manage")
def users():
    db = session()
    rows = db.scalars(select(User).order_by(User.username)).all()
    return render_template("auth/users.html", users=rows, roles=ROLES, sessions=_counts(db, LoginSession),
                           tokens=_counts(db, ApiToken),
                           failures=_failures(db, rows))


def _failures(db, users) -> dict[int, int]:
    counts = throttle.failures_by_account(db)
    return {u.id: counts.get(throttle.account_key(u.username), 0) for u in users}


def _form_context(db, user: User | None, **extra) -> dict:
    return {"user": user, "roles": ROLES, "units": db.scalars(select(Group).order_by(Group.name)).all(),
            "tokens": accounts.tokens(db, user) if user else [],
            "sessions": sessions.of_user(db, user) if user else [],
            "failures": throttle.failures(db, user.username) if user else 0, **extra}


@bp.route("/users/new", methods=["GET", "POST"])
@requires("manage")
def new_user():
    db = session()
    if request.method == "POST":
        form = request.form
        try:
            user = accounts.create_account(db, form.get("username", ""), form.get("password", ""),
                                           form.getlist("roles"), form.get("full_name", ""), _groups(db, form),
                                           by=current_user)
            db.commit()
        except UserValueError as exc:
            db.rollback()
            return render_template("auth/user.html", values=form, error=str(exc),
                                   errors=exc.field_errors, **_form_context(db, None)), 400
        flash(f"Đã tạo tài khoản «{user.username}».", "success")
        return redirect(url_for(".user_detail", user_id=user.id))
    return render_template("auth/user.html", values={}, error=None, errors={}, **_form_context(db, None))


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
@requires("manage")
def user_detail(user_id: int):
    db = session()
    user = _get(user_id)
    if request.method == "POST":
        form = request.form
        try:
            accounts.update_account(db, user, roles=form.getlist("roles"), full_name=form.get("full_name", ""),
                                    groups=_groups(db, form), by=current_user)
            db.commit()
        except UserValueError as exc:
            db.rollback()
            return render_template("auth/user.html", values=form, error=str(exc), errors=exc.field_errors,
                                   **_form_context(db, _get(user_id))), 400
        flash("Đã lưu tài khoản.", "success")
        return redirect(url_for(".user_detail", user_id=user.id))
    values = {"full_name": user.full_name, "roles": sorted(user.roles), "units": [g.id for g in user.groups]}
    return render_template("auth/user.html", values=values, error=None, errors={}, **_form_context(db, user))


def _act(user_id: int, action) -> object:
    """Run one account action for the users page; a refusal is shown, never a dead end."""
    db = session()
    user = _get(user_id)
    try:
        message = action(db, user)
        db.commit()
    except (UserValueError, NotFoundError) as exc:
        db.rollback()
        flash(str(exc), "error")
    else:
        flash(message, "success")
    return redirect(url_for(".user_detail", user_id=user_id))


@bp.post("/users/<id:user_id>/password")
@requires("manage")
def reset_password(user_id: int):
    def act(db, user):
        password = accounts.reset_password(db, user, by=current_user)
        return (f"Mật khẩu mới của «{user.username}»: {password} — chỉ hiện một lần; mọi phiên đăng nhập và "
                "mã API cũ của tài khoản đã chấm dứt.")
    return _act(user_id, act)


@bp.post("/users/<id:user_id>/active")
@requires("manage")
def set_active(user_id: int):
    active = request.form.get("active") == "1"

    def act(db, user):
        accounts.set_active(db, user, active, by=current_user)
        return "Đã mở khóa tài khoản." if active else "Đã khóa tài khoản: mọi phiên và mã API đã chấm dứt."
    return _act(user_id, act)


@bp.post("/users/<id:user_id>/unlock")
@requires("manage")
def unlock(user_id: int):
    def act(db, user):
        accounts.unlock(db, user, by=current_user)
        return "Đã gỡ khóa đăng nhập sai: tài khoản đăng nhập lại được ngay."
    return _act(user_id, act)


@bp.post("/users/<id:user_id>/logout-all")
@requires("manage")
def logout_all(user_id: int):
    def act(db, user):
        ended = accounts.log_out_everywhere(db, user, by=current_user)
        return f"Đã đăng xuất «{user.username}» khỏi {ended} phiên."
    return _act(user_id, act)


@bp.post("/users/<id:user_id>/tokens")
@requires("manage")
def issue_token(user_id: int):
    def act(db, user):
        token, secret = accounts.issue_token(db, user, request.form.get("name", ""), by=current_user)
        return f"Mã API số {token.id}: {secret} — chỉ hiện một lần, hãy chép lại ngay."
    return _act(user_id, act)


@bp.post("/users/<id:user_id>/tokens/<id:token_id>/revoke")
@requires("manage")
def revoke_token(user_id: int, token_id: int):
    def act(db, user):
        accounts.revoke_token(db, user, token_id, by=current_user)
        return f"Đã thu hồi mã API số {token_id}."
    return _act(user_id, act)


# -- one's own account -------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@requires("manage")
def office_settings():
    """«Thông tin cơ quan»: the name, parent body, place and routing-slip notation printed on every form."""
    db = session()
    if request.method == "POST":
        values = {key: request.form.get(key) for key in office.SETTINGS}
        try:
            office.save(db, values, current_user)
        except UserValueError as exc:
            db.rollback()
            flash(str(exc), "error")
            return render_template("auth/settings.html", fields=office.SETTINGS, values=values,
                                   errors=exc.field_errors), 400
        db.commit()
        flash("Đã lưu thông tin cơ quan.", "success")
        return redirect(url_for(".office_settings"))
    return render_template("auth/settings.html", fields=office.SETTINGS, values=office.settings(db), errors={})


@bp.route("/account", methods=["GET", "POST"])
@requires("login")
def account():
    db = session()
    if request.method == "POST":
        form = request.form
        if not current_user.check_password(form.get("current_password", "")):
            flash("Mật khẩu hiện tại không đúng.", "error")
        elif form.get("password", "") != form.get("confirm", ""):
            flash("Hai lần nhập mật khẩu mới không khớp.", "error")
        else:
            try:
                accounts.set_password(db, current_user, form.get("password", ""), by=current_user)
                db.commit()
            except UserValueError as exc:
                db.rollback()
                flash(str(exc), "error")
            else:
                logout_user()
                flash("Đã đổi mật khẩu; mọi phiên đăng nhập đã chấm dứt. Hãy đăng nhập lại.", "success")
                return redirect(url_for("docmgr.auth.login"))
        return redirect(url_for(".account"))
    return render_template("auth/account.html", sessions=sessions.of_user(db, current_user))


@bp.post("/account/logout-all")
@requires("login")
def account_logout_all():
    db = session()
    accounts.log_out_everywhere(db, current_user, by=current_user)
    db.commit()
    logout_user()
    flash("Đã đăng xuất khỏi mọi nơi.", "info")
    return redirect(url_for("docmgr.auth.login"))
