"""An uploaded file: keep its bytes first, then read it. Nothing a clerk uploads is lost."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from pathlib import PurePath

from flask import current_app

from docmgr.documents.operations import NewFile, fields_from_extraction
from docmgr.errors import UserValueError
from docmgr.extraction import Extracted, ReadError, extract_bytes


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


def receive_upload(filename: str, data: bytes) -> Upload:
    """Store the bytes, then extract. A file that cannot be read is still kept."""
    state = current_app.extensions["docmgr"]
    if not data:
        raise UserValueError("Tệp tải lên rỗng.")
    if len(data) > state.max_upload_bytes:
        raise UserValueError(
            f"Tệp quá lớn ({len(data) / 1048576:.1f} MB); giới hạn là {state.max_upload_bytes // 1048576} MB."
        )
    filename = safe_filename(filename)
    sha256 = state.files.put(data)
    try:
        extracted = extract_bytes(data, filename, max_bytes=state.max_upload_bytes)
    except ReadError as exc:
        mime = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        return Upload(NewFile(sha256, len(data), mime, filename), None, str(exc))
    return Upload(NewFile(sha256, len(data), extracted.read.mime_type, filename), extracted,
                  fields=fields_from_extraction(extracted))
