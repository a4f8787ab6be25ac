"""Vietnamese text in legacy 8-bit encodings (TCVN3/ABC, VNI): detected, and converted to Unicode.

Documents typed with the .VnTime (TCVN3) or VNI fonts and saved or pasted
without conversion reach us as mojibake such as "Céng hßa X· héi" (TCVN3) or
"Coäng hoøa xaõ hoäi" (VNI). Such text is unreadable and unsearchable.

Both are converted to Unicode (:func:`convert_legacy`) word by word, as Unikey's
converter does a whole text, and the document says so: TCVN3, the encoding of the
.VnTime fonts of the national ABC standard and by far the most common in old
files, and VNI, the VNI-Times fonts' encoding.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from docmgr.text.language import default_model, key
from docmgr.text.lost_u import restore_lost_u


# Characters that TCVN3 text shows when read as Windows-1252/Latin-1 and that
# never occur in correct Vietnamese.
_TCVN3_MARKS = set("¸µ¶·¹¨©ª«¬®¯°±²³´ß½¾¼¢£¤¥¦§Ü¡")
# VNI stores tone and shape marks as separate bytes after the base letter; these
# are the ones that are not themselves Vietnamese letters.
_VNI_MARKS = set("øûïäëöåñØÛÏÄËÖÅÑ")
_TCVN3_ONLY_RE = re.compile("[\u00a1-\u00bf]")
_CODE_RE = re.compile("[\u00a1-\u00ff]")
_ANY_MARK_RE = re.compile("[" + re.escape("".join(sorted(_TCVN3_MARKS | _VNI_MARKS))) + "]")


@dataclass(frozen=True)
class LegacyEncoding:
    """Result of :func:`detect_legacy_encoding`."""

    encoding: str  # "TCVN3" or "VNI"
    ratio: float  # share of words that look broken

    @property
    def message(self) -> str:
        return (
            f"Văn bản có vẻ được gõ bằng bảng mã cũ {self.encoding} và chưa chuyển sang "
            f"Unicode ({self.ratio:.0%} số từ bị lỗi phông); nội dung không tìm kiếm được chính xác."
        )


# The capitals fonts of the ABC (TCVN3) set, .VnTimeH, .VnArialH and the rest: they draw a small letter's code
# as its capital. Offices typed headers, a document's type and signers' titles in small letters in them («céng
# hoµ x· héi chñ nghÜa viÖt nam» in .VnTimeH shows «CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM»).
_CAPITALS_FONT_RE = re.compile(r"^\.?Vn.*H$")


def is_capitals_font(name: str) -> bool:
    """Is ``name`` one of TCVN3's capitals fonts (a reader then marks its text with :func:`mark_capitals`)?"""
    return bool(_CAPITALS_FONT_RE.match(name.strip()))


def typed_for_legacy_font(text: str) -> bool:
    """Is ``text`` in a legacy font's 8-bit codes, as a capitals font draws them? A text converted to Unicode
    that kept its font's name («chủ tịch» in .VnTimeH) shows in another font, in the letters it holds."""
    return all(ord(ch) < 0x100 for ch in text)


def detect_legacy_encoding(text: str, sample_chars: int = 20000) -> LegacyEncoding | None:
    """Return the legacy encoding ``text`` seems to be in, or None if it reads as Unicode.

    Only the first ``sample_chars`` characters are examined.
    """
    sample = text[:sample_chars]
    marks = len(_ANY_MARK_RE.findall(sample))
    if marks < 3:
        return None  # the common case: hardly a legacy mark character at all
    words = sample.split()
    if len(words) < 5 or marks < 0.05 * len(words):
        return None  # too few marks for enough broken words
    # A TCVN3 word holds a code from A1–BF (à ả ã á ạ ă â ê ô ơ ư đ …), which VNI never uses; one with codes from
    # C0–FF only («HiÖu lùc») is told from VNI by which reading makes a syllable («Hiệu», not «HiƯu»).
    tcvn3 = sum(1 for w in words if _CODE_RE.search(w) and _tcvn3_word(w)
                and (_TCVN3_ONLY_RE.search(w) or _reads_as(w) == "TCVN3"))
    vni = sum(1 for w in words if any(c in _VNI_MARKS for c in w) and not _has_vietnamese_letters(w)
              and _reads_as(w) != "TCVN3")
    best, count = ("TCVN3", tcvn3) if tcvn3 >= vni else ("VNI", vni)
    ratio = count / len(words)
    if count >= 3 and ratio >= 0.05:
        return LegacyEncoding(best, ratio)
    return None


