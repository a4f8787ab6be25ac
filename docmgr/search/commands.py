"""``docmgr search|reindex|index check``: the search index."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from tqdm import tqdm

from docmgr import search
from docmgr.console import account_named, echo_json
from docmgr.documents.models import Document


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
    state = current_app.extensions["docmgr"]
    user = None
    try:
        if username:
            with state.sessionmaker() as db:
                user = account_named(db, username)
                user.roles  # noqa: B018 - load the roles before the session closes
        results = search.search(state, " ".join(query), user=user, page=page, per_page=limit, sort=sort)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    except (search.QueryError, search.SearchError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        echo_json(results.as_json())
        return
    click.echo(f"{results.total} văn bản" + (f" · trang {page}/{results.pages}" if results.pages > 1 else ""))
    if results.suggestion:
        click.echo(f"Có phải bạn muốn tìm: {results.suggestion}")
    for hit in results.hits:
        date = hit["issued_on"].strftime("%d/%m/%Y") if hit["issued_on"] else "—"
        click.echo(f"#{hit['id']:<6} {hit['number'] or '—':<22} {date}  {hit['subject'] or ''}"[:160])


@click.command("reindex")
@click.option("--batch", type=click.IntRange(10, 10000), default=100, show_default=True,
              help="Số văn bản đọc từ cơ sở dữ liệu mỗi lượt.")
@click.option("--quiet", is_flag=True, help="Không hiện thanh tiến độ.")
@with_appcontext
def reindex_command(batch, quiet) -> None:
    """Dựng lại chỉ mục tìm kiếm từ cơ sở dữ liệu (chỉ mục cũ vẫn dùng được đến khi xong)."""
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
    state = current_app.extensions["docmgr"]
    try:
        report = search.check(state, repair=repair)
    except search.SearchError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        echo_json(report.as_json())
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
