"""Readers: bytes of a .txt, .md, .html, .docx, .odt, .doc or .pdf file → plain text; which pages of a PDF or
an image file need OCR (:mod:`docmgr.ocr` reads them).

Pure functions, no Flask and no database. The format is decided by the
content (magic bytes) first and the file name second, so a PDF saved as
".doc" still reads. Every failure is a :class:`ReadError` whose message is
in Vietnamese and says what is wrong with the file.

Reading is bounded by :class:`ReadLimits`, whatever the file's size on disk:
over the decompressed size or the XML elements of a DOCX, the file is refused
with the reason (an ODT's likewise); over the pages or the characters, what was read so far is
kept with a warning. Time and memory are bounded by the process that reads
(:mod:`docmgr.extraction.sandbox`).
"""

from __future__ import annotations

import codecs
import dataclasses
import io
import logging
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePath

import docx
import tinycss2
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from lxml import etree
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from docmgr.cpu import CpuSlots
from docmgr.extraction.edxml import Package, is_edxml, read_package
from docmgr.extraction.errors import ReadError
from docmgr.extraction.lines import compose_page
from docmgr.extraction.pdftext import PdfText
from docmgr.extraction.worddoc import WordTable, read_word_doc
from docmgr.text import (
    LegacyConversion,
    apply_capitals,
    clean_lines,
    convert_legacy,
    detect_legacy_encoding,
    is_capitals_font,
    mark_capitals,
    restore_lost_u,
    typed_for_legacy_font,
)


DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# A .docx (an .odt) is a zip: refuse archives that expand far more than text does (zip bombs).
MAX_DOCX_RATIO = 200
# Text encodings an HTML file may declare: those documents are written in. Others (punycode decodes in
# quadratic time, idna and "undefined" fail) are ignored, and the text read as UTF-8 or Windows-1258.
ALLOWED_CHARSETS = frozenset({
    "utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii", "cp1258", "cp1252", "cp1250", "cp1251",
    "iso8859-1", "iso8859-2", "iso8859-15", "latin-1",
})


@dataclass(frozen=True)
class ReadLimits:
    """What reading one file may cost. Defaults: ``DOCMGR_READ_*`` settings (docmgr.config)."""

    max_bytes: int = DEFAULT_MAX_BYTES  # the file itself
    max_decompressed: int = 100 * 1024 * 1024  # a DOCX's parts, a PDF's content streams: refused past it
    max_xml_elements: int = 2_000_000  # a DOCX's document: refused past it
    max_pages: int = 2000  # read so far, with a warning, past it
    max_chars: int = 5_000_000  # text kept, with a warning, past it
    max_page_chars: int = 200_000  # of one PDF page (a dense A4 page holds ~10,000): cut, with a warning
    cpu_seconds: int = 60  # the reading process is stopped past it: refused
    memory_bytes: int = 1024 * 1024 * 1024  # likewise
    workers: int = 0  # reading processes (0: the cores, at most 2)
    cpu_slots: CpuSlots = CpuSlots("")  # the machine's CPU policy: each reading holds a slot (docmgr.cpu)

    @classmethod
    def from_config(cls, config) -> ReadLimits:
        mb = 1024 * 1024
        return cls(max_bytes=int(config.get("DOCMGR_MAX_UPLOAD_MB", 50)) * mb,
                   max_decompressed=int(config.get("DOCMGR_READ_MAX_DECOMPRESSED_MB", 100)) * mb,
                   max_xml_elements=int(config.get("DOCMGR_READ_MAX_XML_ELEMENTS", 2_000_000)),
                   max_pages=int(config.get("DOCMGR_READ_MAX_PAGES", 2000)),
                   max_chars=int(config.get("DOCMGR_READ_MAX_CHARS", 5_000_000)),
                   cpu_seconds=int(config.get("DOCMGR_READ_CPU_SECONDS", 60)),
                   memory_bytes=int(config.get("DOCMGR_READ_MEMORY_MB", 1024)) * mb,
                   workers=int(config.get("DOCMGR_READ_WORKERS", 0)))


def check_size(size: int, max_bytes: int) -> None:
    """Refuse a file larger than ``max_bytes`` (before anything reads it, where the size is known)."""
    if size > max_bytes:
        raise ReadError(f"Tệp quá lớn ({size / 1048576:.1f} MB); giới hạn là {max_bytes / 1048576:.0f} MB.")


def _n(number: int) -> str:
    """A count as Vietnamese write it: 5.000.000."""
    return f"{number:,}".replace(",", ".")


def _too_long_warning(limits: ReadLimits) -> str:
    return (f"Văn bản quá dài: chỉ lấy {_n(limits.max_chars)} ký tự đầu để tìm kiếm và trích xuất; "
            "tệp gốc vẫn được lưu nguyên vẹn.")


def _cut_utf8(data: bytes, size: int) -> bytes:
    """The first ``size`` bytes, backed off to a character boundary of UTF-8."""
    if len(data) <= size:
        return data
    end = size
    while end > 0 and data[end] & 0xC0 == 0x80:
        end -= 1
    return data[:end]

FORMATS = {
    "txt": "text/plain",
    "md": "text/markdown",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "doc": "application/msword",
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "tiff": "image/tiff",
    "edxml": "application/xml",
}
IMAGE_FORMATS = ("png", "jpeg", "tiff")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
EXTENSIONS = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".docx": "docx", ".odt": "odt", ".doc": "doc",
    ".pdf": "pdf",
    ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff", ".tiff": "tiff",
    ".edxml": "edxml", ".xml": "edxml",
}
# Pillow refuses images larger than this (a decompression bomb of a PNG or TIFF): A4 at 600 dpi is 35 M pixels.
MAX_IMAGE_PIXELS = 100_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
# A page whose text layer has fewer letters than this is a scan (or blank): it is read by OCR.
SCANNED_PAGE_CHARS = 20
# A page whose text layer is in a legacy encoding (a .VnTime font: «Céng hßa x· héi») is converted as any text
# is; OCR reads it only when that leaves it unreadable. A page an image covers (SCAN_IMAGE_SHARE of its area or
# more) whose text layer is short is a scan too: a scan with text stamped over it by a signing tool («Ký bởi: …
# Thời gian ký: …», a copy's «SAO Y» signature) or a portal's footer. A page of a document's own text holds well
# over a thousand letters.
STAMPED_SCAN_CHARS = 400
SCAN_IMAGE_SHARE = 0.6
# A scanner's own OCR run in a language other than Vietnamese (English, its default) leaves a full text layer
# under the page's image that has lost the marks («UY BAN NHAN DAN TINH», «S6: 471/QD-UBND», «chitc quyén»):
# OCR reads such a page again. Tesseract's English reading of scans of the labelled documents keeps 13–20 % of
# its words with a letter outside ASCII; the labelled documents keep 63 % or more, their own OCR 65 % or more,
# and the corpus's pages in Vietnamese well over 30 % (the median is 85 %; those under are English pages).
FOREIGN_OCR_MARKED_SHARE = 0.3
# A scan that an OCR program made searchable carries that program's reading as invisible text under the image:
# docmgr reads the page again with its own OCR, which knows the layout of an official document and mends what
# scans do to it. Of the tune documents' scans (seed 21) made searchable by Tesseract 5's Vietnamese, as
# ocrmypdf does, the fields of the first 20 came out 0.760 right from that layer and 0.978 from docmgr's OCR;
# of 21 others made searchable by ocrmypdf itself, 0.745 and 0.974.
OCR_LAYER_SHARE = 0.5
_WORD_RE = re.compile(r"[^\W\d_]+")


