"""Normalization of Vietnamese text: NFC, tone-mark placement, folding, cleanup.

Every function here is pure and fast enough to run over a whole corpus: the
hot paths use ``str.translate`` tables and precompiled regular expressions.
"""

from __future__ import annotations

import re
import unicodedata


# Tone marks (dấu thanh) as combining characters, after NFD.
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def tone_marks(text: str) -> set[str]:
    """The tone marks ``text`` carries (as combining characters): «Mật» {nặng}, «MAT» none."""
    return {ch for ch in unicodedata.normalize("NFD", text) if ch in _TONES}


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (precomposed) form.

    Long texts are normalized line by line: a line break never composes with
    what follows it, so the result is the same, and CPython's normalization of
    one huge string falls back to its slow path as soon as one character is a
    "maybe" (4 s instead of 0.3 s for 50 MB of Vietnamese).
    """
    if len(text) < 65536:
        return unicodedata.normalize("NFC", text)
    return "\n".join(
        line if unicodedata.is_normalized("NFC", line) else unicodedata.normalize("NFC", line)
        for line in text.split("\n")
    )


def _build_tone_moves() -> dict[str, str]:
    """Map the "new style" open-syllable endings to the traditional placement.

    "oà" → "òa", "oé" → "óe", "uỷ" → "ủy": in the open syllables oa, oe, uy the
    two styles put the mark on different vowels. The traditional placement is
    the one the decree's own texts and most official documents use.
    """
    moves: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in _TONES:
            for f, s in ((first, second), (first.upper(), second.upper()), (first.upper(), second)):
                new_style = f + unicodedata.normalize("NFC", s + tone)
                traditional = unicodedata.normalize("NFC", f + tone) + s
                moves[new_style] = traditional
    return moves


_TONE_MOVES = _build_tone_moves()
# Only at the end of a word (open syllable) and not after q- (qua, quý keep theirs).
_TONE_RE = re.compile(
    r"(?<![qQ])(" + "|".join(sorted(_TONE_MOVES, key=len, reverse=True)) + r")(?![^\W\d_])"
)


def normalize_tone_marks(text: str) -> str:
    """Put tone marks in one place so "hoà"/"hòa" and "uỷ"/"ủy" compare equal.

    ``text`` must already be NFC.
    """
    return _TONE_RE.sub(lambda m: _TONE_MOVES[m.group(1)], text)


def normalize(text: str) -> str:
    """NFC plus one tone-mark placement: the canonical form for comparing words."""
    return normalize_tone_marks(nfc(text))


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x1EFF + 1):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        if base != char and base.isascii() and base.isalpha():
            table[code] = base
    table[ord("đ")] = "d"
    table[ord("Đ")] = "D"
    # Its look-alikes, the Icelandic eth: what a Vietnamese text converted from a legacy encoding may carry
    table[ord("ð")] = "d"
    table[ord("Ð")] = "D"
    # Combining marks left over from decomposed input disappear.
    for code in range(0x0300, 0x036F + 1):
        table[code] = ""
    return table


_FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Remove Vietnamese diacritics: "Đồng Nai" → "Dong Nai", "hoà" → "hoa"."""
    return text.translate(_FOLD_TABLE)


def search_key(text: str) -> str:
    """Lower-case, NFC, one tone placement: the key for case-insensitive comparison."""
    return normalize(text).lower()


def folded_key(text: str) -> str:
    """Lower-case and folded: the key for accent-insensitive comparison."""
    return fold(nfc(text)).lower()


# Runs of two or more spaces, or any other space character: a lone " " is
# left alone, so the common case makes no replacement at all.
_SPACES_RE = re.compile(
    r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]"
)
_ODD_SPACES = "\u00a0" + "".join(map(chr, range(0x2000, 0x200C))) + "\u202f\u205f\u3000"
_ODD_SPACE_RE = re.compile(f"[{_ODD_SPACES}]")
_SOFT_HYPHENS = "\u00ad\ufeff\u200c\u200d"
_SOFT_HYPHEN_RE = re.compile(f"[{_SOFT_HYPHENS}]")


