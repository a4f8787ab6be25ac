"""``docmgr addressbook import|export``: the address book as CSV."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from docmgr.addressbook.csvio import export_csv, import_csv
from docmgr.errors import DocMgrError


@click.group("addressbook")
def addressbook_group() -> None:
    """Danh bạ cơ quan: nhập, xuất CSV."""


@addressbook_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def addressbook_import(file: Path) -> None:
    """Nhập danh bạ từ tệp CSV (cột: kind, name, short_name, code, address, phone, email, aliases, members)."""
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
    with current_app.extensions["docmgr"].sessionmaker() as db:
        text = export_csv(db)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
