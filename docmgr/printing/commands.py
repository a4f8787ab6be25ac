"""``docmgr print …``: the printed forms and registers as PDF files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from docmgr.console import account_named, find_document
from docmgr.documents.models import Document
from docmgr.errors import DocMgrError
from docmgr.printing import issued_on, print_form, print_register


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
        refs = documents if multiple else (documents,)
        with current_app.extensions["docmgr"].sessionmaker() as db:
            try:
                user = account_named(db, username) if username else None
                docs = [find_document(db, ref) for ref in refs]
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
    if year and (start or end):
        raise click.UsageError("Dùng --year hoặc --from/--to, không dùng cả hai.")
    start = dt.date(year, 1, 1) if year else (start.date() if start else None)
    end = dt.date(year, 12, 31) if year else (end.date() if end else None)
    with current_app.extensions["docmgr"].sessionmaker() as db:
        try:
            user = account_named(db, username) if username else None
            printed = print_register(db, direction, start, end, user)
            db.commit()
        except (DocMgrError, ValueError) as exc:
            db.rollback()
            raise click.ClickException(str(exc)) from exc
    _write_pdf(printed, output)
