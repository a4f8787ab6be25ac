"""Turn raw text into logical lines the metadata parser can walk.

Real inputs come as scraped HTML with "|" table remnants, markdown with
emphasis and tables, text files with two columns laid out by spaces, and
PDF text. This module removes the markup and puts each column of the
header and signature tables in reading order. A cell or paragraph break
becomes an empty line, so the parser sees blocks.
"""

from __future__ import annotations

import html
import re

from docmgr.extraction.names import is_title_text, starts_with_surname
from docmgr.text import clean_lines, is_upper_text
from docmgr.text.syllables import is_syllable


_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s*")
_QUOTE_RE = re.compile(r"^\s{0,3}>\s?")
_BULLET_RE = re.compile(r"^\s*[*+•]\s+")
_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_FOOTNOTE_STAR_RE = re.compile(r"\(\*+\)")
_SEPARATOR_RE = re.compile(r"^\s*[-_=*~.]{3,}\s*$|^\s*\|?\s*(:?-{3,}:?\s*\|\s*)+:?-*:?\s*$")
_PIPE_ONLY_RE = re.compile(r"^\s*(\|\s*)+$")
_MARKUP_CHAR_RE = re.compile(r"[#>*+•\[\\_]")
_RULE_FIRST = frozenset("-_=*~.|:")  # what a line of _SEPARATOR_RE or _PIPE_ONLY_RE starts with
_GAP_RE = re.compile(r"\S(?: {3,}|\t+)\S")
# What a scan's OCR reads from dust before a line's first word: «_Nơi nhận:», «“Trương Công Thái», «.. Căn cứ».
# A quote the line closes is a quotation's («“Về phương pháp tác chiến, …”»), and stays.
_LEADING_SPECKS_RE = re.compile(r"^[_'\"“”‘’`ˆ~|.,]+\s*(?=[^\W\d_])")
_QUOTES = "'\"“”‘’"
_SPECK_FIRST = frozenset("_'\"“”‘’`ˆ~|.,")  # what _LEADING_SPECKS_RE can start with
_SPECK_LAST = frozenset("_ˆ~`|")  # … and _TRAILING_SPECKS_RE end with
# What a line that logical_lines passes on as it is cannot start or end with: white space, a rule's or a
# speck's mark
_WHITE_SPACE = frozenset(char for char in map(chr, range(0x3001)) if char.isspace())
_PLAIN_FIRST_NOT = _RULE_FIRST | _SPECK_FIRST | _WHITE_SPACE
_PLAIN_LAST_NOT = _SPECK_LAST | _WHITE_SPACE


_TRAILING_SPECKS_RE = re.compile(r"(?<=\S)\s+[_ˆ~`|]+$")  # «KT. BỘ TRƯỞNG _», «Tạ Quang Đông _»


def _drop_leading_specks(line: str) -> str:
    if not line or (line[0] not in _SPECK_FIRST and line[-1] not in _SPECK_LAST):
        return line  # most lines: neither end is a speck
    line = _TRAILING_SPECKS_RE.sub("", line)
    match = _LEADING_SPECKS_RE.match(line)
    if match is None or (any(q in match.group() for q in _QUOTES) and any(q in line[match.end():] for q in _QUOTES)):
        return line
    return line[match.end():]


def strip_markdown(line: str) -> str:
    """Remove markdown markup from one line, keeping its text."""
    if not _MARKUP_CHAR_RE.search(line):
        return line  # most lines: nothing to remove
    # each pattern is tried only where the character it needs is there: most lines hold only «**» or «_»
    if "#" in line[:4]:
        line = _HEADING_RE.sub("", line)
    if ">" in line[:4]:
        line = _QUOTE_RE.sub("", line)
    bullet = _BULLET_RE.match(line)
    if bullet:
        line = line[bullet.end() :]
    if "](" in line:
        line = _LINK_RE.sub(r"\1", _IMAGE_RE.sub("", line))
    line = line.replace("**", "").replace("__", "")
    if "*" in line:
        footnotes = _FOOTNOTE_STAR_RE.findall(line)
        line = _FOOTNOTE_STAR_RE.sub("\x00", line).replace("*", "")
        for mark in footnotes:
            line = line.replace("\x00", mark, 1)
    if "\\" in line:
        if line.endswith("\\") and not line.endswith("\\\\"):
            line = line[:-1].rstrip()  # a line break as pandoc writes it
        line = _ESCAPE_RE.sub(r"\1", line)
    if bullet:  # "+" marks a sub-item of the item above it in a Nơi nhận list: kept apart from "-"
        mark = "+ " if bullet.group(0).strip() == "+" else "- "
        return mark + line if line.strip() else ""
    return line