@dataclass
class ReadResult:
    text: str
    format: str  # a key of FORMATS
    page_count: int | None = None
    warnings: list[str] = field(default_factory=list)
    page_texts: list[str] | None = None  # a PDF's text, page by page
    ocr_pages: list[int] = field(default_factory=list)  # pages (1-based) with no text layer: OCR reads them
    # An edXML package's header and files: the text, pages and format above are its main attachment's.
    package: Package | None = None

    @property
    def mime_type(self) -> str:
        return FORMATS[self.format]


def supported_extensions() -> list[str]:
    return sorted(EXTENSIONS)


def sniff_image(data: bytes) -> str | None:
    """"png", "jpeg" or "tiff" from the magic bytes, else None."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    return None


def _program_kind(head: bytes) -> str | None:
    """A program file, by its magic bytes (what a file sent as «.pdf» may really be)."""
    if head[:2] == b"MZ":
        return "Windows .exe/.dll"
    if head[:4] == b"\x7fELF":
        return "Linux ELF"
    if head[:4] in (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe"):
        return "macOS Mach-O"
    return None


def sniff_format(data: bytes, filename: str = "") -> str | None:
    """Decide the format from the content, falling back on the file extension."""
    head = data[:1024]
    by_name = EXTENSIONS.get(PurePath(filename).suffix.lower())
    if head.lstrip()[:5] == b"%PDF-" or head[:1024].find(b"%PDF-") != -1:
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        # an OpenDocument file's first part is its «mimetype», stored as it is
        return "odt" if _ODF_MIMETYPE in head[:200] or by_name == "odt" else "docx"
    if head[:8] == _OLE_MAGIC:
        return "doc"  # an OLE compound file: a Word 97–2003 document, or another kind its reader names
    image = sniff_image(head)
    if image:
        return image
    if by_name in ("pdf", "docx", "odt", *IMAGE_FORMATS):
        return None  # claims to be a binary format but is not
    if by_name == "doc":
        by_name = None  # a «.doc» that is no OLE file: a web page (Word's, a portal's) or text, by its content
    utf16 = head.startswith(_UTF16_BOMS)
    if b"\x00" in head and not utf16:
        return None  # binary data of a kind we do not read
    if is_rtf(head):
        return None  # a format not read (read_bytes says which)
    if is_edxml(head) or by_name == "edxml":
        return "edxml"  # (an «.xml» that is no package is refused by read_package, saying why)
    lowered = head.lower()
    if utf16:  # as Word saves a web page «in Unicode»
        lowered = head.decode("utf-16", "ignore").lower().encode()
    if by_name is None and (b"<html" in lowered or b"<!doctype html" in lowered):
        return "html"
    if by_name is None and _is_utf8_text(head):
        return "txt"  # a name without a known extension (or lost on the way): the content is text
    return by_name


def _read_package(data: bytes, limits: ReadLimits) -> ReadResult:
    """An edXML package: its main attachment read as that file would be (its text, pages, format), with the
    package kept beside (:mod:`docmgr.extraction.edxml`). A main file that cannot be read leaves the header's
    metadata and a warning: the package itself is kept whole."""
    package = read_package(data, limits.max_bytes)
    for attachment in list(package.attachments):
        program = _program_kind(attachment.data[:4])
        if program:  # never handed to a clerk as a document's file; the package keeps it, as it came
            package.attachments.remove(attachment)
            package.warnings.append(f"Tệp đính kèm «{attachment.name}» trong gói edXML là tệp chương trình "
                                    f"({program}), không phải văn bản: không lấy ra; gói gốc vẫn được lưu.")
    main = package.main
    result = ReadResult("", "edxml", page_count=package.page_count)
    if main is None and package.attachments:
        names = ", ".join(f"«{a.name}»" for a in package.attachments)
        result.warnings.append(f"Không có tệp nào docmgr đọc được trong gói edXML ({names}): siêu dữ liệu lấy "
                               "từ phần đầu gói.")
    elif main is not None:
        try:
            result = read_bytes(main.data, main.name, limits=limits)
        except ReadError as exc:
            result.warnings.append(f"Không đọc được tệp «{main.name}» trong gói edXML: {exc} Siêu dữ liệu lấy từ "
                                   "phần đầu gói.")
    result.warnings = [*package.warnings, *result.warnings]
    result.package = package
    return result


def is_rtf(head: bytes) -> bool:
    """Is this the head of an RTF file (Rich Text Format, which WordPad and Word save, at times as «.doc»)?"""
    return head.lstrip()[:5] == b"{\\rtf"


def _is_utf8_text(head: bytes) -> bool:
    """Does ``head`` (the first KB) read as UTF-8 text — a character cut at its end allowed — with no control
    characters other than tab and line ends?"""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:
            return False
        text = head[:exc.start].decode("utf-8")
    return bool(text.strip()) and not any(ord(c) < 32 and c not in "\t\r\n\f" for c in text)


def read_bytes(data: bytes, filename: str = "", max_bytes: int | None = None,
               limits: ReadLimits | None = None) -> ReadResult:
    """Read a document's text from its bytes, within ``limits``. Raises :class:`ReadError`."""
    limits = limits or ReadLimits()
    max_bytes = max_bytes if max_bytes is not None else limits.max_bytes
    check_size(len(data), max_bytes)
    if not data.strip():
        raise ReadError("Tệp rỗng, không có nội dung.")
    fmt = sniff_format(data, filename)
    program = _program_kind(data[:4])
    if program:
        raise ReadError(f"Đây là tệp chương trình ({program}), không phải văn bản, dù tên tệp là "
                        f"«{PurePath(filename).name or 'không tên'}». Tệp không được nhận.")
    if fmt is None and is_rtf(data[:1024]):
        raise ReadError("Tệp này là RTF (Rich Text Format), docmgr chưa đọc định dạng này: hãy mở bằng Word hoặc "
                        "LibreOffice, lưu thành .docx rồi tải lên.")
    if fmt is None:
        suffix = PurePath(filename).suffix or "(không có phần mở rộng)"
        raise ReadError(
            f"Không nhận dạng được định dạng tệp {suffix}: chỉ nhận .txt, .md, .html, .docx, .odt, .doc, .pdf, "
            "ảnh quét .png, .jpg, .tif, gói văn bản điện tử .edxml và nội dung phải đúng với định dạng đó."
        )
    if fmt == "edxml":
        return _read_package(data, limits)
    reader = {"txt": _read_text, "md": _read_text, "html": _read_html, "docx": _read_docx, "odt": _read_odt,
              "doc": _read_doc, "pdf": _read_pdf, "png": _read_image, "jpeg": _read_image,
              "tiff": _read_image}[fmt]
    result = reader(data, limits)
    result.format = fmt
    if len(result.text) > limits.max_chars:
        result.text = result.text[:limits.max_chars]
        if _too_long_warning(limits) not in result.warnings:
            result.warnings.append(_too_long_warning(limits))
    if fmt != "pdf" and fmt not in IMAGE_FORMATS:  # (a PDF's pages are converted one by one as they are read)
        result.text, converted = convert_legacy(result.text)
        if converted:
            result.warnings.append(converted.message)
        result.text = apply_capitals(result.text)
    result.text = clean_lines(result.text)
    return result


