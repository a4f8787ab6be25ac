"""``docmgr user …``: accounts, passwords, API tokens, disabling, unlocking, logging out everywhere."""

from __future__ import annotations

from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import with_appcontext

from docmgr.auth import operations
from docmgr.auth import operations as accounts
from docmgr.auth.operations import create_user, set_password_for
from docmgr.errors import DocMgrError
from docmgr.web import format_datetime
from docmgr.workflow.definitions import ROLES


@click.group("user")
def user_group() -> None:
    """Quản lý tài khoản."""


@user_group.command("create")
@click.argument("username")
@click.option("--role", "roles", multiple=True, type=click.Choice(sorted(ROLES)), required=True)
@click.option("--password", default=None, help="Bỏ trống để được hỏi (không hiện trên màn hình).")
@click.option("--full-name", default="")
@click.option("--group", "groups", multiple=True, metavar="G",
              help="Đơn vị (phòng, ban) của tài khoản, theo tên hoặc mã; chưa có thì được tạo. Lặp lại được.")
@with_appcontext
def user_create(username, roles, password, full_name, groups) -> None:
    """Tạo tài khoản với vai trò (và đơn vị)."""
    if password is None:
        password = click.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(current_app, username, password, set(roles), full_name, groups)
    except DocMgrError as exc:
        raise click.ClickException(str(exc)) from exc
    units = f"; đơn vị: {', '.join(groups)}" if groups else ""
    click.echo(f"Đã tạo tài khoản {user.username} ({', '.join(ROLES[r] for r in roles)}{units}).")


@user_group.command("password")
@click.argument("username")
@click.option("--password", default=None)
@with_appcontext
def user_password(username, password) -> None:
    """Đặt lại mật khẩu."""
    if password is None:
        password = click.prompt("Mật khẩu mới", hide_input=True, confirmation_prompt=True)
    try:
        set_password_for(current_app, username, password)
    except DocMgrError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("Đã đổi mật khẩu.")


@user_group.command("token")
@click.argument("username")
@click.option("--name", default="cli", help="Tên gợi nhớ của mã mới.")
@click.option("--list", "list_", is_flag=True, help="Liệt kê các mã API của tài khoản (số, tên, ngày cấp).")
@click.option("--revoke", "revoke", type=int, default=None, metavar="ID", help="Thu hồi mã API số ID.")
@with_appcontext
def user_token(username, name, list_, revoke) -> None:
    """Cấp mã API (Bearer) cho tài khoản (mã chỉ hiện một lần); --list liệt kê, --revoke ID thu hồi."""
    with _account_session(username) as (db, user):
        if list_:
            for token in accounts.tokens(db, user):
                click.echo(f"{token.id}\t{token.name}\t{format_datetime(token.created_at)}")
            return
        if revoke is not None:
            accounts.revoke_token(db, user, revoke)
            db.commit()
            click.echo(f"Đã thu hồi mã API số {revoke} của {user.username}.")
            return
        _, secret = accounts.issue_token(db, user, name)
        db.commit()
        click.echo(secret)


@contextmanager
def _account_session(username: str):
    """A database session and the account named; docmgr's errors become the command's error message."""
    state = current_app.extensions["docmgr"]
    with state.sessionmaker() as db:
        try:
            yield db, accounts.get_user(db, username)
        except DocMgrError as exc:
            db.rollback()
            raise click.ClickException(str(exc)) from exc


def _account_command(name: str, help_text: str, act) -> None:
    """``docmgr user NAME USERNAME``: one account operation (:mod:`docmgr.auth.operations`), committed; ``act``
    takes the session and the account and returns the line to print."""

    @user_group.command(name, help=help_text)
    @click.argument("username")
    @with_appcontext
    def command(username) -> None:
        with _account_session(username) as (db, user):
            message = act(db, user)
            db.commit()
        click.echo(message)


def _disable(db, user) -> str:
    operations.set_active(db, user, False)
    return f"Đã khóa tài khoản {user.username}."


def _enable(db, user) -> str:
    operations.set_active(db, user, True)
    return f"Đã mở khóa tài khoản {user.username}."


def _unlock(db, user) -> str:
    return f"Đã gỡ khóa {user.username} ({operations.unlock(db, user)} lần đăng nhập sai được xóa)."


def _logout(db, user) -> str:
    return f"Đã đăng xuất {user.username} khỏi {operations.log_out_everywhere(db, user)} phiên."


_account_command("disable", "Khóa tài khoản: mọi phiên đăng nhập và mã API chấm dứt ngay.", _disable)
_account_command("enable", "Mở khóa tài khoản.", _enable)
_account_command("unlock", "Gỡ khóa do đăng nhập sai quá nhiều lần.", _unlock)
_account_command("logout", "Đăng xuất tài khoản khỏi mọi nơi (mọi phiên, cả «Ghi nhớ đăng nhập»).", _logout)