def _table_cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [cell.strip() for cell in inner.split("|")]


def _is_table_row(line: str) -> bool:
    if "|" not in line:
        return False
    stripped = line.strip()
    if _PIPE_ONLY_RE.match(stripped) or stripped.count("|") < 2:
        return False
    # "| a | b |", or a row whose opening pipe a converter dropped: "- A; - Lưu: VT. | TM. ỦY BAN … |"
    return stripped.startswith("|") or (stripped.endswith("|") and " | " in stripped)


def _emit_table(rows: list[list[str]], out: list[str]) -> None:
    """Small tables (header, signature) column by column; data tables row by row."""
    width = max(len(r) for r in rows)
    if len(rows) <= 6 and width <= 3:
        cells = [row[c] for c in range(width) for row in rows if c < len(row)]
    else:
        cells = [cell for row in rows for cell in row]
    for cell in cells:
        for part in re.split(r"<br\s*/?>", cell, flags=re.I):
            if part.strip() and not _SEPARATOR_RE.match(part):  # («\-\-\-\-\-\--»: a rule pandoc escaped)
                out.append(part.strip())
        out.append("")


def _gap(line: str):
    """The first wide gap between two columns in ``line``, or None. A form's blank left for the number or the
    date, filled in when the document is signed («Số:      /2014/QĐ-UBND», «ngày      tháng 6 năm 2014»), is
    no gap between columns."""
    if "   " not in line:
        return None
    for match in _GAP_RE.finditer(line):
        if not (_BLANK_AFTER_RE.match(line, match.end() - 1)
                and _BLANK_BEFORE_RE.search(line[max(0, match.start() - 6) : match.start() + 1])):
            return match
    return None


# What stands around a form's blank: «Số:» and a slash, «ngày» and «tháng», «tháng» and «năm» (the words before
# it looked for in the few characters before it, so that a long line with many gaps costs no more than its length)
_BLANK_BEFORE_RE = re.compile(r"(?:\bSố\s*:|\bngày|\btháng)$", re.IGNORECASE)
_BLANK_AFTER_RE = re.compile(r"/|tháng\b|năm\b", re.IGNORECASE)


def _split_columns(block: list[str], out: list[str]) -> None:
    """Lay out a block of two-column text (columns separated by runs of spaces)."""
    boundary = None
    for line in block:
        match = _gap(line.rstrip())
        if match:
            start = match.end() - 1
            boundary = start if boundary is None else min(boundary, start)
    left: list[str] = []
    right: list[str] = []
    for line in block:
        match = _gap(line.rstrip())
        if match:
            left.append(line[: match.start() + 1].strip())
            right.append(line[match.end() - 1 :].strip())
        elif boundary is not None and line.strip() and (len(line) - len(line.lstrip()) >= boundary - 4
                                                         or _centre(line) >= boundary):  # a name centred under a title
            right.append(line.strip())
        else:
            left.append(line.strip())
    for column in (left, right):
        out.extend(x for x in column if x)
        out.append("")


def _is_columnar(line: str) -> bool:
    """A line laid out in columns, or pushed far right into the right-hand column."""
    return len(line) < 200 and (bool(_gap(line.strip())) or len(line) - len(line.lstrip()) >= 20)


def _centre(text: str) -> float:
    return (len(text) - len(text.lstrip()) + len(text.rstrip())) / 2


def _centred(line: str, left_centre: float, right_centre: float) -> bool:
    """Is ``line`` (no gap in it) set in the middle of the page, as a type's title is under a header laid out
    in two columns by spaces («pdftotext -layout»): nearer the middle between the header's two columns than
    the right-hand column's own middle, where its date line sits?"""
    centre = _centre(line)
    return abs(centre - (left_centre + right_centre) / 2) < abs(centre - right_centre)


