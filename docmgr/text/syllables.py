"""Is a word a Vietnamese syllable? (To tell words from abbreviations such as UBND, HĐND, TP in text written
in capitals.)"""

from __future__ import annotations

import re
import unicodedata


_TONES = dict.fromkeys(map(ord, "\u0300\u0301\u0303\u0309\u0323"))  # grave, acute, tilde, hook, dot below
_SYLLABLE = re.compile(r"(ngh|ng|gh|gi|ch|kh|nh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
                       r"([aăâeêioôơuưy]{1,3})(ch|ng|nh|[cmnpt])?")


_ROMAN = re.compile(r"[IVXLC]+")


def without_tone(word: str) -> str:
    """``word`` (NFC) with its tone marks off and its vowels' other marks kept: «thẩm» → «thâm», «Đổi» → «Đôi»."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", word).translate(_TONES))


def is_syllable(word: str) -> bool:
    """True when ``word`` (any case, with or without tone marks) has the shape of a Vietnamese syllable: an
    onset, one to three vowels, a final consonant. «QUYẾT», «ĐỊNH», «nghiêng» are; «UBND», «HĐND», «TP»,
    «KH-UBND», «2024» are not."""
    if _ROMAN.fullmatch(word) and len(word) > 1:
        return False  # a numeral: khóa XIII, phần II
    return bool(_SYLLABLE.fullmatch(without_tone(word.lower())))


def sentence_case(text: str | None) -> str:
    """A subject typed in capitals, as a sentence: «KẾ HOẠCH TRIỂN KHAI …» → «Kế hoạch triển khai …»; letters
    that are not Vietnamese syllables (UBND, HĐND, KH-UBND, 2024) keep their case. Text not in capitals is
    returned unchanged; the stored text never changes."""
    if not text:
        return ""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 12 or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return text
    words = []
    for word in text.split(" "):
        core = word.strip(".,;:()\"'«»“”")
        words.append(word.lower() if core and is_syllable(core) else word)
    out = " ".join(words)
    for i, char in enumerate(out):
        if char.isalpha():
            return out[:i] + char.upper() + out[i + 1:]
    return out
