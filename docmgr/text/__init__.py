"""Vietnamese text handling used everywhere in docmgr.

- :func:`normalize` — NFC and one tone-mark placement ("hoà" == "hòa").
- :func:`fold` — diacritics removed, đ → d ("Đồng" → "Dong").
- :func:`search_key` / :func:`folded_key` — lower-cased comparison keys.
- :func:`clean_whitespace`, :func:`clean_lines`, :func:`join_lines` — cleanup.
- :func:`number_key` / :func:`number_folded_key` — keys for document numbers.
- :func:`detect_legacy_encoding` — TCVN3/VNI mojibake detection.
"""

from docmgr.text.legacy import LegacyEncoding, detect_legacy_encoding
from docmgr.text.normalize import (
    clean_lines,
    clean_whitespace,
    fold,
    folded_key,
    is_upper_text,
    join_lines,
    nfc,
    normalize,
    normalize_tone_marks,
    search_key,
)
from docmgr.text.numbers import number_folded_key, number_key


__all__ = [
    "LegacyEncoding",
    "clean_lines",
    "clean_whitespace",
    "detect_legacy_encoding",
    "fold",
    "folded_key",
    "is_upper_text",
    "join_lines",
    "nfc",
    "normalize",
    "normalize_tone_marks",
    "number_folded_key",
    "number_key",
    "search_key",
]