def _column_blocks(lines: list[str]) -> list[str]:
    """Find runs of lines laid out in two columns and read them column by column.

    A run ends after three lines in a row that are not columnar, so the plain
    lines inside a signature table ("- Lưu: VT.") stay in it, and at a line set
    in the middle of the page (the type's title under the header).
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not _gap(lines[i].strip()) or len(lines[i]) >= 200:
            out.append(lines[i])
            i += 1
            continue
        first = lines[i].rstrip()
        gap = _gap(first)
        left_centre, right_centre = _centre(first[: gap.start() + 1]), (gap.end() - 1 + len(first)) / 2
        last = i
        j = i + 1
        while j < len(lines) and j - last <= 3 and j - i < 25:
            if lines[j].strip() and _is_columnar(lines[j]):
                if not _gap(lines[j].strip()) and _centred(lines[j], left_centre, right_centre):
                    break
                last = j
            j += 1
        if _CLOSING_ROW_RE.match(first):  # «Nơi nhận:   KT. BỘ TRƯỞNG»: the closing's table runs to a blank line
            while last + 1 < min(len(lines), i + 40) and lines[last + 1].strip():
                last += 1
        _split_columns(lines[i : last + 1], out)
        i = last + 1
    return out


_CLOSING_ROW_RE = re.compile(r"^\s*(?:Nơi nhận|NƠI NHẬN)\s*:?\s{3,}\S")


_RULE_CHARS = "-_=—–─━"
_RULE_RUN_RE = re.compile(f"[{_RULE_CHARS}]{{5,}}")  # «—————–»: a web page's rule of dashes
_RULE_CHAR_SET = frozenset(_RULE_CHARS)


def _has_rule(text: str) -> bool:
    """Is there a run of five rule characters? Found from each rule character's places (str.find), quicker
    than the pattern's scan of the whole text, which most texts (nine in ten) do not need; a text with
    thousands of them is left to the pattern."""
    tried = 0
    for char in _RULE_CHARS:
        at = text.find(char)
        while at >= 0:
            if at + 5 <= len(text) and _RULE_CHAR_SET.issuperset(text[at : at + 5]):
                return True
            tried += 1
            if tried > 2000:
                return _RULE_RUN_RE.search(text) is not None
            at = text.find(char, at + 1)
    return False


_GLUED_MOTTO_RE = re.compile(r"(VIỆT NAM)\s*(Độc lập)")


def _cut_rules(text: str) -> str:
    """Replace each drawn rule ("-------") and the white space around it by one line break.

    "UBND TỈNH ------- Số: 12" becomes two lines, and a rule on its own line
    under the issuing body disappears without leaving a block break. The
    rule is found first and the white space around it is taken by hand: a
    pattern beginning with white space is tried at every position of the text.
    """
    if not _has_rule(text):
        return text
    out: list[str] = []
    pos, end = 0, len(text)
    for match in _RULE_RUN_RE.finditer(text):
        a, b = match.start(), match.end()
        if a < pos:
            continue  # already taken with the white space of the previous rule
        while a > pos and text[a - 1].isspace():
            a -= 1
        while b < end and text[b].isspace():
            b += 1
        if a == 0 and b == end:
            continue  # nothing but a rule
        out.append(text[pos:a])
        out.append("\n")
        pos = b
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _join_wrapped_list(raw: list[str]) -> list[str]:
    """Join a Nơi nhận list squeezed onto one line ("- A; - B; - Lưu: VT. |") that a page's width wrapped
    ("… Việt Nam; -" / "Kiểm toán nhà nước; - …"), up to its final "." or cell border."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        line = raw[i]
        if line.lstrip().startswith("- ") and "; -" in line:
            while (i + 1 < len(raw) and raw[i + 1].strip() and not raw[i + 1].lstrip().startswith("|")
                   and not line.rstrip(" *").endswith((".", "|")) and not is_upper_text(raw[i + 1])
                   # «- Chính phủ; - Văn phòng Quốc hội;» / «- Các Bộ, …;»: a list of a line per item that
                   # set two on its first line (a scan's OCR) — each line goes on being read as a line (its «;»
                   # read as a comma too: «- Chính phủ; - Văn phòng Quốc hội, Văn phòng Chính phủ,» / «- Ủy ban …»)
                   and not (line.rstrip().endswith((";", ",")) and raw[i + 1].lstrip().startswith("- "))
                   and len(line) < 5000):
                i += 1
                line = f"{line.rstrip()} {raw[i].strip()}"
        out.append(line)
        i += 1
    return out


def _undouble(text: str) -> str:
    """A page that sets every line apart («Ban hành Quy định …,» / «» / «phòng, chống …»: a web page with a
    paragraph per line) says nothing with its single blank lines: they go, and a run of them is the break.

    Such a page has almost no two lines of text in a row (a markdown table's rows are left out of the count),
    and most of its lines are short: a page's width wrapped them, and many sentences go on after a blank line."""
    doubled = text.count("\n\n")
    if doubled < 10 or doubled * 3 < text.count("\n"):
        return text  # most texts: a blank line now and then
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    texts = adjacent = going_on = short = 0
    for line, after, nxt in zip(lines, lines[1:], lines[2:]):
        if line.strip() and not line.lstrip().startswith("|"):
            texts += 1
            short += len(line) <= 100
            adjacent += bool(after.strip()) and not after.lstrip().startswith("|")
            going_on += (not after.strip() and line.rstrip()[-1:] not in ".;:!?)" and nxt.lstrip()[:1].islower()
                         and nxt.lstrip()[1:2] not in ").")  # a sentence going on after the blank, not «a)»
    if texts < 12 or adjacent > texts * 0.05 or going_on < texts * 0.1 or short < texts * 0.6:
        return text  # lines of text in a row, or a paragraph (a list item) per line: the blank lines are breaks
    out: list[str] = []
    blanks = 0
    for line in lines:
        if not line.strip():
            blanks += 1
            continue
        if blanks > 1 and out:
            out.append("")
        blanks = 0
        out.append(line)
    return "\n".join(out)


