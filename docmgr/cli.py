"""The `docmgr` command: thin click wrappers over plain functions.

Every command runs inside the app that create_app() builds, so it honours
DOCMGR_INSTANCE, DOCMGR_DATABASE_URL, DOCMGR_SEARCH_INDEX and instance/config.py.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from docmgr.auth.permissions import ROLES
from docmgr.errors import DocMgrError


def _create_app(*_args):
    from docmgr import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True, add_version_option=False)
def main() -> None:
    """docmgr — quản lý văn bản cho văn thư cơ quan."""


def register_commands(app) -> None:
    """Add docmgr's commands to a host app's `flask` CLI as well (flask docmgr …)."""
    app.cli.add_command(_docmgr_group)


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.command("init")
@click.option("--sample/--no-sample", default=False, help="Nạp các văn bản mẫu (lần đầu).")
@click.option("--admin/--no-admin", default=False, help="Tạo tài khoản admin nếu chưa có.")
@with_appcontext
def init_command(sample: bool, admin: bool) -> None:
    """Tạo hoặc nâng cấp cơ sở dữ liệu và các thư mục (chạy lại nhiều lần không sao)."""
    from docmgr.instance import create_admin, init_instance, load_samples

    revision = init_instance(current_app)
    click.echo(f"Cơ sở dữ liệu ở phiên bản {revision}.")
    if admin:
        password = create_admin(current_app)
        if password:
            click.echo(f"Đã tạo tài khoản quản trị: admin / {password}")
            click.echo(f"(mật khẩu cũng được ghi vào {Path(current_app.instance_path) / 'admin-password.txt'})")
        else:
            click.echo("Tài khoản admin đã có; đổi mật khẩu bằng: docmgr user password admin")
    if sample:
        summary = load_samples(current_app)
        click.echo(f"Văn bản mẫu: nhập {summary.imported}, bỏ qua {summary.skipped} (đã có).")
        if summary.index_error:
            click.echo(f"Cảnh báo: {summary.index_error}")


@click.command("extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="In một đối tượng JSON.")
def extract_command(file: Path, as_json: bool) -> None:
    """Đọc một tệp và in siêu dữ liệu trích được."""
    from docmgr.extraction import ReadError, ReadLimits
    from docmgr.extraction.sandbox import extract_path

    try:
        extracted = extract_path(file, file.name, ReadLimits())  # in a limited process, as uploads are
    except ReadError as exc:
        raise click.ClickException(f"{file}: {exc}") from exc
    data = extracted.metadata.as_json()
    if as_json:
        _echo_json(data)
        return
    from docmgr.documents.operations import FIELDS

    labels = {**FIELDS, "notation": "Ký hiệu", "doc_type_code": "Mã loại"}
    for key, value in data.items():
        if key == "recipients":
            click.echo(f"{labels[key]}:")
            for line in value:
                click.echo(f"  - {line}")
        else:
            click.echo(f"{labels.get(key, key)}: {value if value is not None else '—'}")
    for warning in extracted.warnings:
        click.echo(f"Cảnh báo: {warning}")


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--direction", type=click.Choice(["incoming", "outgoing", "internal"]), default=None,
              help="Văn bản đến (incoming), đi (outgoing) hay nội bộ (internal).")
@click.option("--json", "as_json", is_flag=True, help="In bản tóm tắt dạng JSON.")
@click.option("--user", "username", default=None, help="Ghi nhận người nhập (tên đăng nhập).")
@with_appcontext
def import_command(paths, direction, as_json, username) -> None:
    """Nhập các tệp và thư mục: trích siêu dữ liệu, lưu bản gốc, tạo văn bản."""
    from docmgr.instance import run_import

    summary = run_import(current_app, paths, direction=direction, username=username, progress=not as_json)
    if as_json:
        _echo_json(summary.as_json())
    else:
        click.echo(f"Đã nhập: {summary.imported} · Bỏ qua (đã có): {summary.skipped} · Lỗi: {len(summary.failed)}")
        for failure in summary.failed:
            click.echo(f"  Lỗi {failure['path']}: {failure['error']}")
        for dup in summary.duplicates:
            click.echo(f"  Cảnh báo {dup['path']} (#{dup['document_id']}): {dup['warning']}")
        if summary.index_error:
            click.echo(f"Cảnh báo: {summary.index_error}")
    if summary.failed or summary.index_error:
        sys.exit(1)


@click.command("check")
@click.option("--repair", is_flag=True, help="Sửa những gì sửa được an toàn (tệp mồ côi chuyển vào lost+found/).")
@click.option("--verify", is_flag=True, help="Đọc lại mọi tệp gốc và so mã băm SHA-256.")
@click.option("--grace-hours", type=float, default=24, show_default=True,
              help="Tệp mồ côi mới hơn chừng này giờ được để yên (có thể đang chờ xác nhận tải lên).")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def check_command(repair, verify, grace_hours, as_json) -> None:
    """Kiểm tra cơ sở dữ liệu và kho tệp gốc có khớp nhau không."""
    from docmgr.documents.consistency import check_store

    state = current_app.extensions["docmgr"]
    with state.sessionmaker() as db:
        report = check_store(db, state.files, repair=repair, verify=verify, grace_hours=grace_hours,
                             private=_private_instance_files())
    if as_json:
        _echo_json(report.as_json())
    else:
        click.echo(f"Tệp gốc trong cơ sở dữ liệu: {report.blobs} · trong kho: {report.files}")
        labels = (("missing", "Thiếu tệp (cần khôi phục từ bản sao lưu)"), ("damaged", "Tệp bị hỏng (mã băm sai)"),
                  ("orphans", "Tệp mồ côi (không văn bản nào dùng)"), ("temporary", "Tệp ghi dở"),
                  ("modes", "Tệp người khác trên máy đọc được (cần chỉ chủ sở hữu: chmod 600)"))
        for key, label in labels:
            items = getattr(report, key)
            if items:
                click.echo(f"{label}: {len(items)}")
                for item in items[:20]:
                    click.echo(f"  {item}")
        if report.repaired.get("modes_fixed"):
            click.echo(f"Đã sửa quyền truy cập của {report.repaired['modes_fixed']} tệp/thư mục (chỉ chủ sở hữu).")
        if report.repaired:
            click.echo(f"Đã sửa: chuyển {report.repaired['orphans_quarantined']} tệp mồ côi vào lost+found/, "
                       f"xóa {report.repaired['temporary_deleted']} tệp ghi dở.")
        click.echo("Nhất quán." if report.ok else "Có vấn đề (xem trên).")
    if not report.ok:
        sys.exit(1)


def _private_instance_files() -> list[Path]:
    """The instance's own secrets: the SQLite database (and its WAL files), the secret key, the admin
    password file."""
    from sqlalchemy.engine import make_url

    instance = Path(current_app.instance_path)
    out = [instance / "secret_key", instance / "admin-password.txt"]
    url = make_url(current_app.config["DOCMGR_DATABASE_URL"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        out += [Path(url.database + suffix) for suffix in ("", "-wal", "-shm")]
    return out


@click.command("search")
@click.argument("query", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="In JSON như GET /api/search.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Số kết quả mỗi trang.")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--sort", type=click.Choice(["relevance", "date_desc", "date_asc", "number"]), default="relevance",
              show_default=True)
@click.option("--user", "username", default=None,
              help="Chỉ trả những văn bản tài khoản này được xem (mặc định: tất cả).")
@with_appcontext
def search_command(query, as_json, limit, page, sort, username) -> None:
    """Tìm văn bản: từ có hoặc không dấu, "cụm từ", OR, -từ, so:, loai:, coquan:, nam:, tu:/den:…"""
    from docmgr import search

    state = current_app.extensions["docmgr"]
    user = None
    try:
        if username:
            with state.sessionmaker() as db:
                user = _user(db, username)
                user.roles  # noqa: B018 - load the roles before the session closes
        results = search.search(state, " ".join(query), user=user, page=page, per_page=limit, sort=sort)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    except (search.QueryError, search.SearchError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        _echo_json(results.as_json())
        return
    click.echo(f"{results.total} văn bản" + (f" · trang {page}/{results.pages}" if results.pages > 1 else ""))
    if results.suggestion:
        click.echo(f"Có phải bạn muốn tìm: {results.suggestion}")
    for hit in results.hits:
        date = hit["issued_on"].strftime("%d/%m/%Y") if hit["issued_on"] else "—"
        click.echo(f"#{hit['id']:<6} {hit['number'] or '—':<22} {date}  {hit['subject'] or ''}"[:160])


def _find_document(db, ref: str):
    """A document by "#12" / "12" (its id) or by its number ("65/KH-UBND", any case or accents)."""
    from sqlalchemy import select

    from docmgr.documents.models import Document
    from docmgr.text import number_folded_key

    key = ref.strip().lstrip("#")
    doc = db.get(Document, int(key)) if key.isdigit() else db.scalars(
        select(Document).where(Document.number_key == number_folded_key(ref)).order_by(Document.id)).first()
    if doc is None:
        raise click.ClickException(f"Không có văn bản «{ref}».")
    return doc


@click.command("transition")
@click.argument("document")
@click.argument("name", required=False)
@click.option("--user", "username", default=None,
              help="Thực hiện với quyền của tài khoản này (mặc định: hệ thống, không kiểm tra quyền).")
@click.option("--comment", default="", help="Ý kiến / lý do (bắt buộc với trả lại, thu hồi).")
@click.option("--set", "values", multiple=True, metavar="KEY=VALUE",
              help="Dữ liệu của thao tác: notation=KH-UBND (ban hành), lead_unit=…, cooperating_units=…, "
                   "deadline=dd/mm/yyyy, opinion=… (phân công).")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def transition_command(document, name, username, comment, values, as_json) -> None:
    """Chuyển trạng thái văn bản DOCUMENT (số #id hoặc số, ký hiệu); không có NAME thì liệt kê các thao tác."""
    from docmgr.documents.transitions import available, transition
    from docmgr.errors import DocMgrError

    state = current_app.extensions["docmgr"]
    data = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep:
            raise click.BadParameter(f"«{value}» phải có dạng KEY=VALUE.", param_hint="--set")
        data[key.strip()] = text
    with state.sessionmaker() as db:
        user = _user(db, username) if username else None
        doc = _find_document(db, document)
        if not name:
            steps = available(doc, user)
            if as_json:
                _echo_json({"id": doc.id, "state": doc.state, "transitions": [t.name for t in steps]})
            else:
                click.echo(f"#{doc.id} {doc.title}: {doc.state_title} ({doc.state})")
                for step in steps:
                    click.echo(f"  {step.name:10} {step.title}" + (" — cần --comment" if step.needs_comment else ""))
            return
        try:
            event = transition(db, doc, name, user, comment, data)
            db.commit()
        except DocMgrError as exc:
            db.rollback()
            raise click.ClickException(str(exc)) from exc
        if as_json:
            _echo_json({"id": doc.id, "state": doc.state, "number": doc.number,
                        "arrival_number": doc.arrival_number, "detail": event.detail})
        else:
            click.echo(f"#{doc.id} → {doc.state_title} ({doc.state})"
                       + "".join(f" · {k}: {v}" for k, v in event.detail.items() if v))


@click.command("workflow")
@click.option("--json", "as_json", is_flag=True)
def workflow_command(as_json) -> None:
    """In các quy trình: trạng thái, quyền của từng vai trò ở mỗi trạng thái, các thao tác chuyển."""
    from docmgr.auth.permissions import PERMISSIONS, ROLES
    from docmgr.workflow import INCOMING, OUTGOING, ROLE_TITLES, STATE_PERMISSIONS

    titles = {**ROLES, **ROLE_TITLES}
    order = list(titles)
    if as_json:
        _echo_json({w.name: {
            "states": {s.name: {"title": s.title, "permissions": {p: sorted(s.roles_with(p)) for p in STATE_PERMISSIONS}}
                       for s in w.states.values()},
            "transitions": {t.name: {"title": t.title, "from": list(t.sources), "to": t.target, "guard": t.guard}
                            for t in w.transitions.values()}} for w in (OUTGOING, INCOMING)})
        return
    for workflow in (OUTGOING, INCOMING):
        click.echo(f"== {workflow.title} ==")
        for state in workflow.states.values():
            click.echo(f"{state.title} ({state.name})")
            for permission in STATE_PERMISSIONS:
                roles = ", ".join(titles[r] for r in sorted(state.roles_with(permission), key=order.index)) or "—"
                click.echo(f"    {PERMISSIONS[permission]:18} {roles}")
        for step in workflow.transitions.values():
            sources = ", ".join(workflow.states[s].title for s in step.sources)
            click.echo(f"  {step.title}: {sources} → {workflow.states[step.target].title} "
                       f"(quyền «{PERMISSIONS[step.guard]}»)")
        click.echo()


@click.command("reindex")
@click.option("--batch", type=click.IntRange(10, 10000), default=100, show_default=True,
              help="Số văn bản đọc từ cơ sở dữ liệu mỗi lượt.")
@click.option("--quiet", is_flag=True, help="Không hiện thanh tiến độ.")
@with_appcontext
def reindex_command(batch, quiet) -> None:
    """Dựng lại chỉ mục tìm kiếm từ cơ sở dữ liệu (chỉ mục cũ vẫn dùng được đến khi xong)."""
    from tqdm import tqdm

    from docmgr import search
    from docmgr.documents.models import Document

    state = current_app.extensions["docmgr"]
    with state.sessionmaker() as db:
        total = db.query(Document).count()
    bar = tqdm(total=total, unit="văn bản", disable=quiet, leave=False)
    try:
        result = search.reindex(state, progress=bar.update, batch=batch)
    except search.SearchError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        bar.close()
    click.echo(f"Đã dựng lại chỉ mục: {result['documents']} văn bản ({result['generation']}"
               + (f", cập nhật thêm {result['caught_up']} thay đổi trong lúc dựng" if result["caught_up"] else "")
               + ").")


@click.group("index")
def index_group() -> None:
    """Chỉ mục tìm kiếm."""


@index_group.command("check")
@click.option("--repair", is_flag=True, help="Sửa: cập nhật văn bản thiếu/cũ, xóa mục thừa; dựng lại nếu hỏng.")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def index_check_command(repair, as_json) -> None:
    """So chỉ mục tìm kiếm với cơ sở dữ liệu: thiếu, cũ, thừa, hỏng."""
    from docmgr import search

    state = current_app.extensions["docmgr"]
    try:
        report = search.check(state, repair=repair)
    except search.SearchError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        _echo_json(report.as_json())
    else:
        click.echo(report.message)
        for key, label in (("missing", "Văn bản chưa có trong chỉ mục"), ("stale", "Mục chỉ mục đã cũ"),
                           ("orphaned", "Mục chỉ mục của văn bản không còn")):
            items = getattr(report, key)
            if items:
                click.echo(f"{label}: {len(items)} ({', '.join('#' + i for i in items[:20])}"
                           + (" …" if len(items) > 20 else "") + ")")
        if report.queued:
            click.echo(f"Thay đổi đang chờ cập nhật vào chỉ mục: {report.queued}")
        for action in report.actions:
            click.echo(action)
        click.echo("Nhất quán." if report.ok else ("Đã sửa." if report.repaired else "Có vấn đề (xem trên)."))
    if not report.ok and not report.repaired:
        sys.exit(1)


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
    from docmgr.auth.operations import create_user

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
    from docmgr.auth.operations import set_password_for

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
    from docmgr.auth import operations as accounts
    from docmgr.web import format_datetime

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


def _user(db, username: str):
    """The account named, for a command's --user: a clear error when there is none."""
    from docmgr.auth.operations import get_user
    from docmgr.errors import DocMgrError

    try:
        return get_user(db, username)
    except DocMgrError as exc:
        raise click.ClickException(str(exc)) from exc


@contextmanager
def _account_session(username: str):
    """A database session and the account named; docmgr's errors become the command's error message."""
    from docmgr.auth import operations as accounts
    from docmgr.errors import DocMgrError

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
    from docmgr.auth import operations

    operations.set_active(db, user, False)
    return f"Đã khóa tài khoản {user.username}."


def _enable(db, user) -> str:
    from docmgr.auth import operations

    operations.set_active(db, user, True)
    return f"Đã mở khóa tài khoản {user.username}."


def _unlock(db, user) -> str:
    from docmgr.auth import operations

    return f"Đã gỡ khóa {user.username} ({operations.unlock(db, user)} lần đăng nhập sai được xóa)."


def _logout(db, user) -> str:
    from docmgr.auth import operations

    return f"Đã đăng xuất {user.username} khỏi {operations.log_out_everywhere(db, user)} phiên."


_account_command("disable", "Khóa tài khoản: mọi phiên đăng nhập và mã API chấm dứt ngay.", _disable)
_account_command("enable", "Mở khóa tài khoản.", _enable)
_account_command("unlock", "Gỡ khóa do đăng nhập sai quá nhiều lần.", _unlock)
_account_command("logout", "Đăng xuất tài khoản khỏi mọi nơi (mọi phiên, cả «Ghi nhớ đăng nhập»).", _logout)


@click.group("bench")
def bench_group() -> None:
    """Đo hiệu năng (in số liệu)."""


@bench_group.command("read-limits")
@click.option("--json", "as_json", is_flag=True)
def bench_read_limits(as_json) -> None:
    """Đọc các tệp «độc» (DOCX rỗng hàng triệu đoạn, PDF chung một luồng nội dung, HTML punycode…) qua
    tiến trình giới hạn: thời gian, kết quả, bộ nhớ."""
    from docmgr.bench import bench_read_limits as run

    figures = run()
    if as_json:
        _echo_json(figures)
        return
    click.echo("Giới hạn: " + ", ".join(f"{k}={v}" for k, v in figures["limits"].items()))
    for row in figures["files"]:
        click.echo(f"{row['what']:<58} {row['seconds']:>7.2f} s  {row['worker_peak_rss_mb']:>7.1f} MB  "
                   f"{row['outcome']}: {row['detail'][:90]}")
    click.echo(f"Tiến trình chính tăng: {figures['parent_rss_growth_mb']} MB")


@bench_group.command("import")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Tệp .jsonl.xz (mặc định ../shared/corpus/vn-pages.jsonl.xz).")
@click.option("--limit", type=int, default=None, help="Số trang tối đa để trích xuất.")
@click.option("--import-limit", type=int, default=2000, show_default=True,
              help="Số trang nhập thật (lưu tệp và cơ sở dữ liệu).")
@click.option("--json", "as_json", is_flag=True)
def bench_import(corpus, limit, import_limit, as_json) -> None:
    """Tốc độ trích xuất và nhập văn bản từ kho ngữ liệu."""
    from docmgr.bench import bench_import as run

    result = run(corpus, limit, import_limit)
    if as_json:
        _echo_json(result)
    else:
        for key, value in result.items():
            click.echo(f"{key:28} {value}")


@bench_group.command("search")
@click.option("--docs", type=click.IntRange(min=100), default=100_000, show_default=True,
              help="Số văn bản (các trang của kho ngữ liệu được lặp lại với siêu dữ liệu khác).")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Tệp .jsonl.xz (mặc định ../shared/corpus/vn-pages.jsonl.xz).")
@click.option("--procs", type=click.IntRange(min=1), default=None,
              help="Số tiến trình lập chỉ mục (mặc định DOCMGR_INDEX_PROCS).")
@click.option("--json", "as_json", is_flag=True)
def bench_search(docs, corpus, procs, as_json) -> None:
    """Tốc độ lập chỉ mục và tìm kiếm của docmgr so với SQLite FTS5, trong cùng một lần chạy.

    Lệnh «docmgr reindex» chạy như một tiến trình riêng; bộ nhớ đo là của nó và các tiến trình con.
    """
    from docmgr.bench import bench_search as run

    result = run(docs, corpus, show_progress=not as_json, procs=procs)
    if as_json:
        _echo_json(result)
        return
    rows = result.pop("per_query")
    click.echo(f"{'loại':11} {'câu tìm kiếm':44} {'docmgr ms':>10} {'kết quả':>8} {'FTS5 ms':>9} {'kết quả':>8}")
    for row in rows:
        click.echo(f"{row['kind']:11} {row['query'][:44]:44} {row['docmgr_ms']:10.2f} {row['docmgr_hits']:8} "
                   f"{row['fts5_ms']:9.2f} {row['fts5_hits']:8}")
    click.echo()
    for key, value in result.items():
        click.echo(f"{key:28} {value}")


@click.group("print")
def print_group() -> None:
    """In phiếu, danh sách nơi nhận, phong bì, văn bản và sổ ra PDF."""


def _write_pdf(printed, output: Path) -> None:
    output.write_bytes(printed.pdf)
    click.echo(f"Đã ghi {output} ({len(printed.pdf) // 1024} KB" + (f", {printed.number}" if printed.number else "") + ").")


def _print_command(form: str, multiple: bool, help_text: str, more_documents=None):
    """A ``docmgr print FORM DOCUMENTS`` command; ``more_documents(db, docs, options)`` adds documents
    chosen by options of its own (then DOCUMENTS may be left out), each document printed once."""

    @click.argument("documents", nargs=-1 if multiple else 1, required=more_documents is None)
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
                  help="Tệp PDF sẽ ghi.")
    @click.option("--user", "username", default=None, help="In với quyền của tài khoản này (ghi vào nhật ký).")
    @with_appcontext
    def command(documents, output, username, **options) -> None:
        from docmgr.errors import DocMgrError
        from docmgr.printing import print_form

        refs = documents if multiple else (documents,)
        with current_app.extensions["docmgr"].sessionmaker() as db:
            try:
                user = _user(db, username) if username else None
                docs = [_find_document(db, ref) for ref in refs]
                if more_documents is not None:
                    docs = list({doc.id: doc for doc in docs + more_documents(db, docs, options)}.values())
                printed = print_form(db, form, docs, user, **options)
                db.commit()
            except (DocMgrError, ValueError) as exc:
                db.rollback()
                raise click.ClickException(str(exc)) from exc
        _write_pdf(printed, output)

    command.__doc__ = help_text
    return command


