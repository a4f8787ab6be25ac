"""Names of bodies and people: splitting header lines into bodies and casing them.

Headers print body names in capitals ("ỦY BAN NHÂN DÂN / TỈNH QUẢNG NGÃI");
documents and registers write them in normal Vietnamese casing ("Ủy ban nhân
dân tỉnh Quảng Ngãi"): the kind of body in sentence case, administrative
units in lower case, place names capitalised, abbreviations kept.
"""

from __future__ import annotations

import re

from docmgr.text import folded_key, search_key
from docmgr.text.syllables import is_syllable


# Kinds of body that start a name, in their normal casing; longest first when matching.
BODY_KINDS = (
    "UBND", "HĐND", "Ủy ban nhân dân", "Hội đồng nhân dân", "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "Ủy ban", "Văn phòng", "Thanh tra", "Kho bạc Nhà nước", "Bảo hiểm xã hội", "Ngân hàng", "Tổng cục",
    "Chi cục", "Cục", "Sở", "Bộ Chỉ huy", "Bộ", "Ban", "Vụ", "Viện", "Học viện", "Đại học", "Trường",
    "Phòng", "Trung tâm", "Công an", "Bệnh viện", "Tòa án nhân dân", "Viện kiểm sát nhân dân",
    "Chính phủ", "Quốc hội", "Thủ tướng Chính phủ", "Đảng bộ", "Đảng ủy", "Tỉnh ủy", "Thành ủy",
    "Huyện ủy", "Quận ủy", "Thị ủy", "Tổng công ty", "Công ty", "Liên đoàn", "Liên hiệp", "Hội",
    "Đoàn", "Chi nhánh", "Đài", "Báo", "Cảng vụ", "Ban Quản lý", "Hạt", "Kiểm toán Nhà nước",
    "Thuế",  # "Thuế tỉnh Tây Ninh" under "Cục Thuế": the tax offices since 2025
)
# The kinds of body that enact a document in their own name, under its title («CHÍNH PHỦ», «ỦY BAN NHÂN DÂN
# TỈNH …», «BAN CHẤP HÀNH TRUNG ƯƠNG»); a Vụ, a Sở or a Trung tâm acts through its head's title.
ENACTING_KINDS = (
    "UBND", "HĐND", "Ủy ban nhân dân", "Hội đồng nhân dân", "Ủy ban Mặt trận Tổ quốc Việt Nam", "Ủy ban",
    "Chính phủ", "Quốc hội", "Thủ tướng Chính phủ", "Bộ", "Ban", "Hội", "Đoàn", "Đảng bộ", "Đảng ủy", "Tỉnh ủy",
    "Thành ủy", "Huyện ủy", "Quận ủy", "Thị ủy",
)
ADMIN_UNITS = ("thành phố", "thị xã", "thị trấn", "đặc khu", "tỉnh", "huyện", "quận", "xã", "phường")
ABBREVIATIONS = {
    "UBND", "HĐND", "MTTQ", "MTTQVN", "TP", "TP.", "TW", "CP", "VN", "TNHH", "BHXH", "KBNN", "CA",
    "TTLT", "NN&PTNT", "KH&CN", "KHCN", "LĐTBXH", "TB&XH", "GD&ĐT", "VH-TT&DL", "VHTTDL", "TN&MT",
    "ĐHQG", "BCH", "BCĐ", "CNTT", "QLDA", "ĐTXD", "II", "III", "IV", "XIII", "XIV", "XV", "XX",
}
# Proper names that are capitalised wherever they stand (a few whose syllables
# would otherwise be taken for ordinary words).
PLACES = (
    "Công Thương", "Việt Nam", "Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "Quảng Ngãi",
    "Quảng Nam", "Quảng Ninh", "Quảng Bình", "Quảng Trị", "Đồng Nai", "Bình Thuận", "Nghệ An",
    "Thanh Hóa", "Hà Tĩnh", "Bình Định", "Phú Yên", "Khánh Hòa", "Ninh Thuận", "Lâm Đồng",
    "Đắk Lắk", "Đắk Nông", "Gia Lai", "Kon Tum", "Bình Dương", "Bình Phước", "Tây Ninh",
    "Bà Rịa - Vũng Tàu", "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp",
    "An Giang", "Kiên Giang", "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau", "Lào Cai", "Yên Bái",
    "Hà Giang", "Cao Bằng", "Lạng Sơn", "Bắc Kạn", "Thái Nguyên", "Tuyên Quang", "Phú Thọ",
    "Vĩnh Phúc", "Bắc Giang", "Bắc Ninh", "Hải Dương", "Hưng Yên", "Thái Bình", "Hà Nam",
    "Nam Định", "Ninh Bình", "Hòa Bình", "Sơn La", "Điện Biên", "Lai Châu",
    "Trung ương",  # «Ban Chấp hành Trung ương», «Ban Tổ chức Trung ương»: the Party's central bodies
)
# The ministries, as named since 2025 and just before: a closed class, named in a notation by their initials
MINISTRIES = (
    "Bộ Quốc phòng", "Bộ Công an", "Bộ Ngoại giao", "Bộ Nội vụ", "Bộ Tư pháp", "Bộ Tài chính", "Bộ Công Thương",
    "Bộ Nông nghiệp và Môi trường", "Bộ Xây dựng", "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Khoa học và Công nghệ",
    "Bộ Giáo dục và Đào tạo", "Bộ Y tế", "Bộ Dân tộc và Tôn giáo", "Bộ Kế hoạch và Đầu tư", "Bộ Giao thông vận tải",
    "Bộ Tài nguyên và Môi trường", "Bộ Thông tin và Truyền thông", "Bộ Lao động - Thương binh và Xã hội",
    "Bộ Nông nghiệp và Phát triển nông thôn",
)
AUTHORITY_PREFIXES = ("TM.", "KT.", "TL.", "TUQ.", "Q.", "T/M", "K/T", "T/L", "TM", "KT", "TL", "TUQ")
TITLE_WORDS = (
    "PHÓ CHỦ TỊCH THƯỜNG TRỰC", "PHÓ CHỦ TỊCH", "CHỦ TỊCH", "PHÓ GIÁM ĐỐC", "GIÁM ĐỐC", "TỔNG GIÁM ĐỐC",
    "PHÓ TỔNG GIÁM ĐỐC", "PHÓ THỦ TƯỚNG", "THỦ TƯỚNG", "THỨ TRƯỞNG", "BỘ TRƯỞNG", "PHÓ CHÁNH VĂN PHÒNG",
    "CHÁNH VĂN PHÒNG", "PHÓ TRƯỞNG BAN", "TRƯỞNG BAN", "PHÓ TRƯỞNG PHÒNG", "TRƯỞNG PHÒNG",
    "PHÓ CỤC TRƯỞNG", "CỤC TRƯỞNG", "PHÓ VỤ TRƯỞNG", "VỤ TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "VIỆN TRƯỞNG",
    "PHÓ HIỆU TRƯỞNG", "HIỆU TRƯỞNG", "PHÓ BÍ THƯ", "BÍ THƯ", "PHÓ CHÁNH THANH TRA", "CHÁNH THANH TRA",
    "PHÓ CHÁNH ÁN", "CHÁNH ÁN", "PHÓ CHI CỤC TRƯỞNG", "CHI CỤC TRƯỞNG", "PHÓ TỔNG CỤC TRƯỞNG",
    "TỔNG CỤC TRƯỞNG", "TỔNG THƯ KÝ", "THƯ KÝ", "TRƯỞNG ĐOÀN", "ỦY VIÊN", "KẾ TOÁN TRƯỞNG",
    "CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "TỔNG KIỂM TOÁN", "CHỦ TỌA", "NGƯỜI LẬP", "PHÓ THỐNG ĐỐC",
    "THỐNG ĐỐC", "TỔNG BÍ THƯ", "CHỦ TỊCH NƯỚC", "PHÓ TỔNG THANH TRA", "TỔNG THANH TRA", "TƯ LỆNH",
    "CHÍNH ỦY", "CHỈ HUY TRƯỞNG", "PHÓ TRƯỞNG", "TRƯỞNG", "PHÓ",
)