# --- plain text and markdown -------------------------------------------------


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Decode text bytes: BOMs, then UTF-8, then a legacy Vietnamese encoding (TCVN3, VNI: one byte a code, as
    Windows-1252 reads them, for :func:`convert_legacy`), then Windows-1258 with a warning."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), []
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16", errors="replace"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        legacy = data.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
        legacy = data.decode("latin-1")
    if detect_legacy_encoding(legacy) is not None:
        return legacy, []
    return data.decode("cp1258", errors="replace"), [
        "Tệp không ở mã UTF-8; đã đọc theo bảng mã Windows-1258, cần kiểm tra lại dấu tiếng Việt."
    ]


def _read_text(data: bytes, limits: ReadLimits) -> ReadResult:
    # Decode no more than the characters kept could take (4 bytes each at most in UTF-8).
    cut = _cut_utf8(data, limits.max_chars * 4)
    text, warnings = decode_text(cut)
    if len(cut) < len(data):
        warnings.append(_too_long_warning(limits))
    return ReadResult(text=text, format="txt", warnings=warnings)


# --- HTML ------------------------------------------------------------------

_BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "li", "ul", "ol", "h1", "h2", "h3",
    "h4", "h5", "h6", "table", "tr", "blockquote", "pre", "hr", "dl", "dt", "dd", "center",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)


_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "embed", "source", "track"}
_STYLE_OPEN_RE = re.compile(r"<style\b[^<>]{0,500}>", re.IGNORECASE)
_STYLE_CLOSE_RE = re.compile(r"</style\s*>", re.IGNORECASE)
_MAX_CAPITALS_RULES = 200  # a document's style sheet has a few; past it, a page is not read for more
_MAX_STYLE_CHARS = 1_000_000  # of style sheets parsed


def _style_sheets(html: str) -> list[str]:
    """The text of an HTML page's <style> elements (in linear time, however their tags are left open)."""
    sheets, at, size = [], 0, 0
    while size < _MAX_STYLE_CHARS:
        opening = _STYLE_OPEN_RE.search(html, at)
        closing = _STYLE_CLOSE_RE.search(html, opening.end()) if opening else None
        if closing is None:
            break
        sheets.append(html[opening.end() : min(closing.start(), opening.end() + _MAX_STYLE_CHARS - size)])
        size += len(sheets[-1])
        at = closing.end()
    return sheets


# A page that may set capitals: by a case transform, or by a TCVN3 capitals font («.VnTimeH», in a style or a
# <font face>): only such a page has its styles read.
_CAPITALS_STYLE_RE = re.compile(r"text-transform|small-caps|\.?Vn\w*H\b", re.IGNORECASE)
_COMPOUND_RE = re.compile(r"^(?P<tag>[a-z][a-z0-9]*|\*)?(?P<classes>(?:\.[\w-]+)*)$", re.IGNORECASE)


def _capitals(transform: str | None, variant: str | None) -> bool | None:
    """Is text shown in capitals by its case transform and its font variant (CSS's and ODF's values; None where
    nothing is said): True when either sets them («uppercase», «small-caps»), False when what is said sets
    them off («none», «normal»), None when nothing is said (as the text around it shows)."""
    if transform == "uppercase" or variant == "small-caps":
        return True
    return False if transform or variant else None


def _capitals_set(declarations) -> bool | None:
    """Do CSS ``declarations`` (tinycss2's) set text in capitals (see :func:`_capitals`)? Each property's last
    declaration counts."""
    said: dict[str, str] = {}
    for item in declarations:
        if item.type == "declaration" and item.lower_name in ("text-transform", "font-variant"):
            said[item.lower_name] = tinycss2.serialize(item.value).strip().lower()
    return _capitals(said.get("text-transform"), said.get("font-variant"))


def _font_set(declarations) -> bool | None:
    """Do CSS ``declarations`` name a TCVN3 capitals font first in their font-family (True), another font
    (False), or none (None)? The first family is the one the author's machine, which had the font, drew."""
    family = None
    for item in declarations:
        if item.type == "declaration" and item.lower_name == "font-family":
            family = tinycss2.serialize(item.value)
    return None if family is None else _capitals_face(family)


def _capitals_face(family: str) -> bool:
    """Is the first font of a font-family list («".VnTimeH", serif», a <font face>) a TCVN3 capitals font?"""
    return is_capitals_font(family.split(",")[0].strip().strip("'\""))


