"""An uploaded file: keep its bytes first, then read it. Nothing a clerk uploads is lost."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from pathlib import PurePath

from flask import current_app

from docmgr.documents.operations import NewFile, fields_from_extraction
from docmgr.extraction import Extracted, ReadError
from docmgr.intake.reading import read_file


@dataclass
class Upload:
    file: NewFile
    extracted: Extracted | None
    error: str | None = None
    fields: dict = field(default_factory=dict)

    @property
    def warnings(self) -> list[str]:
        found = self.extracted.warnings if self.extracted else []
        return ([f"Không đọc được nội dung tệp: {self.error}"] if self.error else []) + found


def safe_filename(name: str) -> str:
    """The last component of a client-supplied name, without control characters."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(c for c in base if c.isprintable() and c not in "/\\").strip(". ")
    return base[:200] or "tep-tai-len"


def receive_upload(filename: str, stream) -> Upload:
    """Store the bytes (streamed to the store, never all in memory), then read them in limited worker
    processes (:mod:`docmgr.extraction.sandbox`), scanned pages by OCR. A file that cannot be read is still
    kept. (The request waits for the OCR; queuing it as a background job is the next step of issue 18.)"""
    state = current_app.extensions["docmgr"]
    filename = safe_filename(filename)
    sha256, size = state.files.put_stream(stream, max_bytes=state.max_upload_bytes)
    try:
        extracted = read_file(state.files.path(sha256), filename, state.read_limits, ocr=state.ocr,
                              signatures=state.signatures)
    except ReadError as exc:
        mime = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        return Upload(NewFile(sha256, size, mime, filename), None, str(exc))
    return Upload(NewFile(sha256, size, extracted.read.mime_type, filename), extracted,
                  fields=fields_from_extraction(extracted))
