"""A Word 97–2003 document (.doc) as its paragraphs and tables, as Word shows them.

The file is an OLE compound file (read with olefile). Its text is found as [MS-DOC] §2.4.1 tells: the File
Information Block (FIB) at the head of the «WordDocument» stream points to the piece table (Clx) in the table
stream, whose pieces are runs of the text in 8-bit (Windows-1252) or UTF-16 characters. The paragraphs' properties
(PAPX, §2.4.2) say which paragraph ends a table cell or a row; the characters' properties (CHPX, §2.4.3) and the
style sheet (STSH, §2.9.271) say which runs show in capitals («All caps», «Small caps»): an office may type
«Ủy ban nhân dân tỉnh …» and format it so.

Only the main text is read (not headers, footers, footnotes or comments), and field codes are left out («PAGE»,
«HYPERLINK "…"»), their results kept. Every offset read from the file is checked against its stream: a damaged or
hostile file raises :class:`ReadError`, never reads past its bytes, and loops no longer than its size allows.

Pure functions, no Flask and no database.
"""

from __future__ import annotations

import bisect
import io
import re
import struct
from dataclasses import dataclass, field

import olefile

from docmgr.extraction.errors import ReadError
from docmgr.text import is_capitals_font, mark_capitals, typed_for_legacy_font


_WORD_IDENT = 0xA5EC
_WORD97_NFIB = 0x00C0  # Word 97 (0xC1; 0xC0 for its blank template) and later
_FKP_SIZE = 512
# Indexes of (fc, lcb) pairs in FibRgFcLcb97
_STSHF, _PLCF_BTE_CHPX, _PLCF_BTE_PAPX, _CLX = 1, 12, 13, 33
# Paragraph sprms: in a table, the row's end mark (TTP), and the same for a nested table
_P_IN_TABLE, _P_TTP, _P_ITAP, _P_INNER_CELL, _P_INNER_TTP = 0x2416, 0x2417, 0x6649, 0x244A, 0x244B
# Character sprms: «All caps», «Small caps», the character style
_C_CAPS, _C_SMALL_CAPS, _C_ISTD = 0x083B, 0x083A, 0x4A30
# sprmCFRMarkDel: text deleted while Word tracked changes. It stays in the file, shown struck through; the
# document reads as Word shows it with its changes accepted, without it.
_C_DELETED = 0x0800
# sprmCRgFtc0 (the font of ASCII text) and sprmCRgFtc2 (of the other codes, TCVN3's letters): an index into
# the font table (SttbfFfn). A TCVN3 capitals font (.VnTimeH) draws a small letter's code as its capital.
_C_FONT_ASCII, _C_FONT_OTHER = 0x4A4F, 0x4A51
_STTBF_FFN = 15
_CELL_MARK, _PARAGRAPH_MARK = "\x07", "\r"
_FIELD_BEGIN, _FIELD_SEPARATOR, _FIELD_END = "\x13", "\x14", "\x15"
_MARKS_RE = re.compile("[\r\x07\x13\x14\x15]")
# What a character shows as: line and page breaks end a line, a non-breaking hyphen is a hyphen, an optional
# hyphen is the soft hyphen (shown as nothing, but TCVN3's «ư», which Word and LibreOffice may keep as one), an
# object's or a note's anchor show nothing
_SHOWN = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\x0e": "\n", "\x1e": "-", "\x1f": "\u00ad", "\x01": None,
                        "\x02": None, "\x03": None, "\x04": None, "\x05": None, "\x08": None, "\x00": None})
_MAX_STYLE_CHAIN = 20
_MAX_SUMMARY = 64 * 1024  # a Word file's summary holds about 20 properties in 1 or 2 KB
_PIDSI_PAGECOUNT = 14
_MAX_RUNS = 1_000_000  # formatted runs read, of paragraphs or characters (a 5-million-character text has ~100,000)
# An operand's size by the opcode's spra (its top three bits); spra 6 is variable
_SPRA_SIZES = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}


@dataclass
class WordTable:
    rows: list[list[list[str]]] = field(default_factory=list)  # rows of cells of lines


@dataclass
class WordText:
    blocks: list[str | WordTable]  # a paragraph's line, or a table
    page_count: int | None  # when the file says it
    cut: bool  # the text is longer than was read


@dataclass
class _Paragraph:
    in_table: bool = False
    row_end: bool = False
    cell_end: bool = False