class _CssCapitals:
    """Which of an HTML page's elements show their text in capitals: by the rules of its <style> sheets
    (a selector's last compound matched, «td.left .caps» as «.caps»: a page of text, not a site's theme, is
    what is read) and by their own style attribute, as Word's «Save as HTML» writes «All caps». An element
    set in a TCVN3 capitals font (.VnTimeH: by a rule, its style attribute or a <font face>) shows the small
    letters' codes typed in it as capitals."""

    def __init__(self, html: str) -> None:
        self.rules: list[tuple[str | None, frozenset[str], bool | None, bool | None]] = []
        for sheet in _style_sheets(html):
            for rule in tinycss2.parse_stylesheet(sheet, skip_comments=True, skip_whitespace=True):
                if rule.type != "qualified-rule" or len(self.rules) >= _MAX_CAPITALS_RULES:
                    continue
                declarations = tinycss2.parse_blocks_contents(rule.content)
                caps, font = _capitals_set(declarations), _font_set(declarations)
                if caps is None and font is None:
                    continue
                for selector in tinycss2.serialize(rule.prelude).split(","):
                    last = re.split(r"[\s>+~]+", selector.strip())[-1]
                    match = _COMPOUND_RE.match(last)
                    if match and (match.group("tag") or match.group("classes")):
                        tag = match.group("tag")
                        self.rules.append((None if tag in (None, "*") else tag.lower(),
                                           frozenset(match.group("classes").split(".")[1:]), caps, font))
        # As CSS weighs them: a rule of more classes over one of fewer, of a tag and classes over classes alone
        # («.tenloai» over «p»); of the same weight, the later (the sort keeps their order).
        self.rules.sort(key=lambda rule: (len(rule[1]), rule[0] is not None))

    def of(self, tag: str, attrs: list, around: tuple[bool, bool]) -> tuple[bool, bool]:
        """(in capitals?, in a capitals font?) of an element, inside one that is ``around``."""
        caps, font = around
        classes = {name for key, value in attrs if key == "class" and value for name in value.split()}
        for rule_tag, rule_classes, rule_caps, rule_font in self.rules:
            if (rule_tag is None or rule_tag == tag) and rule_classes <= classes:
                caps = caps if rule_caps is None else rule_caps
                font = font if rule_font is None else rule_font
        style = next((value for key, value in attrs if key == "style" and value), "")
        if "transform" in style or "variant" in style or "family" in style:
            declarations = tinycss2.parse_blocks_contents(style)
            inline, inline_font = _capitals_set(declarations), _font_set(declarations)
            caps = caps if inline is None else inline
            font = font if inline_font is None else inline_font
        if tag == "font":
            face = next((value for key, value in attrs if key == "face" and value), None)
            font = font if face is None else _capitals_face(face)
        return caps, font


