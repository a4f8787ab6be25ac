"""Metadata extraction: file → text → metadata. Pure: no Flask, no database.

- :func:`read_bytes` reads a .txt, .md, .html, .docx, .odt, .doc or .pdf file's text.
- :func:`extract_metadata` parses an official document's metadata from text.
- :func:`extract_file` does both for a path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docmgr.extraction.edxml import merged
from docmgr.extraction.metadata import JSON_KEYS, Metadata, extract_metadata
from docmgr.extraction.readers import (
    DEFAULT_MAX_BYTES,
    ReadError,
    ReadLimits,
    ReadResult,
    check_size,
    read_bytes,
    supported_extensions,
)
from docmgr.extraction.references import Reference, find_references


# The keys of ``docmgr extract --json``: the metadata's, then what OCR did (null when no page needed it) and a
# PDF's digital signatures ([] when none).
EXTRACT_KEYS = (*JSON_KEYS, "ocr", "signatures")


@dataclass
class Extracted:
    read: ReadResult
    metadata: Metadata
    ocr: Any = None  # docmgr.ocr.OcrSummary when pages were read by OCR
    searchable_pdf: bytes | None = None  # the file with a text layer on its OCR'd pages
    lines: list = field(default_factory=list)  # docmgr.extraction.lines.Line of the OCR'd pages
    signatures: list = field(default_factory=list)  # docmgr.signatures.SignatureInfo, in signing order

    @property
    def warnings(self) -> list[str]:
        return self.read.warnings + self.metadata.warnings

    @property
    def field_warnings(self) -> dict[str, str]:
        """What to check, field by field (the confirm form shows each beside its field)."""
        return dict(self.metadata.field_warnings)

    def as_json(self) -> dict:
        """``docmgr extract --json``: exactly :data:`EXTRACT_KEYS`."""
        return {**self.metadata.as_json(), "ocr": self.ocr.as_json() if self.ocr is not None else None,
                "signatures": [signature.as_json() for signature in self.signatures]}


def extract_bytes(data: bytes, filename: str = "", max_bytes: int | None = None,
                  limits: ReadLimits | None = None) -> Extracted:
    """Read and parse one file's bytes, in this process (see :mod:`docmgr.extraction.sandbox` for reading
    an untrusted file in a limited one). Raises :class:`ReadError` if it cannot be read."""
    read = read_bytes(data, filename, max_bytes=max_bytes, limits=limits)
    return Extracted(read, with_package(read, extract_metadata(read.text)))


def with_package(read: ReadResult, parsed: Metadata) -> Metadata:
    """``parsed`` (the metadata of ``read``'s text), with an edXML package's header laid over it."""
    if read.package is None:
        return parsed
    main = read.package.main
    return merged(parsed, read.package, main.name if main is not None else None)


def extract_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Extracted:
    path = Path(path)
    check_size(path.stat().st_size, max_bytes)  # refuse before reading it into memory
    return extract_bytes(path.read_bytes(), path.name, max_bytes=max_bytes)


__all__ = [
    "EXTRACT_KEYS", "JSON_KEYS", "Extracted", "Metadata", "ReadError", "ReadLimits", "ReadResult", "Reference",
    "extract_bytes", "extract_file", "extract_metadata", "find_references", "read_bytes", "supported_extensions",
    "with_package",
]