def _not_word(ole: olefile.OleFileIO) -> str:
    """Why an OLE file with no Word text is refused: what it is, when it tells."""
    if ole.exists("EncryptedPackage"):  # a .docx (.xlsx …) with a password is an OLE file holding it encrypted
        return "Tệp Office này có mật khẩu (được mã hóa): hãy gỡ mật khẩu rồi tải lên lại."
    if ole.exists("Workbook") or ole.exists("Book"):
        kind = "bảng tính Excel (.xls)"
    elif ole.exists("PowerPoint Document"):
        kind = "bản trình chiếu PowerPoint (.ppt)"
    else:
        kind = "tệp OLE không phải văn bản Word"
    return f"Tệp này là {kind}, không phải văn bản Word (.doc): không nhận."


def read_word_doc(data: bytes, max_chars: int) -> WordText:
    """The main text of a .doc, its first ``max_chars`` characters. Raises :class:`ReadError` for a file that
    is no Word 97–2003 document or cannot be read."""
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError, struct.error, IndexError) as exc:
        raise ReadError("Tệp .doc bị hỏng: không mở được (cấu trúc OLE không hợp lệ).") from exc
    with ole:
        if not _is_stream(ole, "WordDocument"):
            raise ReadError(_not_word(ole))
        try:
            word = _stream(ole, "WordDocument")
            fib = _Fib(word)
            table = _stream(ole, "1Table" if fib.which_table else "0Table")
            pages = _page_count(ole)
        except (OSError, ValueError, struct.error, IndexError) as exc:
            raise ReadError("Tệp .doc bị hỏng: một phần của tệp không đọc được.") from exc
    try:
        return WordText(_Document(fib, word, table).blocks(max_chars), pages, fib.ccp_text > max_chars)
    except (ValueError, struct.error, IndexError) as exc:
        raise ReadError(f"Tệp .doc bị hỏng: cấu trúc văn bản không hợp lệ ({exc}).") from exc


def _is_stream(ole: olefile.OleFileIO, name: str) -> bool:
    return ole.get_type(name) == olefile.STGTY_STREAM  # False when there is none (or a storage of that name)


def _stream(ole: olefile.OleFileIO, name: str) -> bytes:
    if not _is_stream(ole, name):
        raise ReadError(f"Tệp .doc bị hỏng: thiếu phần «{name}».")
    return ole.openstream(name).read()