# Vietnamese family names: a closed class, the first word of nearly every person's name.
SURNAMES = frozenset(search_key(name) for name in (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Tống Phùng Trương Lương Đinh Mai Lâm "
    "Cao Đào Hà Tạ Chu Kiều Lại Thái Triệu Quách Vương Tô Châu La Đoàn Hứa Giang Khổng Mạc Lưu Âu Tăng Từ Diệp "
    "Ông Thân Nông Lò Hầu Kim Quan Vi Lục Bạch Tôn Trịnh Doãn Nghiêm Mạnh Lã Đàm Đồng Ninh Cù Thạch Tiêu Sầm Y "
    "Khúc Trình Lữ Viên Phí Quản Tiền Hàn Lạc Ma Nhữ Kha Mẫn Ưng Thiều Uông Yên").split())


# A surname by its letters without tone marks, where only one surname has them: «Nguyên» at the head of a
# name is «Nguyễn» (OCR reads the tilde as a circumflex), «Trân» is «Trần». «La» and «Lã» share theirs.
_SURNAMES_BY_LETTERS: dict[str, list[str]] = {}
for _surname in SURNAMES:
    _SURNAMES_BY_LETTERS.setdefault(folded_key(_surname), []).append(_surname)
_SURNAME_BY_LETTERS = {key: found[0] for key, found in _SURNAMES_BY_LETTERS.items() if len(found) == 1}


def mend_surname(name: str) -> str:
    """``name`` with its first word, when no surname as written but the letters of exactly one, that surname."""
    words = name.split()
    if len(words) < 2 or search_key(words[0]) in SURNAMES:
        return name
    surname = _SURNAME_BY_LETTERS.get(folded_key(words[0]))
    if surname is None:
        return name
    return " ".join([surname.upper() if words[0].isupper() else surname[:1].upper() + surname[1:], *words[1:]])


# A given name OCR read as a title's word by one mark («Lê Trưởng Sơn» for «Lê Trường Sơn»): no one is named so
_GIVEN_NAMES_MISREAD = {"Trưởng": "Trường"}


def mend_given_names(name: str) -> str:
    """``name`` (in normal casing, after a surname) with a given name OCR read as a title's word mended, and
    words a scan ran together parted where both halves are syllables («LêHuy Vịnh» → «Lê Huy Vịnh»)."""
    words = [part for word in name.split() for part in _name_word_parted(word)]
    if len(words) < 2 or search_key(words[0]) not in SURNAMES:
        return name
    return " ".join([words[0], *(_GIVEN_NAMES_MISREAD.get(word, word) for word in words[1:])])


def _name_word_parted(word: str) -> list[str]:
    """«LêHuy» → [«Lê», «Huy»]: two words of a name a scan ran together (a small letter, then a capital)."""
    cuts = [0] + [i for i in range(1, len(word)) if word[i - 1].islower() and word[i].isupper()] + [len(word)]
    parts = [word[a:b] for a, b in zip(cuts, cuts[1:])]
    if len(parts) == 1 or not all(part[:1].isupper() and part[1:].islower() and is_syllable(part) for part in parts):
        return [word]
    return parts


def initial(word: str) -> str:
    """A word's first letter as a notation's code writes it: a capital without its marks, «Đ» kept («Ủy» → «U»,
    «Đảng» → «Đ»)."""
    return "Đ" if word[:1] in "Đđ" else folded_key(word[:1]).upper()


def _initials(name: str) -> str:
    """«Bộ Nông nghiệp và Môi trường» → «BNNMT»: the letters a notation names a body by («TT-BNNMT»)."""
    return "".join(initial(word) for word in re.findall(r"[^\W\d_]+", name) if word.lower() != "và")