# A page's number on a line of its own beside a page break (a form feed, as «pdftotext» writes one): in the
# top margin of the page that starts (Nghị định 30/2020, Phụ lục I) or at the foot of the one that ends
_PAGE_NUMBER = r"[ \t]*(?:-[ \t]*)?(?:Trang[ \t]+)?\d{1,3}(?:[ \t]*/[ \t]*\d{1,3})?(?:[ \t]*-)?[ \t]*"
_PAGE_BREAK_NUMBER_RE = re.compile(rf"(?<=\f){_PAGE_NUMBER}(?=\n|$)|(?<=\n){_PAGE_NUMBER}\n(?=\s*\f)")
_PAGE_BREAK_RE = re.compile(r"\n?[ \t]*(?:\n[ \t]*)*\f(?:[ \t]*\n)*")


def _without_page_breaks(text: str) -> str:
    """The text with its page breaks and their margins' blank lines gone: a sentence, or a subject, runs on
    from one page to the next."""
    return _PAGE_BREAK_RE.sub("\n", _PAGE_BREAK_NUMBER_RE.sub("", text)) if "\f" in text else text


_HTML_ROW_START_RE = re.compile(r"<tr\b[^<>]*>", re.IGNORECASE)
_HTML_CELL_START_RE = re.compile(r"<t[dh]\b[^<>]*>", re.IGNORECASE)
_HTML_CELL_END_RE = re.compile(r"</t[dh]>|</tr>", re.IGNORECASE)
_HTML_BREAK_RE = re.compile(r"\s*(?:<br\s*/?>|</p>\s*<p\b[^<>]*>)\s*|\n+", re.IGNORECASE)
_HTML_TAG_RE = re.compile(r"<[^<>]*>")


def _html_tables(text: str) -> str:
    """``text`` with each HTML table in it (as a converter to Markdown writes a Word document's tables it cannot
    write as a pipe table: «<table> … <th>ỦY BAN NHÂN DÂN<br /> …</th> …») made a pipe table's rows, a cell's
    lines parted by «<br>»: they then read as a pipe table's (a header's columns one after the other)."""
    lowered = text.lower()  # to find the tags in either case, at the same places
    if len(lowered) != len(text):
        return text  # (a few letters lower to two characters, «İ»: the places would not match; left as it is)
    out: list[str] = []
    at = 0
    while True:
        start = lowered.find("<table", at)
        end = lowered.find("</table>", start) if start >= 0 else -1
        if start < 0 or end < 0:
            break
        out.append(text[at:start])
        rows = []
        for row in _HTML_ROW_START_RE.split(text[start:end])[1:]:
            cells = []
            for cell in _HTML_CELL_START_RE.split(row)[1:]:
                closed = _HTML_CELL_END_RE.search(cell)
                cells.append("<br>".join(_html_cell_lines(cell[: closed.start()] if closed else cell)))
            if cells:
                rows.append("| " + " | ".join(cells) + " |")
        out.append("\n" + "\n".join(rows) + "\n")
        at = end + len("</table>")
    out.append(text[at:])
    return "".join(out)


def _html_cell_lines(cell: str) -> list[str]:
    """An HTML table cell's lines, as text; a rule («-------» under a header's name) is left out."""
    pieces = (html.unescape(_HTML_TAG_RE.sub("", piece)).replace("|", "/").strip()
              for piece in _HTML_BREAK_RE.split(cell))
    return [piece for piece in pieces if piece and not _SEPARATOR_RE.match(piece)]


# A grid table's border («+-----+-----+», «+=====+=====+» under its head) and a row's line («| … | … |»)
_GRID_BORDER_RE = re.compile(r"^\+(?:[-=:]+\+)+$")