class _TextExtractor(HTMLParser):
    def __init__(self, capitals: _CssCapitals | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.lists: list[list] = []  # the lists open, innermost last: [tag, the number of its next item]
        self.bullet = ""  # an item's mark, written before its first text
        self.capitals = capitals
        # the elements open (when capitals are looked for): tag, in capitals?, in a TCVN3 capitals font?
        self.open: list[tuple[str, bool, bool]] = []
        self.open_tags: Counter[str] = Counter()  # how many of each tag are open: an end tag finds its own at once

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.capitals is not None and tag not in _VOID_TAGS:
            self.open.append((tag, *self.capitals.of(tag, attrs, self.open[-1][1:] if self.open else (False, False))))
            self.open_tags[tag] += 1
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        elif tag in ("td", "th"):
            self.parts.append("\n|\n")
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 1])
            self.parts.append("\n")
        elif tag == "li" and self.lists:
            # a list's item as it is written in a document: «- Như Điều 3;» (a Nơi nhận list), «1. …»
            kind = self.lists[-1]
            self.parts.append("\n")
            self.bullet = f"{kind[1]}. " if kind[0] == "ol" else "- "
            kind[1] += 1
        elif tag == "br" or tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list) -> None:  # «<br/>», «<div/>»: nothing inside
        self.handle_starttag(tag, attrs)
        if self.capitals is not None and tag not in _VOID_TAGS:
            self.open_tags[self.open.pop()[0]] -= 1
        self.handle_endtag_text(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open_tags[tag] > 0:
            while True:  # what HTML closes without end tags («<p>», «<li>») closes here
                name = self.open.pop()[0]
                self.open_tags[name] -= 1
                if name == tag:
                    break
        self.handle_endtag_text(tag)

    def handle_endtag_text(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in ("ul", "ol") and self.lists and self.lists[-1][0] == tag:
            self.lists.pop()
            self.bullet = ""
            self.parts.append("\n")
        elif tag == "li":
            self.bullet = ""  # an empty item: no mark
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS or tag in ("td", "th"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            if self.bullet and not data.isspace():
                self.parts.append("\n" + self.bullet)
                self.bullet = ""
            if self.open and (self.open[-1][1] or self.open[-1][2] and typed_for_legacy_font(data)):
                data = mark_capitals(data)
            self.parts.append(re.sub(r"\s+", " ", data))


def _declared_charset(data: bytes) -> tuple[str | None, str | None]:
    """(the charset an HTML file declares, as written; that charset's codec if documents are written in it
    — :data:`ALLOWED_CHARSETS` — else None)."""
    match = _CHARSET_RE.search(data[:4096])
    if not match:
        return None, None
    declared = match.group(1).decode("ascii", "replace")
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return declared, None
    return declared, name if name in ALLOWED_CHARSETS else None


def _read_html(data: bytes, limits: ReadLimits) -> ReadResult:
    # HTML carries markup besides text: decode a few times what the text may take, no more.
    cut = data[:limits.max_chars * 8]
    warnings: list[str] = [] if len(cut) == len(data) else [_too_long_warning(limits)]
    declared, charset = _declared_charset(cut)
    if charset and charset != "utf-8":
        text = cut.decode(charset, errors="replace")
    else:
        text, more = decode_text(_cut_utf8(data, len(cut)))
        warnings += more
        if declared and not charset:
            warnings.append(f"Tệp HTML khai báo bảng mã «{declared[:30]}» không dùng cho văn bản; đã đọc theo UTF-8.")
    styled = _CAPITALS_STYLE_RE.search(text) is not None  # (looked for only in a page that may set them)
    parser = _TextExtractor(_CssCapitals(text) if styled else None)
    parser.feed(text)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    return ReadResult(text="\n".join(lines), format="html", warnings=warnings)


# --- DOCX ------------------------------------------------------------------


# The part that holds a packaged document's text, and what the document is called
_PACKAGES = {
    "docx": ("word/document.xml", "văn bản Word (.docx)"),
    "odt": ("content.xml", "văn bản OpenDocument (.odt)"),
}


def _check_zip(data: bytes, limits: ReadLimits, fmt: str = "docx") -> None:
    part, kind = _PACKAGES[fmt]
    label = fmt.upper()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ReadError(f"Tệp {label} bị hỏng (không mở được gói nén).") from exc
    with archive:
        names = set(archive.namelist())
        if part not in names:
            raise ReadError(f"Tệp nén này không phải {kind}: thiếu {part}.")
        total = sum(info.file_size for info in archive.infolist())
        packed = sum(info.compress_size for info in archive.infolist()) or 1
        if total > limits.max_decompressed or total / packed > MAX_DOCX_RATIO:
            raise ReadError(
                f"Tệp {label} bất thường: giải nén ra {total / 1048576:.0f} MB (giới hạn "
                f"{limits.max_decompressed / 1048576:.0f} MB, tối đa {MAX_DOCX_RATIO} lần dung lượng tệp; "
                "nghi là zip bomb), không xử lý."
            )
        try:
            _count_elements(archive, part, limits, label)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError) as exc:  # its part is damaged
            raise ReadError(f"Tệp {label} bị hỏng: {part} không giải nén được ({type(exc).__name__}).") from exc


def _count_elements(archive: zipfile.ZipFile, name: str, limits: ReadLimits, label: str) -> None:
    """Refuse a part of more XML elements than a document has, before a reader builds objects of them all:
    counted streaming, in C, keeping nothing."""
    count = 0
    try:
        with archive.open(name) as stream:
            for _event, element in etree.iterparse(stream, events=("end",), resolve_entities=False,
                                                   no_network=True, huge_tree=False):
                count += 1
                if count > limits.max_xml_elements:
                    raise ReadError(f"Tệp {label} bất thường: hơn {_n(limits.max_xml_elements)} phần tử XML "
                                    "(văn bản thật ít hơn nhiều), không xử lý.")
                element.clear(keep_tail=True)
                parent = element.getparent()  # and drop the emptied elements before it: nothing is kept
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"Tệp {label} bị hỏng: {name} không phải XML hợp lệ.") from exc


def _read_docx(data: bytes, limits: ReadLimits) -> ReadResult:
    _check_zip(data, limits)

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ReadError(f"Tệp DOCX bị hỏng: {exc}") from exc
    except Exception as exc:  # lxml errors and the like from a damaged package
        raise ReadError(f"Không đọc được tệp DOCX: {type(exc).__name__}") from exc
    # An optional hyphen, which python-docx leaves out, is read as the soft hyphen (dropped with the text's
    # cleaning, but TCVN3's «ư», which Word and LibreOffice may keep as one)
    for hyphen in document.element.xpath("//w:softHyphen"):
        shown = OxmlElement("w:t")
        shown.text = "\u00ad"
        hyphen.getparent().replace(hyphen, shown)
    _as_word_shows(document.element.body)
    lines: list[str] = []
    capitals = _WordCapitals() if any(part.xpath("//w:caps | //w:smallCaps | " + _CAPITALS_FONT_XPATH)
                                  for part in (document.element, document.styles.element)) else None
    _docx_blocks(document, lines, capitals)
    return ReadResult(text="\n".join(lines), format="docx", page_count=_docx_page_count(data))


# Word's markup that python-docx does not read through, read as Word shows the document with its tracked
# changes accepted: what was inserted or moved in is read, what was deleted or moved out (and a deleted table
# row) is not; the text in content controls, smart tags, custom XML and simple fields (their last result) is
# read as the rest; a text box's paragraphs are read after the paragraph that holds it (once: the VML copy
# kept for old versions of Word is left out).
_NOT_A_MARK = "[not(parent::w:rPr or parent::w:pPr or parent::w:trPr or parent::w:tcPr)]"
_NOT_SHOWN = " | ".join(f".//{tag}{_NOT_A_MARK}" for tag in ("w:del", "w:moveFrom")) + " | .//w:tr[w:trPr/w:del]"
_WRAPPERS = " | ".join(f".//{tag}{_NOT_A_MARK}" for tag in (
    "w:ins", "w:moveTo", "w:smartTag", "w:customXml", "w:fldSimple", "w:sdt", "w:sdtContent"))
_WRAPPERS_OWN = {qn(tag) for tag in ("w:sdtPr", "w:sdtEndPr", "w:smartTagPr", "w:customXmlPr")}
_TEXT_BOXES = ".//w:r[.//w:txbxContent]"


def _as_word_shows(body) -> None:
    """``body`` (a .docx's, in memory) with its changes accepted and its wrappers and text boxes opened."""
    for gone in body.xpath(_NOT_SHOWN):
        if gone.getparent() is not None:
            gone.getparent().remove(gone)
    for wrapper in body.xpath(_WRAPPERS):
        parent = wrapper.getparent()
        if parent is None:
            continue
        index = parent.index(wrapper)
        parent.remove(wrapper)
        for offset, child in enumerate(c for c in list(wrapper) if c.tag not in _WRAPPERS_OWN):
            parent.insert(index + offset, child)
    for run in body.xpath(_TEXT_BOXES):
        paragraph = next(run.iterancestors(qn("w:p")), None)
        if paragraph is None or paragraph.getparent() is None:
            continue
        after = paragraph
        for box in run.xpath(".//w:txbxContent[not(ancestor::*[local-name() = 'Fallback'])]"):
            for block in [b for b in box if b.tag in (qn("w:p"), qn("w:tbl"))]:
                after.addnext(block)
                after = block
        run.getparent().remove(run)


def _docx_blocks(container, lines: list[str], capitals: _WordCapitals | None) -> None:
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            _docx_table(block, lines, capitals)
        else:
            lines.extend((capitals.text(block) if capitals else block.text).split("\n"))


# A document that names a font of the ABC set (its capitals fonts among them) is read run by run.
_CAPITALS_FONT_XPATH = "//w:rFonts[contains(@w:ascii, 'Vn') or contains(@w:hAnsi, 'Vn')]"


def _caps(font) -> bool | None:
    """Does ``font`` set its text in capitals (All caps, Small caps), set them off, or leave it to its style?"""
    if font.all_caps or font.small_caps:
        return True
    return False if font.all_caps is False or font.small_caps is False else None


def _capitals_font(font) -> bool | None:
    """Is ``font`` named one of TCVN3's capitals fonts, another font, or not named (its style's)? Word draws
    the codes past 127, TCVN3's letters, in the «high ANSI» font (``w:hAnsi``), else in the ASCII one."""
    rpr = font.element.rPr
    rfonts = rpr.rFonts if rpr is not None else None
    name = (rfonts.get(qn("w:hAnsi")) or rfonts.get(qn("w:ascii"))) if rfonts is not None else None
    return is_capitals_font(name) if name else None


class _WordCapitals:
    """A .docx's text as Word shows it: a run formatted «All caps» or «Small caps» (set on it, on its character
    style, or on its paragraph's style or the styles those are based on), or set in a TCVN3 capitals font the
    same way, in capitals. An office may type a header's «Ủy ban nhân dân tỉnh …» in small letters and format
    it so; the reader sees «ỦY BAN NHÂN DÂN …»."""

    def __init__(self) -> None:
        self.by_style: dict[tuple[str | None, bool], bool | None] = {}

    def of_style(self, style, font: bool = False) -> bool | None:
        """Does ``style`` (or a style it is based on) set capitals (``font``: a capitals font)?"""
        key = (style.style_id if style is not None else None, font)
        if key not in self.by_style:
            value, based_on = None, style
            for _ in range(20):  # a chain of styles based on one another (a loop in a damaged file ends)
                if based_on is None or value is not None:
                    break
                value = _capitals_font(based_on.font) if font else _caps(based_on.font)
                based_on = based_on.base_style
            self.by_style[key] = value
        return self.by_style[key]

    def text(self, paragraph) -> str:
        shown = self.of_style(paragraph.style)
        shown_font = self.of_style(paragraph.style, font=True)
        parts = []
        for item in paragraph.iter_inner_content():
            for run in item.runs if isinstance(item, Hyperlink) else [item]:
                caps = _caps(run.font)
                if caps is None:
                    caps = self.of_style(run.style)
                font = _capitals_font(run.font)
                if font is None:
                    font = self.of_style(run.style, font=True)
                capitals = (shown if caps is None else caps) or (
                    (shown_font if font is None else font) and typed_for_legacy_font(run.text))
                parts.append(mark_capitals(run.text) if capitals else run.text)
        return "".join(parts)


def _docx_table(table, lines: list[str], capitals: _WordCapitals | None) -> None:
    """Tables are read cell by cell with "|" between cells, like scraped HTML.

    Small tables (the header and signature blocks of an official document)
    are read column by column so that each column's lines stay together.
    """
    _framed_cells([list(_unique_cells(row)) for row in table.rows], lines,
                  lambda cell: _docx_blocks(cell, lines, capitals))


def _reading_order(rows: list[list]) -> list:
    """A table's cells in reading order: a small table's (a header's or a signature's) column by column."""
    width = max((len(r) for r in rows), default=0)
    if len(rows) <= 6 and width <= 3:
        return [row[c] for c in range(width) for row in rows if c < len(row)]
    return [cell for row in rows for cell in row]


def _framed_cells(rows: list[list], lines: list[str], read: Callable[[object], None]) -> None:
    """A table's cells in reading order, each ``read`` into ``lines`` after a «|» line, and a «|» line after
    the last: how every reader writes a table (.docx, .odt, .doc)."""
    for cell in _reading_order(rows):
        lines.append("|")
        read(cell)
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


# --- ODT (OpenDocument Text, TCVN ISO/IEC 26300) -------------------------------------------
# Read with lxml, which docmgr has: python-docx reads .docx only, and odfpy's text extraction drops what this
# one keeps (tables in reading order, list items' marks, text boxes, spaces written as <text:s c="3"/>).

_ODF_MIMETYPE = b"application/vnd.oasis.opendocument."
_ODF = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}


