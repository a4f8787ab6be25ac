"""The document's own header: issuing body, number, place and date, type, subject.

Only the "Số:" line and the place-and-date line give the document's number
and date; the numbers and dates of other documents quoted in the preamble
are references, not metadata.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from docmgr import doctypes
from docmgr.extraction.names import (
    ADMIN_UNITS,
    CENTRAL_COMMITTEE,
    DATE_SPECK_RE,
    PARTY_CENTRAL_BODIES,
    PLACES,
    body_by_notation,
    body_case,
    department_by_notation,
    initial,
    is_known_issuer_code,
    is_title_text,
    issuer_code,
    kind_respelled,
    known_body,
    names_an_enacting_body,
    party_code,
    runs_on_into,
    scrub_specks,
    scrub_title_specks,
    split_bodies,
    starts_with_body_kind,
)
from docmgr.text import folded_key, is_upper_text, join_lines, search_key, tone_marks
from docmgr.text.normalize import NUMBER_CUT_RE
from docmgr.text.syllables import is_syllable


_MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc")
# The Party's bodies head their documents with «ĐẢNG CỘNG SẢN VIỆT NAM» where the national motto would stand
# (Quy định 66-QĐ/TW); a page's converter wraps it anywhere («ĐẢNG» / «CỘNG SẢN VIỆT NAM»).
_PARTY_MOTTO = "đảng cộng sản việt nam"
# «Số: …», also after a speck a scan's OCR read as a dash or a mark («- Số: 2770/QĐ-UBND»)
_SPECK_BEFORE = r"(?:[-–~'`.,:;_§©®°•·¬*^ˆ]\s?)?"  # («§Số:388/NQ-CP», «: Số: 384-QĐ/TW»: a mark OCR made of a speck)
# «Số;», «5ố:», «9ố:»: a scan's OCR misread the colon, the S
# The types whose header names them before the number, with its colon and the number alone after it:
# «Luật số: 60/2024/QH15» (not a sentence that tells of a law: «Luật số: 12/2017/QH14 sửa đổi …»)
_TYPES_BEFORE_NUMBER = r"(?:Bộ luật|Luật|Pháp lệnh|Nghị quyết)(?= số\s*:\s*\S+$)"
_TYPED_NUMBER_RE = re.compile("^" + _TYPES_BEFORE_NUMBER)
# «mẽ Số:5664/CT-CS»: a speck read as a scrap of small letters, only before «Số» with its colon
# «S6:45/2025TTBVT Số: 45/2025/TT-BYT»: or a garbled reading of the number before it (a token with a digit),
# «80 5200C15 Số: 5330/CT-CS»: or up to four, a stamp's figures and scraps, the first with a digit («5. sa: 99
# 4/CĐ-TTg Số: 224/CĐ-TTg»). (Each bounded: a line of 80,000 digits took 30 s.)
_SCRAP_TOKEN = r"(?:[^\s\d]{0,40}\d\S{0,40}|[^\W\d_]{1,3}[.:;,']?)"
_SCRAP_BEFORE_NUMBER = rf"(?:[a-zà-ỹđ]{{1,3}} |(?=[^\s\d]{{0,40}}\d){_SCRAP_TOKEN} (?:{_SCRAP_TOKEN} ){{0,3}})Số\s*:"
_NUMBER_LINE_RE = re.compile(
    rf"^(?:{_SPECK_BEFORE}(?:Số|SỐ|So|5ố|9ố|§ố|Số hiệu|{_TYPES_BEFORE_NUMBER} số)\s*[:.;]?|{_SCRAP_BEFORE_NUMBER})"
    r"\s*(.*)$")
_NUMBER_RE = re.compile(
    r"^(?P<seq>\d+[a-zA-Z]?)?\s*(?P<sep>[/-])?\s*(?P<rest>[\wĐđ][\w\-/.&Đđ ]*?)\s*[.;,]?$"
)
# «235KH-UBND», «659 TB-VPCP»: the slash between the number and the notation lost by a scan's OCR
_LOST_SLASH_RE = re.compile(r"^(\d{1,6}) ?([A-ZĐ][A-ZĐ&]+(?:-[A-ZĐ0-9][\wĐđ&]*)+)(?=\s|$)")
# «37691TBCHQ», «109/2025TTBTC»: a scan's OCR lost both the slash and the dash; the notation's first code is
# a type's («TB», «TT»), the rest the body's
# (only codes glued to a digit: «45/HĐND», a công văn's, is no «HĐ-ND»)
# «130/2025/TTBQP»: the dash lost after a year's slash
_GLUED_CODES_RE = re.compile(r"^(?P<seq>\d{1,6})(?:(?P<year>/\d{4})/?)?(?P<codes>[A-ZĐ][A-ZĐa-z&]{3,})$")
# «98/20257QĐ-UBND»: the slash after the year read as a digit or a stroke; «57/2025NQ-HĐND»: lost
_SLASH_AFTER_YEAR_RE = re.compile(r"^(\d{1,6}/(?:19|20)\d\d)[71lI|]?(?=[A-ZĐ]{2,}-[A-ZĐ])")
_TYPE_CODES = sorted((t.code for t in doctypes.ALL_TYPES if t.code and len(t.code) >= 2), key=len, reverse=True)


# The Party's bodies' codes («383-QĐ/TW», «37-HD/BTGDVTW», «12-NQ/TU»): a Party document's number puts its
# type's code after a dash, its body's after a slash
_PARTY_BODY_CODE_RE = re.compile(r"^(?:TW|TU|ĐU|HU|QU|[A-ZĐ]{2,}TW)$")


def _codes_parted(match: re.Match) -> str:
    codes = match.group("codes")
    for code in _TYPE_CODES:
        rest = codes[len(code):]
        if codes.startswith(code) and len(rest) >= 2 and rest.isupper():
            if _PARTY_BODY_CODE_RE.match(rest) and not match.group("year"):
                return f"{match.group('seq')}-{code}/{rest}"  # «383QĐTW»: a Party document's
            return f"{match.group('seq')}{match.group('year') or ''}/{code}-{rest}"
    return match.group(0)


# «NQ-UBTVQHI5»: a scan's OCR read the «1» of a notation's number («UBTVQH15», «QLDN1») as «I» or «l»; only
# where a digit stands beside it, since a notation's letters are capitals and no code puts «I» before a digit
_DIGIT_READ_AS_LETTER_RE = re.compile(r"(?<=\d)[Il](?=[\d\-/]|$)|(?<=[A-ZĐ])[Il](?=\d)")
# «CHQ-G5QL», «B0NV»: a scan's OCR read an «S» or an «O» between a notation's letters as «5» or «0»; no code
# puts a digit between two letters (3 codes in the corpus's 13,919 pages do, none with 5 or 0)
_LETTER_READ_AS_DIGIT_RE = re.compile(r"(?<=[A-ZĐ])[50](?=[A-ZĐ])")
# The National Assembly's term after «QH» has two digits at most (the 15th: «QH15»): a «1» before two is a speck
_TERM_READ_TWICE_RE = re.compile(r"(?<=QH)1(?=1\d(?!\d))")
_SPECK_AFTER_TYPE_CODE_RE = re.compile(r"(?:^|(?<=^\d{4}/))([A-ZĐ]{2,3})1(?=-[A-ZĐ])")
_HDND_RE = re.compile(r"(?<![A-Za-z])HDND(?![A-Za-z])")
# «384QĐ/IW»: a Party document's number whose dash before the type's code a scan lost (its body's code after
# the slash)
_PARTY_LOST_DASH_RE = re.compile(r"^(\d{1,6})([A-ZĐ][A-ZĐa-z]{1,3})(?=/[A-ZĐ]{2,}$)")
# «CT.CS», «TT.BQP»: OCR read the dash between two codes as a dot (a code's own dot joins single letters: «V.I»)
_DOT_FOR_DASH_RE = re.compile(r"(?<=[A-ZĐ]{2})\.(?=[A-ZĐ]{2})")
# «CT-.CS»: a speck read after the dash between two codes
_SPECK_AFTER_DASH_RE = re.compile(r"(?<=[A-ZĐ]-)[.,'`](?=[A-ZĐ])")
# Slashes of other scripts OCR reads for «/»: the fraction slash, the division slash
_SLASHES = str.maketrans({"\u2044": "/", "\u2215": "/"})
_BLANK_NUMBER_RE = re.compile(r"^[\s._…\-]*/\s*(?P<rest>[\wĐđ][\w\-/.&Đđ ]*)$")
# «ngày … tháng … năm …», also as a scan's OCR misreads the tone of its words («thắng», «thẳng», «ngảy», «ngây», «nắm»)
# (also «ngày 19-tháng 11», a speck before «tháng», and «ngày 27 11 năm 2025», «tháng» lost)
DATE_RE = re.compile(
    r"(?:,|\s|^)\s*ng[àảáạãâ]y\s*(?P<d>\d{1,2}|[.…_ ]*)\s*"
    r"(?:[-'`~]\s*)?(?:th[áắấàạảẳằặẩầậ]ng|(?<=\d)(?=\s+\d{1,2}\s*n[ăắằặâ]m\b))\s*(?P<m>\d{1,2}|[.…_ ]*)"
    r"\s*n[ăắằặâ]m\s*(?:[-–,:](?=\s*\d))?\s*(?P<y>\d{4}|[.…_ ]*)",  # («năm-2025»: a speck before the year)
    re.IGNORECASE,
)
# «V/v …», also after a speck and with its «v» lost as a scan's OCR reads it («_V/ tiền sử dụng đất»)
_VV_RE = re.compile(r"^[_'`.-]?(?:V/v|V/V|v/v|Về việc|V\.v|V/(?= [a-zđà-ỹ]))\.?\s*:?\s*|^(?=Về [a-zđà-ỹ])",
                    re.UNICODE)
# (a plan's first heading, «I. MỤC ĐÍCH, YÊU CẦU», also with its «I.» read as an «L»: «LMỤC», «L MỤC ĐÍCH,»)
BODY_START_RE = re.compile(
    r"^(Căn cứ|Thực hiện|Theo |Xét |Để |Nhằm |Kính gửi|Trên cơ sở|Hôm nay|Vào hồi|Ngày \d|Hồi \d|"
    r"Điều 1\b|Chương I\b|Phần I\b|Mục I\b|I\.|1\.|1\)|a\)|QUYẾT ĐỊNH:|QUYẾT NGHỊ:|NGHỊ QUYẾT:|"
    r"[Ll|]\.? ?MỤC(?: ĐÍCH| TIÊU|$)|"
    r"CHỈ THỊ:|Thi hành|Tiếp theo|Sau khi|Qua |Năm \d{4})"
)
_URGENCY = {"hoa toc": "Hỏa tốc", "thuong khan": "Thượng khẩn", "khan": "Khẩn"}
_SECRECY = {"tuyet mat": "Tuyệt mật", "toi mat": "Tối mật", "mat": "Mật"}
_STAMP_PREFIX_RE = re.compile(r"^(do khan|do mat|muc do khan|muc do mat)\s*:?\s*")


@dataclass
class Header:
    number: str | None = None
    notation: str | None = None
    sequence: int | None = None
    number_index: int | None = None
    issuer: str | None = None
    parent_issuer: str | None = None
    place: str | None = None
    issued_on: dt.date | None = None
    doc_type: str | None = None
    doc_type_code: str | None = None
    subject: str | None = None
    urgency: str | None = None
    confidentiality: str | None = None
    body_start: int = 0
    date_index: int | None = None
    issuer_told: bool = False  # the issuer told by the notation's code, its line lost (the clerk checks it)
    subject_gap: bool = False  # the subject's first line one word over a blank: a scan lost words there
    number_read: str | None = None  # the number as read when its notation was mended (the clerk checks it),
    number_why: str | None = None  # and why: «code» (a code a letter off), «term» (the Assembly's term told)


_HAPPINESS_RE = re.compile(r"h[^\W\d_]nh ph[^\W\d_]c")  # «hạnh phúc», whatever its marks («hạnh phục»)
# A letter or mark no piece of «Độc lập - Tự do - Hạnh phúc» has, whatever its case and marks
_INDEPENDENCE_LETTERS = frozenset(_MOTTO[1] + "_")
_NOT_INDEPENDENCE_RE = re.compile("[^%s]" % re.escape("".join(
    char for char in map(chr, range(0x3000)) if _INDEPENDENCE_LETTERS.issuperset(folded_key(char)))))
_MARKS_RE = re.compile(r"[.,;:'`]")  # in the motto, specks a scan's OCR read as marks («CHỦ NGHĨA. VIỆT NAM»)


@lru_cache(maxsize=4096)  # a page's lines are asked about again and again (the header's anchor, _near_motto)
def is_motto(line: str) -> bool:
    """Is this line (a piece of) the national motto?"""
    if len(line) > 50:  # too long to be a piece of it: a body line, or a row holding all of it
        lower = line.lower()
        if "nam" not in lower and "phúc" not in lower and "phuc" not in lower:
            return False
        if not line.isupper() and not _HAPPINESS_RE.search(lower):
            return False  # a line in small letters holds all of it only with «Hạnh phúc»: body lines end here
    elif not line.isupper() and _NOT_INDEPENDENCE_RE.search(line) and not _HAPPINESS_RE.search(line.lower()):
        return False  # in small letters, only «Độc lập - Tự do - Hạnh phúc» or a piece of it: most lines end here
    if is_upper_text(line) and _is_party_motto_piece(search_key(line).strip(" -_")):  # «ĐĂNG» is no «ĐẢNG»
        return True
    key = folded_key(line).strip(" -_")
    if len(key) < 6:
        return False
    republic, independence = _MOTTO
    words = key
    if ("nghia" in key or "cong hoa" in key) and _MARKS_RE.search(key):  # «NGHĨA. VIỆT»
        words = " ".join(_MARKS_RE.sub(" ", key).split())
    if words in republic or republic in words:  # written in capitals: "Việt Nam" in a subject is no piece of it
        return is_upper_text(line) or independence in key
    return key in independence or independence in key


def _is_party_motto_piece(key: str) -> bool:
    """«ĐẢNG CỘNG SẢN VIỆT NAM» or the part of it before or after a wrap («ĐẢNG CỘNG», «SẢN VIỆT NAM»)."""
    words, motto = key.split(), _PARTY_MOTTO.split()
    if not words or words == ["việt", "nam"] or words == ["nam"]:  # «VIỆT NAM» alone: the national motto's rule
        return False
    return words == motto[: len(words)] or words == motto[-len(words):]


def parse_number(value: str) -> tuple[str | None, str | None, int | None]:
    """Split the value of a "Số:" line into (number, notation, sequence)."""
    value = re.sub(r"^[.,'`_:]+(?=\d)", "", value.strip())  # «Số:.235/KH-UBND»: a speck after the colon
    value = value.translate(_SLASHES)
    value = re.sub(r"^(\d{1,3}) (\d{1,3})(?=/)", r"\1\2", value)  # «40 14/QĐ-BTC»: a space a scan read in it
    value = re.sub(r"^(\d{1,6}(?:/\d{4})?/[A-ZĐ]{1,3}) (?=[A-ZĐ]+-[A-ZĐ])", r"\1", value)  # «89/V BHN-BQP»
    value = re.sub(r"[.;,]\s*[-–]$", "", value)  # «1948/QĐ-UBND. -»: specks after the end («3783/QĐ-» is kept)
    value = re.sub(r"\s*([/-])\s*", r"\1", value.rstrip(".;,:"))  # «159/KH-UBND:»: a speck after the end
    value = _LOST_SLASH_RE.sub(r"\1/\2", value)
    value = _SLASH_AFTER_YEAR_RE.sub(r"\1/", value)
    value = _GLUED_CODES_RE.sub(_codes_parted, value)
    value = _PARTY_LOST_DASH_RE.sub(lambda m: f"{m[1]}-{m[2]}" if doctypes.by_code(m[2]) else m[0], value)
    value = value.split(" ")[0] if " " in value and not value.startswith("/") else value
    blank = _BLANK_NUMBER_RE.match(value)
    if blank:  # the notation, as a number's («…/2014/QĐ-UBND»: «QĐ-UBND»); a year alone is none
        notation = re.sub(r"^\d{4}/(?=\D)", "", blank.group("rest").strip())
        return None, notation if re.search(r"[^\W\d_]", notation) else None, None
    match = _NUMBER_RE.match(value)
    if not match or not match.group("seq") or not match.group("sep"):
        return None, None, None
    if not re.search(r"[^\W\d_]", match.group("rest")):
        return None, None, None  # «Số 268 - 270 Đường …», «Số 42/29 Nguyễn Chí Thanh»: a street's, no code
    rest = _DIGIT_READ_AS_LETTER_RE.sub("1", match.group("rest").strip().rstrip("_"))
    rest = _TERM_READ_TWICE_RE.sub("", rest)  # «UBTVQHI15» → «UBTVQH115»: a speck read as «I» before the term
    rest = _HDND_RE.sub("HĐND", rest)  # «NQ-HDND»: the bar of «Đ» lost (no code «HDND» in the corpus's pages)
    rest = _SPECK_AFTER_DASH_RE.sub("", _DOT_FOR_DASH_RE.sub("-", rest))
    rest = _LETTER_READ_AS_DIGIT_RE.sub(lambda m: "S" if m.group() == "5" else "O", rest)
    if re.search(r"[\wĐđ]-[\wĐđ&]+-$", rest):  # «CHQ-NVTHQ-»: a speck after a whole notation («QĐ-» stays)
        rest = rest[:-1]
    # «06/CT1-UBND»: a speck read as «1» after a type's code (no type's code has a digit; «QLDN1» stays)
    rest = _SPECK_AFTER_TYPE_CODE_RE.sub(lambda m: m.group(1) if doctypes.by_code(m.group(1)) else m.group(), rest)
    parts = rest.split("/")
    notation = "/".join(parts[1:]) if len(parts) > 1 and re.fullmatch(r"\d{4}", parts[0]) else rest
    seq = int(re.match(r"\d+", match.group("seq")).group(0))
    return f"{match.group('seq')}{match.group('sep')}{rest}", notation, seq


def type_from_notation(notation: str | None) -> doctypes.DocType | None:
    """"KH-UBND" → Kế hoạch; "UBND-VX" (a công văn) → None; "CTr/TU" → Chương trình."""
    if not notation:
        return None
    first = re.split(r"[-/]", notation)[0]
    return doctypes.by_code(first) if first else None


def _glued_title(line: str) -> tuple[doctypes.DocType, str] | None:
    """A type name run into its subject by a converter ("NGHỊ ĐỊNHQuy định về …") → (type, subject)."""
    for k in range(4, min(len(line) - 1, 32)):
        if line[k].isupper() and line[k + 1].islower():
            name = line[:k].strip()
            if not is_upper_text(name):
                return None
            found = doctypes.lookup(name)
            if found is None or folded_key(found.name) != folded_key(name):
                return None
            return found, line[k:].strip()
    return None


def _title_type(line: str, typed: doctypes.DocType | None = None) -> tuple[doctypes.DocType, str] | None:
    """A caps type-name line ("KẾ HOẠCH", "QUYẾT ĐỊNH VỀ VIỆC …") → (type, rest of line).

    ``typed`` is the type the number line named («Luật số: …»): a line in capitals that starts with its name
    is the title, however short its subject («LUẬT VIỆC LÀM»), also run into it by a converter («LUẬTCÁN BỘ»)."""
    if not line:
        return None
    if not is_upper_text(line):
        return _glued_title(line)
    if typed is not None and line[len(typed.name):].strip() \
            and folded_key(line[:len(typed.name)]) == folded_key(typed.name):
        return typed, line[len(typed.name):].strip()
    if line[0] in "-–_~'`.":
        line = re.sub(r"^[-–_~'`.]+(?=[A-ZĐÀ-Ỹ])", "", line)  # «-THÔNG BÁO»: a speck OCR read glued before it
    key = folded_key(line)
    # «THÔNG BÁO:», «NGHỊ QUYẾT -», «NGHỊ QUYẾT“»: a speck after it
    bare = folded_key(re.sub(r"[\s\-–_~'`.:,;“”\"]+$", "", line))
    squeezed = bare.replace(" ", "")  # «THÔN G BÁO»: a scan's OCR set a word's last letter apart
    for name, name_key in doctypes.NAME_KEYS_LONGEST_FIRST:
        if name_key in (key, bare) or (squeezed == name_key.replace(" ", "") and len(bare) > len(name_key)):
            return doctypes.by_name(name), ""
        rest = line.split(None, len(name.split()))[-1] if key.startswith(name_key + " ") else ""
        # «THÔNG BÁO KẾT LUẬN» / «CỦA ĐỒNG CHÍ …»: a type whose subject begins with another type's name
        if rest and (len(key) > len(name_key) + 12 or doctypes.by_name(rest)):
            if not rest.startswith(("CỦA", "SỐ", "SỐ:")):
                return doctypes.by_name(name), rest
    return None


def _find_title(lines: list[str], start: int, window: int,
                typed: doctypes.DocType | None = None) -> tuple[int | None, int]:
    """The type-name line, and how many lines it spans ("QUYẾT" / "ĐỊNH" spans two)."""
    for i in range(start, window):
        if _title_type(lines[i], typed):
            return i, 1
        if i + 1 < window and lines[i] and len(lines[i].split()) <= 2 and lines[i + 1]:
            joined = _title_type(f"{lines[i]} {lines[i + 1]}")
            if joined and not joined[1]:
                return i, 2
    return None, 1


_STAMP_SPAN = 40  # longer than any urgency or secrecy stamp with its prefix


def _stamp(line: str) -> tuple[str, str] | None:
    if len(line) > _STAMP_SPAN:
        return None
    folded = folded_key(line).strip(" .:()")
    key = _STAMP_PREFIX_RE.sub("", folded)
    found = ("urgency", _URGENCY[key]) if key in _URGENCY else (
        ("confidentiality", _SECRECY[key]) if key in _SECRECY else None)
    if found is None:
        return None
    # The stamp's own tone marks, or fewer (a scan that lost some): «Mất» (an infobox's «died»), «Khán» are other
    # words that fold to the same letters.
    allowed = tone_marks(found[1]) | (_PREFIX_TONES if key != folded else set())
    return found if tone_marks(line) <= allowed else None


_PREFIX_TONES = frozenset(tone_marks("Mức độ khẩn mật"))


# Words of a place's name that are not capitalised: the units («Thành phố Hồ Chí Minh», «xã Tân Hòa»).
_PLACE_UNIT_WORDS = frozenset(word for unit in ADMIN_UNITS for word in unit.split())
# Words that bring in a date in running text («Vào ngày …», «Sáng ngày …», «Sinh ngày …»), capitalised at the
# start of a sentence: no place is called so.
_DATE_LEAD_WORDS = frozenset("vào từ đến tới sáng trưa chiều tối đêm hôm ngày sinh trong sau trước cho".split())
_PLACE_KEYS = tuple(search_key(name) for name in PLACES)
_PLACE_LETTERS = {tuple(folded_key(name).split()): name for name in PLACES}
_PLACES_BY_LAST_LETTERS: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _letters, _name in _PLACE_LETTERS.items():
    _PLACES_BY_LAST_LETTERS.setdefault(_letters[-1], []).append((_letters, _name))


_UNIT_GLUED_TO_PROVINCE_RE = re.compile(r"(?:^|\s)(?:tỉnh|thành phố)(?P<name>[^\W\d_]{4,})$", re.IGNORECASE)
_PLACE_RUN_TOGETHER = {name.upper().replace(" ", ""): name.upper() for name in PLACES}  # «HÀNỘI» → «HÀ NỘI»


def _unglued_province(text: str) -> str:
    """``text`` (a body's name in capitals) with the province's name it ends with parted from its unit and its
    words parted, where a scan's OCR ran them together: «… THÀNH PHỐHÀNỘI» → «… THÀNH PHỐ HÀ NỘI»."""
    glued = _UNIT_GLUED_TO_PROVINCE_RE.search(text)
    if glued and glued.group("name") in _PLACE_RUN_TOGETHER:
        return text[: glued.start("name")] + " " + _PLACE_RUN_TOGETHER[glued.group("name")]
    return text


_UNIT_BEFORE_PROVINCE_RE = re.compile(r"(?:^|\s)(?P<unit>tỉnh|thành phố|TP\.?)\s+(?P<name>[^,;()]+)$",
                                      re.IGNORECASE)


def _province_mended(text: str, place: str | None = None) -> str:
    """``text`` (an issuer, a place) ending «tỉnh X» or «thành phố X» with X a province's name as a scan's OCR
    misreads it — its marks («tỉnh Quảng Tri») or one letter («tỉnh Đắk Lậi») — ending with the province: X
    can only be one, and only one is that close. After «tỉnh», one word that is the last of only one
    province's name of two words is that province, its first word lost («tỉnh Lãk» → «tỉnh Đắk Lắk»; not
    after «thành phố»: «thành phố Vinh» is no «Trà Vinh»). An issuer's province whose last words were lost
    («tỉnh Đắk», its line merged with the motto's) is the ``place`` its date is written at, when that is a
    province whose name starts with X («Đắk Lắk»); so is one word that ends several provinces' names, when the
    place is one of them («tỉnh» / «AN», «NGHỆ» lost: «Nghệ An», not «Long An»)."""
    match = _UNIT_BEFORE_PROVINCE_RE.search(text)
    if not match or search_key(match.group("name")) in _PLACE_KEYS:
        return text
    read = folded_key(match.group("name"))
    squeezed = read.replace(" ", "")  # «tỉnh Đồngnal»: its words run together too
    near = [name for letters, name in _PLACE_LETTERS.items()
            if len(read) >= 5 and (Levenshtein.distance(read, " ".join(letters), score_cutoff=1) <= 1
                                   or Levenshtein.distance(squeezed, "".join(letters), score_cutoff=1) <= 1)]
    if not near and match.group("unit").lower() == "tỉnh" and len(read.split()) == 1:
        near = [name for letters, name in _PLACE_LETTERS.items() if len(letters) > 1 and letters[-1] == read]
        near = [place] if len(near) > 1 and place in near else near  # «tỉnh An»: Nghệ An or Long An, by the place
    if not near and place and search_key(place) in _PLACE_KEYS:
        letters = folded_key(place).split()
        if len(read.split()) < len(letters) and letters[: len(read.split())] == read.split():
            near = [place]
    return text[: match.start("name")] + near[0] if len(near) == 1 else text


def _subject_province_mended(subject: str) -> str | None:
    """A subject ending with a province's name a scan misread («… TRÊN ĐỊA BÀN TỈNH ĐỒNGNAIL»), ending with the
    province (in capitals when the subject is in capitals), or None for an empty one."""
    mended = _province_mended(subject)
    if mended != subject and subject.isupper():
        cut = _UNIT_BEFORE_PROVINCE_RE.search(subject).start("name")
        mended = mended[:cut] + mended[cut:].upper()
    return mended or None


def known_spelling(place: str) -> str:
    """``place`` with the name of a province it ends with spelled as the province is, when only its marks
    differ: a scan's OCR read «Bác Ninh» for «Bắc Ninh» (no two provinces differ by their marks alone)."""
    words = place.split()
    folded = folded_key(place).split()
    if not folded or len(folded) != len(words):
        return place
    for letters, name in _PLACES_BY_LAST_LETTERS.get(folded[-1], ()):
        if len(words) >= len(letters) and tuple(folded[-len(letters):]) == letters:
            tail = " ".join(words[-len(letters):])
            if search_key(tail) == search_key(name):  # «Thanh Hoá»: the same marks, placed the older way
                return place
            return " ".join(words[: len(words) - len(letters)] + [name])
    return place


# A scrap of one to three letters before a unit that starts a place's name: what a scan's OCR read of a stamp's
# edge or a speck beside the date line («On Thành phố Hồ Chí Minh»). No place's name has a unit after a word.
_SPECK_IN_PLACE_RE = re.compile(r"(?<=\S) [-–.'`~]+(?=[A-ZĐÀ-Ỹ])")
_SPECK_BEFORE_UNIT_RE = re.compile(  # «On Thành phố …», «1a. 70. T. Thành phố …»: up to three scraps
    r"^(?:\S{1,3}\s+){1,3}(?=(?:%s)\s|TP\.)" % "|".join(unit.capitalize() for unit in ADMIN_UNITS))


_PROVINCE_AFTER_WORDS_RE = re.compile(r"\s(?P<place>(?:Thành phố|Tỉnh|TP\.)\s*(?P<name>[^\W\d_][^,;()]*))$")


def _province_after_scraps(place: str) -> str:
    """«Sài vê lo bái Ma bà nhường Thành phố Hồ Chí Minh»: the issuer's line a scan's OCR garbled, read on the
    date line before its place → the place, a unit and a province's name after the scraps (no place's name has
    a unit after a word)."""
    match = _PROVINCE_AFTER_WORDS_RE.search(place)
    if match and search_key(match.group("name")) in _PLACE_KEYS:
        return match.group("place")
    return place


def _looks_like_place(text: str) -> bool:
    """A place as a document's date line names it: capitalised words («Hà Nội», «TP. Hồ Chí Minh», «Đắk
    Lắk») or a unit's («Thành phố Huế», «xã Tân Hòa»); no digit, bracket or sentence («Vũ Quốc Hùng (sinh»,
    «Ông từ trần vào», «Mãi đến» in a biography)."""
    words = text.replace(".", " ").split()
    if not words or re.search(r"[\d()\[\]:;]", text):
        return False
    if len(words) == 1 and (search_key(words[0]) in _DATE_LEAD_WORDS or len(words[0]) < 2):
        return False  # («H ngày … tháng …»: a place's first letter, the rest lost, is no place)
    return all(word[0].isupper() or word in _PLACE_UNIT_WORDS for word in words)


def _wrapped_place(above: str, place: str) -> bool:
    """Is ``place`` the end of a place's name wrapped from the line ``above`` («Thành phố Hồ» / «Chí Minh»)?"""
    if not above or len(above.split()) > 4 or not _looks_like_place(above):
        return False
    joined = search_key(f"{above} {place}")
    return any(joined.endswith(name) and len(name) > len(search_key(place)) for name in _PLACE_KEYS)


# Before a date a sentence tells of comes a word in small letters, a bracket or one of these words, with no
# comma («Phạm Minh Chính (sinh ngày 10 tháng 12 năm 1958)», «Vào ngày …», «Bản gốc lưu trữ ngày …»); before a
# document's date comes its place, a name, and a comma, or nothing
_PROSE_BEFORE_DATE = frozenset("sinh vào từ đến tới trước sau hôm lúc qua mất".split())
# «… tại Quyết định Số 347/QĐ-TTg ngày 21 tháng 3 năm 2017»: the date of a document a sentence quotes by its type
# and number (a header's «Số:» has its colon and no type before it)
_QUOTED_DOCUMENT_BEFORE_DATE_RE = re.compile(
    r"\b(?:%s)\s+số\s+\d[\w.-]*/\S+\s*$" % "|".join(re.escape(name) for name in doctypes.names_longest_first()),
    re.IGNORECASE)


# «Hà Nội, ngày 05/3/2024»: the date in figures, on a line of its own after a place and its comma, in a header
# (a sentence that dates something so goes on; a web page's footer, «TP. HCM, ngày 31/05/2021», has no motto)
_NUMERIC_DATE_RE = re.compile(r",\s*ngày\s*(?P<d>\d{1,2})\s*([/.-])\s*(?P<m>\d{1,2})\s*\2\s*(?P<y>\d{4})\s*\.?$")
_DAY_WORD_RE = re.compile(r"ng[àảáạãâ]y", re.IGNORECASE)  # «ngày», its tone misread («ngảy», «ngây»)


def _find_date(lines: list[str], start: int, stop: int) -> tuple[int, str | None, dt.date | None] | None:
    prose = False  # a sentence dated something above: the page is no document's header, or not yet
    for i in range(start, stop):
        if not _DAY_WORD_RE.search(lines[i]):
            continue
        window = " ".join(x for x in lines[i : i + 3] if x)
        window = DATE_SPECK_RE.sub(" ", window)
        match = DATE_RE.search(window)
        if match is None:
            numeric = _NUMERIC_DATE_RE.search(lines[i])
            match = numeric if numeric and 2 <= numeric.start() <= 40 and _near_motto(lines, i) else None
        else:
            numeric = None
        if not match or match.start() > len(lines[i]):
            continue
        lead = window[: match.start()].split()
        if lead and window[match.start()] != "," and (lead[-1][:1].islower() or lead[-1][:1] in "(\"“"
                                                       or search_key(lead[-1].lstrip("(")) in _PROSE_BEFORE_DATE):
            prose = True
            continue  # a sentence (a web page's biography) that dates something: no document's date
        if _QUOTED_DOCUMENT_BEFORE_DATE_RE.search(window[: match.start()]):
            prose = True
            continue
        # «-_.Hà Nội»: specks before; «Cao Bằng: ngày …»: the comma read as a colon
        place = window[: match.start()].strip(" ,.-:;").lstrip("_'`~:;.- ") or None
        if place is None and i > start and lines[i - 1].endswith(","):
            place = lines[i - 1].strip(" ,.-")  # "Thành phố Huế," / "ngày 18 tháng 11 năm 2025"
        elif place and i > start and _wrapped_place(lines[i - 1], place):
            place = f"{lines[i - 1].strip()} {place}"  # «Thành phố Hồ» / «Chí Minh, ngày …»
        if place:
            place = _SPECK_BEFORE_UNIT_RE.sub("", place)  # «On Thành phố Hồ Chí Minh»: a stamp's edge read
            place = _SPECK_IN_PLACE_RE.sub(" ", place)  # «Hà -Nội» («Bà Rịa - Vũng Tàu» keeps its dash)
            place = _province_after_scraps(place)
        if place and (len(place) > 40 or is_motto(place) or place.lower().startswith(("số", "thứ"))
                      or not _looks_like_place(place)):
            place = None  # «……………, ngày …» (a form's blank), a sentence that dates something
        if place:
            place = _province_mended(known_spelling(place))
        elif numeric:
            continue  # a date in figures is a date line's only after its place
        elif prose and lead:
            continue  # under prose, only a date line proper: a place and its date, or the date alone
        year = match.group("y")
        if year and window[match.end() : match.end() + 1].isdigit():  # «năm 20285»: a speck read as a digit in it
            year = _year_unread(window[match.start("y") : match.end() + 1], lines)
        issued_on = make_date(year, match.group("m"), match.group("d"))
        return _last_line_of(lines, i, match.end()), place, issued_on
    return None


# «Hà Nội, ngày 19 tháng 11 năm 2025», a line that is a place and a date and nothing else
_DATE_LINE_ALONE_RE = re.compile(r"^[^\W\d_][^\W\d_.'-]*(?:[ .'-]+[^\W\d_]+){0,6},\s*ngày\s*\d{1,2}\s*tháng\s*\d{1,2}"
                                 r"\s*năm\s*\d{4}\.?$")


def _displaced_date_line(lines: list[str], end: int) -> tuple[str | None, dt.date | None]:
    """A header's date line a PDF's text was read out of place (pdfminer, and the tools built on it): a letter's
    right column read after its left one's «Kính gửi: …», or even after the body's first line. Only a line that
    is a place and its date whole, a few lines past the header: a sentence is never that. (None, None) when
    there is none."""
    for i in range(end, min(len(lines), end + 12)):
        if _DATE_LINE_ALONE_RE.match(lines[i]):
            found = _find_date(lines, i, i + 1)
            if found and found[1]:
                return found[1], found[2]
    return None, None


def _year_unread(digits: str, lines: list[str]) -> str | None:
    """A date's year read with a digit too many («20285»): the one year that drops a digit from it and that the
    document names elsewhere («2715/QĐ-UBND … năm 2025» in its body), or None (the date is then left to the clerk)."""
    named = set(_YEAR_RE.findall(" ".join(lines[:200])))
    found = {digits[:k] + digits[k + 1 :] for k in range(len(digits))} & named
    return found.pop() if len(found) == 1 else None


_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _last_line_of(lines: list[str], i: int, end: int) -> int:
    """The line on which a match over the non-blank lines from ``i``, joined by spaces, ends at ``end``
    («Hà Nội, ngày» / «26 tháng 11 năm 2025»: the date ends a line further down)."""
    length = -1
    for j in range(i, min(len(lines), i + 3)):
        if lines[j]:
            length += len(lines[j]) + 1
            if length >= end:
                return j
    return i


def make_date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None


# «Số;», «5ố:», «SỐ:», «Luật số:» (see _NUMBER_LINE_RE)
# «11414VPCPCN», «1102025TTBTC»: a number a scan ran together (its year too), no number read
_GLUED_VALUE_RE = re.compile(r"\d{1,10}[A-ZĐ]\S*$")
# «So: 35/2025/TT-BXD»: the mark lost, only before a colon and a digit
_NUMBER_ANCHOR_RE = re.compile(
    rf"{_SPECK_BEFORE}(?:[S59§]ố|SỐ|So(?=\s*:\s*\d)|{_TYPES_BEFORE_NUMBER} số)\s*[:;]|{_SCRAP_BEFORE_NUMBER}")
_GLUED_NUMBER_RE = re.compile(r"Số\s*\d\S*$")  # «Số11208BNVKHC» alone: a scan lost its colon and slashes
# A document's number on a line of its own: «70/2025/NQ-HĐND», «2536/QĐ-TTg».
_BARE_NUMBER_RE = re.compile(r"^\d{1,6}(?:/\d{4})?/[A-ZĐ][A-ZĐa-z0-9]*(?:-[A-ZĐ][A-ZĐa-z0-9]*)+$")


def _near_motto(lines: list[str], i: int) -> bool:
    """Is line ``i`` in a header: the national motto a few lines away? (What a scan's OCR lost around a
    number is only made up for there, not in a table or a web page's text.)"""
    return any(is_motto(line) for line in lines[max(0, i - 6) : i + 10])


# «(Em con CHÍNH CÔNG», «bà chào CHÍNH CÔNG»: scraps a scan's OCR read from a seal's edge or a speck before a header
# line in capitals
_SCRAP_BEFORE_CAPITALS_RE = re.compile(r"^(?:\S{1,4}\s+){1,2}(?=[A-ZĐÀ-Ỹ]{2,}\s+[A-ZĐÀ-Ỹ])")


# «BAN TỔ CHỨC nha», «BAN TUYÊN GIÁO VÀ DÂN Mi»: one after it (a seal's edge, or a word a stroke covered)
_SCRAP_AFTER_CAPITALS_RE = re.compile(r"(?<=[A-ZĐÀ-Ỹ]{2}) (?P<scrap>[^\W\d_]{1,3})$")


def _scrap_parted(line: str) -> str:
    """``line`` without a scrap OCR read before it or after it, when the rest is a line in capitals of two words
    or more and the scrap is no capitals («(Em con CHÍNH CÔNG» → «CHÍNH CÔNG», «BAN TỔ CHỨC nha» → «BAN TỔ
    CHỨC»); otherwise ``line``. A place's unit in small letters stays («… DÂN xã», «tỉnh QUẢNG NINH»)."""
    rest = line
    after = _SCRAP_AFTER_CAPITALS_RE.search(rest)
    if after and not after.group("scrap").isupper() and after.group("scrap").lower() not in _PLACE_UNIT_WORDS:
        rest = rest[: after.start()]
    before = _SCRAP_BEFORE_CAPITALS_RE.match(rest)
    scraps = before.group().split() if before else []
    if scraps and not is_upper_text(before.group()) and not any(
            word.lower() in _PLACE_UNIT_WORDS for word in scraps):  # «tỉnh QUẢNG NINH» stays
        if is_upper_text(scraps[-1]):  # «si BAN TUYÊN …»: one scrap, then a short word of the name
            scraps.pop()
        rest = rest.split(None, len(scraps))[-1]
    return rest if rest != line and len(rest.split()) >= 2 and is_upper_text(rest) else line


# «Số 349/GP-BTTTT do Bộ … cấp ngày …»: a number a sentence (a web page's table) tells of, with no colon and
# words in small letters after it; a header's number stands alone or before its place and date
_NUMBER_IN_PROSE_RE = re.compile(r"^Số\s+\d\S*\s+(?!ngày)[a-zà-ỹđ]")


def _garbled_issuer_line(lines: list[str], i: int, start: int) -> bool:
    """Is line ``i`` the issuer's line garbled by a scan's OCR (a seal over it) under the Party's Central
    Committee's lines: short, no sentence, with «… TRUNG ƯƠNG» right above it?"""
    above = " ".join(lines[max(start, i - 2) : i])
    line = _without_scraps_after(lines[i])  # «BAN TUYÊN GIÁO VÀ DÂN 2oebi nhiều sẽ Ách re by»
    # (a digit inside a scrap, «x3», «6», is no number: «Số: 12», «12/2025», a date are)
    return (len(line) <= 30 and not re.search(r"[:;,/]|\d{2}", line) and is_upper_text(above)
            and folded_key(above).endswith("trung uong"))


def _without_scraps_after(line: str) -> str:
    """A header line in capitals of three words or more without the scraps OCR read after it from a seal over
    it, the first with a small letter in it («BAN TUYÊN GIÁO VÀ DÂN 2oebi nhiều sẽ Ách re by» → «BAN TUYÊN GIÁO
    VÀ DÂN»); ``line`` when it does not start so."""
    words = line.split()
    capitals = next((k for k, word in enumerate(words) if not is_upper_text(word, min_letters=1)), len(words))
    return " ".join(words[:capitals]) if capitals >= 3 else line


def find_header_start(lines: list[str], start: int) -> int:
    """Where the document's own header begins, past any web page text before it.

    The anchor is the national motto or the "Số:" line; the issuing body's
    lines stand just above it, so we walk back over capitalised lines.
    """
    for anchor in range(start, min(len(lines), start + 400)):
        line = lines[anchor]
        if is_motto(line) or _NUMBER_ANCHOR_RE.match(line) or (_GLUED_NUMBER_RE.match(line)
                                                               and _near_motto(lines, anchor)):
            break
    else:
        return start
    i = anchor
    while i > start and anchor - i < 12:
        above = _scrap_parted(lines[i - 1])
        if above and not (is_upper_text(above) or _stamp(above)) and _garbled_issuer_line(lines, i - 1, start):
            i -= 1  # «chất SÒIi VẬN bì he bùi» under «BAN CHẤP HÀNH TRUNG» / «ƯƠNG»: the issuer's line garbled
            continue
        if above and not (is_upper_text(above) or _stamp(above)):
            # a letter's «V/v …» over the motto, its «Số:» line lost (a scan's OCR): the issuer's lines are above it
            vv = next((k for k in (i - 1, i - 2) if k >= start and _VV_RE.match(lines[k])), None)
            issuer_line = next((lines[k] for k in range(vv - 1, max(start, vv - 3) - 1, -1) if lines[k]), "") \
                if vv is not None else ""
            if not is_motto(lines[anchor]) or not is_upper_text(issuer_line):
                break
            i = vv
            continue
        i -= 1
    return i


def parse_header(lines: list[str], start: int) -> Header:
    """Parse the header found at or after ``start`` (after any web metadata)."""
    start = find_header_start(lines, start)
    header = Header(body_start=start)
    window = _header_window(lines, start)
    typed = _typed_number(lines, start, window)
    title_at, title_span = _find_title(lines, start, window, typed)
    number_line = None  # a «Số:» line whose number a scan ran together («Số:11414VPCPCN»), by the motto
    for i in range(start, window):
        line = lines[i]
        match = _NUMBER_LINE_RE.match(line)
        if (match and header.number_index is None and (title_at is None or i < title_at + 1)
                and not _NUMBER_IN_PROSE_RE.match(line)):
            value = match.group(1) or _next_nonblank(lines, i)
            if number_line is None and _GLUED_VALUE_RE.match(value) and _near_motto(lines, i):
                number_line = i
            number, notation, seq = parse_number(value)
            if number or notation:
                header.number, header.notation, header.sequence = number, notation, seq
                header.number_index = i
        stamp = _stamp(line)
        if stamp and getattr(header, stamp[0]) is None:
            setattr(header, stamp[0], stamp[1])
    if header.number_index is None:  # «Số:» lost (a scan's OCR): a line that is a whole number, above the title
        for i in range(start, title_at if title_at is not None else window):
            if _BARE_NUMBER_RE.match(lines[i]) and _near_motto(lines, i):
                header.number, header.notation, header.sequence = parse_number(lines[i])
                header.number_index = i
                break
    date = _find_date(lines, start, title_at if title_at is not None else window)
    if date is None and title_at is None and window < len(lines) and lines[window].startswith("Kính gửi"):
        # a letter's left column read whole before the right one (a scan's OCR): «V/v …», «Kính gửi:», then the
        # motto and the place and date
        after = next((i for i in range(window + 1, min(len(lines), window + 6)) if is_motto(lines[i])), None)
        date = _find_date(lines, after, min(len(lines), after + 4)) if after is not None else None
    if date:
        header.date_index, header.place, header.issued_on = date
    elif header.number_index is not None:  # (no bound for the header's other fields: it lies past them)
        header.place, header.issued_on = _displaced_date_line(lines, window)
    bound = title_at if title_at is not None else number_line
    if bound is None and header.number_index is None:  # «Số:» lost: the letter's «V/v» line ends the issuer's,
        vv = next((i for i in range(start, window) if _VV_RE.match(lines[i])), None)  # the motto right under it
        if vv is not None and any(is_motto(x) for x in lines[vv + 1 : vv + 5]):
            bound = vv
    _parse_issuer(header, lines, start, bound)
    if header.issuer:
        _part_number_by_issuer(header, lines, number_line)
        header.issuer = known_body(header.issuer, header.notation)  # «Bộ Nông nghiệp và Trường», «TT-BNNMT»
        _body_told_by_notation(header)
    _parse_type_and_subject(header, lines, start, title_at, title_span, window, typed)
    _codes_mended(header)
    _term_mended(header, lines)
    return header


# The National Assembly's terms a notation can name after «QH» (the 16th from 2026); a document cites a term's
# laws and resolutions by it («… số 72/2025/QH15», «… số 76/2025/UBTVQH15», «UBTVQHI15» as a scan reads it)
_TERMS = range(10, 17)
_TERM_CITED_RE = re.compile(r"QH[Il]?(1\d)(?!\d)")
# (its digits as OCR may read them: «UBTVQHBS» for «UBTVQH15»)
_TERM_READ_RE = re.compile(r"(?P<body>(?:UBTV)?QH)(?P<term>[\dSIlO|B]{0,2})")
_DIGIT_READ = str.maketrans("SIlO|B", "511018")


def _term_mended(header: Header, lines: list[str]) -> None:
    """The Assembly's term in a notation a scan lost or misread («1654/NQ-UBTVQH 19», «1669NQ-UBTVQH5»,
    «UBTVQHBS»: a resolution dated blank, e-signed before stamping), told by the latest term the document itself
    cites — none can cite a later one — when what was read of it agrees (a last digit, as OCR reads it, or a term
    that is none), and marked as told (the clerk checks it)."""
    notation = header.notation or ""
    if not header.number or "QH" not in notation:
        return
    read = _TERM_READ_RE.fullmatch(notation.rsplit("-", 1)[-1].rsplit("/", 1)[-1])
    if not read or (read["term"].isdigit() and int(read["term"]) in _TERMS):
        return
    cited = [int(term) for line in lines[header.body_start : header.body_start + 400]
             for term in _TERM_CITED_RE.findall(line) if int(term) in _TERMS]
    if not cited:
        return
    term = str(max(cited))
    last = read["term"][-1:].translate(_DIGIT_READ)  # what was read of its last digit (a two-digit term aside)
    if last and not (len(read["term"]) == 2 and read["term"].isdigit()) and not term.endswith(last):
        return  # disagrees
    _notation_mended(header, notation[: len(notation) - len(read["term"])] + term, "term")


def _notation_mended(header: Header, notation: str, why: str) -> None:
    """The number with its notation ``notation`` instead of the one read, the number as read kept for the
    warning, with why (the first mend's, when two were made)."""
    header.number_read, header.number_why = header.number_read or header.number, header.number_why or why
    header.number = header.number[: len(header.number) - len(header.notation)] + notation
    header.notation = notation


_CONSOLIDATED_CODE = "VBHN"  # a consolidated text's first code («81/VBHN-BNNMT»), its title the text's type's


def _codes_mended(header: Header) -> None:
    """A notation's two codes, each a letter off what the header tells it to be, mended and marked as told (the
    clerk checks it): the type's code, by the title's type («68/2025/TI-BNNMT» under «THÔNG TƯ») or a
    consolidated text's («VWBHN», a letter read in «VBHN»); the issuer's, by the issuer read above («220/CĐ-TTB»
    under «THỦ TƯỚNG CHÍNH PHỦ»: «TTg», whose «g» OCR misreads; «384-QĐ/IW» under «BAN CHẤP HÀNH TRUNG ƯƠNG»: a
    Party document's «TW»). A code that is itself known stays: «QĐ» under «QUY ĐỊNH» (a rule issued with a
    decision's number), «BTC» under «BỘ Y TẾ»."""
    parts = re.fullmatch(r"([^-/]+)([-/])([^-/]+)", header.notation or "")
    if not header.number or not parts:
        return
    type_read, dash, body_read = parts.groups()
    type_code, body_code = type_read, body_read
    near = [code for code in {header.doc_type_code, _CONSOLIDATED_CODE} - {None}
            if Levenshtein.distance(type_read.upper(), code.upper(), score_cutoff=1) <= 1]
    if len(near) == 1 and len(type_read) >= 2 and type_read != near[0] and not doctypes.by_code(type_read):
        type_code = near[0]
    if (header.issuer and dash == "-" and len(type_read) >= 3 and type_read.endswith("I")
            and not doctypes.by_code(type_read) and type_read[:-1] == _issuer_initials(header.issuer)):
        type_code = type_read[:-1]  # «CTI-CS» under «CỤC THUẾ»: a speck read as «I» after a công văn's first code
    if not header.issuer or not doctypes.by_code(type_code):
        wanted = None  # (a công văn's first code is its issuer's, the second a unit's: «BTC-TCT»)
    elif dash == "/":  # a Party document's: «384-QĐ/IW» under «BAN CHẤP HÀNH TRUNG ƯƠNG»
        wanted = party_code(header.issuer)
        wanted = wanted if wanted and not _PARTY_BODY_CODE_RE.match(body_read) else None
    else:
        wanted = issuer_code(header.issuer)
        wanted = wanted if wanted and len(wanted) >= 3 and not is_known_issuer_code(body_read) else None
    if wanted and len(body_read) == len(wanted) \
            and Levenshtein.distance(body_read.upper(), wanted.upper(), score_cutoff=1) <= 1:
        body_code = wanted
    elif wanted and any(body_read[k] == body_read[k + 1] and body_read[:k] + body_read[k + 1:] == wanted
                        for k in range(len(body_read) - 1)):
        body_code = wanted  # «BVHTTTDL» under «BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH»: a letter read twice
    if (type_code, body_code) != (type_read, body_read):
        _notation_mended(header, f"{type_code}{dash}{body_code}", "code")


# Where a body's name turns to its place («Ủy ban nhân dân tỉnh …»); the words its initials skip
_UNIT_WORDS = frozenset("tỉnh thành huyện quận xã phường thị".split())
_GLUED_LETTER_CODES_RE = re.compile(r"(?P<seq>\d{1,6})(?P<codes>[A-ZĐ]{4,})")
_GLUED_YEAR_CODES_RE = re.compile(r"(?P<digits>\d{5,10})(?P<codes>[A-ZĐ]{3,})")


_PROVINCE_COMMITTEE_KEYS = ("uy ban nhan dan tinh", "uy ban nhan dan thanh pho", "ubnd tinh", "ubnd thanh pho")


def _body_told_by_notation(header: Header) -> None:
    """The issuer's line a scan's OCR lost or garbled under its superior's, told by the notation's code, and
    marked as told (the clerk checks it): a Party central body under «BAN CHẤP HÀNH TRUNG ƯƠNG» (read as the
    issuer, scraps run on; «HD/BTCTW» → «Ban Tổ chức»), or a province's department under its People's Committee
    (a seal over it: «Sài vê lo bái Ma bà nhường»; «5155/SGDĐT-…» → «Sở Giáo dục và Đào tạo»: a Committee's own
    documents carry its code, «UBND», never a department's). (A header with no issuer's line at all stays without
    an issuer: a converter that dropped the column is not guessed past.)"""
    if header.parent_issuer is not None:
        return
    if header.issuer.startswith(CENTRAL_COMMITTEE):
        body, superior = body_by_notation(header.notation), CENTRAL_COMMITTEE
        if body not in PARTY_CENTRAL_BODIES:
            return
    elif folded_key(header.issuer).startswith(_PROVINCE_COMMITTEE_KEYS):
        body, superior = department_by_notation(header.notation), header.issuer
        if body is None:
            return
    else:
        return
    header.issuer, header.parent_issuer, header.issuer_told = body, superior, True


def _part_number_by_issuer(header: Header, lines: list[str], number_line: int | None) -> None:
    """A công văn's number whose codes a scan ran together, parted by its issuer's initials: none read from a
    «Số:» line whose value is glued («11306VPCPNN»), or one whose dash was lost after its slash («5664/CTCS»)."""
    if header.number_index is None and number_line is not None:
        glued = _NUMBER_LINE_RE.match(lines[number_line]).group(1) or _next_nonblank(lines, number_line)
    elif header.number and header.number.count("/") == 1 and header.notation \
            and header.number.endswith("/" + header.notation):
        glued = header.number.replace("/", "")
    else:
        return
    parted = _parted_by_issuer(glued, header.issuer, header.issued_on.year if header.issued_on else None)
    if parted:
        header.number, header.notation, header.sequence = parse_number(parted)
        if header.number_index is None:
            header.number_index = number_line


def _issuer_initials(issuer: str) -> str:
    """The initials a công văn's first code names its issuer by, up to its place («Cục Thuế»: «CT»)."""
    initials = ""
    for word in issuer.split():
        if word.lower() in _UNIT_WORDS:
            break
        if word.lower() != "và" and word[:1].isalpha():  # «Ủy» → «U», «Đảng» → «Đ»
            initials += initial(word)
    return initials


def _parted_by_issuer(value: str, issuer: str, year: int | None = None) -> str | None:
    """A number a scan ran together, parted by its issuer's initials: a công văn's («11414VPCPCN»), where they
    end («Văn phòng Chính phủ»: «11414/VPCP-CN»), or one with its year («1102025TTBTC», issued in 2025 by «Bộ
    Tài chính»: «110/2025/TT-BTC», a type's code then the initials, whole); None when its codes do not start
    with them."""
    initials = _issuer_initials(issuer)
    with_year = _GLUED_YEAR_CODES_RE.fullmatch(value.strip(" .;,"))
    if with_year and year is not None and with_year.group("digits").endswith(str(year)) and len(initials) >= 2:
        read, seq = with_year.group("codes"), with_year.group("digits")[:-4]
        # «TTBTIC»: a speck read as «I» among the codes, tried without it when they do not part as read
        for codes in [read] + [read[:k] + read[k + 1:] for k, char in enumerate(read) if char == "I"]:
            type_code = codes[: -len(initials)]
            if codes.endswith(initials) and type_code and doctypes.by_code(type_code) and len(seq) <= 6:
                return f"{seq}/{year}/{type_code}-{initials}"
    match = _GLUED_LETTER_CODES_RE.fullmatch(value.strip(" .;,"))
    if match is None:
        return None
    codes = match.group("codes")
    rest = codes[len(initials):]
    if len(initials) < 2 or not codes.startswith(initials) or not 2 <= len(rest) <= 6:
        return None
    return f"{match.group('seq')}/{initials}-{rest}"


def _typed_number(lines: list[str], start: int, window: int) -> doctypes.DocType | None:
    """The type a header's number line names before its number («Luật số: 60/2024/QH15» → Luật)."""
    for line in lines[start:window]:
        match = _TYPED_NUMBER_RE.match(line)
        if match:
            return doctypes.by_name(match.group())
    return None


def _header_window(lines: list[str], start: int) -> int:
    """The header ends at the first body paragraph, and within 45 lines."""
    end = min(len(lines), start + 45)
    for i in range(start, end):
        if BODY_START_RE.match(lines[i]) and not _title_with_speck(lines, i):
            return i
    return end


_ENACTING_RE = re.compile(r"^(?:QUYẾT ĐỊNH|NGHỊ QUYẾT|CHỈ THỊ):$")


def _title_with_speck(lines: list[str], i: int) -> bool:
    """Is line ``i`` («NGHỊ QUYẾT:») the type's title with a speck a scan read as a colon, not the enacting
    word over the articles: its subject in capitals follows it, not «Điều 1.»?"""
    if not _ENACTING_RE.match(lines[i]):
        return False
    following = next((x for x in lines[i + 1 : i + 3] if x), "")
    return (len(following.split()) >= 2 and is_upper_text(following) and not BODY_START_RE.match(following)
            and not following.startswith(("ĐIỀU", "CHƯƠNG")))


def _next_nonblank(lines: list[str], i: int) -> str:
    for line in lines[i + 1 : i + 3]:
        if line:
            return line
    return ""


def _parse_issuer(header: Header, lines: list[str], start: int, title_at: int | None) -> None:
    stop = header.number_index if header.number_index is not None else title_at
    if stop is None:
        return
    def bodies_in(span):
        # «BỘYTẾ»: a name whose spaces a scan lost, parted by the notation's initials («TT-BYT»)
        span = [kind_respelled(scrub_specks(_scrap_parted(_spaced_by_initials(line, header.notation))))
                for line in span]
        return [line for line in span
                if line and is_upper_text(line) and not is_motto(line) and not _stamp(line)
                and not _NUMBER_LINE_RE.match(line) and not _title_type(line)]

    candidates = bodies_in(lines[start:stop])
    if not candidates and header.number_index is not None:  # "Số:" above the issuer lines and the motto
        end = title_at if title_at is not None else header.date_index
        below = lines[header.number_index + 1 : end] if end is not None else []
        candidates = bodies_in([line for k, line in enumerate(below) if not _garbled_motto_line(below, k)])
    # «HAI», «TƯ DAUIP»: a scrap of a seal or of the motto a scan's OCR read in the header's corner, not a body
    # (every body's name of two words or fewer starts with its kind: «BỘ Y TẾ», «CHÍNH PHỦ»)
    bodies = [body for body in split_bodies(candidates) if len(body.split()) > 2 or starts_with_body_kind(body)]
    # a gazette (Công báo) page names the issuing body above the document's own header: the same name twice
    bodies = [body for i, body in enumerate(bodies) if i == 0 or _squeezed(body) != _squeezed(bodies[i - 1])]
    if bodies:
        # «CỤC HẢI QUAN -», «BỘ QUỐC PHÒNG:»: a speck after the name (a dash inside it, «LAO ĐỘNG - THƯƠNG BINH», stays)
        # «BỘ TÀI CHÍNH CHÍNH»: a word a scan read twice (no body's name has a word twice in a row)
        bodies = [_DOUBLED_WORD_RE.sub(r"\1", _without_scrap_after(body)) for body in bodies[-2:]]
        # «BAN CHẤP HÀNH TRUNG» / «» (its «ƯƠNG» lost by a scan), «BAN CHẤP HÀNH» / «ƯƠNG» (its «TRUNG»): the
        # Party's Central Committee, whole
        bodies = [CENTRAL_COMMITTEE.upper() if folded_key(body) in _CENTRAL_COMMITTEE_CUT else body
                  for body in bodies]
        # («BAN CHẤP HÀNH TRUNG» / «ƯƠNG,»: a speck after the name, off before its words are cased)
        header.issuer = _province_mended(body_case(_unglued_province(bodies[-1]).rstrip(" -–:;,.")), header.place)
        header.parent_issuer = (body_case(_unglued_province(bodies[-2]).rstrip(" -–:;,.")) if len(bodies) > 1
                                else None)  # the direct superior


_DOUBLED_WORD_RE = re.compile(r"\b(\w+) \1\b")
_CENTRAL_COMMITTEE_CUT = frozenset(("ban chap hanh trung", "ban chap hanh uong"))


def _garbled_motto_line(lines: list[str], k: int) -> bool:
    """Is line ``k`` the motto's second line («Độc lập - Tự do - Hạnh phúc») as a scan's OCR garbled it («EU TU
    0A.»): right under the motto's first line, with no second line of the motto under it?"""
    above = next((x for x in reversed(lines[:k]) if x), "")
    return (is_motto(above) and "viet nam" in folded_key(above) and not is_motto(lines[k])
            and not any(is_motto(x) for x in lines[k + 1 : k + 3]))


_DIGIT_SCRAP_RE = re.compile(r"\s\d(?:[`'.,:;_]+|(?P<bare>))$")


def _spaced_by_initials(line: str, notation: str | None) -> str:
    """A body's name whose spaces a scan's OCR lost («BỘYTẾ»), parted into syllables whose first letters spell
    one of the notation's codes («TT-BYT» → «BỘ Y TẾ»), when there is one such parting and only one; otherwise
    ``line``."""
    if not notation or " " in line or not 4 <= len(line) <= 32 or not line.isalpha() or not line.isupper():
        return line
    for code in re.split(r"[-/]", notation):
        if 2 <= len(code) <= 8 and code.isalpha() and code.isupper():
            partings = _syllables_spelling(line, code)
            if len(partings) == 1:
                return " ".join(partings[0])
    return line


@lru_cache(maxsize=256)
def _syllables_spelling(word: str, initials: str) -> tuple[tuple[str, ...], ...]:
    """The ways of parting ``word`` into syllables whose first letters are ``initials`` (tones aside): two at
    most, enough to tell whether there is only one."""
    if not initials or not word:
        return ((),) if not initials and not word else ()
    found: list[tuple[str, ...]] = []
    for k in range(1, min(len(word), 7) + 1):  # no syllable has more than seven letters («NGHIÊNG»)
        piece = word[:k]
        if initial(piece) == initials[0] and is_syllable(piece):
            found += [(piece,) + rest for rest in _syllables_spelling(word[k:], initials[1:])]
            if len(found) > 1:
                break
    return tuple(found[:2])


def _without_scrap_after(body: str) -> str:
    """A body's name without a digit a scan's OCR read after it from a seal's edge or a speck: one with marks
    («VĂN PHÒNG 7`.»), or a bare one after a province's name («ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK 5»). A number
    that is part of a name stays («QUÂN KHU 7», «TRƯỜNG THPT SỐ 1»)."""
    match = _DIGIT_SCRAP_RE.search(body)
    if match is None:
        return body
    name = body[: match.start()]
    if match.group("bare") is not None and not search_key(name).endswith(_PLACE_KEYS):
        return body
    return name


def _squeezed(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def _parse_type_and_subject(
    header: Header, lines: list[str], start: int, title_at: int | None, span: int, window: int,
    typed: doctypes.DocType | None = None,
) -> None:
    if title_at is not None:
        title = " ".join(lines[title_at : title_at + span])
        doc_type, rest = _title_type(title, typed)
        cut = _title_cut_short(lines, title_at, header.notation, doc_type)
        if cut is not None:  # «THÔNG» over «QUY ĐỊNH VỀ …»: the whole line is the subject
            doc_type, rest, span = cut, "", 0
        header.doc_type, header.doc_type_code = doc_type.name, doc_type.code
        glued = bool(rest) and not is_upper_text(title)
        subject_lines, end = _collect_subject(lines, title_at + span, [rest] if rest else [], glued=glued)
        if _lone_word_over_gap(subject_lines, lines, end):
            # «QUY» / «» / «CƠ CHẾ, CHÍNH SÁCH …»: no title is one word, so a scan lost the rest of its line
            subject_lines, end = _collect_subject(lines, end + 1, subject_lines)
            header.subject_gap = True
        # a dot OCR read after the last word («… bắt buộc.»); not one ending an ellipsis («năm…….»)
        subject = join_lines(_wrapped_colons_dropped(subject_lines))
        header.subject = _subject_province_mended(scrub_title_specks(re.sub(r"(?<![./…])\.$", "", subject).strip()))
        header.body_start = end
        return
    # No title line: a công văn, with "V/v …" under its number.
    letter = False
    for i in range(header.number_index or start, window):
        if _VV_RE.match(lines[i]):
            first = _VV_RE.sub("", lines[i])
            subject_lines, end = _collect_subject(lines, i + 1, [first], stop_on_caps=True)
            header.subject = _subject_province_mended(_letter_subject(subject_lines))
            header.body_start = end
            letter = header.subject is not None
            break
    if header.subject is None and header.number_index is not None:
        lost = _subject_whose_vv_was_lost(lines, header.number_index, window)
        if lost is not None:
            header.subject, header.body_start = lost
            letter = True
    by_code = type_from_notation(header.notation)
    if header.subject is None and by_code and header.number_index is not None:
        # No type line and no "V/v" (a converter dropped the type): the lines between the number (or the
        # date under it) and the first paragraph are the subject.
        after = max(header.number_index, header.date_index if header.date_index is not None else -1) + 1
        subject_lines, end = _collect_subject(lines, after, [])
        if subject_lines and not any(is_motto(x) or _NUMBER_LINE_RE.match(x) for x in subject_lines):
            header.subject = join_lines(subject_lines) or None
            header.body_start = end
    if letter:  # "V/v" under the number and no type title: a công văn
        header.doc_type, header.doc_type_code = "Công văn", None
    elif by_code:
        header.doc_type, header.doc_type_code = by_code.name, by_code.code
    elif typed:  # «Luật số: …» and the title lost
        header.doc_type, header.doc_type_code = typed.name, typed.code
    if header.body_start == start:
        header.body_start = window


def _title_cut_short(lines: list[str], title_at: int, notation: str | None,
                     found: doctypes.DocType) -> doctypes.DocType | None:
    """A type's title whose last word a scan's OCR lost («THÔNG» for «THÔNG TƯ»), over a subject that starts with
    another type's name («QUY ĐỊNH VỀ …»): the notation's type («TT-BKHCN»), when the lone word above starts its
    name. Returns that type, or None."""
    by_code = type_from_notation(notation)
    if by_code is None or by_code.name == found.name:
        return None
    above = next((lines[k] for k in range(title_at - 1, max(title_at - 3, -1), -1) if lines[k]), "")
    words = by_code.name.split()
    if len(words) < 2 or not above.isupper() or " " in above:
        return None
    return by_code if folded_key(above.rstrip(".:,")) == folded_key(words[0]) else None


def _subject_whose_vv_was_lost(lines: list[str], number_index: int, window: int) -> tuple[str, int] | None:
    """A letter's subject whose «V/v» a scan's OCR lost: the line in small letters right under the number
    («Số: 5330/CT-CS» / «Chính sách thuế TNCN»), before the motto, in a letter («Kính gửi» under the date).
    Returns (subject, where the body starts), or None."""
    at = next((k for k in range(number_index + 1, min(window, number_index + 3)) if lines[k]), None)
    if at is None:
        return None
    line = lines[at]
    if (is_upper_text(line) or len(line) > 120 or not line[:1].isalpha() or is_motto(line) or DATE_RE.search(line)
            or line.startswith("Kính gửi")):
        return None
    motto = next((k for k in range(at + 1, min(len(lines), at + 8)) if is_motto(lines[k])), None)
    # («Kính gửi» under the motto's date, or over the motto where a scan read the left column whole first)
    if motto is None or not any(x.startswith("Kính gửi") for x in lines[at + 1 : motto + 10]):
        return None
    subject_lines, end = _collect_subject(lines, at + 1, [line], stop_on_caps=True)
    subject = _letter_subject(subject_lines)
    return (subject, end) if subject else None


# «… khó khăn: trong việc …»: a speck read as a colon before a word that links two parts of a letter's subject
_COLON_BEFORE_LINKING_RE = re.compile(r"(?<=[^\W\d_]): (?=(?:trong|của|với|tại|cho|thuộc|đối với) )")


def _lone_word_over_gap(subject_lines: list[str], lines: list[str], end: int) -> bool:
    """Is the subject found one word in capitals over a blank line, with a line in capitals under the blank that
    is no paragraph of the body?"""
    return (len(subject_lines) == 1 and len(subject_lines[0].split()) == 1 and is_upper_text(subject_lines[0])
            and end + 1 < len(lines) and not lines[end] and is_upper_text(lines[end + 1])
            and not BODY_START_RE.match(lines[end + 1]) and not _body_starts(lines, end + 1))


def _wrapped_colons_dropped(subject_lines: list[str]) -> list[str]:
    """A subject's lines without a colon a scan's speck put at the end of a line the next one goes on from in
    the subject's case: «… HỘI ĐỒNG:» / «NHÂN DÂN TỈNH …» in capitals, «… mã bưu:» / «chính» in small letters.
    No title breaks its sentence at a line's end to start a list in its own case. So is a dot after a whole word
    before a line in small letters («… giai đoạn 2026-2031.» / «theo vị trí việc làm»): no sentence goes on so
    after its full stop (an abbreviation's dot, «v.v.», stays); and one after a number's slash at a line's end."""
    capitals = is_upper_text(" ".join(subject_lines))
    dropped = list(subject_lines)
    for k, line in enumerate(subject_lines[:-1]):
        following = subject_lines[k + 1].lstrip()
        goes_on = following[:1].isupper() or following[:1].isdigit() if capitals else following[:1].islower()
        if goes_on and (re.search(r"[^\W_]:$", line.rstrip())
                        or (not capitals and re.search(r"(?<![.\w])[^\W_]{2,}\.$", line.rstrip()))):
            dropped[k] = line.rstrip()[:-1]
        elif re.search(r"\d/[.,]$", line.rstrip()):  # «… Nghị định 136/2025/.» / «NĐ-CP»: a number cut at its slash
            dropped[k] = line.rstrip()[:-1]
    return dropped


def _letter_subject(subject_lines: list[str]) -> str:
    """A letter's subject lines joined, without a dot or a colon after the last word («… hải quan:») or the
    specks a scan read in it."""
    subject = _COLON_BEFORE_LINKING_RE.sub(" ", join_lines(_wrapped_colons_dropped(subject_lines)))
    if subject.count("'") == 1:  # «… hải quan'»: a speck read as a quote after the last word, none opened
        subject = re.sub(r"(?<=\w)'$", "", subject)
    return scrub_title_specks(re.sub(r"(?<![./])[.:]$", "", subject).strip())


def _case_neutral(line: str) -> bool:
    """A line too short to tell a change of case: an abbreviation or a number ("GTGT", "136/2025/NĐ-CP")."""
    words = line.split()
    return len(words) <= 2 and (any(c.isdigit() for c in line) or all(len(w) <= 5 for w in words))


_PAGE_NUMBER_RE = re.compile(r"^\d{1,3}$")
_NUMBERED_RE = re.compile(r"(?:^|\s)(?:số|năm|điều|khoản|khóa|khoá|lần|thứ|chương|mục|phần|kỳ|nhóm|loại|đợt)$")


def _is_page_number(found: list[str], following: str) -> bool:
    """Is a bare number under the subject's lines ``found`` a page's, where a text layer's pages run together
    («2» between «QUYẾT ĐỊNH» and «VỀ …», or between «NĂM» and «2023»)? Not the number a word needs («… KHÓA» /
    «15»)."""
    needs_number = bool(found) and bool(_NUMBERED_RE.search(search_key(found[-1])))
    return not needs_number or following[:1].isdigit()


# «NĐ-CP», «QĐ-UBND»; «-NĐ-CP»: a speck read as a dash before it
_NOTATION_LINE_RE = re.compile(r"^[-–_.'`]?(?P<notation>[A-ZĐ][A-ZĐa-z0-9&]*(?:-[A-ZĐ][A-ZĐa-z0-9&]*)+)[-–.,;]?$")


def _drop_header_repeated(found: list[str]) -> None:
    """The subject's lines ran into a header printed again under it (a page that repeats the document's header,
    «… CHÍNH TRỊ» / «BAN CHẤP HÀNH» / «TRUNG ƯƠNG» / «ĐẢNG CỘNG SẢN»): the issuer's lines above the motto
    are no part of the subject."""
    for tail in (2, 1):
        if len(found) > tail and starts_with_body_kind(" ".join(found[-tail:])) \
                and all(is_upper_text(x) for x in found[-tail:]) and not found[-tail - 1].endswith(",") \
                and not _LINKED_END_RE.search(folded_key(found[-tail - 1])):
            del found[-tail:]
            return


def _wrapped_title_starts(line: str, following: str) -> bool:
    """Is a short line the start of a title wrapped onto the next line («THỦ» / «TƯỚNG CHÍNH PHỦ điện:»)?"""
    if len(line.split()) != 1 or not following or is_title_text(line):
        return False
    words = f"{line} {following}".split()
    return is_title_text(" ".join(words[:2])) and not is_upper_text(following)


def _body_starts(lines: list[str], i: int) -> bool:
    """Does the body start on line ``i``, also where a page wrapped its first words («Căn» / «cứ Luật …»)?"""
    line = lines[i]
    if BODY_START_RE.match(line):
        return True
    return (len(line.split()) == 1 and i + 1 < len(lines) and lines[i + 1][:1].islower()
            and bool(BODY_START_RE.match(f"{line} {lines[i + 1]}")))


_ONE_READ_SMALL_RE = re.compile(r"(?<=\d)[il](?=[\s.,;:)]|$)")


def _collect_subject(lines: list[str], i: int, found: list[str], stop_on_caps: bool = False,
                     glued: bool = False) -> tuple[list[str], int]:
    """Subject lines run until a blank line, a body paragraph, the place and date, or a change of case."""
    found = [x for x in found if x]
    while i < len(lines) and not lines[i] and not found and i < len(lines) - 1:
        i += 1
    caps = is_upper_text(found[0]) if found else None
    while i < len(lines) and len(found) < 10:
        line = lines[i]
        if (not line and caps and i + 1 < len(lines) and lines[i + 1].startswith("(")
                and (is_upper_text(lines[i + 1]) or lines[i + 1].rstrip(" *").endswith(")"))):
            i += 1  # "(NAY LÀ THÀNH PHỐ HUẾ)", "(Thực hiện … Luật Thủ đô)" set apart under a capitalised subject
            continue
        if not line and caps and found and i + 1 < len(lines) and _continues_title(found[-1], lines[i + 1]):
            i += 1  # «CỦA ĐỒNG CHÍ CHÁNH VĂN PHÒNG …» / «» / «TẠI HỘI NGHỊ …»: a page that sets lines apart
            continue
        if (not line and caps is False and found and i + 1 < len(lines) and lines[i + 1][:1].islower()
                and not found[-1].endswith((".", ";", ":"))):
            i += 1  # «… trường học an toàn,» / «» / «phòng, chống …»: a page that sets every line apart
            continue
        if not line or _body_starts(lines, i) or re.match(r"^Số\s*:", line):
            break
        if (is_motto(line) and not (found and _LINKED_END_RE.search(folded_key(found[-1])))
                and "nuoc cong hoa" not in folded_key(line)):
            # «ĐẢNG» after «… LẦN THỨ XIV CỦA» goes on the title: no piece of the Party's motto; nor is the
            # state's name in a title («… GIỮA» / «CHÍNH PHỦ NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM VÀ …»)
            _drop_header_repeated(found)
            break
        if glued and not line[:1].islower():
            break  # the glued title line held the whole subject; what follows repeats it or starts the body
        if stop_on_caps and DATE_RE.search(line) and "tháng" in line.lower() and not is_upper_text(line):
            break  # the place and date line under a công văn's "V/v"
        if _PAGE_NUMBER_RE.match(line) and _is_page_number(found, lines[i + 1] if i + 1 < len(lines) else ""):
            i += 1
            continue
        notation = _NOTATION_LINE_RE.match(line) if found and NUMBER_CUT_RE.search(found[-1]) else None
        if notation:  # «… Nghị định 136/2025/» / «NĐ-CP-», «-NĐ-CP»: a number wrapped at its slash
            found.append(notation.group("notation"))
            i += 1
            continue
        if not any(c.isalpha() for c in line):  # "2025-2026": no case to compare
            found.append(line)
            i += 1
            continue
        if caps and found and line.startswith("- ") and is_upper_text(line) and not found[-1].endswith((".", ";", ":")):
            line = line[2:]  # «… GIẢI QUYẾT» / «- THỦ TỤC HÀNH CHÍNH …»: a speck read as a dash in a capitalised title
        elif found and line.startswith(("Kính gửi", "- ")):
            break
        if caps:  # «'(thực hiện khoản 1 …)»: a speck a scan's OCR read before the bracket
            line = re.sub(r"^[-–'`~.,_]{1,2}\s?(?=\()", "", line)
            line = _ONE_READ_SMALL_RE.sub("1", line)  # «NHIỆM KỲ 2026 - 203i»: a «1» read as a small letter
        if caps and line.startswith("(") and line.rstrip(" *").endswith(")"):
            found.append(line)  # "(Thực hiện điểm a khoản 2 Điều 28 Luật Thủ đô)" under a capitalised title
            i += 1
            continue
        upper = is_upper_text(line)
        if caps is None:
            caps = upper
        elif found and _case_neutral(line):
            if _wrapped_title_starts(line, lines[i + 1] if i + 1 < len(lines) else ""):
                break  # «TH**Ủ» / «TƯỚNG CHÍNH PHỦ điện:»: the authority of a công điện, wrapped in a word
        elif caps and not upper and not stop_on_caps:
            break
        elif upper and not caps and (stop_on_caps or len(line.split()) >= 2):
            break  # a capitalised line after a sentence-case subject: the enacting authority, or the body
        found.append(line)
        i += 1
    if len(found) > 1 and i < len(lines) and lines[i] and _body_starts(lines, i):
        for tail in (1, 2, 3):  # "CHÍNH PHỦ" / "CỤC TRƯỞNG CỤC" + "HẢI QUAN" above "Căn cứ": the authority
            if len(found) > tail and _is_enacting_authority(found, tail):
                del found[-tail:]
                break
    return found, i


# Words that go on a capitalised title and never start an authority's line or the body.
_TITLE_CONTINUATIONS = ("tai", "ve", "cua", "va", "trong", "doi voi", "den", "giai doan", "nhiem ky", "tren dia ban")


# A title line that ends on a word needing the next one («… CỦA», «… VÀ»)
_LINKED_END_RE = re.compile(r"(?:^|\s)(?:cua|va|ve|tai|trong|voi|doi voi|den|cho|thuoc)$")


def _continues_title(last: str, following: str) -> bool:
    """Does the capitalised line after a blank go on the title above it?"""
    if not is_upper_text(following) or last.endswith((".", ";", ":")) or BODY_START_RE.match(following):
        return False
    key = folded_key(following)
    return any(key.startswith(word + " ") for word in _TITLE_CONTINUATIONS)


def _is_enacting_authority(found: list[str], tail: int = 1) -> bool:
    """Are the last ``tail`` lines the enacting authority ("BỘ TRƯỞNG BỘ XÂY DỰNG"), not the subject's end?"""
    lines = found[-tail:]
    before = folded_key(found[-tail - 1]).split()
    if before and before[-1] in ("cua", "va", "-", "tai") or runs_on_into(found[-tail - 1], lines[0]):
        return False
    if found[-tail - 1].endswith(","):
        return False  # «… TỈNH UỶ,» / «THÀNH UỶ NĂM 2025»: the title goes on after its comma
    if not all(is_upper_text(x) or _case_neutral(x) for x in lines):
        return False
    joined = " ".join(lines)
    if len(joined.split()) > 14:
        return False  # longer than any authority's name: the subject's own end
    if tail > 1:  # a wrapped authority line starts with its title: "CỤC TRƯỞNG CỤC" / "HẢI QUAN"
        return is_title_text(" ".join(lines[0].split()[:3]))
    return names_an_enacting_body(joined) or is_title_text(joined)
