"""The query language staff type, parsed into a small tree (no Whoosh here).

    văn hóa                  every word must match (with or without diacritics)
    "ủy ban nhân dân"        a phrase
    kế hoạch OR chương trình the words on one side of OR, or those on the other
    -dự thảo / NOT dự        leave out documents with the word
    so:65/KH-UBND            number; a query that looks like a number goes there by itself
    453, so:453              the documents numbered 453, whatever their notation (and the word 453)
    loai:QĐ, loai:"quyết định"  document type, by code or name
    coquan:, nguoiky:, linhvuc:   issuer, signer, sector (words or "phrase"); abbreviations are spelled
                             out as well: coquan:UBND finds "Ủy ban nhân dân tỉnh …" (and "UBND tỉnh …")
    nam:2024, tu:1/3/2024, den:31/12/2024 (also mm/yyyy or yyyy)
    huong:den | huong:di     incoming or outgoing

Field names are matched without diacritics, so "số:", "loại:", "năm:" work too.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from docmgr import doctypes
from docmgr.errors import UserValueError
from docmgr.search.analysis import NUMBER_RE, exact_terms, folded_terms
from docmgr.text import fold, nfc, number_folded_key
from docmgr.text.abbreviations import spell_out


class QueryError(UserValueError):
    """A query that cannot be understood; the message says how to write it."""


@dataclass
class Words:
    """Words (a phrase when ``phrase``): exact and folded forms of each."""

    exact: list[str]
    folded: list[str]
    phrase: bool = False

    @property
    def text(self) -> str:
        joined = " ".join(self.exact)
        return f'"{joined}"' if self.phrase else joined


@dataclass
class Number:
    key: str
    words: Words
    sequence: bool = False  # a bare number («453»): the documents numbered 453 whatever their notation

    @property
    def text(self) -> str:
        return self.words.text


@dataclass
class FieldFilter:
    # issuer_f, signer_f, sector_f (value: alternatives, each a list of folded words), doc_type, direction, year,
    # number (a number's folded key), number_seq (a bare number: «so:453»)
    name: str
    value: object


@dataclass
class Query:
    """A document matches when every item of one of the alternatives matches (OR of ANDs).

    Without OR there is one alternative holding all the words; "kế hoạch OR chương
    trình" has two, since Vietnamese words have several syllables.
    """

    alternatives: list[list[Words | Number]] = field(default_factory=list)
    exclude: list[Words | Number] = field(default_factory=list)
    filters: list[FieldFilter] = field(default_factory=list)
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.alternatives or self.filters or self.date_from or self.date_to or self.exclude)

    def positive_words(self) -> list[Words]:
        out = []
        for alternative in self.alternatives:
            for item in alternative:
                out.append(item.words if isinstance(item, Number) else item)
        return out


FIELDS = {
    "so": "number", "sohieu": "number", "loai": "doc_type", "coquan": "issuer_f", "noibanhanh": "issuer_f",
    "nguoiky": "signer_f", "linhvuc": "sector_f", "nam": "year", "tu": "from", "den": "to",
    "huong": "direction",
}
DIRECTIONS = {"den": "incoming", "di": "outgoing", "noibo": "internal"}

_TOKEN_RE = re.compile(
    r'(?P<neg>-)?(?:(?P<field>[^\W\d_]+):(?:"(?P<fquoted>[^"]*)"|(?P<fvalue>[^\s"]+))'
    r'|"(?P<quoted>[^"]*)"|(?P<word>[^\s"]+))'
)
_NUMBER_MARK = "\x00"
_OR_HELP = "«OR» phải đứng giữa hai nhóm từ, ví dụ: kế hoạch OR chương trình."


def parse(text: str) -> Query:
    """Parse the user's query; QueryError with a Vietnamese message when it cannot be read."""
    text = nfc(text or "").strip()
    if len(text) > 500:
        raise QueryError("Câu tìm kiếm quá dài (tối đa 500 ký tự).")
    if text.count('"') % 2:
        raise QueryError('Thiếu dấu ngoặc kép đóng: cụm từ phải nằm giữa hai dấu " … ".')
    numbers: list[str] = []

    def mark(match: re.Match) -> str:
        numbers.append(match.group(0))
        return f"{_NUMBER_MARK}{len(numbers) - 1}{_NUMBER_MARK}"

    # Numbers outside quotes ("65/KH - UBND" may contain spaces) become one token each.
    parts = text.split('"')
    for i in range(0, len(parts), 2):
        parts[i] = NUMBER_RE.sub(mark, parts[i])
    text = '"'.join(parts)

    query = Query()
    current: list = []
    negate_next = False
    for match in _TOKEN_RE.finditer(text):
        word = match.group("word")
        if word in ("OR", "HOẶC") and not match.group("neg"):
            if not current:
                raise QueryError(_OR_HELP)
            query.alternatives.append(current)
            current = []
            continue
        if word in ("AND", "VÀ") and not match.group("neg"):
            continue
        if word == "NOT" and not match.group("neg"):
            negate_next = True
            continue
        negated = bool(match.group("neg")) or negate_next
        negate_next = False
        item = _item(match, numbers, query)
        if item is None:  # a field filter (already recorded) or punctuation
            continue
        if negated:
            query.exclude.append(item)
        else:
            current.append(item)
    if current:
        query.alternatives.append(current)
    elif query.alternatives:
        raise QueryError(_OR_HELP)
    if negate_next:
        raise QueryError("«NOT» phải đứng trước một từ, ví dụ: kế hoạch NOT dự thảo.")
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise QueryError("Ngày «từ» sau ngày «đến»: kiểm tra lại khoảng thời gian.")
    return query