def _odf(name: str) -> str:
    prefix, _, local = name.partition(":")
    return f"{{{_ODF[prefix]}}}{local}"


_ODT_PARAGRAPHS = {_odf("text:p"), _odf("text:h")}
_ODT_ROWS = _odf("table:table-row")
# not the text as it reads: deleted text kept for tracked changes, comments, footnotes, declarations, columns
_ODT_LEFT_OUT = {_odf(name) for name in (
    "text:tracked-changes", "office:annotation", "office:annotation-end", "text:note", "text:sequence-decls",
    "text:variable-decls", "text:user-field-decls", "table:table-columns", "table:table-column",
    "table:table-column-group", "office:forms", "table:covered-table-cell", "text:soft-page-break")}
_MAX_SPACES = 200  # what one <text:s c="…"/> writes, at most


def _odt_xml(archive: zipfile.ZipFile, name: str) -> etree._Element | None:
    if name not in archive.namelist():
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        return etree.fromstring(archive.read(name), parser)
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"Tệp ODT bị hỏng: {name} không phải XML hợp lệ.") from exc


def _read_odt(data: bytes, limits: ReadLimits) -> ReadResult:
    _check_zip(data, limits, "odt")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "mimetype" in archive.namelist():
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mimetype != FORMATS["odt"]:
                    raise ReadError(f"Tệp OpenDocument này không phải văn bản (.odt) mà là «{mimetype[:60]}»: "
                                    "không nhận.")
            content = _odt_xml(archive, "content.xml")
            styles = _odt_xml(archive, "styles.xml")
            meta = _odt_xml(archive, "meta.xml")
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError) as exc:  # a damaged or odd part
        raise ReadError(f"Tệp ODT bị hỏng (một phần của gói nén không đọc được: {type(exc).__name__}).") from exc
    body = content.find(f"{_odf('office:body')}/{_odf('office:text')}")
    if body is None:
        raise ReadError("Tệp ODT không có phần văn bản (office:text).")
    reader = _OdtReader([x for x in (content, styles) if x is not None])
    reader.blocks(body)
    return ReadResult(text="\n".join(reader.lines), format="odt", page_count=_odt_page_count(meta))


