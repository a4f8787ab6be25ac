"""Word 97–2003 documents (.doc): read as Word shows them; a damaged, locked or foreign one is refused clearly."""

import io
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docmgr.extraction import ReadError, extract_bytes, read_bytes
from docmgr.extraction.readers import ReadLimits
from docmgr.extraction.worddoc import _Document, _Fib, _page_count


CLASSES = Path(__file__).parent / "data" / "extraction" / "classes"


def _doc(name: str = "pandoc-source.doc") -> bytes:
    return (CLASSES / name).read_bytes()


def test_a_doc_reads_as_the_word_document_it_was_made_of():
    """LibreOffice's .doc of the made-up Word document: its header and signature tables, capitals set by styles."""
    from_doc = extract_bytes(_doc(), "quyet-dinh.doc")
    from_docx = extract_bytes((CLASSES / "pandoc-source.docx").read_bytes(), "quyet-dinh.docx")
    assert from_doc.read.format == "doc" and from_doc.read.mime_type == "application/msword"
    assert from_doc.read.text == from_docx.read.text
    assert from_doc.metadata.as_json() == from_docx.metadata.as_json()
    assert from_doc.metadata.number == "1234/QĐ-UBND" and from_doc.metadata.signer == "Trần Báu Hà"


def test_a_doc_shows_its_capitals_and_reads_its_tables_column_by_column():
    """docmgr's print layout saved as a .doc: «Cục Thuế» typed in small letters and formatted «All caps»."""
    read = read_bytes(_doc("print-layout-capitals.doc"), "cong-van.doc")
    lines = read.text.split("\n")
    assert lines[:9] == ["|", "BỘ TÀI CHÍNH", "CỤC THUẾ", "Số: 5330/CT-CS", "|",
                         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                         "Hà Nội, ngày 19 tháng 11 năm 2025", "|"]
    assert "Cục Thuế nhận được câu hỏi" in read.text  # the body as typed
    meta = extract_bytes(_doc("print-layout-capitals.doc"), "cong-van.doc").metadata
    assert (meta.parent_issuer, meta.issuer, meta.number, meta.doc_type) == (
        "Bộ Tài chính", "Cục Thuế", "5330/CT-CS", "Công văn")
    assert meta.subject == "Chính sách thuế TNCN"
    assert meta.signer == "Mạnh Thị Tuyết Mai"
    assert meta.signer_title == "TL. CỤC TRƯỞNG / KT. TRƯỞNG BAN BAN CHÍNH SÁCH, THUẾ QUỐC TẾ / PHÓ TRƯỞNG BAN"
    assert meta.recipients[-1] == "Lưu: VT, CS"


def test_a_doc_reads_as_word_shows_it_with_its_tracked_changes_accepted():
    """A .doc keeps the text deleted while Word tracked changes (shown struck through): it is left out, and
    the text put in its place is read. Before, the date line read «ngày 11 tháng 812 tháng 8 năm 2025»."""
    data = _doc("libreoffice-tracked-changes.doc")
    assert read_bytes(data, "quyet-dinh.doc").text.split("\n")[-1] == "Hà Tĩnh, ngày 12 tháng 8 năm 2025"
    assert extract_bytes(data, "quyet-dinh.doc").metadata.issued_on.isoformat() == "2025-08-12"