def _item(match: re.Match, numbers: list[str], query: Query):
    name = match.group("field")
    if name is not None:
        key = fold(name).lower()
        value = match.group("fquoted") if match.group("fquoted") is not None else match.group("fvalue")
        value = _unmark(value, numbers)
        if key in FIELDS:
            _field(query, FIELDS[key], value, name)
            return None
        # "Điều 5:" and the like: not a field, just words.
        return _words(f"{name} {value}", phrase=False)
    if match.group("quoted") is not None:
        return _words(_unmark(match.group("quoted"), numbers), phrase=True)
    word = match.group("word")
    if word.startswith(_NUMBER_MARK) and word.endswith(_NUMBER_MARK) and word[1:-1].isdigit():
        original = numbers[int(word[1:-1])]
        return Number(number_folded_key(original), _words(original, phrase=True))
    if re.fullmatch(r"\d{1,6}", word):
        return Number(word, _words(word, phrase=False), sequence=True)
    return _words(_unmark(word, numbers), phrase=False)


def _unmark(value: str, numbers: list[str]) -> str:
    return re.sub(f"{_NUMBER_MARK}(\\d+){_NUMBER_MARK}", lambda m: numbers[int(m.group(1))], value)


def _words(text: str, phrase: bool) -> Words | None:
    exact, folded = exact_terms(text), folded_terms(text)
    if not exact:
        return None
    return Words(exact, folded, phrase=phrase or len(exact) > 1)


def _field(query: Query, name: str, value: str, typed: str) -> None:
    value = value.strip()
    if not value:
        raise QueryError(f"«{typed}:» cần một giá trị, ví dụ {typed}:2024.")
    if name == "number":
        if re.fullmatch(r"\d{1,6}", value):
            query.filters.append(FieldFilter("number_seq", value))
        else:
            query.filters.append(FieldFilter("number", number_folded_key(value)))
    elif name == "doc_type":
        found = doctypes.lookup(value)
        if found is None:
            raise QueryError(f"Không có loại văn bản «{value}». Dùng tên (quyết định) hoặc viết tắt (QĐ).")
        query.filters.append(FieldFilter("doc_type", found.code))
    elif name in ("issuer_f", "signer_f", "sector_f"):
        words = folded_terms(value)
        if not words:
            raise QueryError(f"«{typed}:» cần một giá trị có chữ.")
        alternatives = [words]
        spelled = spell_out(value)
        if spelled is not None and folded_terms(spelled) != words:
            alternatives.append(folded_terms(spelled))
        query.filters.append(FieldFilter(name, alternatives))
    elif name == "year":
        if not re.fullmatch(r"\d{4}", value):
            raise QueryError(f"Năm phải có 4 chữ số, ví dụ nam:2024 (không phải «{value}»).")
        query.filters.append(FieldFilter("year", value))
    elif name == "direction":
        direction = DIRECTIONS.get(fold(value).lower())
        if direction is None:
            raise QueryError("Hướng văn bản: huong:den (văn bản đến), huong:di (văn bản đi) hoặc huong:noibo.")
        query.filters.append(FieldFilter("direction", direction))
    elif name == "from":
        query.date_from = parse_day(value, typed, end=False)
    elif name == "to":
        query.date_to = parse_day(value, typed, end=True)


def parse_day(value: str, typed: str, end: bool) -> dt.date:
    """dd/mm/yyyy, mm/yyyy or yyyy; a month or year means its first (or last) day."""
    match = re.fullmatch(r"(?:(?:(\d{1,2})[/.-])?(\d{1,2})[/.-])?(\d{4})", value)
    if match:
        day, month, year = match.group(1), match.group(2), int(match.group(3))
        try:
            if month is None:
                return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
            month_n = int(month)
            if day is None:
                last = calendar.monthrange(year, month_n)[1]
                return dt.date(year, month_n, last if end else 1)
            return dt.date(year, month_n, int(day))
        except ValueError:
            pass
    raise QueryError(f"Ngày «{value}» ở «{typed}:» không hợp lệ: viết ngày/tháng/năm, ví dụ {typed}:20/3/2024.")