# The Party's central bodies, which a notation names by their initials and «TW» («HD/BTCTW»), as named since
# 2025 and just before
PARTY_CENTRAL_BODIES = (
    "Ban Tổ chức", "Ban Tuyên giáo và Dân vận", "Ban Chính sách, chiến lược", "Ban Nội chính", "Ủy ban Kiểm tra",
    "Ban Tuyên giáo", "Ban Dân vận", "Ban Kinh tế", "Ban Đối ngoại", "Văn phòng",
)
CENTRAL_COMMITTEE = "Ban Chấp hành Trung ương"  # the central bodies' superior, above them in a header
# A province's departments, which a notation names by their initials («5155/SGDĐT-GDTXNNĐH», «QĐ-SNV»), as named
# since 2025 and just before; their superior is the province's People's Committee
PROVINCIAL_DEPARTMENTS = (
    "Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp", "Sở Xây dựng", "Sở Công Thương", "Sở Giáo dục và Đào tạo", "Sở Y tế",
    "Sở Khoa học và Công nghệ", "Sở Nông nghiệp và Môi trường", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Văn hóa và Thể thao", "Sở Du lịch", "Sở Dân tộc và Tôn giáo", "Sở Ngoại vụ", "Sở Kế hoạch và Đầu tư",
    "Sở Lao động - Thương binh và Xã hội", "Sở Giao thông vận tải", "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông", "Sở Nông nghiệp và Phát triển nông thôn",
)
# Other bodies a notation names by their initials, with one name wherever they stand (every province has its
# «Trung tâm Phục vụ hành chính công», «QĐ-TTPVHCC»)
INITIALLED_BODIES = ("Văn phòng Chính phủ", "Kiểm toán Nhà nước", "Trung tâm Phục vụ hành chính công")
_KNOWN_BODY_KEYS = {search_key(name) for name in MINISTRIES + PARTY_CENTRAL_BODIES + INITIALLED_BODIES}
_KNOWN_BODIES_BY_CODE: dict[str, list[str]] = {}
for _body, _code in [(name, _initials(name)) for name in MINISTRIES + INITIALLED_BODIES] + [
        (name, _initials(name) + "TW") for name in PARTY_CENTRAL_BODIES]:
    _KNOWN_BODIES_BY_CODE.setdefault(_code, []).append(_body)


_DEPARTMENTS_BY_CODE: dict[str, list[str]] = {}
for _body in PROVINCIAL_DEPARTMENTS:
    _DEPARTMENTS_BY_CODE.setdefault(_initials(_body), []).append(_body)


def _named_by_code(notation: str | None, by_code: dict[str, list[str]]) -> str | None:
    found = [name for code in re.split(r"[-/]", notation or "") for name in by_code.get(code, ())]
    return found[0] if len(found) == 1 else None


def body_by_notation(notation: str | None) -> str | None:
    """The one ministry, Party central body or other initialled body a notation names by its code («TT-BYT» → «Bộ
    Y tế», «HD/BTCTW» → «Ban Tổ chức», «QĐ-TTPVHCC» → «Trung tâm Phục vụ hành chính công»), or None."""
    return _named_by_code(notation, _KNOWN_BODIES_BY_CODE)


def department_by_notation(notation: str | None) -> str | None:
    """The one province's department a notation names by its code («5155/SGDĐT-GDTXNNĐH» → «Sở Giáo dục và Đào
    tạo»), or None."""
    return _named_by_code(notation, _DEPARTMENTS_BY_CODE)


# The code a state notation names its issuer by, after the type's code («CĐ-TTg», «TT-BTC», «QĐ-UBND»): a body
# named so whole, or by how its name starts; a ministry and a province's department by their initials
_ISSUER_CODES = {"thu tuong chinh phu": "TTg", "chinh phu": "CP"}
_ISSUER_CODES_BY_START = (("uy ban nhan dan", "UBND"), ("hoi dong nhan dan", "HĐND"))
_INITIALLED_KEYS = {search_key(name) for name in MINISTRIES + PROVINCIAL_DEPARTMENTS}
# Every code above, and every ministry's and department's: a code read as one of them is no misreading
_KNOWN_ISSUER_CODES = frozenset(code.upper() for code in (
    *_ISSUER_CODES.values(), *(code for _, code in _ISSUER_CODES_BY_START), *_KNOWN_BODIES_BY_CODE,
    *_DEPARTMENTS_BY_CODE))


def issuer_code(issuer: str) -> str | None:
    """The code a state notation names ``issuer`` by («Thủ tướng Chính phủ» → «TTg», «Ủy ban nhân dân tỉnh Lào
    Cai» → «UBND», «Bộ Tài chính» → «BTC»), or None when it is not known here."""
    key = folded_key(issuer)
    if key in _ISSUER_CODES:
        return _ISSUER_CODES[key]
    for start, code in _ISSUER_CODES_BY_START:
        if key.startswith(start):
            return code
    return _initials(issuer) if search_key(issuer) in _INITIALLED_KEYS else None


def party_code(issuer: str) -> str | None:
    """The code a Party document's notation names ``issuer`` by, after its slash: «TW» for the Central
    Committee, a central body's initials and «TW» («Ban Tổ chức» → «BTCTW»); None for any other body."""
    if folded_key(issuer).startswith(folded_key(CENTRAL_COMMITTEE)):
        return "TW"
    return _initials(issuer) + "TW" if issuer in PARTY_CENTRAL_BODIES else None


def is_known_issuer_code(code: str) -> bool:
    return code.upper() in _KNOWN_ISSUER_CODES


def known_body(issuer: str, notation: str | None) -> str:
    """A ministry's, a Party central body's or another initialled body's name a scan's OCR damaged («Bộ Nông
    nghiệp và Trường», «Ban Tuyên giáo và Dân»: a word lost; «… và Dulich»: a space and marks lost; «Văn phòng
    7a»: a scrap with a digit after it), when the notation names one such body by its code («TT-BNNMT»,
    «HD/BTGDVTW») and the name as read keeps all its words but one or two, in their order, or all its letters;
    ``issuer`` otherwise."""
    if not notation or search_key(issuer) in _KNOWN_BODY_KEYS:
        return issuer
    body = body_by_notation(notation)
    if body is None:
        return issuer
    read, meant = folded_key(issuer).split(), folded_key(body).split()
    if "".join(read) == "".join(meant):
        return body  # «Bộ Văn hóa, Thể thao và Dulich»: the same letters, spaces or marks lost
    if read[: len(meant)] == meant and 1 <= len(read) - len(meant) <= 2 \
            and all(len(scrap) <= 3 and any(c.isdigit() for c in scrap) for scrap in read[len(meant):]):
        return body  # «VĂN PHÒNG 7A», «BAN TỔ CHỨC T1. 05.» under «BAN CHẤP HÀNH TRUNG ƯƠNG»: a seal's scraps
    it = iter(meant)  # the words read, in the body's words, in order
    if read[:1] == meant[:1] and len(meant) - 2 <= len(read) < len(meant) and all(word in it for word in read):
        return body
    return issuer


