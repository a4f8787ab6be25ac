"""Vietnamese letters by the ASCII letter they fold to: what a word typed without diacritics may stand for."""

from __future__ import annotations

from docmgr.text.normalize import fold


def _variants() -> dict[str, str]:
    """Each ASCII letter and the Vietnamese letters that fold to it: "d" → "Đđ", "a" → "aàáảãạăằ…" (both cases)."""
    out: dict[str, set[str]] = {}
    for code in range(0x00C0, 0x1EFF + 1):
        char = chr(code)
        base = fold(char).lower()
        if len(base) == 1 and base.isascii() and base.isalpha() and base != char.lower():
            out.setdefault(base, set()).update({char.lower(), char.upper()})
    return {letter: "".join(sorted(chars)) for letter, chars in out.items()}


VARIANTS = _variants()
