"""Small files that cost a reader far more than their size: the cases the limited reader must hold.

Made here, offline, for the tests and ``docmgr bench read-limits``; each stands for a kind an attack on
docmgr found (a DOCX of millions of empty paragraphs, a PDF whose pages share one huge content stream,
HTML declaring a costly or broken charset, a long text).
"""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass

import docx
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject


@dataclass(frozen=True)
class HostileFile:
    name: str
    data: bytes
    what: str


def docx_of_empty_paragraphs(megabytes: int = 30) -> bytes:
    """A real .docx whose document.xml is ``megabytes`` MB of empty paragraphs (a few hundred KB zipped)."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
    # Empty paragraphs, one in 120 with a random revision id, so that it packs about 1:125 — under the
    # ratio a zip-bomb check refuses, as the attack's file did (245 KB for 30 MB).
    rng = random.Random(30)
    chunk = b"<w:p/>" * 120
    count = megabytes * 1024 * 1024 // (len(chunk) + 30)
    body = b"".join(chunk + b'<w:p w:rsidR="%08X"/>' % rng.getrandbits(32) for _ in range(count))
    xml = head + body + b"</w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = xml if item.filename == "word/document.xml" else source.read(item.filename)
            target.writestr(item.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def odt_of_empty_paragraphs(megabytes: int = 30) -> bytes:
    """An .odt whose content.xml is ``megabytes`` MB of empty paragraphs, packed as the .docx one is."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?><office:document-content'
            b' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>')
    rng = random.Random(30)
    chunk = b"<text:p/>" * 120
    count = megabytes * 1024 * 1024 // (len(chunk) + 40)
    body = b"".join(chunk + b'<text:p text:style-name="P%08X"/>' % rng.getrandbits(32) for _ in range(count))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.text")
        target.writestr("content.xml", head + body + b"</office:text></office:body></office:document-content>",
                        compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def pdf_of_one_shared_stream(pages: int = 200, operators: int = 20_000) -> bytes:
    """A PDF of ``pages`` pages that all draw one compressed content stream of ``operators`` text-showing
    operators: a few tens of KB on disk, millions of operators for a reader that reads page by page."""
    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    resources = writer._add_object(DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}))
    content = StreamObject()
    content.set_data(b"BT /F1 1 Tf 10 10 Td " + b"(a) Tj " * operators + b"ET")
    content = writer._add_object(content.flate_encode(level=9))
    for _ in range(pages):
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Contents")] = ArrayObject([content])
        page[NameObject("/Resources")] = resources
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def html_with_charset(charset: str, kilobytes: int = 100) -> bytes:
    """HTML declaring ``charset`` (punycode decodes in quadratic time; idna and undefined fail). For
    punycode the body is valid punycode of Vietnamese text, which a decoder takes minutes over."""
    head = b'<html><head><meta charset="' + charset.encode() + b'"></head><body><p>Uy ban nhan dan '
    if charset == "punycode":
        # The markup before it is taken as the basic code points; the deltas after the last "-" are the
        # text: ~21 bytes for each repetition of the phrase.
        return head + ("Ủy ban nhân dân tỉnh " * (kilobytes * 1024 // 21)).encode("punycode")
    body = ("Uy ban nhan dan tinh Quang Ngai thong bao lich hop. " * (kilobytes * 1024 // 52)).encode()
    return head + body + b"</p></body></html>"


def long_text(megabytes: int = 49) -> bytes:
    line = "Điều 1. Ủy ban nhân dân tỉnh ban hành kế hoạch tổ chức hội nghị tổng kết công tác văn thư.\n"
    data = line.encode()
    return data * (megabytes * 1024 * 1024 // len(data))


def all_kinds(scale: float = 1.0) -> list[HostileFile]:
    """One file of each kind, at the size the attack used (``scale`` < 1 makes them smaller, for tests)."""
    return [
        HostileFile("rong.docx", docx_of_empty_paragraphs(max(1, int(30 * scale))),
                    f"DOCX, {max(1, int(30 * scale))} MB of empty paragraphs"),
        HostileFile("rong.odt", odt_of_empty_paragraphs(max(1, int(30 * scale))),
                    f"ODT, {max(1, int(30 * scale))} MB of empty paragraphs"),
        HostileFile("chung-luong.pdf", pdf_of_one_shared_stream(max(2, int(200 * scale))),
                    f"PDF, {max(2, int(200 * scale))} pages sharing one stream of 20,000 operators"),
        HostileFile("punycode.html", html_with_charset("punycode", max(1, int(5 * 1024 * scale))),
                    f"HTML, charset=punycode, {max(1, int(5 * 1024 * scale))} KB"),
        HostileFile("idna.html", html_with_charset("idna", 4), "HTML, charset=idna"),
        HostileFile("undefined.html", html_with_charset("undefined", 4), "HTML, charset=undefined"),
        HostileFile("dai.txt", long_text(max(1, int(49 * scale))), f"text, {max(1, int(49 * scale))} MB"),
    ]