print_group.command("processing-slip")(_print_command(
    "processing-slip", False, "Phiếu giải quyết văn bản đến (Phụ lục IV.VII) của văn bản đến DOCUMENTS."))
print_group.command("slip")(click.option("--to", default="", help="Đơn vị nhận (mặc định: đơn vị chủ trì đã phân công).")(
    click.option("--purpose", default="", help="Mục đích chuyển (mặc định: để xử lý theo chức năng, nhiệm vụ).")(
        _print_command("slip", True, "Phiếu chuyển (số …/PC-…) các văn bản DOCUMENTS đến một đơn vị."))))
print_group.command("recipients")(_print_command(
    "recipients", False, "Danh sách nơi nhận của văn bản DOCUMENTS (nhóm được mở rộng theo danh bạ)."))


def _issued_on_day(db, docs: list, options: dict) -> list:
    """``--day``: every outgoing document numbered with that date (a day's dispatch), besides ``docs``."""
    from docmgr.documents.models import Document
    from docmgr.printing import issued_on

    day = options.pop("day")
    if day is None:
        if not docs:
            raise click.UsageError("Cho số/ID văn bản hoặc --day YYYY-MM-DD.")
        return []
    found = issued_on(db, day.date())
    if not found and not docs:
        raise click.ClickException(f"Không có văn bản đi nào phát hành ngày {day:%d/%m/%Y}.")
    return [db.get(Document, i) for i in found]