def _page_count(ole: olefile.OleFileIO) -> int | None:
    """The page count Word saved in the file's summary ([MS-OLEPS]: PIDSI_PAGECOUNT, a VT_I4), if any. Read here,
    one property: olefile's parser of the whole summary walks as many items as a damaged vector's count says."""
    name = "\x05SummaryInformation"
    if not _is_stream(ole, name) or ole.get_size(name) > _MAX_SUMMARY:
        return None
    summary = ole.openstream(name).read()
    if len(summary) < 48:
        return None
    section = struct.unpack_from("<I", summary, 44)[0]
    if section + 8 > len(summary):
        return None
    count = min(struct.unpack_from("<I", summary, section + 4)[0], (len(summary) - section - 8) // 8)
    for n in range(count):
        pid, offset = struct.unpack_from("<II", summary, section + 8 + 8 * n)
        at = section + offset
        if pid == _PIDSI_PAGECOUNT and at + 8 <= len(summary) and struct.unpack_from("<I", summary, at)[0] == 3:
            pages = struct.unpack_from("<i", summary, at + 4)[0]
            return pages if 0 < pages < 100_000 else None
    return None


class _Fib:
    """What the File Information Block says: the text's length, the table stream, where its parts are."""

    def __init__(self, word: bytes) -> None:
        if len(word) < 0x22 or struct.unpack_from("<H", word, 0)[0] != _WORD_IDENT:
            raise ReadError("Tệp .doc bị hỏng: không có phần đầu (FIB) của văn bản Word.")
        nfib, flags = struct.unpack_from("<H", word, 2)[0], struct.unpack_from("<H", word, 0x0A)[0]
        if nfib < _WORD97_NFIB:  # Word 6 (0x65) and 95 (0x68): another layout, text in the code page of the day
            raise ReadError("Tệp .doc này là định dạng Word 6.0/95 cũ: hãy mở bằng Word hoặc LibreOffice và lưu "
                            "lại thành .docx rồi tải lên.")
        if flags & 0x0100:  # fEncrypted
            raise ReadError("Tệp .doc có mật khẩu (được mã hóa): hãy gỡ mật khẩu rồi tải lên lại.")
        self.which_table = bool(flags & 0x0200)
        offset = 0x20
        csw = struct.unpack_from("<H", word, offset)[0]
        offset += 2 + 2 * csw
        cslw = struct.unpack_from("<H", word, offset)[0]
        lw = offset + 2
        self.ccp_text = struct.unpack_from("<i", word, lw + 12)[0]  # fibRgLw.ccpText
        offset = lw + 4 * cslw
        count = struct.unpack_from("<H", word, offset)[0]
        self.pairs = offset + 2
        self.pair_count = count
        self.word = word
        if self.ccp_text < 0 or count <= _CLX:
            raise ReadError("Tệp .doc bị hỏng: phần đầu (FIB) không hợp lệ.")

    def pair(self, index: int) -> tuple[int, int]:
        """(fc, lcb): where in the table stream a structure is, and its size."""
        if index >= self.pair_count:
            return 0, 0
        return struct.unpack_from("<II", self.word, self.pairs + 8 * index)


def _sprms(grpprl: bytes):
    """The (opcode, operand) of a run of property modifiers ([MS-DOC] §2.2.5.1): the operand's size follows from
    the opcode's spra bits, or from its own first byte (a word for sprmTDefTable; sprmPChgTabs at 255 counts its
    tabs); a modifier cut short by the run's end ends it."""
    i = 0
    while i + 2 <= len(grpprl):
        opcode = struct.unpack_from("<H", grpprl, i)[0]
        i += 2
        size = _SPRA_SIZES.get(opcode >> 13)
        if size is None:  # spra 6: variable
            if opcode in (0xD608, 0xD606):  # sprmTDefTable(10): a word counts the rest, plus one
                if i + 2 > len(grpprl):
                    return
                size, i = max(0, struct.unpack_from("<H", grpprl, i)[0] - 1), i + 2
            elif opcode == 0xC615 and i < len(grpprl) and grpprl[i] == 255:  # sprmPChgTabs, its long form
                deleted = grpprl[i + 1] if i + 1 < len(grpprl) else 0
                added_at = i + 2 + 4 * deleted
                added = grpprl[added_at] if added_at < len(grpprl) else 0
                size, i = 1 + 4 * deleted + 1 + 3 * added, i + 1
            elif i < len(grpprl):
                size, i = grpprl[i], i + 1
            else:
                return
        if i + size > len(grpprl):
            return
        yield opcode, grpprl[i:i + size]
        i += size


class _Runs:
    """Formatted disk pages (FKP) of the WordDocument stream, as (fc start, fc end, property bytes) runs sorted
    by their place: a paragraph's (PAPX, the run's end is its paragraph mark) or a run of characters' (CHPX)."""

    def __init__(self, word: bytes, table: bytes, fc: int, lcb: int, paragraphs: bool) -> None:
        self.starts: list[int] = []
        self.runs: list[tuple[int, int, bytes]] = []
        if lcb < 12 or fc + lcb > len(table):
            return
        count = (lcb - 4) // 8
        pns = struct.unpack_from(f"<{count}I", table, fc + 4 * (count + 1))
        seen = set()
        for pn in pns:
            pn &= 0x3FFFFF
            start = pn * _FKP_SIZE
            if pn in seen or start + _FKP_SIZE > len(word):
                continue
            if len(self.runs) > _MAX_RUNS:  # more than any document has: the rest reads unformatted
                break
            seen.add(pn)
            self._page(word[start:start + _FKP_SIZE], paragraphs)
        self.runs.sort()
        self.starts = [run[0] for run in self.runs]

    def _page(self, page: bytes, paragraphs: bool) -> None:
        crun = page[511]
        width = 13 if paragraphs else 1  # a BxPap (an offset and a PHE), or a byte
        if 4 * (crun + 1) + width * crun > 511:
            return
        fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for n in range(crun):
            at = 2 * page[4 * (crun + 1) + width * n]
            props = b""
            if at:
                if paragraphs:
                    cb = page[at]
                    props = page[at + 2:at + 2 + 2 * page[at + 1]] if cb == 0 else page[at + 1:at + 2 * cb]
                else:
                    props = page[at + 1:at + 1 + page[at]]
            self.runs.append((fcs[n], fcs[n + 1], bytes(props)))

    def find(self, fc: int) -> tuple[int, int, bytes] | None:
        """The run holding the character at ``fc``, if any."""
        at = bisect.bisect_right(self.starts, fc)
        if at and fc < self.runs[at - 1][1]:
            return self.runs[at - 1]
        return None

    def next_start(self, fc: int) -> int:
        """Where the first run after ``fc`` starts (none: past any stream)."""
        at = bisect.bisect_right(self.starts, fc)
        return self.starts[at] if at < len(self.starts) else 1 << 62

    def at(self, fc: int) -> bytes:
        """The properties of the run holding the character at ``fc`` (nothing found: none)."""
        run = self.find(fc)
        return run[2] if run else b""


class _Styles:
    """Which styles set their text in capitals, their based-on chain followed."""

    def __init__(self, table: bytes, fc: int, lcb: int, capitals_fonts: frozenset[int] = frozenset()) -> None:
        self.caps: dict[int, bool | None] = {}
        self.fonts: dict[int, bool] = {}  # by style: is its font a capitals font
        self.base: dict[int, int] = {}
        self.capitals_fonts = capitals_fonts
        if lcb < 4 or fc + lcb > len(table):
            return
        end = fc + lcb
        cb_stshi = struct.unpack_from("<H", table, fc)[0]
        if cb_stshi < 4 or fc + 2 + cb_stshi > end:
            return
        cstd, cb_base = struct.unpack_from("<HH", table, fc + 2)
        at = fc + 2 + cb_stshi
        for istd in range(cstd):
            if at + 2 > end:
                break
            cb_std = struct.unpack_from("<H", table, at)[0]
            std = table[at + 2:at + 2 + cb_std]
            at += 2 + cb_std
            if cb_std >= 10 and cb_base >= 10:
                self._style(istd, std, cb_base)

    def _style(self, istd: int, std: bytes, cb_base: int) -> None:
        stk, istd_base = std[2] & 0x0F, struct.unpack_from("<H", std, 2)[0] >> 4
        cupx = std[4] & 0x0F
        self.base[istd] = istd_base
        at = cb_base
        if at + 2 > len(std):
            return
        name_chars = struct.unpack_from("<H", std, at)[0]
        at += 2 + 2 * name_chars + 2  # the name, then its terminating null
        for n in range(cupx):
            at += at & 1
            if at + 2 > len(std):
                return
            size = struct.unpack_from("<H", std, at)[0]
            upx = std[at + 2:at + 2 + size]
            at += 2 + size
            # a paragraph style's UPXs: its PAPX (an istd, then sprms), then its CHPX; a character style's: its CHPX
            if (stk == 1 and n == 1) or (stk == 2 and n == 0):
                fonts = {}
                for opcode, operand in _sprms(upx):
                    if opcode in (_C_CAPS, _C_SMALL_CAPS) and operand[:1] in (b"\x00", b"\x01"):
                        self.caps[istd] = self.caps.get(istd) or operand[0] == 1
                    elif opcode in (_C_FONT_ASCII, _C_FONT_OTHER) and len(operand) == 2:
                        fonts[opcode] = struct.unpack("<H", operand)[0]
                if fonts:
                    self.fonts[istd] = _in_capitals_font(fonts, self.capitals_fonts)

    def capitals(self, istd: int | None, font: bool = False) -> bool | None:
        """Does style ``istd`` (or one it is based on) set capitals (``font``: a capitals font)?"""
        values = self.fonts if font else self.caps
        for _ in range(_MAX_STYLE_CHAIN):
            if istd is None or istd == 0x0FFF:
                return None
            if values.get(istd) is not None:
                return values[istd]
            istd = self.base.get(istd)
        return None


def _in_capitals_font(fonts: dict[int, int], capitals_fonts: frozenset[int]) -> bool:
    """Do the fonts a run's sprms name (font table indexes by opcode) draw its codes past 127, TCVN3's letters,
    in a capitals font? Those codes take the «other» font, else the ASCII one."""
    return fonts.get(_C_FONT_OTHER, fonts.get(_C_FONT_ASCII)) in capitals_fonts


def _capitals_fonts(table: bytes, fc: int, lcb: int) -> frozenset[int]:
    """The indexes in the font table (SttbfFfn: a count, then each font's record, its size first, the name in
    UTF-16 at byte 39 of the record) of TCVN3's capitals fonts."""
    out = set()
    if lcb < 4 or fc + lcb > len(table):
        return frozenset()
    count, at, end = struct.unpack_from("<H", table, fc)[0], fc + 4, fc + lcb
    for index in range(count):
        if at >= end:
            break
        size = table[at]
        record = table[at + 1:at + 1 + size]
        at += 1 + size
        name = record[39:].decode("utf-16-le", "replace").split("\x00", 1)[0]
        if is_capitals_font(name):
            out.add(index)
    return frozenset(out)


class _Document:
    def __init__(self, fib: _Fib, word: bytes, table: bytes) -> None:
        self.fib, self.word, self.table = fib, word, table
        self.papx = _Runs(word, table, *fib.pair(_PLCF_BTE_PAPX), paragraphs=True)
        self.chpx = _Runs(word, table, *fib.pair(_PLCF_BTE_CHPX), paragraphs=False)
        self.capitals_fonts = _capitals_fonts(table, *fib.pair(_STTBF_FFN))
        self.styles = _Styles(table, *fib.pair(_STSHF), capitals_fonts=self.capitals_fonts)
        self.marks: dict[bytes, tuple[bool, bool]] = {}  # by a paragraph's properties
        # by a run's properties and its paragraph's style: in capitals, deleted, in a capitals font
        self.shown: dict[tuple[bytes, bytes], tuple[bool, bool, bool]] = {}

    def pieces(self):
        """The piece table: (cp start, cp end, fc, 8-bit?) of each piece of the text."""
        fc, lcb = self.fib.pair(_CLX)
        table, at, end = self.table, fc, fc + lcb
        if lcb == 0 or end > len(table):
            raise ReadError("Tệp .doc bị hỏng: không có bảng các đoạn chữ (Clx).")
        while at < end and table[at] == 0x01:  # Prc: property modifiers of pieces, skipped
            at += 3 + struct.unpack_from("<H", table, at + 1)[0]
        if at + 5 > end or table[at] != 0x02:
            raise ReadError("Tệp .doc bị hỏng: bảng các đoạn chữ (Clx) không hợp lệ.")
        size = struct.unpack_from("<I", table, at + 1)[0]
        at += 5
        if size < 16 or at + size > end or (size - 4) % 12:
            raise ReadError("Tệp .doc bị hỏng: bảng các đoạn chữ (PlcPcd) không hợp lệ.")
        count = (size - 4) // 12
        cps = struct.unpack_from(f"<{count + 1}i", table, at)
        for n in range(count):
            raw = struct.unpack_from("<I", table, at + 4 * (count + 1) + 8 * n + 2)[0]
            compressed = bool(raw & 0x40000000)
            offset = (raw & 0x3FFFFFFF) // 2 if compressed else raw & 0x3FFFFFFF
            yield cps[n], cps[n + 1], offset, compressed

    def texts(self, max_chars: int):
        """(text, fc of its first character, bytes a character) of each piece of the main text, in order, up to
        ``max_chars`` characters."""
        left = min(self.fib.ccp_text, max_chars)
        for cp_start, cp_end, offset, compressed in self.pieces():
            count = min(max(0, cp_end - cp_start), left)
            if count <= 0:
                continue
            width = 1 if compressed else 2
            raw = self.word[offset:offset + width * count]
            yield (raw.decode("cp1252", "replace") if compressed else raw.decode("utf-16-le", "replace"),
                   offset, width)
            left -= count
            if left <= 0:
                break

    def paragraphs(self, max_chars: int):
        """Each paragraph of the main text as (its text, its paragraph's properties), in order."""
        parts: list[str] = []
        fields: list[bool] = []  # the fields open: whether each is in its code (left out) or in its result
        in_code = 0  # how many of them are in their code
        for text, offset, width in self.texts(max_chars):
            start = 0
            for mark in _MARKS_RE.finditer(text):
                if not in_code:
                    self._shown(text, start, mark.start(), offset, width, parts)
                start = mark.end()
                char = mark.group()
                if char == _FIELD_BEGIN:
                    fields.append(True)
                    in_code += 1
                elif char == _FIELD_SEPARATOR and fields and fields[-1]:
                    fields[-1] = False
                    in_code -= 1
                elif char == _FIELD_END and fields:
                    in_code -= fields.pop()
                elif char in (_PARAGRAPH_MARK, _CELL_MARK):
                    yield "".join(parts), self._paragraph(offset + width * mark.start(), char == _CELL_MARK)
                    parts = []
            if not in_code:
                self._shown(text, start, len(text), offset, width, parts)
        if parts:
            yield "".join(parts), _Paragraph()

    def _shown(self, text: str, start: int, end: int, offset: int, width: int, parts: list[str]) -> None:
        """Characters ``start`` to ``end`` of a piece as they show: run by run, in capitals where the run's
        formatting says so."""
        while start < end:
            run_end, (caps, deleted, font) = self._run(offset + width * start)
            stop = min(end, max(start + 1, -(-(run_end - offset) // width)))
            if not deleted:
                typed = text[start:stop]
                caps = caps or (font and typed_for_legacy_font(typed))
                parts.append(mark_capitals(typed) if caps else typed)
            start = stop

    def _paragraph(self, fc: int, cell_mark: bool) -> _Paragraph:
        in_table, row_end = self._table_marks(self.papx.at(fc))
        if cell_mark and not in_table:  # a cell mark whose paragraph says nothing: Word wrote it in a table
            in_table = True
        return _Paragraph(in_table, row_end, cell_mark and in_table and not row_end)

    def _table_marks(self, papx: bytes) -> tuple[bool, bool]:
        """Does a paragraph with these properties stand in a table, and does it end a row (its TTP)?"""
        if papx not in self.marks:
            in_table = row_end = False
            for opcode, operand in _sprms(papx[2:]):  # after the paragraph's style (istd)
                on = operand[:1] not in (b"", b"\x00")
                if opcode in (_P_IN_TABLE, _P_INNER_CELL):
                    in_table = in_table or on
                elif opcode in (_P_TTP, _P_INNER_TTP):
                    row_end = row_end or on
                elif opcode == _P_ITAP and len(operand) == 4 and struct.unpack("<i", operand)[0] > 0:
                    in_table = True
            self.marks[papx] = (in_table, row_end)
        return self.marks[papx]

    def _run(self, fc: int) -> tuple[int, tuple[bool, bool, bool]]:
        """Up to where the run at ``fc`` goes, and whether it shows in capitals, was deleted, and is set in a
        capitals font."""
        run = self.chpx.find(fc)
        end = run[1] if run else self.chpx.next_start(fc)
        papx = self.papx.at(fc)
        key = (run[2] if run else b"", papx[:2])
        if key not in self.shown:
            self.shown[key] = self._run_shown(*key)
        return end, self.shown[key]

    def _run_shown(self, chpx: bytes, paragraph_style: bytes) -> tuple[bool, bool, bool]:
        """Does a run with these properties, in a paragraph of this style, show in capitals: as its own «All
        caps»/«Small caps» say (or the opposite of its style's), else as its character style's, else as its
        paragraph style's? Was it deleted with Word tracking the changes? Is it set in a capitals font (its
        own, else its character style's, else its paragraph style's)?"""
        direct, istd, deleted, fonts = None, None, False, {}
        for opcode, operand in _sprms(chpx):
            if opcode in (_C_CAPS, _C_SMALL_CAPS) and operand:
                direct = operand[0] if direct in (None, 0, 0x80) else direct
            elif opcode == _C_ISTD and len(operand) == 2:
                istd = struct.unpack("<H", operand)[0]
            elif opcode == _C_DELETED and operand:
                deleted = operand[0] == 1
            elif opcode in (_C_FONT_ASCII, _C_FONT_OTHER) and len(operand) == 2:
                fonts[opcode] = struct.unpack("<H", operand)[0]
        paragraph_istd = struct.unpack("<H", paragraph_style)[0] if len(paragraph_style) == 2 else None
        font = _in_capitals_font(fonts, self.capitals_fonts) if fonts else None
        if font is None:
            font = self.styles.capitals(istd, font=True)
        if font is None:
            font = self.styles.capitals(paragraph_istd, font=True)
        style = self.styles.capitals(istd)
        if style is None:
            style = self.styles.capitals(paragraph_istd)
        if direct in (0, 1):
            return direct == 1, deleted, bool(font)
        if direct == 0x81:
            return not style, deleted, bool(font)
        return bool(style), deleted, bool(font)

    def blocks(self, max_chars: int) -> list[str | WordTable]:
        blocks: list[str | WordTable] = []
        table: WordTable | None = None
        row: list[list[str]] = []
        cell: list[str] = []
        for text, paragraph in self.paragraphs(max_chars):
            lines = text.translate(_SHOWN).split("\n")
            if not paragraph.in_table:
                if table is not None:
                    if row or cell:
                        table.rows.append(row + ([cell] if cell else []))
                    blocks.append(table)
                    table, row, cell = None, [], []
                blocks.extend(lines)
                continue
            if table is None:
                table = WordTable()
            if paragraph.row_end:
                if cell:
                    row.append(cell)
                table.rows.append(row)
                row, cell = [], []
                continue
            cell.extend(lines)
            if paragraph.cell_end:
                row.append(cell)
                cell = []
        if table is not None:
            if row or cell:
                table.rows.append(row + ([cell] if cell else []))
            blocks.append(table)
        return blocks