class _OdtReader:
    """An ODT's body as lines: a paragraph to a line («<text:line-break/>» breaks it), a table's cells between
    «|» lines as a .docx's are, a list's items marked «- » (or «1. »), as they show."""

    def __init__(self, parts: list) -> None:
        self.lines: list[str] = []
        self.numbered: dict[str, bool] = {}  # a list style's name: are its items numbered (else bulleted)?
        # a paragraph's or a text's style: (does it set its text in capitals, or None: as its parent does; its parent)
        self.styles: dict[str, tuple[bool | None, str | None]] = {}
        for part in parts:
            for style in part.iter(_odf("text:list-style")):
                level = next(iter(style), None)
                if level is not None:
                    self.numbered[style.get(_odf("style:name"))] = level.tag == _odf("text:list-level-style-number")
            for style in part.iter(_odf("style:style")):
                shown = style.find(_odf("style:text-properties"))
                transform = shown.get(_odf("fo:text-transform")) if shown is not None else None
                variant = shown.get(_odf("fo:font-variant")) if shown is not None else None
                self.styles[style.get(_odf("style:name"))] = (_capitals(transform, variant),
                                                             style.get(_odf("style:parent-style-name")))

    def capitals(self, element, around: bool) -> bool:
        """Is ``element``'s text shown in capitals: «uppercase» or «small-caps» in its style or the styles that
        style is based on, else as the text ``around`` it is?"""
        name = element.get(_odf("text:style-name"))
        for _ in range(20):  # a chain of styles based on one another (a loop in a damaged file ends)
            caps, name = self.styles.get(name, (None, None)) if name else (None, None)
            if caps is not None:
                return caps
            if name is None:
                break
        return around

    def blocks(self, element, mark: str = "") -> None:
        for child in element:
            if child.tag in _ODT_PARAGRAPHS:
                frames: list = []
                text = self.text(child, frames, self.capitals(child, False))
                if mark and text.strip() and not text.lstrip().startswith(("-", "+", "•", "–")):
                    text = mark + text.lstrip()
                mark = ""  # an item's mark goes before its first paragraph only
                self.lines.extend(text.split("\n"))
                for frame in frames:
                    self.blocks(frame)
            elif child.tag == _odf("table:table"):
                self.table(child)
            elif child.tag == _odf("text:list"):
                self.list(child)
            elif child.tag not in _ODT_LEFT_OUT:
                self.blocks(child, mark)  # a section, a list's header, an index's body, a text box

    def list(self, element) -> None:
        numbered = self.numbered.get(element.get(_odf("text:style-name")), False)
        count = 0
        for item in element:
            if item.tag == _odf("text:list-item"):
                count += 1
                self.blocks(item, f"{count}. " if numbered else "- ")
            elif item.tag == _odf("text:list-header"):
                self.blocks(item)

    def table(self, element) -> None:
        rows = [[cell for cell in row if cell.tag == _odf("table:table-cell")] for row in element.iter(_ODT_ROWS)]
        _framed_cells(rows, self.lines, self.blocks)

    def text(self, element, frames: list, caps: bool) -> str:
        """A paragraph's text as it shows: its runs of spaces as ODF writes them (white space collapsed, <text:s/>
        kept), in capitals where its style (``caps``, the paragraph's) or a span's sets them; its frames' text
        boxes are added to ``frames``, read after it."""
        def shown(text: str | None) -> str:
            text = re.sub(r"\s+", " ", text or "")
            return mark_capitals(text) if caps else text

        parts = [shown(element.text)]
        for child in element:
            tag = child.tag
            if tag == _odf("text:s"):
                count = child.get(_odf("text:c"), "1")
                parts.append(" " * min(int(count) if count.isdecimal() else 1, _MAX_SPACES))
            elif tag == _odf("text:tab"):
                parts.append("\t")
            elif tag == _odf("text:line-break"):
                parts.append("\n")
            elif tag == _odf("draw:frame"):
                frames.append(child)
            elif tag not in _ODT_LEFT_OUT:
                parts.append(self.text(child, frames, self.capitals(child, caps)))
            parts.append(shown(child.tail))
        return "".join(parts)


def _odt_page_count(meta) -> int | None:
    statistic = meta.find(f".//{_odf('meta:document-statistic')}") if meta is not None else None
    count = statistic.get(_odf("meta:page-count"), "") if statistic is not None else ""
    return int(count) if count.isdecimal() and int(count) > 0 else None


# --- Word 97–2003 (.doc) ---------------------------------------------------------


def _read_doc(data: bytes, limits: ReadLimits) -> ReadResult:
    """A .doc's main text (:mod:`docmgr.extraction.worddoc`), its tables read as a .docx's are."""
    read = read_word_doc(data, limits.max_chars)
    lines: list[str] = []
    for block in read.blocks:
        if isinstance(block, WordTable):
            _framed_cells(block.rows, lines, lines.extend)
        else:
            lines.append(block)
    return ReadResult(text="\n".join(lines), format="doc", page_count=read.page_count,
                      warnings=[_too_long_warning(limits)] if read.cut else [])


# --- PDF -------------------------------------------------------------------


def _page_key(page) -> tuple | None:
    """What a page's text depends on — its content streams, resources (its own, or its parent's) and
    rotation — as object numbers, when all are shared (indirect) objects; None otherwise. Pages with the
    same key have the same text, so it is read once."""
    def ref(value):
        return (value.idnum, value.generation) if hasattr(value, "idnum") else None

    raw = page.raw_get("/Contents") if "/Contents" in page else None
    parts = (ref(raw),) if raw is None or hasattr(raw, "idnum") else tuple(ref(item) for item in raw)
    resources = page.raw_get("/Resources") if "/Resources" in page else page.raw_get("/Parent")
    if "/Annots" in page:  # annotations draw text too (a signature's stamped number): a page of its own
        return None
    key = (parts, ref(resources), int(page.get("/Rotate", 0) or 0))
    return None if None in parts or key[1] is None else key


def _pdf_pages(reader, text: PdfText, limits: ReadLimits, warnings: list[str]) -> list[str]:
    """Each page's text (PDFium, annotations flattened; composed in reading order), reading pages that draw
    the same content once, within the page, character and decompressed-size limits (measured with pypdf)."""
    texts: list[str] = []
    known: dict[tuple, str] = {}
    chars = decompressed = 0
    column = None  # the right column of a closing the page break cut (compose_page)
    for number, page in enumerate(reader.pages, start=1):
        if number > limits.max_pages:
            warnings.append(f"Tệp PDF có {len(reader.pages)} trang: chỉ đọc {limits.max_pages} trang đầu; "
                            "tệp gốc vẫn được lưu nguyên vẹn.")
            break
        key = _page_key(page)
        if key is None or key not in known:
            contents = page.get_contents()
            decompressed += len(contents.get_data()) if contents is not None else 0
            if decompressed > limits.max_decompressed:
                raise ReadError(f"Tệp PDF bất thường: nội dung các trang giải nén ra hơn "
                                f"{limits.max_decompressed / 1048576:.0f} MB, không xử lý.")
            page_text, column = compose_page(text.lines(number), text_layer=True, column=column)
            if len(page_text) > limits.max_page_chars:
                page_text = page_text[:limits.max_page_chars]
                warnings.append(f"Trang {number} có quá nhiều chữ: chỉ lấy {_n(limits.max_page_chars)} ký tự đầu.")
            if key is not None:
                known[key] = page_text
        else:
            page_text, column = known[key], None
        texts.append(page_text)
        chars += len(page_text)
        if chars > limits.max_chars:
            warnings.append(_too_long_warning(limits))
            break
    return texts