print_group.command("envelopes")(click.option(
    "--day", type=click.DateTime(["%Y-%m-%d"]), default=None,
    help="Thêm mọi văn bản đi phát hành (đã cấp số) trong ngày này (YYYY-MM-DD).")(click.option(
        "--size", type=click.Choice(["DL", "C5", "C4"]), default="DL", show_default=True, help="Khổ phong bì.")(
            _print_command("envelopes", True, "Bì văn bản (Phụ lục IV.II): mỗi nơi nhận bên ngoài một trang; các văn "
                           "bản DOCUMENTS và/hoặc mọi văn bản đi phát hành trong ngày --day, trong một tệp.",
                           more_documents=_issued_on_day))))


print_group.command("document")(_print_command(
    "document", False, "Văn bản DOCUMENTS trình bày theo thể thức Phụ lục I."))


@print_group.command("register")
@click.option("--direction", type=click.Choice(["outgoing", "incoming", "post"]), required=True,
              help="Sổ văn bản đi, sổ văn bản đến, sổ gửi văn bản đi bưu điện.")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Từ ngày (YYYY-MM-DD).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Đến ngày (YYYY-MM-DD).")
@click.option("--year", type=click.IntRange(1900, 2999), default=None, help="Cả năm (thay cho --from/--to).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--user", "username", default=None, help="In với quyền của tài khoản này (chỉ văn bản người đó được xem).")
@with_appcontext
def print_register_command(direction, start, end, year, output, username) -> None:
    """Sổ đăng ký (khổ A4 ngang, có trang bìa) cho một khoảng ngày."""
    import datetime as dt

    from docmgr.errors import DocMgrError
    from docmgr.printing import print_register

    if year and (start or end):
        raise click.UsageError("Dùng --year hoặc --from/--to, không dùng cả hai.")
    start = dt.date(year, 1, 1) if year else (start.date() if start else None)
    end = dt.date(year, 12, 31) if year else (end.date() if end else None)
    with current_app.extensions["docmgr"].sessionmaker() as db:
        try:
            user = _user(db, username) if username else None
            printed = print_register(db, direction, start, end, user)
            db.commit()
        except (DocMgrError, ValueError) as exc:
            db.rollback()
            raise click.ClickException(str(exc)) from exc
    _write_pdf(printed, output)