def _grid_tables(lines: list[str]) -> list[str]:
    """``lines`` with each grid table (as pandoc writes a Word document's tables: a header's two columns, the list
    and the signature side by side) made one row of cells per row: a cell's lines between two borders are one
    cell, its text wrapped to the column's width joined again, a line ending in «\\» (a line break) or a blank
    one kept apart. The rows then read as a pipe table's («| … | … |»)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        border = lines[i].strip()
        if not (border.startswith("+") and _GRID_BORDER_RE.match(border)):
            out.append(lines[i])
            i += 1
            continue
        edges = [k for k, char in enumerate(border) if char == "+"]
        j = i + 1
        while j < len(lines) and lines[j].strip().startswith("|") and lines[j].strip().endswith("|"):
            j += 1
        if j == i + 1 or j >= len(lines) or not _GRID_BORDER_RE.match(lines[j].strip()):
            out.append("")  # a border with no row under it (a table's last), or rows with no border closing them
            i += 1
            continue
        cells: list[list[str]] = [[] for _ in edges[1:]]
        for row in lines[i + 1 : j]:
            row = row.strip()
            for c, (left, right) in enumerate(zip(edges, edges[1:])):
                cells[c].append(row[left + 1 : right].strip())
        out.append("| " + " | ".join("<br>".join(_cell_lines(cell)) for cell in cells) + " |")
        i = j  # the closing border opens the next row
    return out


_CELL_ITEM_RE = re.compile(r"\\?[-+*•–]\s")


def _cell_lines(fragments: list[str]) -> list[str]:
    """A grid table cell's lines: a fragment goes on the line before unless that one ended in «\\» or a blank,
    or it starts a list's item («- Như Điều 2;»)."""
    lines: list[str] = []
    joined = False
    for fragment in fragments:
        if not fragment or _SEPARATOR_RE.match(fragment.replace("\\", "")):  # a blank, a rule («-------»)
            joined = False
            continue
        if joined and not _CELL_ITEM_RE.match(fragment):
            lines[-1] += " " + fragment
        else:
            lines.append(fragment)
        joined = not fragment.endswith("\\")
        if not joined:
            lines[-1] = lines[-1][:-1].rstrip()
    return lines


def logical_lines(text: str) -> list[str]:
    """Return the text's lines with markup removed; "" marks a block break."""
    text = clean_lines(_undouble(_without_page_breaks(text)))
    # (a character looked for first: quicker than two strings, and most texts have neither)
    if "<" in text and ("</table>" in text or "</TABLE>" in text):
        text = _html_tables(text)
    if "+" in text and ("+-" in text or "+=" in text):
        text = "\n".join(_grid_tables(text.split("\n")))
    text = _cut_rules(text)
    if "VIỆT NAM" in text:
        text = _GLUED_MOTTO_RE.sub("\\1\n\\2", text)
    raw = text.split("\n")
    if _DEEP_INDENT in text:
        raw = _names_unglued(raw)
    raw = _join_wrapped_list(_column_blocks(raw))
    out: list[str] = []
    table: list[list[str]] = []
    for line in raw:
        if _is_table_row(line) and not _SEPARATOR_RE.match(line):
            table.append([strip_markdown(c) for c in _table_cells(line)])
            continue
        if table and _SEPARATOR_RE.match(line) and "|" in line:
            continue  # markdown alignment row
        if table:
            _emit_table(table, out)
            table = []
        if not line or (line[0] not in _PLAIN_FIRST_NOT and line[-1] not in _PLAIN_LAST_NOT and "|" not in line
                        and "  " not in line and not _MARKUP_CHAR_RE.search(line)):
            out.append(line)  # a plain line (most of them): no rule, markup, cell, speck or run of spaces
            continue
        if line.lstrip()[:1] in _RULE_FIRST and (_PIPE_ONLY_RE.match(line) or _SEPARATOR_RE.match(line)):
            out.append("")
            continue
        line = strip_markdown(line)
        if "-" in line[:1] and _SEPARATOR_RE.match(line):  # «\-\-\-\-\-\--\»: a rule pandoc escaped
            out.append("")
            continue
        if " | " in line and line.lstrip().startswith("- "):  # a list cell, then the signature's: two blocks
            for cell in line.split(" | "):
                out.extend((" ".join(cell.replace("|", " ").split()), ""))
            continue
        line = _drop_leading_specks(line.replace("|", " ").lstrip())
        # clean_lines left only plain spaces; collapse what markup removal left
        out.append(" ".join(line.split()) if "  " in line else line.strip())
    if table:
        _emit_table(table, out)
    # (a text with none of a signing's own keys, «Thời gian ký:», «Ngày ký:», has no stamp; «Ký bởi:» goes with one)
    if "ký:" in text or "Signed by" in text:
        out = _without_signing_stamps(out)
    return _mend(_squeeze_blanks(out))


