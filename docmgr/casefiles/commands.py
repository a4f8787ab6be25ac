"""``docmgr casefile …``: case files (hồ sơ): open, list, file documents, close, contents."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from docmgr import clock
from docmgr.auth.groups import find_group
from docmgr.casefiles.models import CaseFile
from docmgr.casefiles.operations import close_case_file, due_for_archive, file_document, save_case_file, tree
from docmgr.console import account_named, echo_json, find_document
from docmgr.errors import DocMgrError
from docmgr.printing.layouts import case_file_contents_pdf
from docmgr.search import commit_and_sync


@click.group("casefile")
def casefile_group() -> None:
    """Hồ sơ: mở, liệt kê, đưa văn bản vào, kết thúc, in mục lục."""


def _find_case_file(db, ref: str, year: int | None):
    """A case file by id ("#3", "3") or by code ("01.TCCB", with --year when several years have it)."""
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

    state = current_app.extensions["docmgr"]
    with state.sessionmaker() as db:
        try:
            user = account_named(db, username) if username else None
            result = work(db, user)
            commit_and_sync(db, state)
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
    today = clock.today()
    with current_app.extensions["docmgr"].sessionmaker() as db:
        rows = [(0, f) for f in due_for_archive(db, today)] if due else tree(db, year)
        data = [{"id": f.id, "code": f.code, "title": f.title, "year": f.year, "depth": depth,
                 "retention": f.retention_title, "status": f.status,
                 "archive_due": f.archive_due.isoformat() if f.archive_due else None,
                 "archive_warning": f.archive_warning(today)} for depth, f in rows]
    if as_json:
        echo_json(data)
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
    def work(db, user):
        doc = find_document(db, document)
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
    state = current_app.extensions["docmgr"]
    with state.sessionmaker() as db:
        found = _find_case_file(db, case_file, year)
        pdf = (state.files.read(found.contents_sha256) if found.is_closed and found.contents_sha256
               else case_file_contents_pdf(db, found))
    output.write_bytes(pdf)
    click.echo(f"Đã ghi {output} ({len(pdf) // 1024} KB).")