@click.group("addressbook")
def addressbook_group() -> None:
    """Danh bạ cơ quan: nhập, xuất CSV."""


@addressbook_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def addressbook_import(file: Path) -> None:
    """Nhập danh bạ từ tệp CSV (cột: kind, name, short_name, code, address, phone, email, aliases, members)."""
    from docmgr.addressbook.csvio import import_csv
    from docmgr.errors import DocMgrError

    with current_app.extensions["docmgr"].sessionmaker() as db:
        try:
            counts = import_csv(db, file.read_bytes())
            db.commit()
        except DocMgrError as exc:
            db.rollback()
            raise click.ClickException(f"{file}: {exc} Danh bạ không thay đổi.") from exc
    click.echo(f"Thêm {counts['created']}, cập nhật {counts['updated']} mục.")


@addressbook_group.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Tệp CSV (mặc định: in ra màn hình).")
@with_appcontext
def addressbook_export(output) -> None:
    """Xuất danh bạ ra CSV (UTF-8)."""
    from docmgr.addressbook.csvio import export_csv

    with current_app.extensions["docmgr"].sessionmaker() as db:
        text = export_csv(db)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@bench_group.command("print")
@click.option("--runs", type=click.IntRange(1, 50), default=5, show_default=True, help="Số lần đo phiếu và mức sàn.")
@click.option("--json", "as_json", is_flag=True)
def bench_print_command(runs, as_json) -> None:
    """Thời gian in mỗi trang (phiếu, danh sách 1.000 nơi nhận, 500 phong bì, sổ 5.000 dòng) so với mức sàn:
    WeasyPrint in một trang trống với cùng phông chữ, đo trong cùng lần chạy."""
    from docmgr.printing.bench import bench_print

    result = bench_print(runs)
    if as_json:
        _echo_json(result)
        return
    click.echo(f"{'mẫu':10} {'trang':>6} {'giây':>8} {'giây/trang':>11} {'× mức sàn':>10}")
    click.echo(f"{'mức sàn':10} {1:6} {result['floor_s_per_page']:8.3f} {result['floor_s_per_page']:11.4f} {1:10.2f}")
    click.echo(f"{'(văn bản)':10} {result['text_pages']:6} {result['text_pages'] * result['text_s_per_page']:8.2f} "
               f"{result['text_s_per_page']:11.4f} {result['text_ratio']:10.2f}")
    for name in ("slip", "list", "envelopes", "register"):
        click.echo(f"{name:10} {result[name + '_pages']:6} {result[name + '_seconds']:8.2f} "
                   f"{result[name + '_s_per_page']:11.4f} {result[name + '_ratio']:10.2f}")
    click.echo(f"Sổ {result['register_lines']} dòng: bộ nhớ đỉnh {result['register_peak_rss_mb']} MB")


