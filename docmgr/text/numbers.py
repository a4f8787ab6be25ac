"""Keys for document numbers (số, ký hiệu), so that variants of one number meet.

"65/KH-UBND", "65/kh-ubnd" and "65 / KH - UBND" share :func:`number_key`;
"30/2020/NĐ-CP" and "30/2020/ND-CP" also share :func:`number_folded_key`.
"""

from __future__ import annotations

import re

from docmgr.text.normalize import fold, nfc


_DASHES_RE = re.compile("[\u2010-\u2015\u2212]")
_SPACE_RE = re.compile(r"\s+")


def number_key(number: str) -> str:
    """Upper case, NFC, no spaces, one kind of dash: exact but forgiving."""
    return _SPACE_RE.sub("", _DASHES_RE.sub("-", nfc(number))).upper()


def number_folded_key(number: str) -> str:
    """:func:`number_key` without diacritics (NĐ → ND)."""
    return fold(number_key(number)).upper()