_DEEP_INDENT = "\n" + " " * 20


def _names_unglued(lines: list[str]) -> list[str]:
    """``lines`` with a signer's name that a PDF's text ran into the list's next line parted from it. PyMuPDF's
    sorted text sets the name, indented under the signature's column, straight before the list's line on the
    same row: «            Võ Minh Lương- Lưu: VT, NCTH.», «            Trịnh Mạnh LinhThư ký của các PTTg».
    Only a line indented 20 spaces or more whose first words are a person's name (a surname first), its last
    word glued to a dash or to a capital letter."""
    out: list[str] = []
    for line in lines:
        parted = _name_parted(line) if line.startswith(" " * 20) else None
        out.extend(parted or [line])
    return out


def _name_parted(line: str) -> list[str] | None:
    words = line.split()
    if not words or not starts_with_surname(words[0]):
        return None
    for k in range(1, min(5, len(words))):  # words[k]: the name's last word, and what is glued to it
        if not all(word.isalpha() and word.istitle() for word in words[:k]):
            return None
        word = words[k]
        if word.endswith("-") and word[:-1].isalpha() and word[:-1].istitle():
            last, rest = word[:-1], "- " + " ".join(words[k + 1 :])
        else:
            cut = next((i for i in range(2, len(word)) if word[i].isupper()), None)
            if cut is None or not (word[:cut].isalpha() and word[:cut].istitle() and word[cut + 1 : cut + 2].islower()):
                continue
            last, rest = word[:cut], " ".join([word[cut:]] + words[k + 1 :])
        indent = line[: len(line) - len(line.lstrip())]
        return [indent + " ".join(words[:k] + [last]), rest]
    return None


# A signing tool's stamp, as some PDFs' text layers hold it where it sits on the page (over the header's column,
# beside the signature): «Ký bởi: Ủy ban nhân dân tỉnh …» / «Email: …» / «Cơ quan: …» / «Thời gian ký: 05.03.2024
# 10:15:20 +07:00». It is no part of the document's text.
_STAMP_LINE_RE = re.compile(
    r"^(?:Ký bởi|Người ký|Email|E-mail|Cơ quan|Chức vụ|Thời gian ký|Ngày ký|Nơi ký|Lý do|Signed by|Signing time"
    r"|Date|Reason|Location)\s*:", re.IGNORECASE)
_STAMP_KEY_WORDS_RE = re.compile(r"(?:Ký bởi|Thời gian ký|Ngày ký|Signed by|Signing time)\s*:", re.IGNORECASE)
_STAMP_FIRST = frozenset("KkNnEeCcTtLlSsDdRr")  # what a stamp's key starts with


def _without_signing_stamps(lines: list[str]) -> list[str]:
    """``lines`` with each signing stamp's lines blank: a run of two or more «key: value» lines of a stamp, one
    of them a signing's own («Ký bởi», «Thời gian ký», «Ngày ký»). (A web page's «Người ký: …» alone stays.)
    Only lines that start as a key does are matched: most lines have none."""
    out = lines
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and lines[j][:1] in _STAMP_FIRST and _STAMP_LINE_RE.match(lines[j]):
            j += 1
        if j - i >= 2 and any(_STAMP_KEY_WORDS_RE.match(line) for line in lines[i:j]):
            out = out if out is not lines else list(lines)
            out[i:j] = [""] * (j - i)
        i = max(j, i + 1)
    return out


_LABEL_HEAD_RE = re.compile(r"^(?:Nơi|NƠI)$")
_LABEL_REST_RE = re.compile(r"^(?:nhận|NHẬN)\s*:")
_MOTTO_HEAD_RE = re.compile(r"^(?:CỘNG|CỘNG HÒA|CỘNG HOÀ|CỘNG HÒA XÃ|CỘNG HOÀ XÃ)$")
_MOTTO_REST_RE = re.compile(r"^(?:HÒA|HOÀ|XÃ HỘI|CHỦ NGHĨA)\b")
_PLACE_HEAD_RE = re.compile(r"^[A-ZĐÀ-Ỹ][^\W\d_]*(?: [^\W\d_]+){0,4}$")  # "Hà", "Thành phố Hồ Chí"
_PLACE_REST_RE = re.compile(r"^(?P<rest>[^\W\d_][^,\d]{0,40}?)\s*,?\s*ngày\s*(?:\d|[.…_ ]+tháng)", re.IGNORECASE)