def test_a_doc_typed_in_a_tcvn3_capitals_font_reads_in_capitals():
    """The .docx of the test of the same name in test_extraction_readers saved as .doc by LibreOffice 7.4: the
    header, the type (by its paragraph's style) and the titles typed in small letters in .VnTimeH, which the font
    table names; a run set back in .VnTime, and one already converted to Unicode, stay as typed."""
    read = read_bytes(_doc("libreoffice-vntimeh.doc"), "quyet-dinh.doc")
    lines = read.text.split("\n")
    for line in ("ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "QUYẾT ĐỊNH",
                 "Điều 1. Phê duyệt Kế hoạch.", "Điều 2. Văn bản đã chuyển mã.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"):
        assert line in lines
    meta = extract_bytes(_doc("libreoffice-vntimeh.doc"), "quyet-dinh.doc").metadata
    assert (meta.issuer, meta.doc_type, meta.signer, meta.signer_title) == (
        "Ủy ban nhân dân tỉnh Hà Tĩnh", "Quyết định", "Nguyễn Văn An", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")


def test_a_doc_is_known_by_its_content_whatever_its_name():
    assert read_bytes(_doc(), "van-ban").format == "doc"
    assert read_bytes(_doc(), "van-ban.pdf").format == "doc"


_PAGE = "<html><body><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p>Số: 12/UBND-VP</p></body></html>"


@pytest.mark.parametrize("data", [_PAGE.encode(), b"\xff\xfe" + _PAGE.encode("utf-16-le")])
def test_a_web_page_saved_as_doc_reads_as_the_page_it_is(data):
    """Word's «Save as Web Page» and portals' «download as Word» give HTML under a «.doc» name, in UTF-8 or
    UTF-16."""
    read = read_bytes(data, "cong-van.doc")
    assert read.format == "html" and read.text.split("\n")[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


@pytest.mark.parametrize("name", ["cong-van.doc", "cong-van.rtf", "cong-van.txt"])
def test_an_rtf_file_is_refused_by_name(name):
    with pytest.raises(ReadError, match="Tệp này là RTF"):
        read_bytes(b"{\\rtf1\\ansi\\ansicpg1258 C\\'d4NG H\\'d2A}", name)


def _fib(ccp_text: int, clx_at: int, clx_size: int, flags: int = 0) -> bytearray:
    """The head of a WordDocument stream as Word 97 writes it: 14 words, 22 longs, 93 (fc, lcb) pairs."""
    word = bytearray(0x1000)
    struct.pack_into("<HHHH", word, 0, 0xA5EC, 0x00C1, 0, 0)
    struct.pack_into("<H", word, 0x0A, flags)
    struct.pack_into("<H", word, 0x20, 14)
    struct.pack_into("<H", word, 0x3E, 22)
    struct.pack_into("<i", word, 0x40 + 12, ccp_text)
    struct.pack_into("<H", word, 0x98, 93)
    struct.pack_into("<II", word, 0x9A + 33 * 8, clx_at, clx_size)
    return word


def test_the_text_is_read_piece_by_piece_as_it_shows():
    """Two pieces, one of 8-bit characters and one of UTF-16 (as a fast save leaves them), after property
    modifiers (Prc); a field's code left out and its result kept; breaks, hyphens and anchors as they show."""
    first = "Tel: 0123\x1e456\x0bFax\x01\r"
    second = "Quyết định \x13 PAGE \\* MERGEFORMAT \x143\x15 trang\x1f\r"
    word = _fib(len(first) + len(second), 0, 0)
    word[0x800:0x800 + len(first)] = first.encode("cp1252")
    word[0xA00:0xA00 + 2 * len(second)] = second.encode("utf-16-le")
    cps = struct.pack("<3i", 0, len(first), len(first) + len(second))
    pieces = (struct.pack("<HIH", 0, (0x800 * 2) | 0x40000000, 0) + struct.pack("<HIH", 0, 0xA00, 0))
    table = b"\x01" + struct.pack("<H", 2) + b"\x08\x00" + b"\x02" + struct.pack("<I", len(cps + pieces)) + cps + pieces
    struct.pack_into("<II", word, 0x9A + 33 * 8, 0, len(table))
    blocks = _Document(_Fib(bytes(word)), bytes(word), table).blocks(max_chars=1000)
    # an optional hyphen is the soft hyphen the text's cleaning drops (or, in a TCVN3 text, its «ư»)
    assert blocks == ["Tel: 0123-456", "Fax", "Quyết định 3 trang\u00ad"]
    assert _Document(_Fib(bytes(word)), bytes(word), table).blocks(max_chars=9) == ["Tel: 0123"]


def _patched(data: bytes, at: int, value: bytes) -> bytes:
    return data[:at] + value + data[at + len(value):]


def _fib_at(data: bytes) -> int:
    return data.index(b"\xec\xa5\x01\x01")  # wIdent and nFib as LibreOffice writes them


def _renamed_stream(data: bytes, name: str) -> bytes:
    """The file with its «WordDocument» stream renamed (its directory entry's name and the name's length)."""
    at = data.index("WordDocument".encode("utf-16-le"))
    entry = (name.encode("utf-16-le") + b"\0\0").ljust(0x40, b"\0")
    return _patched(_patched(data, at, entry), at + 0x40, struct.pack("<H", 2 * len(name) + 2))


@pytest.mark.parametrize("data, message", [
    (_renamed_stream(_doc(), "Workbook"), "bảng tính Excel (.xls)"),
    (_renamed_stream(_doc(), "Contents"), "tệp OLE không phải văn bản Word"),
    (_renamed_stream(_doc(), "EncryptedPackage"), "Tệp Office này có mật khẩu"),
    (_patched(_doc(), _fib_at(_doc()) + 0x0A, struct.pack("<H", 0x0300)), "có mật khẩu"),
    (_patched(_doc(), _fib_at(_doc()) + 2, struct.pack("<H", 0x0068)), "Word 6.0/95"),
    (_patched(_doc(), _fib_at(_doc()), b"\0\0"), "không có phần đầu (FIB)"),
    (_doc()[:6000], ".doc bị hỏng"),
    (_doc()[:8] + bytes(600), ".doc bị hỏng"),
])
def test_a_bad_doc_fails_with_a_clear_message(data, message):
    with pytest.raises(ReadError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        read_bytes(data, "hong.doc")


def test_a_long_doc_is_read_up_to_the_limit_with_a_warning():
    read = read_bytes(_doc(), "dai.doc", limits=ReadLimits(max_chars=200))
    assert len(read.text) <= 200 and read.text.startswith("|\nỦY BAN NHÂN DÂN")
    assert any("Văn bản quá dài" in warning for warning in read.warnings)


class _Summary:
    """An OLE file holding only a summary stream, as olefile shows it."""

    def __init__(self, summary: bytes) -> None:
        self.summary = summary

    def get_type(self, name):
        return 2  # a stream

    def get_size(self, name):
        return len(self.summary)

    def openstream(self, name):
        return io.BytesIO(self.summary)


def _summary(properties: list[tuple[int, int, int]], count: int | None = None) -> bytes:
    """A SummaryInformation stream: one section of (id, type, value) properties, its count as given."""
    head = bytearray(48)
    struct.pack_into("<I", head, 44, 48)
    table, values = b"", b""
    for n, (pid, kind, value) in enumerate(properties):
        table += struct.pack("<II", pid, 8 + 8 * len(properties) + 8 * n)
        values += struct.pack("<Ii", kind, value)
    section = struct.pack("<II", 8 + len(table) + len(values), len(properties) if count is None else count)
    return bytes(head) + section + table + values


def test_the_page_count_is_read_from_the_summary_and_a_damaged_one_is_none():
    assert _page_count(_Summary(_summary([(2, 30, 0), (14, 3, 7)]))) == 7
    assert _page_count(_Summary(_summary([(14, 3, 7)], count=50_000_000))) == 7  # bounded by the stream
    assert _page_count(_Summary(_summary([(14, 3, -4)]))) is None
    assert _page_count(_Summary(_summary([(14, 2, 7)]))) is None  # not a VT_I4
    assert _page_count(_Summary(_summary([(13, 3, 7)]))) is None
    assert _page_count(_Summary(b"\0" * 20)) is None


_SOURCE = _doc()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.integers(0, len(_SOURCE) - 1), st.integers(0, 255)), min_size=1, max_size=40),
       cut=st.one_of(st.none(), st.integers(0, len(_SOURCE))))