@click.group("casefile")
def casefile_group() -> None:
    """Hồ sơ: mở, liệt kê, đưa văn bản vào, kết thúc, in mục lục."""


def _find_case_file(db, ref: str, year: int | None):
    """A case file by id ("#3", "3") or by code ("01.TCCB", with --year when several years have it)."""
    from sqlalchemy import func, select

    from docmgr.casefiles.models import CaseFile

    key = ref.strip().lstrip("#")
    if key.isdigit() and db.get(CaseFile, int(key)) is not None:
        return db.get(CaseFile, int(key))
    query = select(CaseFile).where(func.lower(CaseFile.code) == key.lower())
    if year:
        query = query.where(CaseFile.year == year)
    found = db.scalars(query).all()
    if not found:
        raise click.ClickException(f"Không có hồ sơ «{ref}»{f' năm {year}' if year else ''}.")
    if len(found) > 1:
        raise click.ClickException(f"Có {len(found)} hồ sơ «{ref}» ở các năm "
                                   f"{', '.join(str(f.year) for f in found)}: ghi thêm --year.")
    return found[0]


def _casefile_run(username, work):
    """Run ``work(db, user)`` as ``username`` (None: the system), commit, and turn errors into messages."""
    from docmgr.errors import DocMgrError

    state = current_app.extensions["docmgr"]
    with state.sessionmaker() as db:
        try:
            user = _user(db, username) if username else None
            result = work(db, user)
            db.commit()
            return result
        except (DocMgrError, ValueError) as exc:
            db.rollback()
            raise click.ClickException(str(exc)) from exc


