"""Readers: bytes of a .txt, .md, .html, .docx or .pdf file → plain text.

Pure functions, no Flask and no database. The format is decided by the
content (magic bytes) first and the file name second, so a PDF saved as
".doc" still reads. Every failure is a :class:`ReadError` whose message is
in Vietnamese and says what is wrong with the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePath

from docmgr.text import clean_lines

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# A .docx is a zip: refuse archives that would expand past this (zip bombs).
MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_DOCX_RATIO = 200

FORMATS = {
    "txt": "text/plain",
    "md": "text/markdown",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
EXTENSIONS = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".docx": "docx", ".pdf": "pdf",
}


class ReadError(Exception):
    """A file cannot be read. ``str(error)`` is a message for the user, in Vietnamese."""


@dataclass
class ReadResult:
    text: str
    format: str  # a key of FORMATS
    page_count: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def mime_type(self) -> str:
        return FORMATS[self.format]


def supported_extensions() -> list[str]:
    return sorted(EXTENSIONS)


def sniff_format(data: bytes, filename: str = "") -> str | None:
    """Decide the format from the content, falling back on the file extension."""
    head = data[:1024]
    if head.lstrip()[:5] == b"%PDF-" or head[:1024].find(b"%PDF-") != -1:
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        return "docx"
    by_name = EXTENSIONS.get(PurePath(filename).suffix.lower())
    if by_name in ("pdf", "docx"):
        return None  # claims to be a binary format but is not
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # binary data of a kind we do not read
    lowered = head.lower()
    if by_name is None and (b"<html" in lowered or b"<!doctype html" in lowered):
        return "html"
    return by_name


def read_bytes(data: bytes, filename: str = "", max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read a document's text from its bytes. Raises :class:`ReadError`."""
    if len(data) > max_bytes:
        raise ReadError(
            f"Tệp quá lớn ({len(data) / 1048576:.1f} MB); giới hạn là {max_bytes / 1048576:.0f} MB."
        )
    if not data.strip():
        raise ReadError("Tệp rỗng, không có nội dung.")
    fmt = sniff_format(data, filename)
    if fmt is None:
        suffix = PurePath(filename).suffix or "(không có phần mở rộng)"
        raise ReadError(
            f"Không nhận dạng được định dạng tệp {suffix}: chỉ nhận .txt, .md, .html, .docx, .pdf "
            "và nội dung phải đúng với định dạng đó."
        )
    reader = {"txt": _read_text, "md": _read_text, "html": _read_html, "docx": _read_docx, "pdf": _read_pdf}[fmt]
    result = reader(data)
    result.format = fmt
    result.text = clean_lines(result.text)
    return result


# --- plain text and markdown -------------------------------------------------


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Decode text bytes: BOMs, then UTF-8, then Windows-1258 with a warning."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    return data.decode("cp1258", errors="replace"), [
        "Tệp không ở mã UTF-8; đã đọc theo bảng mã Windows-1258, cần kiểm tra lại dấu tiếng Việt."
    ]


def _read_text(data: bytes) -> ReadResult:
    text, warnings = decode_text(data)
    return ReadResult(text=text, format="txt", warnings=warnings)


# --- HTML ------------------------------------------------------------------

_BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "li", "ul", "ol", "h1", "h2", "h3",
    "h4", "h5", "h6", "table", "tr", "blockquote", "pre", "hr", "dl", "dt", "dd", "center",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        elif tag in ("td", "th"):
            self.parts.append("\n|\n")
        elif tag == "br" or tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK_TAGS or tag in ("td", "th"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(re.sub(r"\s+", " ", data))


def _read_html(data: bytes) -> ReadResult:
    match = _CHARSET_RE.search(data[:4096])
    warnings: list[str] = []
    if match and match.group(1).lower() not in (b"utf-8", b"utf8"):
        try:
            text = data.decode(match.group(1).decode("ascii"), errors="replace")
        except LookupError:
            text, warnings = decode_text(data)
    else:
        text, warnings = decode_text(data)
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    return ReadResult(text="\n".join(lines), format="html", warnings=warnings)


# --- DOCX ------------------------------------------------------------------


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ReadError("Tệp DOCX bị hỏng (không mở được gói nén).") from exc
    with archive:
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise ReadError("Tệp nén này không phải văn bản Word (.docx): thiếu word/document.xml.")
        total = sum(info.file_size for info in archive.infolist())
        packed = sum(info.compress_size for info in archive.infolist()) or 1
        if total > MAX_DOCX_UNCOMPRESSED or total / packed > MAX_DOCX_RATIO:
            raise ReadError(
                "Tệp DOCX bất thường: dung lượng giải nén quá lớn so với tệp (nghi là zip bomb), không xử lý."
            )


def _read_docx(data: bytes) -> ReadResult:
    _check_zip(data)
    import docx  # python-docx: imported lazily, it is slow to import
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ReadError(f"Tệp DOCX bị hỏng: {exc}") from exc
    except Exception as exc:  # lxml errors and the like from a damaged package
        raise ReadError(f"Không đọc được tệp DOCX: {type(exc).__name__}") from exc
    lines: list[str] = []
    _docx_blocks(document, lines)
    return ReadResult(text="\n".join(lines), format="docx", page_count=_docx_page_count(data))


def _docx_blocks(container, lines: list[str]) -> None:
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            _docx_table(block, lines)
        else:
            lines.extend(block.text.split("\n"))


def _docx_table(table, lines: list[str]) -> None:
    """Tables are read cell by cell with "|" between cells, like scraped HTML.

    Small tables (the header and signature blocks of an official document)
    are read column by column so that each column's lines stay together.
    """
    rows = [list(_unique_cells(row)) for row in table.rows]
    width = max((len(r) for r in rows), default=0)
    if len(rows) <= 6 and width <= 3:
        order = [row[c] for c in range(width) for row in rows if c < len(row)]
    else:
        order = [cell for row in rows for cell in row]
    for cell in order:
        lines.append("|")
        _docx_blocks(cell, lines)
    lines.append("|")


def _unique_cells(row):
    seen = set()
    for cell in row.cells:
        if id(cell._tc) not in seen:  # merged cells repeat the same element
            seen.add(id(cell._tc))
            yield cell


_PAGES_RE = re.compile(rb"<Pages>(\d+)</Pages>")


def _docx_page_count(data: bytes) -> int | None:
    """The page count Word saved in docProps/app.xml, if any (checked zip, small part)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "docProps/app.xml" not in archive.namelist():
            return None
        match = _PAGES_RE.search(archive.read("docProps/app.xml"))
    return int(match.group(1)) if match and int(match.group(1)) > 0 else None


# --- PDF -------------------------------------------------------------------


def _read_pdf(data: bytes) -> ReadResult:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed PDFs are reported by us
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError("Tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi nhập lại.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except FileNotDecryptedError as exc:
        raise ReadError("Tệp PDF được mã hóa; hãy gỡ mật khẩu rồi nhập lại.") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, NotImplementedError) as exc:
        raise ReadError(f"Tệp PDF bị hỏng hoặc không đọc được ({type(exc).__name__}).") from exc
    text = "\n".join(pages)
    warnings = []
    if len(text.strip()) < 20:
        warnings.append(
            "PDF không có lớp chữ (có thể là bản quét): không trích được nội dung, cần nhập siêu dữ liệu bằng tay."
        )
    return ReadResult(text=text, format="pdf", page_count=len(pages), warnings=warnings)