_VIETNAMESE_ONLY = set("ăâđêôơưĂÂĐÊÔƠƯ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}


def _has_vietnamese_letters(word: str) -> bool:
    return any(c in _VIETNAMESE_ONLY for c in word)


# --- TCVN3 (TCVN 5712:1993, VN3) to Unicode ----------------------------------------------------------------
# What the bytes A1–FF stand for in TCVN 5712:1993 (VN1; glibc's iconv calls it TCVN5712-1, and a test checks
# this table against it). VN3, the .VnTime fonts' encoding, is VN1 without its capitals: of these it uses the
# seven capitals Ă Â Ê Ô Ơ Ư Đ and the small letters, and types capitals with the same codes in a capitals
# font (.VnTimeH). Bytes 80–A0 are left as Windows-1252 reads them (curly quotes, dashes), and so are B0–B4,
# VN1's combining tone marks, which VN3 does not use («°», «±» are what a text means by them).
_VN1_A1_FF = ("ĂÂÊÔƠƯĐăâêôơưđẰ\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴẮẦẨẪ"
              "ẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịòỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ")
_TCVN3_TABLE = {0xA1 + i: letter for i, letter in enumerate(_VN1_A1_FF) if not unicodedata.combining(letter)}
# The Latin-1 letters Vietnamese written in Unicode uses: a word of only these (and ASCII) may be either.
_UNICODE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
# The Vietnamese letters past Latin-1: a word holding one is Unicode.
_UNICODE_ONLY = {c for c in _VIETNAMESE_ONLY if ord(c) > 0xFF} | set("ĩũĨŨ")
# VN1's capitals, unused in VN3: a word holding one of these Latin-1 letters («Tài») is Unicode too.
_VN3_UNUSED = {chr(code) for code, letter in _TCVN3_TABLE.items() if letter.isupper() and code > 0xA7}
# The codes of VN3's letters that no Unicode Vietnamese word holds: a word with one of these is TCVN3.
_TCVN3_SURE = {chr(code) for code in _TCVN3_TABLE} - _UNICODE_LATIN1 - _VN3_UNUSED
# Of those, the ones that are never punctuation either («», ©, °, § … may be quoted in a Unicode text).
_TCVN3_LETTER_MARKS = _TCVN3_SURE - set("«»©®°±·§¶¬¨´")
# A word: what lies between spaces and ASCII punctuation («TƯỚNG(§·» is two words; every TCVN3 code is past ASCII)
_WORD_RE = re.compile(r"[^\s!-/:-@\[-`{-~]+")
_WORDS_CACHED = 1 << 16  # a text's words repeat: each is judged and converted once


@dataclass(frozen=True)
class LegacyConversion:
    """What :func:`convert_legacy` did."""

    encoding: str  # "TCVN3" or "VNI"
    words: int  # words converted
    restored: int = 0  # words given back the «ư» the text lost (:func:`~docmgr.text.lost_u.restore_lost_u`)

    @property
    def message(self) -> str:
        font = ".VnTime" if self.encoding == "TCVN3" else "VNI-Times"
        restored = (f" Chữ «ư» của bảng mã này đã bị mất trên đường tới docmgr; {self.restored} từ đã được điền lại "
                    "«ư» theo ngữ cảnh." if self.restored else "")
        return (
            f"Văn bản được gõ bằng bảng mã cũ {self.encoding} (phông {font}): docmgr đã chuyển {self.words} từ "
            f"sang Unicode để đọc và tìm kiếm.{restored} Tệp gốc giữ nguyên; hãy đối chiếu các trường với bản gốc, "
            "nhất là chữ hoa."
        )


def convert_legacy(text: str, restore: bool = True) -> tuple[str, LegacyConversion | None]:
    """``text`` with its TCVN3 or VNI words converted to Unicode when it is (partly) in one, and what was done.

    A text in neither is returned as it is, with None. VNI: see :func:`_convert_vni`. TCVN3, word by word: a
    word holding a letter only Unicode has («ư», «ộ», or «à», a code VN3 leaves unused) stays; one holding a
    code only TCVN3 uses («¸», «µ», «ß») is converted; one that may be either («hép», «chính») goes as the
    nearest word that is not in doubt. Capitals typed in a capitals font (.VnTimeH) carry the small letters'
    codes: a converted word is shown in capitals when its line is (words in capitals and no small Latin letter:
    «VÒ VIÖC ý KIÕN» → «VỀ VIỆC Ý KIẾN»; a line that tells neither way, as the next one), when its own letters
    are («CéNG» → «CỘNG»), or when it has one capital beside such a word («HßA X· HéI»). A capital typed alone in a capitals
    font before small letters («ñy ban»: «Ủy ban») cannot be told from a small letter, and is shown small. A
    TCVN3 text that lost its «ư» on the way (a soft hyphen to other programs) has it put back from the words
    around it (:func:`~docmgr.text.lost_u.restore_lost_u`), unless not to ``restore`` (a caller that converts a
    text in parts and restores the whole).
    """
    found = detect_legacy_encoding(text)
    if found is None:
        return text, None
    if found.encoding == "VNI":
        return _convert_vni(text)
    lines = text.split("\n")
    words, spans = _judged(lines, _tcvn3_word)
    capitals = _lines_in_capitals(lines, words)
    out = [_convert_line(line, line_spans, line_words, in_capitals) if line_spans else line
           for line, line_spans, line_words, in_capitals in zip(lines, spans, words, capitals)]
    converted, restored = restore_lost_u("\n".join(out)) if restore else ("\n".join(out), 0)
    return converted, LegacyConversion("TCVN3", sum(map(len, spans)), restored)


@functools.lru_cache(maxsize=_WORDS_CACHED)
def _tcvn3_word(word: str) -> bool | None:
    """True: a TCVN3 word; False: Unicode; None: either (all ASCII, or only letters both share, or a code
    that is punctuation too and stands on its own: «·» between names, «Điều» in «guillemets»)."""
    if any(c in _UNICODE_ONLY or c in _VN3_UNUSED for c in word):
        return False
    word = word.removeprefix("«").removesuffix("»")
    if any(c in _TCVN3_LETTER_MARKS for c in word):
        return True
    if any(c in _TCVN3_SURE for c in word) and _LATIN_RE.search(word):
        return True  # «X·», «§iÒu»
    return None


def _judged(lines: list[str], judge: Callable[[str], bool | None]
            ) -> tuple[list[list[tuple[int, int, bool | None]]], list[list[tuple[int, int]]]]:
    """Each line's words with what ``judge`` says of each (legacy, Unicode, in doubt), and the spans of those to
    convert: a word in doubt goes as :func:`_fill_in_doubt` says."""
    words = [[(m.start(), m.end(), judge(m.group())) for m in _WORD_RE.finditer(line)] for line in lines]
    decided = iter(_fill_in_doubt([kind for line in words for _, _, kind in line]))
    return words, [[(start, end) for start, end, _ in line if next(decided)] for line in words]


def _replaced(line: str, spans: list[tuple[int, int]], shown: Callable[[int, int], str]) -> str:
    """``line`` with each span replaced by what ``shown`` gives for it."""
    parts = []
    last = 0
    for start, end in spans:
        parts += [line[last:start], shown(start, end)]
        last = end
    parts.append(line[last:])
    return "".join(parts)


def _fill_in_doubt(kinds: list[bool | None]) -> list[bool]:
    """Each word in doubt as the nearest word that is not (the one before it when they are as near), else
    converted."""
    before: list[tuple[int, bool] | None] = []
    last: tuple[int, bool] | None = None
    for i, kind in enumerate(kinds):
        if kind is not None:
            last = (i, kind)
        before.append(last)
    result = [True] * len(kinds)
    following: tuple[int, bool] | None = None
    for i in range(len(kinds) - 1, -1, -1):
        kind = kinds[i]
        if kind is not None:
            following = (i, kind)
            result[i] = kind
            continue
        near = before[i]
        if near is None or (following is not None and following[0] - i < i - near[0]):
            near = following
        result[i] = True if near is None else near[1]
    return result


# Capitals in TCVN3: the Latin capitals and VN3's seven (Ă Â Ê Ô Ơ Ư Đ), which no small-letters font has.
_CAPITAL_RE = re.compile("[A-Z\u00a1-\u00a7]")
_SMALL_LATIN_RE = re.compile("[a-z]")
_LATIN_RE = re.compile("[A-Za-z]")
_SMALL_CODE_RE = re.compile("[\u00a8-\u00ff]")
_CAPITAL_AFTER_CODE_RE = re.compile("[\u00a8-\u00ff][A-Z]")
_APART_RE = re.compile(r"[\s*,;.:_-]*\s[\s*,;.:_-]*")


@functools.lru_cache(maxsize=_WORDS_CACHED)
def _in_capitals(word: str) -> bool:
    """A word of two capitals or more, or a capital after a small letter's code («ñY»: «ỦY»), and no small Latin
    letter («CéNG», «Q§»): typed in capitals."""
    return ((len(_CAPITAL_RE.findall(word)) >= 2 or _CAPITAL_AFTER_CODE_RE.search(word) is not None)
            and not _SMALL_LATIN_RE.search(word))


@functools.lru_cache(maxsize=_WORDS_CACHED)
def _typed_in_capitals(word: str) -> bool:
    """A word in capitals with a small letter's code («CéNG»): typed in a capitals font. «CT-CS», «Q§» (an
    acronym, a capital's code) are typed so in any font: they tell nothing of the words beside them."""
    return _in_capitals(word) and _SMALL_CODE_RE.search(word) is not None


@functools.lru_cache(maxsize=_WORDS_CACHED)
def _may_be_capitals(word: str) -> bool:
    """A word of one capital and no small Latin letter («VÒ», «Sè», «X·»): capitals, or a capital first."""
    return _CAPITAL_RE.search(word) is not None and not _SMALL_LATIN_RE.search(word)


def _lines_in_capitals(lines: list[str], words: list[list[tuple[int, int, bool | None]]]) -> list[bool]:
    """Is each line typed in capitals: no small Latin letter, and a word in capitals (in a line with figures, one
    with a small letter's code: «Sè: 12/Q§-UBND» is «Số:»); a line that tells neither way (only words of one
    capital: «Bé Y TÕ», «VÒ») as the next line with letters."""
    told: list[bool | None] = []
    lettered: list[bool] = []  # has the line a Latin letter or a capital's code
    for line, line_words in zip(lines, words):
        small = _SMALL_LATIN_RE.search(line) is not None
        lettered.append(small or _CAPITAL_RE.search(line) is not None)
        if small:
            told.append(False)
        elif re.search("[0-9]", line):  # a number's line («Sè: 12/Q§-UBND») is «Số:» far more often than «SỐ:»
            told.append(any(_typed_in_capitals(line[start:end]) for start, end, _ in line_words))
        elif any(_in_capitals(line[start:end]) for start, end, _ in line_words):
            told.append(True)
        else:
            told.append(None if _CAPITAL_RE.search(line) else False)
    result = [False] * len(told)
    following: bool | None = None  # what the next line with letters tells
    for i in range(len(told) - 1, -1, -1):
        result[i] = following is True if told[i] is None else bool(told[i])
        if lettered[i]:
            following = told[i]
    return result


@functools.lru_cache(maxsize=_WORDS_CACHED)
def _converted(word: str, upper: bool) -> str:
    shown = unicodedata.normalize("NFC", word.translate(_TCVN3_TABLE))
    return shown.upper() if upper else shown


def _convert_line(line: str, spans: list[tuple[int, int]], every_word: list[tuple[int, int, bool | None]],
                  line_in_capitals: bool) -> str:
    """``line`` with the words at ``spans`` converted, in capitals where they were typed in them: a word in
    capitals, a word of one capital beside one (in ``every_word``, the line's words: «HßA X· HéI»), every word
    of a line typed in capitals."""
    beside: set[tuple[int, int]] = set()
    if not line_in_capitals and any(_may_be_capitals(line[start:end]) for start, end in spans):
        in_capitals = [_typed_in_capitals(line[start:end]) for start, end, _ in every_word]
        # beside: a space apart, not a bracket («TƯỚNG(§· ký)» is «(Đã ký)»)
        apart = [_APART_RE.fullmatch(line[every_word[i][1]:every_word[i + 1][0]]) is not None
                 for i in range(len(every_word) - 1)]
        beside = {(start, end) for i, (start, end, _) in enumerate(every_word)
                  if (i > 0 and apart[i - 1] and in_capitals[i - 1])
                  or (i + 1 < len(every_word) and apart[i] and in_capitals[i + 1])}

    def shown(start: int, end: int) -> str:
        word = line[start:end]
        return _converted(word, line_in_capitals or _in_capitals(word)
                          or ((start, end) in beside and _may_be_capitals(word)))

    return _replaced(line, spans, shown)


# --- VNI (VNI-Windows: the VNI-Times fonts) to Unicode ------------------------------------------------------
# VNI types a letter with its marks as the base letter and one code after it for its shape and tone: «aù» á,
# «aâ» â, «aá» ấ, «aê» ă, «aé» ắ; «ô» ơ, «ö» ư, «ñ» đ and the i's («í» í, «æ» ỉ, «ó» ĩ) are one code. Capitals
# take the marks' capital codes («AÙ» Á).
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_VNI_TONES = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_VNI_HAT_TONES = {"á": _ACUTE, "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}  # after «â», «ê», «ô»'s base
_VNI_BREVE_TONES = {"é": _ACUTE, "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}  # after «ă»'s base


def _vni_table() -> dict[str, str]:
    small: dict[str, str] = {"í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "ô": "ơ", "ö": "ư",
                             "ñ": "đ", "aâ": "â", "eâ": "ê", "oâ": "ô", "aê": "ă"}
    for base in "aeouy":
        for code, tone in _VNI_TONES.items():
            small[base + code] = base + tone
    for base in "ôö":  # ơ, ư with a tone
        for code, tone in _VNI_TONES.items():
            small[base + code] = small[base] + tone
    for base in "aeo":
        for code, tone in _VNI_HAT_TONES.items():
            small[base + code] = base + "\u0302" + tone
    for code, tone in _VNI_BREVE_TONES.items():
        small["a" + code] = "a\u0306" + tone
    table = {}
    for code, letter in small.items():
        letter = unicodedata.normalize("NFC", letter)
        table[code] = letter
        table[code.upper()] = letter.upper()  # «AÙ»
        if len(code) == 2:
            table[code[0].upper() + code[1]] = letter.upper()  # «Aù»: a capital with a small letter's mark
    return table


_VNI_TABLE = _vni_table()
_VNI_RE = re.compile("|".join(sorted(map(re.escape, _VNI_TABLE), key=len, reverse=True)))
# The codes no Unicode Vietnamese word holds: a word with one of these is VNI («Coäng», «ñöôøng»).
_VNI_SURE = set("øûïäåëüæîöñØÛÏÄÅËÜÆÎÖÑ")


@functools.lru_cache(maxsize=_WORDS_CACHED)
def _vni_word(word: str) -> bool | None:
    """True: a VNI word; False: Unicode; None: either (all ASCII, or only letters both use: «hoaø» is VNI's
    «hoà», «hoà» is Unicode's)."""
    if any(c in _UNICODE_ONLY for c in word):
        return False
    if any(c in _VNI_SURE for c in word):
        return True
    return None


@functools.lru_cache(maxsize=_WORDS_CACHED)
def _from_vni(word: str) -> str:
    return _VNI_RE.sub(lambda m: _VNI_TABLE[m.group()], word)


@functools.lru_cache(maxsize=_WORDS_CACHED)
def _reads_as(word: str) -> str | None:
    """The encoding whose reading of ``word`` is a syllable the corpus has and whose other reading is not: «HiÖu»
    is TCVN3's «Hiệu» (VNI's «HiƯu»), «Coäng» VNI's «Cộng»; None when both or neither are."""
    letters = "".join(_WORD_RE.findall(word))
    seen = default_model().syllables
    tcvn3 = key(_converted(letters, False)) in seen
    vni = key(_from_vni(letters)) in seen
    if tcvn3 == vni:
        return None
    return "TCVN3" if tcvn3 else "VNI"


def _convert_vni(text: str) -> tuple[str, LegacyConversion]:
    """``text``'s VNI words converted, word by word as TCVN3's are (a word in doubt as the nearest that is not).
    VNI has its own capitals: they need no guessing."""
    lines = text.split("\n")
    _, spans = _judged(lines, _vni_word)
    out = [_replaced(line, line_spans, lambda start, end: _from_vni(line[start:end]))
           for line, line_spans in zip(lines, spans)]
    return "\n".join(out), LegacyConversion("VNI", sum(map(len, spans)))


# Text a reader shows in capitals («All caps», «text-transform: uppercase») is marked, not put in capitals, until
# its encoding is known: a TCVN3 code's capital is another letter («ß» would become «SS», «µ» a Greek «Μ», «é»
# — «ộ» — an «É» that is «ẫ»). Two noncharacters, which no document interchanges, mark where it starts and ends.
CAPITALS_START, CAPITALS_END = "\ufdd0", "\ufdd1"
_SPACES = " \t\n\r\x0b\x0c"  # (not str.strip()'s: it takes a .doc's optional hyphen, \x1f, for one)
_CAPITALS_RE = re.compile(f"{CAPITALS_START}([^{CAPITALS_END}]*){CAPITALS_END}?")


def mark_capitals(text: str) -> str:
    """``text``, shown in capitals, marked for :func:`apply_capitals` (after :func:`convert_legacy`); the
    spaces around it are left outside the marks, for a reader to strip its lines as before."""
    core = text.strip(_SPACES)
    if not core:
        return text
    start = len(text) - len(text.lstrip(_SPACES))
    return f"{text[:start]}{CAPITALS_START}{core}{CAPITALS_END}{text[start + len(core):]}"


def apply_capitals(text: str) -> str:
    """``text`` with what :func:`mark_capitals` marked put in capitals, and the marks gone."""
    if CAPITALS_START not in text:
        return text.replace(CAPITALS_END, "")
    return _CAPITALS_RE.sub(lambda m: m.group(1).upper(), text).replace(CAPITALS_END, "")