def starts_with_surname(name: str) -> bool:
    words = name.split()
    return bool(words) and search_key(words[0]) in SURNAMES


_WORD_RE = re.compile(r"\S+")
_KINDS = sorted(((search_key(k).split(), k) for k in BODY_KINDS), key=lambda kv: -len(kv[0]))
_UNITS = sorted(((search_key(u).split(), u) for u in ADMIN_UNITS), key=lambda kv: -len(kv[0]))
_PLACES = sorted(((search_key(p).split(), p) for p in PLACES), key=lambda kv: -len(kv[0]))
_FOLDED_UNITS = sorted(((folded_key(u).split(), u) for u in ADMIN_UNITS), key=lambda kv: -len(kv[0]))
_TITLES = sorted((search_key(t).split() for t in TITLE_WORDS), key=len, reverse=True)
_PREFIXES = {search_key(p) for p in AUTHORITY_PREFIXES}
_TITLES_BY_FIRST: dict[str, list[list[str]]] = {}  # the titles by their first word, longest first
for _title in _TITLES:
    _TITLES_BY_FIRST.setdefault(_title[0], []).append(_title)
_TITLES_LONGEST = sorted((t for t in TITLE_WORDS if " " in t), key=len, reverse=True)
_GLUED_TITLES = [(title.replace(" ", ""), title) for title in _TITLES_LONGEST]
_FOLDED_TITLES = sorted(((folded_key(t).split(), t.split()) for t in TITLE_WORDS if " " in t),  # «TRƯỜNG» is
                        key=lambda p: len(p[0]), reverse=True)  # no «TRƯỞNG»: one word alone is not respelled
_FOLDED_TITLES_BY_FIRST: dict[str, list[tuple[list[str], list[str]]]] = {}  # in the same order, longest first
for _folded, _canonical in _FOLDED_TITLES:
    _FOLDED_TITLES_BY_FIRST.setdefault(_folded[0], []).append((_folded, _canonical))


def _match(words: list[str], i: int, table) -> tuple[int, str] | None:
    for key, value in table:
        if words[i : i + len(key)] == key:
            return len(key), value
    return None


_FOLDED_KINDS = {tuple(folded_key(kind).split()): kind for kind in BODY_KINDS if " " in kind}
_FOLDED_KIND_LENGTHS = sorted({len(key) for key in _FOLDED_KINDS}, reverse=True)


def kind_respelled(line: str) -> str:
    """A header line in capitals that starts with a kind of body of two words or more whose marks a scan's OCR
    misread («VĂN PHONG»), with the kind spelled as it is («VĂN PHÒNG»); any other line as it is."""
    words = line.split()
    if not words or starts_with_body_kind(line):
        return line
    for length in _FOLDED_KIND_LENGTHS:
        if len(words) < length:
            continue
        kind = _FOLDED_KINDS.get(tuple(folded_key(" ".join(words[:length])).split()))
        if kind is not None:
            return " ".join([kind.upper(), *words[length:]])
    return line


def starts_with_body_kind(text: str) -> bool:
    words = search_key(text).split()
    return bool(words) and _match(words, 0, _KINDS) is not None


def _named_kind(text: str) -> str | None:
    """The kind of body ``text`` names: a kind alone ("CHÍNH PHỦ") or with a name of two words or more ("BỘ Y
    TẾ"), not a kind's word and one more ("HỘI AN", a place)."""
    words = search_key(text).split()
    kind = _match(words, 0, _KINDS) if words else None
    if kind is None:
        return None
    named = len(words) == kind[0] or len(words) - kind[0] >= 2 or words[-1] in _LEVELS  # «ỦY BAN NHÂN DÂN TỈNH»
    return kind[1] if named else None


_LEVELS = frozenset(("tỉnh", "huyện", "quận", "phường"))  # a body named by its level alone


def names_a_body(text: str) -> bool:
    return _named_kind(text) is not None


def names_an_enacting_body(text: str) -> bool:
    """:func:`names_a_body`, and a body of a kind that enacts in its own name (:data:`ENACTING_KINDS`)."""
    return _named_kind(text) in ENACTING_KINDS


def runs_on_into(before: str, line: str) -> bool:
    """Does a body's kind start at the end of ``before`` and go on at the start of ``line`` («… CỦA ỦY» /
    «BAN NHÂN DÂN TỈNH …»)? Then ``line`` is a wrapped line of a name, not a name of its own."""
    words = [w.strip(_EDGE_SPECKS + ".,:;") for w in search_key(before).split()]
    following = search_key(line).split()
    for tail in (1, 2):
        if len(words) >= tail and all(words[-tail:]):
            kind = _match(words[-tail:] + following, 0, _KINDS)
            if kind and kind[0] > tail:
                return True
    return False