# Both header columns, or the number and the place, run onto one line: "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI …",
# "TỈNH HẬU GIANG Độc lập - Tự do - Hạnh phúc", "Số: 454/UBND-NCTH Vị Thanh, ngày 6 tháng 4 năm 2011",
# "Số: 12/BTC-CST V/v hướng dẫn …".
_MERGED_SPLITS = (  # (a test for the words each pattern needs, the pattern)
    # «NGHĨA. VIỆT»: a speck; «CÔN G HÒA», «CÔNG HOA»: the motto's first words as a scan's OCR read them
    (lambda line: " XÃ HỘI CHỦ NGHĨA" in line,
     re.compile(r"^(?P<a>\S.*?)\s+(?P<b>(?P<head>C[ỘÔO]N ?G ?H(?:ÒA|OÀ|OA)) XÃ HỘI CHỦ NGHĨA\W{0,3}VIỆT NAM.*)$")),
    # «… VIỆT NÀĂM»: the motto's last word misread, at the line's end
    (lambda line: " XÃ HỘI CHỦ NGHĨA" in line,
     re.compile(r"^(?P<a>\S.*?)\s+(?P<b>(?P<head>C[ỘÔO]N ?G ?H(?:ÒA|OÀ|OA)) XÃ HỘI CHỦ NGHĨA\W{0,3}"
                r"(?P<misread>V\S{2,4} N\S{1,4}))$")),
    (lambda line: "Độc lập" in line, re.compile(r"^(?P<a>\S.*?)\s+(?P<b>Độc lập\s*[-–]\s*Tự do.*)$")),
    (lambda line: line.startswith("Số") and "ngày" in line,
     re.compile(r"^(?P<a>Số\s*:\s*[^\s,]+)\s+(?P<b>[^\W\d_][^,\d]{1,40},?\s*ngày\b.*)$")),
    (lambda line: line.startswith("Số") and ("V/v" in line or "V/V" in line),
     re.compile(r"^(?P<a>Số\s*:\s*[^\s,]+)\s+(?P<b>(?:V/v|V/V)\b.*)$")),
)
_SPACED_LETTER_RE = re.compile(r"(?<!\S)([^\W\d_])\s([^\W\d_]+)(?!\S)")


def _split_merged(line: str) -> list[str]:
    for needs, pattern in _MERGED_SPLITS:
        if not needs(line):
            continue  # the words the pattern is built on are not there: most lines, cheaply
        match = pattern.match(line)
        if match and len(match.group("a")) < 80:
            b = match.group("b")
            if "misread" in match.groupdict():
                b = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"  # the motto as it is written, however OCR read it
            elif "head" in match.groupdict() and match.group("head") not in ("CỘNG HÒA", "CỘNG HOÀ"):
                b = "CỘNG HÒA" + b[len(match.group("head")):]
            return [*_split_merged(match.group("a")), *_split_merged(b)]
    return _split_body_from_place(line)


def _split_body_from_place(line: str) -> list[str]:
    """A body's name in capitals and the place and date beside it, read as one line by a scan's OCR («SỞ GIÁO
    DỤC VÀ ĐÀO TẠO. Thành phố Hồ Chí Minh, ngày 28 tháng 11 năm 2025»): two lines, the speck between dropped."""
    if "gày" not in line and "GÀY" not in line:
        return [line]  # no date on the line (the check that costs least: this runs on every line)
    words = line.split()
    head = 0
    while head < len(words) and any(c.isalpha() for c in words[head]) and words[head].isupper():
        head += 1
    if head < 2 or head == len(words) or not words[head][:1].isupper():
        return [line]
    rest = " ".join(words[head:])
    place = _PLACE_REST_RE.match(rest)
    if not place or not place.group("rest").strip() or "ngày" in place.group("rest").lower():
        return [line]
    return [" ".join(words[:head]).rstrip(".,:;"), rest]


def _join_spaced_letters(line: str) -> str:
    """"B Ộ LAO ĐỘNG - THƯƠNG BINH V À X Ã HỘI" → "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI": a letter set apart
    from the rest of its syllable (damaged text), joined where together they make one."""
    def join(match):
        word = match.group(1) + match.group(2)
        return word if is_syllable(word) and not is_syllable(match.group(1)) else match.group(0)
    return _SPACED_LETTER_RE.sub(join, line)