def _read_pdf(data: bytes, limits: ReadLimits) -> ReadResult:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed PDFs are reported by us
    warnings: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError("Tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi nhập lại.")
        page_count = len(reader.pages)
        with PdfText(data) as text:
            pages = _converted_pages(_pdf_pages(reader, text, limits, warnings), warnings)
            reasons = {n: _needs_ocr(page, n, text) for n, page in enumerate(pages, start=1)}
            scanned = [n for n, reason in reasons.items() if reason]
            warnings.extend(_read_again_warnings(reasons))
    except ReadError:
        raise
    except FileNotDecryptedError as exc:
        raise ReadError("Tệp PDF được mã hóa; hãy gỡ mật khẩu rồi nhập lại.") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, NotImplementedError) as exc:
        raise ReadError(f"Tệp PDF bị hỏng hoặc không đọc được ({type(exc).__name__}).") from exc
    return ReadResult(text="\n".join(pages), format="pdf", page_count=page_count, warnings=warnings,
                      page_texts=pages, ocr_pages=scanned)


def _converted_pages(pages: list[str], warnings: list[str]) -> list[str]:
    """``pages`` with those typed in a legacy encoding (a Word file in .VnTime printed to PDF) converted to
    Unicode, each on its own (a page may be an appendix in Unicode), the «ư» a TCVN3 text lost put back over
    all its TCVN3 pages together (a page of a few lines tells too little; a page in Unicode has its «ư»), and
    one warning that says so."""
    converted: list[LegacyConversion] = []
    out = []
    tcvn3 = []  # the indexes of the pages converted from TCVN3
    for page in pages:
        page, conversion = convert_legacy(page, restore=False)
        if conversion:
            converted.append(conversion)
            if conversion.encoding == "TCVN3":
                tcvn3.append(len(out))
        out.append(page)
    if not converted:
        return out
    restored = 0
    if tcvn3:
        whole, restored = restore_lost_u(_PAGE_BREAK.join(out[i] for i in tcvn3))
        restored_pages = whole.split(_PAGE_BREAK)
        if restored and len(restored_pages) == len(tcvn3):
            for i, page in zip(tcvn3, restored_pages):
                out[i] = page
        else:
            restored = 0
    warnings.append(dataclasses.replace(converted[0], words=sum(done.words for done in converted),
                                        restored=restored).message)
    return out


_PAGE_BREAK = "\n\f\n"  # a line of its own between pages: no word and no line joins across it


def _needs_ocr(page_text: str, number: int, pdf: PdfText) -> str | None:
    """Why page ``number`` is one OCR reads, or None: a scan with no text (``"scan"``), or only a stamp's
    over its image (``"stamped"``), or a scanner's reading in another language (``"foreign"``) or another OCR
    program's (``"ocr_layer"``); or text in a legacy encoding that its conversion left so (``"legacy"``). (See
    :data:`SCANNED_PAGE_CHARS`.)"""
    letters = _letters(page_text)
    if letters < SCANNED_PAGE_CHARS:
        return "scan"
    image_share, invisible_share = pdf.scan_layers(number)
    if image_share >= SCAN_IMAGE_SHARE:
        if letters < STAMPED_SCAN_CHARS:
            return "stamped"
        if _read_in_another_language(page_text):
            return "foreign"
        if invisible_share >= OCR_LAYER_SHARE:
            return "ocr_layer"
    return "legacy" if detect_legacy_encoding(page_text) is not None else None


def _read_again_warnings(reasons: dict[int, str | None]) -> list[str]:
    """What the confirm form says of scans whose own text layer docmgr set aside for its OCR's reading."""
    out = []
    for reason, why in (("foreign", "không có dấu tiếng Việt (phần mềm máy quét đã nhận dạng bằng ngôn ngữ khác)"),
                        ("ocr_layer", "do một chương trình OCR khác đọc")):
        pages = [n for n, given in reasons.items() if given == reason]
        if pages:
            out.append(f"Trang {', '.join(map(str, pages))} là bản quét có sẵn lớp chữ {why}: docmgr đọc lại "
                       "bằng OCR của mình.")
    return out


def _read_in_another_language(text: str) -> bool:
    """Has ``text`` lost Vietnamese's marks, as a scanner's OCR in English leaves it? (See
    :data:`FOREIGN_OCR_MARKED_SHARE`.)"""
    words = _WORD_RE.findall(text)
    return bool(words) and sum(1 for word in words if not word.isascii()) < FOREIGN_OCR_MARKED_SHARE * len(words)


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


# --- scanned images ------------------------------------------------------------


def open_image(data: bytes, verify: bool = False) -> Image.Image:
    """An image file opened with Pillow (its header read, its data checked with ``verify``), or the
    ReadError that says why not: a decompression bomb, a broken or truncated file."""
    try:
        image = Image.open(io.BytesIO(data))
        image.size  # noqa: B018 — the header is read: a bomb is refused here
        if verify:
            Image.open(io.BytesIO(data)).verify()
        return image
    except Image.DecompressionBombError as exc:
        raise ReadError(f"Ảnh quá lớn (hơn {MAX_IMAGE_PIXELS // 1_000_000} triệu điểm ảnh): không xử lý.") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ReadError(f"Tệp ảnh bị hỏng hoặc không đọc được ({type(exc).__name__}).") from exc


def _read_image(data: bytes, limits: ReadLimits) -> ReadResult:
    """A scanner's image: no text of its own; each frame (a TIFF may hold several) is a page for OCR."""
    frames = max(1, getattr(open_image(data, verify=True), "n_frames", 1))
    warnings = []
    if frames > limits.max_pages:
        warnings.append(f"Tệp ảnh có {frames} trang: chỉ đọc {limits.max_pages} trang đầu; "
                        "tệp gốc vẫn được lưu nguyên vẹn.")
    pages = list(range(1, min(frames, limits.max_pages) + 1))
    return ReadResult(text="", format="image", page_count=frames, warnings=warnings,
                      page_texts=["" for _ in pages], ocr_pages=pages)