# (also a dash with a mark, «-ˆ.»: a lone dash is one between words, «LAO ĐỘNG - THƯƠNG BINH»)
_SPECK_TOKEN_RE = re.compile(r"^(?:['\"`_.,:;ˆ˜~·•|]+|[-–]['\"`_.,:;ˆ˜~·•|]+|['\"`_.,:;ˆ˜~·•|]+[-–])$")
_SUBJECT_SPECK_RE = re.compile(r"^(?:['\"`_ˆ˜~·•|]+|\.{1,2})$")  # not a comma, nor an ellipsis «...»
_EDGE_SPECKS = "'\"`_ˆ˜~·•|"
# Words a title never ends a clause with: what follows them belongs to them, so no colon comes between
_LINKING_WORDS = frozenset("của thuộc về trong cho và với tại trên theo đối các những được bị từ đến".split())
_VOWELS = re.compile(r"[aăâeêioôơuưyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.IGNORECASE)


def _unglued(word: str) -> str:
    """A speck read as a dot between two syllables in capitals, a space again: «ĐỒNG.NAI» → «ĐỒNG NAI»; an
    abbreviation's dot stays («TP.HCM», «TT.HĐND»). Two syllables OCR ran together, apart again: «YTẾ» →
    «Y TẾ», «VỤHÀNH» → «VỤ HÀNH» (only a word with a Vietnamese letter: «UBND», «GTVT» are abbreviations)."""
    left, dot, right = word.partition(".")
    if dot and word.isupper() and is_syllable(left) and is_syllable(right):
        return f"{left} {right}"
    if not dot and word.isalpha() and not word.isascii() and not is_syllable(word):
        splits = [(word[:i], word[i:]) for i in range(1, len(word))
                  if is_syllable(word[:i]) and is_syllable(word[i:])]
        if len(splits) > 1:
            splits = [split for split in splits if not _VOWELS.match(split[1])]  # «Y TẾ», not «YT Ế»
        if len(splits) == 1:
            return " ".join(splits[0])
        if not splits and len(word) <= 16:
            parts = _syllable_parts(word)  # «GIAIĐOẠNMỚI», «PHÁPYTÂMTHẦN»: three syllables or more, one way only
            if len(parts) == 1 and len(parts[0]) > 2:
                return " ".join(parts[0])
    return word


def _syllable_parts(word: str) -> list[list[str]]:
    """The ways ``word`` parts into the fewest syllables (two at most are kept: only one way is used)."""
    best: list[list[list[str]]] = [[[]]] + [[] for _ in word]  # best[i]: the fewest-part ways to part word[:i]
    for end in range(1, len(word) + 1):
        ways = [way + [word[start:end]] for start in range(max(0, end - 7), end)
                for way in best[start] if is_syllable(word[start:end])]
        fewest = min((len(way) for way in ways), default=0)
        best[end] = [way for way in ways if len(way) == fewest][:2]
    return best[-1]


def scrub_specks(line: str) -> str:
    """A header line without the specks a scan's OCR reads as punctuation: a lone «'», «_», «.» or «ˆ»
    between words, a dash or a dot before the first word, a quote or an underscore stuck to a word («'CỤC»,
    «MÔI_»), a dot after a whole word («MÔI.» above «TRƯỜNG»), a colon after the last word in capitals.
    Dashes between words («LAO ĐỘNG - THƯƠNG BINH») and abbreviations' dots («TP.») stay."""
    words = []
    for index, word in enumerate(line.split()):
        if _SPECK_TOKEN_RE.match(word) or (index == 0 and word in ("-", "–", "—")):
            continue
        word = word.strip(_EDGE_SPECKS)
        if index == 0:
            word = word.lstrip(".-–—" + _EDGE_SPECKS)  # «-_'TRUNG TÂM …»: specks of both kinds before it
        if word.endswith(".") and len(word) > 2 and _VOWELS.search(word):
            word = word.rstrip(".").strip(_EDGE_SPECKS)  # «MÔI_.»
        word = _unglued(word)
        if word:
            words.append(word)
    words = _final_letter_joined(words)  # «BỘ NÔNG NGHIỆP VÀ» / «TRƯỜN G»: the syllable's last letter apart
    if words and len(words[-1]) > 2 and words[-1].endswith(":") and words[-1][:-1].isupper():
        words[-1] = words[-1][:-1]  # «BAN CHẤP HÀNH TRUNG:» / «ƯƠNG»: no header line in capitals ends with one
    return " ".join(words)


_PUNCT_BETWEEN_WORDS_RE = re.compile(r"(?<=[^\W\d_]{2})[.,](?=[^\W\d_]{2})")


def _parted(word: str) -> str:
    """«TRONG.LĨNH» → «TRONG LĨNH», «THAO,UBND» → «THAO, UBND»; «TP.HCM» (no vowel before the dot) stays."""
    def part(match: re.Match) -> str:
        if match.group() == ",":
            return ", "
        before = re.findall(r"[^\W\d_]+$", word[: match.start()])
        return " " if before and _VOWELS.search(before[0]) else "."
    return _PUNCT_BETWEEN_WORDS_RE.sub(part, word)


# «… thực hiện chính. sách, chế độ …»: a speck read as a dot after a word of a sentence that goes on in small letters
# (an abbreviation's dot, «v.v.», «TP.», follows a single letter or capitals)
_DOT_BEFORE_SMALL_WORD_RE = re.compile(r"(?<=[^\W\d_]{2})\. (?=[^\W\d_]{2})")  # and both in small letters
_SPECK_BEFORE_YEAR_RE = re.compile(r"\b(năm|NĂM)[.,'`] (?=\d{4}\b)")  # «… năm. 2025»: a speck, no sentence's end
# «ngày 26.tháng 11», «NGÀY 21:THÁNG 8»: a speck a scan's OCR read glued after the day; «năm.2025», «Hà
# Nội,.ngày»: one glued before the year, one after the place's comma; «tháng 11.-năm»: one or two after the month
# (a date line's, and a date inside a subject's: «… NGÀY 06 THÁNG 12.NĂM 2023»); «tháng: 11 năm: 2025»: one
# after the month's word, or the year's
DATE_SPECK_RE = re.compile(r"(?<=ngày \d)[.,':](?=\s?th)|(?<=ngày \d\d)[.,':](?=\s?th)"
                           r"|(?<=năm)[.,':](?=\s?\d{4})|(?<=,)[.'`](?=\s?ngày)|(?<=tháng)[.,:](?=\s?\d)"
                           r"|(?<=tháng \d)[.,'`-]{1,2}(?=\s?năm)|(?<=tháng \d\d)[.,'`-]{1,2}(?=\s?năm)",
                           re.IGNORECASE)


_GLUED_SPECK_RE = re.compile(r"^[-–'`~_:.]{1,3}(?=[^\W\d_]+[,;:.)]?$)")  # «-_TRA», «:ĐỊNH», «-_'TỈNH», «.BỐ» too


def _unglued_syllables(word: str) -> str:
    parted = _unglued(word).split()  # (two parts of three letters or more: «BÔXIT», a loanword, stays)
    return " ".join(parted) if len(parted) > 2 or all(len(part) >= 3 for part in parted) else word


_PLACE_PAIRS = frozenset(tuple(words) for words, _ in _PLACES if len(words) == 2)


def _dash_parted(word: str) -> list[str]:
    """«CỦA-BỘ» → [«CỦA», «BỘ»], «HÀ-NỘI» → [«HÀ», «NỘI»], «TỈNH-ĐỒNG» → [«TỈNH», «ĐỒNG»]; a code («COVID-19»), a
    typed compound («TẾ-XÃ») and any other word → [word]."""
    left, dash, right = word.partition("-")
    if not dash or not left.isalpha() or not right.isalpha() or "-" in right:
        return [word]
    keys = (search_key(left), search_key(right))
    if keys[0] in _LINKING_WORDS or keys in _PLACE_PAIRS:
        return [left, right]
    # «TỈNH-ĐỒNG NAI», «CẢNH BÁO-MÔI TRƯỜNG», «CÔNG BỐ-DANH MỤC»: a speck read as a dash between two syllables,
    # one with a mark at least (no typed dash joins two such but «KINH TẾ-XÃ HỘI» in the corpus's titles)
    if is_syllable(left) and is_syllable(right) and not (left + right).isascii() and keys not in _TYPED_DASH_PAIRS:
        return [left, right]
    return [word]


# «KINH TẾ-XÃ HỘI», and the pairs the corpus's 13,919 pages type with a dash 8 times or more: loanwords
# («VẮC-XIN», «Ô-TÔ») and compounds («KHOA HỌC-CÔNG NGHỆ»)
_TYPED_DASH_PAIRS = frozenset(tuple(pair.split("-")) for pair in (
    "tế-xã trị-xã vắc-xin ăng-ghen ăng-ten phát-xít mô-đun mít-tinh bắc-nam các-bon đề-pô ra-đa kê-pi ô-tô "
    "đông-tây đô-la dục-đào héc-ta ả-rập nam-bắc tế-kỹ ê-kíp tế-chính bô-xít học-công cát-xê hóa-thông học-kỹ "
    "sử-văn mác-xít đông-bắc").split())
_POINTS = frozenset(("mục", "điểm", "tiết", "khoản", "phần"))  # the words a lettered point follows


# «… đặc khu:từ năm 2025», «SỞ Y:TẾ»: a speck read as a colon between two letters, with no space after it
_COLON_BETWEEN_LETTERS_RE = re.compile(r"(?<=[^\W\d_]):(?=[^\W\d_])")
# «… đánh giá,-xếp loại …»: a speck read as a dash glued after a comma, before a word
_DASH_AFTER_COMMA_RE = re.compile(r"(?<=[^\W\d_]),\s?[-–](?=[^\W\d_])")


def _final_letter_joined(words: list[str]) -> list[str]:
    """Words in capitals with a lone «G» or «H» joined to the word before it when that word ends in «N» or «C»
    and the two make a syllable («PHÔN G» → «PHÔNG»)."""
    joined: list[str] = []
    for word in words:
        if (word in ("G", "H") and joined and joined[-1][-1:] in ("N", "C") and joined[-1].isalpha()
                and is_syllable(joined[-1] + word)):
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def scrub_title_specks(subject: str) -> str:
    """A subject without the specks a scan's OCR reads in it: a lone «.» or «_» between words, a dash before
    its first word or after its last (or a lone colon), and in a subject set in capitals a lone colon, or a
    dot after a whole word («QUỐC. GIA», «NGHỆ AN.»: no capitalised title has one). Abbreviations' dots
    («TP.», «NĐ-CP.») and dashes between words stay."""
    subject = _SPECK_BEFORE_YEAR_RE.sub(r"\1 ", subject)
    subject = DATE_SPECK_RE.sub(" ", subject)
    subject = _COLON_BETWEEN_LETTERS_RE.sub(" ", subject)
    subject = _DASH_AFTER_COMMA_RE.sub(", ", subject)
    subject = _DOT_BEFORE_SMALL_WORD_RE.sub(
        lambda m: " " if subject[m.start() - 2 : m.start()].islower() and subject[m.end() : m.end() + 2].islower()
        else m.group(), subject)
    words = [word for word in subject.split() if not _SUBJECT_SPECK_RE.match(word)]
    if subject.count("(") != subject.count(")"):  # «PHÂN CẤP ( CHO SỞ …»: a speck read as a bracket, none closed
        words = [word for word in words if word not in ("(", ")")]
    while words and words[0] in ("-", "–", "—"):
        words = words[1:]
    while words and not words[-1].strip("-–—:"):  # no subject ends with a dash, or a colon alone («… bắt buộc -:»)
        words = words[:-1]
    unbracketed = re.sub(r"\([^()]*\)", "", subject)  # «… LUẬT THỦ ĐÔ (thực hiện khoản 1 …)» is in capitals
    capitals = unbracketed.upper() == unbracketed
    if words and capitals:
        words = [word for word in words if word != ":"]  # «… CỦA SỞ : DÂN TỘC …»: a speck read as a colon
        if len(words[-1]) > 1 and words[-1].endswith(":") and words[-1][-2] not in ":.":
            words[-1] = words[-1][:-1]  # «… THỦ ĐÔ”:»: no title in capitals ends with a colon
        # «QUY Đ ĐỊNH»: a letter OCR read twice, the second time with its word
        words = [word for i, word in enumerate(words) if not (
            len(word) == 1 and word.isalpha() and i + 1 < len(words) and len(words[i + 1]) >= 3
            and words[i + 1][0] == word and words[i + 1].isalpha())]
        # «VỀ PHÔN G LƯU TRỮ»: a syllable's last letter set apart from it (no lone «G» or «H» after a word
        # ending in «N» or «C» in the corpus's 13,919 pages)
        words = _final_letter_joined(words)
        # a speck glued before a word («SỬ DỤNG -'TRONG», «QUY MÔ LỚN, -Ý NGHĨA»), not a code's dash after a
        # number («730/2004/NQ -UBTVQH11»)
        words = [_GLUED_SPECK_RE.sub("", word) if not i or not re.search(r"[\d/]", words[i - 1]) else word
                 for i, word in enumerate(words)]  # and before the first word («-QUY ĐỊNH …»)
        # «MÔI_ TRƯỜNG»: a speck read as «_» after a word; «TRONG.LĨNH», «THAO,UBND»: a speck read as a dot,
        # a comma that lost its space, between two words («TP.HCM», whose «TP» is no syllable, keeps its dot)
        words = [_parted(word.rstrip("_")) if re.search(r"[^\W\d_]", word) else word for word in words]
        # «HỒ CHÍMINH»: two syllables OCR ran together, apart again; an abbreviation is no syllable and stays,
        # and a loanword of short parts too («BÔXIT»)
        words = [_unglued_syllables(word) if word.isalpha() else word for word in words]
        # «CỦA-BỘ TRƯỞNG», «THÀNH PHỐ HÀ-NỘI»: a speck read as a dash between a word that needs the next one, or
        # the two words of a province's name (a dash typed between words, «KINH TẾ-XÃ HỘI», stays)
        words = [part for word in words for part in _dash_parted(word)]
        # «… THỦ TỤC HÀNH.: CHÍNH …»: two specks after a word
        words = [word[:-2] if word.endswith((".:", ":.")) and len(word) > 3 else word for word in words]
        words = [word.rstrip(".") if word.endswith(".") and len(word) > 2 and _VOWELS.search(word)
                 and "-" not in word and "/" not in word else word for word in words]
    # «… một số điều của - Luật …»: a speck read as a lone dash after a word that needs the next one
    words = [word for i, word in enumerate(words) if not (
        word in ("-", "–") and i and search_key(words[i - 1]) in _LINKING_WORDS)]
    if words[:2] == ["tuy", "định"]:
        words[0] = "Quy"  # «tuy định chế độ …»: the «Q» of a subject's first word, its tail lost («tuy» starts none)
    # «Về việc c sắp xếp …»: a word's last consonant OCR read twice, alone after it («mục c khoản 2» is a point)
    words = [word for i, word in enumerate(words) if not (
        len(word) == 1 and word in "bcdđghklmnpqrstvx" and 0 < i < len(words) - 1 and len(words[i - 1]) >= 3
        and words[i - 1][-1] == word and search_key(words[i - 1]) not in _POINTS)]
    # «… một số điều của. Luật …»: a speck read as a dot after a word that needs the next one
    words = [word[:-1] if word.endswith(".") and i + 1 < len(words) and search_key(word[:-1]) in _LINKING_WORDS
             else word for i, word in enumerate(words)]
    # a colon inside a body's name («CỦA ỦY: BAN NHÂN DÂN TỈNH»), or in capitals after a word that needs the
    # next one («… THUỘC: THẨM QUYỀN …»; «… 02 cấp trong: Tiếp nhận …» keeps it); «… CÁC KHU VỰC: VONFRAM …» too
    words = [word[:-1] if word.endswith(":") and len(word) > 1 and i + 1 < len(words)
             and ((capitals and search_key(word[:-1]) in _LINKING_WORDS)
                  # «… người có công với: cách mạng»: before a word in small letters, in any case
                  or (search_key(word[:-1]) in _LINKING_WORDS and words[i + 1][:1].islower())
                  or runs_on_into(word, " ".join(words[i + 1:i + 4])))
             else word for i, word in enumerate(words)]
    return " ".join(words)


def split_bodies(lines: list[str]) -> list[str]:
    """Group header lines into body names: a line that starts with a kind of body
    ("SỞ …", "BỘ …") after a complete name starts a new body; other lines continue."""
    bodies: list[list[str]] = []
    lines = [line for line in lines if line.split()]
    for index, line in enumerate(lines):
        words = line.split()
        dangling = bodies and search_key(bodies[-1][-1]).split()[-1] in ("và", "-", "của", "&")
        if dangling and bodies[-1][-1].split()[-1] == "-" and len(bodies[-1][-1].split()) > 1 \
                and starts_with_body_kind(line):  # "BỘ TÀI CHÍNH -" (a scan's rule read as a dash) / "CỤC …"
            bodies[-1][-1] = bodies[-1][-1].rsplit(" ", 1)[0]
            dangling = not _is_complete(bodies[-1], line)
        # One word on the last line is no body's name: "TRƯỜNG" under "BỘ NÔNG NGHIỆP VÀ MÔI" ends a wrapped
        # line ("CỤC" above "HẢI QUAN" starts one).
        last_word = len(words) == 1 and index == len(lines) - 1
        if bodies and not dangling and not last_word and starts_with_body_kind(line) \
                and _is_complete(bodies[-1], line):
            bodies.append([line])
        elif bodies:
            bodies[-1].append(line)
        else:
            bodies.append([line])
    return [" ".join(" ".join(b).split()) for b in bodies]


def _head_title_length(words: list[str]) -> int:
    """The words of a head's title before the body it heads («CHỦ TỊCH» in «CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …»,
    the header of a decision its chairman issues: «QĐ-CTUBND»), or 0. ``words`` are search keys."""
    for title in _TITLES_BY_FIRST.get(words[0], ()) if words else ():
        if words[: len(title)] == title and _match(words, len(title), _KINDS):
            return len(title)
    return 0


def _is_complete(parts: list[str], following: str) -> bool:
    """Is the name so far complete, or does ``following`` finish it ("ỦY" + "BAN NHÂN DÂN")?"""
    words = search_key(" ".join(parts)).split()
    head = _head_title_length(words + search_key(following).split())
    if head >= len(words):
        return False  # «CHỦ TỊCH» / «ỦY BAN NHÂN DÂN»
    words = words[head:]  # «CHỦ TỊCH ỦY» / «BAN NHÂN DÂN»: the body's name after the title
    kind = _match(words, 0, _KINDS)
    if kind and kind[0] == len(words):
        return False
    joined = _match(words + search_key(following).split(), 0, _KINDS)
    return not (joined and joined[0] > len(words))


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def _is_abbreviation(word: str) -> bool:
    core = word.strip("(),;:")
    if core.upper() in ABBREVIATIONS or core.upper() != core:
        return core.upper() in ABBREVIATIONS
    letters = [c for c in search_key(core) if c.isalpha()]
    return bool(letters) and not any(c in "aeiouyăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ" for c in letters)


# Administrative units abbreviated before a place's name: «UBND TP. HỒ CHÍ MINH», «UBND Q.1», «UBND H.CỦ CHI».
_UNIT_ABBREVIATIONS = ("TP.", "TX.", "TT.", "Q.", "H.", "P.")
_GLUED_UNIT_RE = re.compile(r"^(TP|TX|TT|Q|H|P)\.(?=\w)")


def body_case(name: str) -> str:
    """Normal Vietnamese casing for a body's name written in capitals."""
    words: list[str] = []
    glued: set[int] = set()  # words written onto the one before («TP.HỒ»): joined again at the end
    for word in name.split():
        unit = _GLUED_UNIT_RE.match(word)
        if unit and len(word) > unit.end():
            words.append(word[: unit.end()])
            glued.add(len(words))
            word = word[unit.end():]
        words.append(word)
    keys = [search_key(w) for w in words]
    folded = [folded_key(w) for w in words]
    out: list[str] = []
    i = 0
    after_kind = True  # a kind of body or an administrative unit may stand here
    after_connector = False  # "và", "-": the next word starts a capitalised part
    in_place = False
    head = _head_title_length(keys)
    if head:  # «CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …»: «Chủ tịch», then the body's name
        out.extend([_cap(words[0]), *(word.lower() for word in words[1:head])])
        i, after_connector = head, True
    while i < len(words):
        place = _match(keys, i, _PLACES)
        kind = _match(keys, i, _KINDS) if (i == 0 or after_connector) else None
        unit = _match(keys, i, _UNITS) if i > 0 and not after_connector else None
        misread = None
        if not (place or unit) and i > 0 and not after_connector:
            misread = _match(folded, i, _FOLDED_UNITS)  # «TÍNH QUẢNG NGÃI»: a scan misread the unit's tone
            misread = misread if misread and _match(keys, i + misread[0], _PLACES) else None
        if place:
            proper = place[1].split()
            out.extend(_cap(w) if p[:1].isupper() else w.lower() for w, p in zip(words[i : i + place[0]], proper))
            i += place[0]
            after_kind = after_connector = in_place = False
        elif unit or misread:
            out.extend(misread[1].split() if misread else (w.lower() for w in words[i : i + unit[0]]))
            i += (misread or unit)[0]
            in_place, after_kind, after_connector = True, False, False
        elif i > 0 and words[i].upper() in _UNIT_ABBREVIATIONS:
            out.append(words[i].upper())
            i += 1
            in_place, after_kind, after_connector = True, False, False
        elif kind:
            out.extend(_keep_abbrev(w, p) for w, p in zip(words[i : i + kind[0]], kind[1].split()))
            i += kind[0]
            after_kind, after_connector = True, False
        else:
            word = words[i]
            if _is_abbreviation(word):
                out.append(word)
            elif in_place or after_kind or after_connector:
                out.append(_cap(word))
            else:
                out.append(word.lower())
            after_connector = keys[i] in ("và", "-", "–", "&") or word.endswith(",")
            in_place = in_place and not after_connector
            after_kind = False
            i += 1
    return "".join(word if index == 0 or index in glued else " " + word for index, word in enumerate(out))


def _keep_abbrev(word: str, proper: str) -> str:
    return word if _is_abbreviation(word) else proper


def person_case(name: str) -> str:
    """Capitalise each syllable of a person's name ("NGUYỄN VĂN A" → "Nguyễn Văn A")."""
    return " ".join(_cap(w) for w in name.split())


_TITLE_HEADS = "CHỦ|CỤC|BỘ|THỦ|THỨ|PHÓ|GIÁM|TRƯỞNG|VỤ|CHÁNH|ỦY|CHÍNH|TỔNG|HỘI|BAN|VIỆN"
_GLUED_PREFIX_RE = re.compile(rf"(?<!\S)(TM|KT|TL|TUQ)(?:\.\s*|(?=(?:{_TITLE_HEADS})))")


# «1M. ỦY BAN NHÂN DÂN», «IL. BỘ TRƯỞNG»: the «T» of «TM.», «TL.» read as a one or an I; «11, CỤC TRƯỞNG»:
# both letters of «TL.» read as ones, at the start of the titles
_PREFIX_T_MISREAD_RE = re.compile(r"(?<!\S)[1I]([ML])\.(?=\s*[A-ZĐÀ-Ỹ])|^1[1I][.,](?=\s*[A-ZĐÀ-Ỹ])"
                                  r"|^T1\.(?=\s*[A-ZĐÀ-Ỹ])")  # «T1. CỤC TRƯỞNG»: the «L» read as a one


def mend_titles(text: str) -> str:
    """A signature's capitalised lines as a scan's OCR may read them, mended: words run together
    («KTCHỦTỊCH», «TL.CỤC TRƯỞNG») parted, and a title's words with a tone mark misread («PHO CHỦ TICH»,
    «CHỦ NHIÊM») spelled as the title is. Only the titles docmgr knows are respelled."""
    text = _PREFIX_T_MISREAD_RE.sub(lambda m: f"T{m.group(1) or 'L'}.", text)
    text = _GLUED_PREFIX_RE.sub(r"\1. ", text.rstrip(" .-–_"))  # no title ends with a dot or a dash
    for glued, title in _GLUED_TITLES:
        if glued in text:
            text = text.replace(glued, f" {title} ")
    words = [word for word in text.split() if not _SPECK_TOKEN_RE.match(word)]
    keys = [folded_key(word.strip(",;:")) for word in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        for folded, canonical in _FOLDED_TITLES_BY_FIRST.get(keys[i], ()):
            if keys[i : i + len(folded)] == folded:
                tail = words[i + len(folded) - 1][len(words[i + len(folded) - 1].rstrip(",;:")):]
                out.extend(canonical[:-1] + [canonical[-1] + tail])
                i += len(folded)
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def split_titles(text: str) -> list[str]:
    """Split a signature's capitalised lines, joined, into its title lines.

    "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH" →
    ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"].
    """
    words = text.split()
    keys = [search_key(w) for w in words]
    segments: list[list[str]] = []
    i = 0
    while i < len(words):
        is_prefix = keys[i] in _PREFIXES
        title_len = next((len(t) for t in _TITLES if keys[i : i + len(t)] == t), 0)
        if title_len and i > 0 and keys[i - 1 : i + 2] == ["ban", "bí", "thư"]:
            title_len = 0  # «T/M BAN BÍ THƯ»: the Party's Secretariat, a body and no «BAN» / «BÍ THƯ»
        current = segments[-1] if segments else None
        has_content = current is not None and not (len(current) == 1 and search_key(current[0]) in _PREFIXES)
        if current and (current[-1].endswith(",") or search_key(current[-1]) == "và"):
            has_content = False  # "KT. BỘ TRƯỞNG, CHỦ NHIỆM" is one title
        step = max(title_len, 1)
        if not segments or is_prefix or (title_len and has_content):
            segments.append(list(words[i : i + step]))
        else:
            current.extend(words[i : i + step])
        i += step
    return [" ".join(s) for s in segments]


def is_title_text(text: str) -> bool:
    """Does a capitalised line look like a signer's authority or title?"""
    keys = search_key(text).split()
    if not keys:
        return False
    if keys[0] in _PREFIXES:
        return True
    return any(keys[i : i + len(t)] == t for i, key in enumerate(keys) for t in _TITLES_BY_FIRST.get(key, ()))