def _cut_by_wrap(line: str, nxt: str) -> bool:
    """Is ``nxt`` the rest of ``line``, cut off by a page's word wrap? The national motto's first word
    ("CỘNG" / "HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), a place name before its date ("Hà" / "Nội, ngày …",
    "Thành phố Hồ Chí" / "Minh, ngày …"), the "Nơi" / "nhận:" label, a consolidated text's attestation."""
    if len(line) > 30:
        return False  # longer than any of them
    if len(line) <= 14 and _MOTTO_HEAD_RE.match(line) and _MOTTO_REST_RE.match(nxt):
        return True
    if (line, nxt) == ("XÁC THỰC VĂN BẢN", "HỢP NHẤT") or (_LABEL_HEAD_RE.match(line) and _LABEL_REST_RE.match(nxt)):
        return True
    rest = (_PLACE_REST_RE.match(nxt) if _PLACE_HEAD_RE.match(line) and not is_upper_text(line)
            else None)  # not «TỈNH ỦY THANH HÓA» / «Từ ngày 08 …»
    return bool(rest) and (rest.group("rest")[:1].islower() or len(rest.group("rest").split()) == 1)


def _mend(lines: list[str]) -> list[str]:
    """Mend the lines a page's layout damaged: in the header, letters set apart from their syllable and
    columns run onto one line; anywhere, lines a word wrap cut in two, and a signature run into one line."""
    split: list[str] = []
    for number, line in enumerate(lines):
        if number < 80 and line and len(line) < 200:  # the header's lines
            if is_upper_text(line) and " " in line:
                line = _join_spaced_letters(line)
            split.extend(_split_merged(line))
        else:
            split.append(line)
    out: list[str] = []
    i = 0
    while i < len(split):
        line, nxt = split[i], split[i + 1] if i + 1 < len(split) else ""
        if line and nxt and _cut_by_wrap(line, nxt):
            out.append(f"{line} {nxt}")
            i += 2
            continue
        out.extend(_unglue_signature(line))
        i += 1
    return out


_SIGNING_PREFIX_RE = re.compile(r"TM\.|KT\.|TL\.|TUQ\.")
_GLUED_PREFIX_RE = re.compile(r"(?<=[^\W\d_])(?=(?:TM|KT|TL|TUQ)\.)")
_GLUED_HEAD_RE = re.compile(r"(?<=[^\W\d_])(?=(?:PHÓ|CHỦ TỊCH|THỨ TRƯỞNG|BỘ TRƯỞNG|GIÁM ĐỐC|CỤC TRƯỞNG)\b)")
_SIGNED_MARK_RE = re.compile(r"\s*(\(\s*[Đđ]ã\s*k[ýí]\s*\))\s*")


def _unglue_signature(line: str) -> list[str]:
    """Split a signature block a converter ran into one line ("TM. CHÍNH PHỦKT. THỦ TƯỚNGPHÓ THỦ
    TƯỚNG(Đã ký)Hồ Đức Phớc", "CHÁNH VĂN PHÒNGNguyễn Văn A") into its title lines, the mark and the name."""
    if not line or len(line) > 160 or ("." not in line and "ã k" not in line and not line[:2].isupper()):
        return [line]  # most lines: no prefix, no mark, no title to split a name from
    prefixed = ("M." in line or "T." in line or "L." in line or "Q." in line) and _SIGNING_PREFIX_RE.search(line)
    if not prefixed and "ã k" not in line and not line.strip()[:2].isupper():
        return [line.strip() or ""]  # a sentence: its dots are no prefix's
    if prefixed and is_title_text(line):
        line = _GLUED_HEAD_RE.sub("\n", _GLUED_PREFIX_RE.sub("\n", line))
    if "ã k" in line:
        line = _SIGNED_MARK_RE.sub(lambda m: f"\n{m.group(1)}\n", line)
    parts = []
    for part in line.split("\n"):
        parts.extend(_split_caps_name(part.strip()))
    return [p for p in parts if p] or [""]


def _split_caps_name(part: str) -> list[str]:
    """"CHÁNH VĂN PHÒNGNguyễn Văn A", "KT. BỘ TRƯỞNG THỨ TRƯỞNG Nguyễn Văn An" → the title and the name (a
    capital letter that starts a lower-case word right after a capitalised title)."""
    if len(part) < 6 or not part[:2].isupper():
        return [part]  # a title line starts in capitals: most lines are let through here, quickly
    words = part.split()
    if len(words) >= 4 and is_title_text(part):
        for n in (4, 3, 2):  # the name: its last two to four words, each capitalised and in lower case after
            name, head = words[-n:], " ".join(words[:-n])
            if (all(w[:1].isupper() and w[1:].islower() and w.isalpha() for w in name)
                    and is_upper_text(head) and is_title_text(head)):
                return [head, " ".join(name)]
    for k in range(3, len(part) - 1):
        if part[k].isupper() and part[k + 1].islower() and part[k - 1].isupper():
            head = part[:k]
            if is_upper_text(head) and is_title_text(head):
                return [head.strip(), part[k:].strip()]
            return [part]
    return [part]


def _squeeze_blanks(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out