_as_user = click.option("--user", "username", default=None,
                        help="Thực hiện với quyền của tài khoản này (mặc định: hệ thống).")


@casefile_group.command("create")
@click.argument("code")
@click.argument("title")
@click.option("--year", type=int, default=None, help="Năm của hồ sơ (mặc định: năm nay).")
@click.option("--retention", default="Vĩnh viễn", show_default=True, help="Thời hạn bảo quản: số năm hoặc «Vĩnh viễn».")
@click.option("--parent", default=None, help="Hồ sơ cha (mã hoặc số).")
@click.option("--unit", default=None, help="Đơn vị (tên hoặc mã).")
@_as_user
@with_appcontext
def casefile_create(code, title, year, retention, parent, unit, username) -> None:
    """Mở hồ sơ CODE (số và ký hiệu, ví dụ 01.TCCB) với tiêu đề TITLE."""
    from docmgr.auth.groups import find_group
    from docmgr.casefiles.operations import save_case_file

    def work(db, user):
        group = find_group(db, unit) if unit else None
        if unit and group is None:
            raise click.ClickException(f"Không có đơn vị «{unit}».")
        values = {"code": code, "title": title, "year": year, "retention": retention,
                  "parent_id": _find_case_file(db, parent, year).id if parent else None,
                  "unit_id": group.id if group else None}
        return save_case_file(db, values, user).label

    click.echo(f"Đã mở hồ sơ {_casefile_run(username, work)}.")