def test_a_damaged_doc_gives_text_or_a_read_error(changes, cut):
    """Bytes changed anywhere (the OLE directory, the FIB, the piece table, the formatted pages), or the file
    cut: text or a clear ReadError, nothing else."""
    data = bytearray(_SOURCE)
    for at, value in changes:
        data[at] = value
    try:
        read = read_bytes(bytes(data[:cut]), "hong.doc")
    except ReadError as exc:
        assert str(exc) and str(exc) == str(exc).strip()
    else:
        assert isinstance(read.text, str)


def _one_piece(text: str) -> list:
    word = _fib(len(text), 0, 0)
    word[0x800:0x800 + 2 * len(text)] = text.encode("utf-16-le")
    cps, piece = struct.pack("<2i", 0, len(text)), struct.pack("<HIH", 0, 0x800, 0)
    table = b"\x02" + struct.pack("<I", len(cps + piece)) + cps + piece
    struct.pack_into("<II", word, 0x9A + 33 * 8, 0, len(table))
    return _Document(_Fib(bytes(word)), bytes(word), table).blocks(max_chars=1000)


def test_nested_fields_show_their_results_only():
    """«{ IF { PAGE } = 1 "Trang đầu" }»: the inner field's result is part of the outer one's code."""
    assert _one_piece('Xem \x13 IF \x13 PAGE \x142\x15 = 1 "x" \x14Trang hai\x15 tiếp\r') == ["Xem Trang hai tiếp"]
    assert _one_piece("Một\x15 hai\x14 ba\r") == ["Một hai ba"]  # a field's end or separator with none open
    assert _one_piece("Mã \x13 MERGEFIELD so\r") == ["Mã "]  # a field left open: its code shows nothing
