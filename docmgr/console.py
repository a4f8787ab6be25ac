"""What the commands share: JSON output, and the account or document an operator names."""

from __future__ import annotations

import json

import click
from sqlalchemy import select

from docmgr.auth.operations import get_user
from docmgr.documents.models import Document
from docmgr.errors import DocMgrError
from docmgr.text import number_folded_key


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def find_document(db, ref: str):
    """A document by "#12" / "12" (its id) or by its number ("65/KH-UBND", any case or accents)."""

    key = ref.strip().lstrip("#")
    doc = db.get(Document, int(key)) if key.isdigit() else db.scalars(
        select(Document).where(Document.number_key == number_folded_key(ref)).order_by(Document.id)).first()
    if doc is None:
        raise click.ClickException(f"Không có văn bản «{ref}».")
    return doc


def account_named(db, username: str):
    """The account named, for a command's --user: a clear error when there is none."""
    try:
        return get_user(db, username)
    except DocMgrError as exc:
        raise click.ClickException(str(exc)) from exc