@casefile_group.command("list")
@click.option("--year", type=int, default=None)
@click.option("--due", is_flag=True, help="Chỉ các hồ sơ sắp đến hạn (30 ngày) hoặc đã quá hạn nộp lưu.")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def casefile_list(year, due, as_json) -> None:
    """Danh mục hồ sơ (cây), hoặc các hồ sơ cần nộp lưu."""
    import datetime as dt

    from docmgr.casefiles.operations import due_for_archive, tree

    today = dt.date.today()
    with current_app.extensions["docmgr"].sessionmaker() as db:
        rows = [(0, f) for f in due_for_archive(db, today)] if due else tree(db, year)
        data = [{"id": f.id, "code": f.code, "title": f.title, "year": f.year, "depth": depth,
                 "retention": f.retention_title, "status": f.status,
                 "archive_due": f.archive_due.isoformat() if f.archive_due else None,
                 "archive_warning": f.archive_warning(today)} for depth, f in rows]
    if as_json:
        _echo_json(data)
        return
    for row in data:
        flag = f"  ⚠ nộp lưu trước {row['archive_due']}" if row["archive_warning"] else ""
        click.echo(f"{'  ' * row['depth']}{row['code']:14} {row['year']}  {row['title']}  "
                   f"[{row['retention']}, {row['status']}]{flag}")
    if not data:
        click.echo("Không có hồ sơ nào." if not due else "Không có hồ sơ nào sắp đến hạn nộp lưu.")