def clean_whitespace(text: str) -> str:
    """Collapse runs of spaces (incl. no-break spaces) to one; strip each end."""
    return _SPACES_RE.sub(" ", _SOFT_HYPHEN_RE.sub("", text)).strip()


# What clean_lines changes in a text whose odd characters are gone: a line's trailing space, a blank line's
# spaces, more than one blank line in a row
_UNCLEAN_RE = re.compile(r"\s\n|\n\s*\n\s*\n")


# The text clean_lines returned last: a file's text is cleaned when it is read, and handed as it is to the parser,
# which cleans what it is given (one reference; a str cannot be changed, so the same object is still clean)
_LAST_CLEANED = [""]


def clean_lines(text: str) -> str:
    """Normalize line endings and spacing inside lines, keep line structure.

    Trailing spaces go, runs of more than two blank lines shrink to one blank
    line, invisible characters (soft hyphens, BOMs) are removed, and every
    space character (no-break, ideographic, ...) becomes a plain space, tabs
    four of them.
    """
    if text is _LAST_CLEANED[0]:
        return text
    _LAST_CLEANED[0] = text = _cleaned(text)
    return text


def _cleaned(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(char in text for char in _SOFT_HYPHENS):  # looking for each is quicker than a pattern's scan
        text = _SOFT_HYPHEN_RE.sub("", text)
    # after the invisible characters are gone: a mark they kept apart from its letter («a\ufeff\u0302») joins
    # it, so that the text cleaned is clean (cleaning it again changes nothing)
    text = nfc(text)
    if ("Ð" in text or "ð" in text) and _VIETNAMESE_LETTER_RE.search(text):
        text = text.translate(_ETH_TO_D)
    text = text.replace("\t", "    ")
    if any(char in text for char in _ODD_SPACES):
        text = _ODD_SPACE_RE.sub(" ", text)
    if not _UNCLEAN_RE.search(text) and not text[:1].isspace() and not text[-1:].isspace():
        return text  # already clean (a text read once is cleaned again before it is parsed): as it is
    text = "\n".join([line.rstrip() for line in text.split("\n")])  # a blank line is now empty
    if "\n\n\n" in text:  # looked for first: the pattern's scan costs more than the look
        text = _BLANK_RUN_RE.sub("\n\n", text)
    return text.strip("\n")


_BLANK_RUN_RE = re.compile("\n{3,}")  # two empty lines or more in a row
# The Icelandic eth looks like «Đ»: a Vietnamese text converted from a legacy encoding, or typed with a
# keyboard layout that confuses them, may spell «QUYẾT ÐỊNH», «QÐ-UBND», «HÐND» with it. In a Vietnamese
# text it is the Vietnamese letter (in another, such as a phonetic transcription, it stays).
_ETH_TO_D = str.maketrans("Ðð", "Đđ")
_VIETNAMESE_LETTER_RE = re.compile("[ăâơưĂÂƠƯ\u1ea0-\u1ef9]")


def join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines into one line of text.

    A word split by a hyphen at the end of a line is not re-joined: Vietnamese
    syllables are separate words, and a line-final "-" is a real dash
    ("Lao động -" / "Thương binh"). A line that ends inside a document's number, at a "/"
    ("136/2025/" / "NĐ-CP"), goes on with no space.
    """
    text = ""
    for line in (line.strip() for line in lines):
        if line:
            text += line if not text or NUMBER_CUT_RE.search(text) else " " + line
    return clean_whitespace(text)


NUMBER_CUT_RE = re.compile(r"\d/(?:\d{4}/)?$")  # a line that ends inside a document's number




def is_upper_text(text: str, min_letters: int = 2) -> bool:
    """True when every letter in ``text`` is upper case (and there are some)."""
    # str.isupper: every cased character is upper case and there is at least
    # one. Vietnamese letters are all cased, so only the count remains to check.
    if not text.isupper():
        return False
    count = 0
    for char in text:
        if char.isalpha():
            count += 1
            if count >= min_letters:
                return True
    return False
