"""Vietnamese text handling used everywhere in docmgr.

- :func:`normalize` — NFC and one tone-mark placement ("hoà" == "hòa").
- :func:`fold` — diacritics removed, đ → d ("Đồng" → "Dong").
- :func:`search_key` / :func:`folded_key` — lower-cased comparison keys.
- :func:`clean_whitespace`, :func:`clean_lines`, :func:`join_lines` — cleanup.
- :func:`number_key` / :func:`number_folded_key` — keys for document numbers.
- :func:`detect_legacy_encoding` — TCVN3/VNI mojibake detection; :func:`convert_legacy` — TCVN3, VNI to Unicode;
  :func:`mark_capitals` / :func:`apply_capitals` — text shown in capitals, put in them once its encoding is known
  (:func:`is_capitals_font` / :func:`typed_for_legacy_font`: a TCVN3 capitals font shows it so);
  :func:`restore_lost_u` — the «ư» a TCVN3 text lost on its way, put back.
"""

from docmgr.text.legacy import (
    LegacyConversion,
    LegacyEncoding,
    apply_capitals,
    convert_legacy,
    detect_legacy_encoding,
    is_capitals_font,
    mark_capitals,
    typed_for_legacy_font,
)
from docmgr.text.lost_u import restore_lost_u
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
    tone_marks,
)
from docmgr.text.numbers import number_folded_key, number_key


__all__ = [
    "apply_capitals",
    "mark_capitals",
    "restore_lost_u",
    "LegacyConversion",
    "LegacyEncoding",
    "clean_lines",
    "clean_whitespace",
    "convert_legacy",
    "detect_legacy_encoding",
    "is_capitals_font",
    "typed_for_legacy_font",
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
    "tone_marks",
]
