"""Detection of Vietnamese text in legacy 8-bit encodings (TCVN3/ABC, VNI).

Documents typed with the .VnTime (TCVN3) or VNI fonts and saved or pasted
without conversion reach us as mojibake such as "Céng hßa X· héi" (TCVN3) or
"Coäng hoøa xaõ hoäi" (VNI). Such text is unreadable and unsearchable; we say
so on the document instead of indexing garbage silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


# Characters that TCVN3 text shows when read as Windows-1252/Latin-1 and that
# never occur in correct Vietnamese.
_TCVN3_MARKS = set("¸µ¶·¹¨©ª«¬®¯°±²³´ß½¾¼¢£¤¥¦§Ü¡")
# VNI stores tone and shape marks as separate bytes after the base letter; these
# are the ones that are not themselves Vietnamese letters.
_VNI_MARKS = set("øûïäëöåñØÛÏÄËÖÅÑ")
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
    tcvn3 = sum(1 for w in words if any(c in _TCVN3_MARKS for c in w))
    vni = sum(1 for w in words if any(c in _VNI_MARKS for c in w) and not _has_vietnamese_letters(w))
    best, count = ("TCVN3", tcvn3) if tcvn3 >= vni else ("VNI", vni)
    ratio = count / len(words)
    if count >= 3 and ratio >= 0.05:
        return LegacyEncoding(best, ratio)
    return None


_VIETNAMESE_ONLY = set("ăâđêôơưĂÂĐÊÔƠƯ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}


def _has_vietnamese_letters(word: str) -> bool:
    return any(c in _VIETNAMESE_ONLY for c in word)
