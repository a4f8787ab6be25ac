"""An uploaded file: keep its bytes first, then read it — as a pending intake. Nothing a clerk uploads is
lost: the original is stored before anything reads it, and stays whatever the reading gives."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user

from docmgr.db import session
from docmgr.intake.models import Intake
from docmgr.intake.operations import receive, start
from docmgr.text.filenames import safe_filename


def receive_upload(filename: str, stream, direction: str, *, overrides: dict | None = None,
                   auto: bool = False) -> tuple[Intake, str | None]:
    """Store the bytes (streamed to the store, never all in memory) and make the pending intake; read it
    now if it has a text layer, or queue its reading (OCR) for a worker. Returns the intake and a warning
    when the queue could not be reached (the job is kept and sent again)."""
    state = current_app.extensions["docmgr"]
    filename = safe_filename(filename)
    sha256, size = state.files.put_stream(stream, max_bytes=state.max_upload_bytes)
    db = session()
    intake = receive(db, filename=filename, sha256=sha256, size=size, direction=direction, user=current_user,
                     overrides=overrides, auto=auto)
    db.commit()
    warning = start(db, state, intake, current_user)
    db.refresh(intake)
    return intake, warning