@casefile_group.command("file")
@click.argument("document")
@click.argument("case_file", required=False)
@click.option("--year", type=int, default=None, help="Năm của hồ sơ, khi mã hồ sơ trùng qua các năm.")
@_as_user
@with_appcontext
def casefile_file(document, case_file, year, username) -> None:
    """Đưa văn bản DOCUMENT (số hoặc số, ký hiệu) vào hồ sơ CASE_FILE (bỏ trống: bỏ khỏi hồ sơ)."""
    from docmgr.casefiles.operations import file_document

    def work(db, user):
        doc = _find_document(db, document)
        target = _find_case_file(db, case_file, year) if case_file else None
        file_document(db, doc, target, user)
        return doc.title, target.label if target else None

    title, label = _casefile_run(username, work)
    click.echo(f"Đã đưa {title} vào hồ sơ {label}." if label else f"Đã bỏ {title} khỏi hồ sơ.")


@casefile_group.command("close")
@click.argument("case_file")
@click.option("--year", type=int, default=None)
@_as_user
@with_appcontext
def casefile_close(case_file, year, username) -> None:
    """Kết thúc hồ sơ: khóa các văn bản trong hồ sơ và lưu mục lục văn bản (PDF)."""
    from docmgr.casefiles.operations import close_case_file

    def work(db, user):
        found = _find_case_file(db, case_file, year)
        close_case_file(db, current_app.extensions["docmgr"].files, found, user)
        return found.label

    click.echo(f"Đã kết thúc hồ sơ {_casefile_run(username, work)}; mục lục văn bản đã được lưu.")


@casefile_group.command("contents")
@click.argument("case_file")
@click.option("--year", type=int, default=None)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def casefile_contents(case_file, year, output) -> None:
    """In mục lục văn bản của hồ sơ ra tệp PDF (bản đã lưu khi kết thúc, hoặc bản hiện tại)."""
    from docmgr.printing.layouts import case_file_contents_pdf

    state = current_app.extensions["docmgr"]
    with state.sessionmaker() as db:
        found = _find_case_file(db, case_file, year)
        pdf = (state.files.read(found.contents_sha256) if found.is_closed and found.contents_sha256
               else case_file_contents_pdf(db, found))
    output.write_bytes(pdf)
    click.echo(f"Đã ghi {output} ({len(pdf) // 1024} KB).")


COMMANDS = (init_command, extract_command, import_command, check_command, search_command, transition_command,
            workflow_command, reindex_command, index_group, user_group, bench_group, print_group,
            addressbook_group, casefile_group)
for _command in COMMANDS:
    main.add_command(_command)

_docmgr_group = click.Group("docmgr", help="Lệnh của docmgr.")
for _command in COMMANDS:
    _docmgr_group.add_command(_command)


if __name__ == "__main__":  # python -m docmgr.cli
    main()
