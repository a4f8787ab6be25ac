"""Highlighted snippets, cut from the document text in the database (the index stores no text)."""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

from docmgr.search.analysis import WORD_RE, forms
from docmgr.text.letters import VARIANTS
from docmgr.text.normalize import fold


SCAN_CHARS = 200_000  # look for matches in the first 200k characters of long texts
FIRST_CHARS = 20_000  # where matches are looked for first
WINDOW_CHARS = 700  # the words of a snippet are read from this much text around the best matches
MAX_MATCHES = 400  # matches looked at to find the best place


@lru_cache(maxsize=256)
def _terms_re(terms: frozenset[str]) -> re.Pattern:
    """The folded words as they may be written, with or without diacritics: "dat" matches «đất», «Đạt», «dat»
    (found in the text itself, no folded copy made)."""
    def written(term: str) -> str:
        return "".join(f"[{re.escape(c)}{VARIANTS[c]}]" if c in VARIANTS else re.escape(c) for c in term)

    alternatives = "|".join(written(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)


def snippet(text: str, folded_terms: set[str], width: int = 28) -> Markup:
    """About ``width`` words around the densest run of query words, matches in <mark>.

    Matching is on folded forms, so "văn hoá" lights up for "van hoa" too. Everything else is HTML-escaped.
    The place is found by one regular expression over the text, its letters written with or without
    diacritics (C speed, the opening first); only a window of about
    :data:`WINDOW_CHARS` around it is split into words — never the whole document.
    """
    text = text[:SCAN_CHARS]
    begin = 0
    if folded_terms:
        pattern, found, scanned = _terms_re(frozenset(folded_terms)), [], 0
        # The opening first (where a document says what it is about); further only while some word is missing.
        for limit in (FIRST_CHARS, SCAN_CHARS):
            if scanned >= len(text) or (found and len({t for _p, t in found}) == len(folded_terms)):
                break
            cut = min(len(text), limit)
            while cut < len(text) and not text[cut].isspace():
                cut += 1
            for match in pattern.finditer(text, scanned, cut):
                found.append((match.start(), fold(match.group(0)).lower()))
                if len(found) >= MAX_MATCHES:
                    break
            scanned = cut
        if found:
            begin = _densest(found, span=width * 7)
            begin = max(0, begin - width * 2)
            while begin > 0 and not text[begin - 1].isspace():  # start on a word
                begin -= 1
    end = min(len(text), begin + WINDOW_CHARS)
    while end < len(text) and not text[end].isspace():
        end += 1
    return _cut(text, begin, end, folded_terms, width)


def _densest(found: list[tuple[int, str]], span: int) -> int:
    """The position where a window of ``span`` characters holds the most different query words (then the
    most matches)."""
    best, best_key, right = found[0][0], (0, 0), 0
    for left in range(len(found)):
        while right < len(found) and found[right][0] < found[left][0] + span:
            right += 1
        window = found[left:right]
        key = (len({term for _pos, term in window}), len(window))
        if key > best_key:
            best, best_key = found[left][0], key
    return best


def _cut(text: str, window_begin: int, window_end: int, folded_terms: set[str], width: int) -> Markup:
    """The snippet from the words of ``text[window_begin:window_end]``."""
    region = text[window_begin:window_end]
    matches = list(WORD_RE.finditer(region))
    if not matches:
        return Markup("")
    hits = [i for i, m in enumerate(matches) if forms(m.group(0).lower())[1] in folded_terms]
    start = 0
    if hits:
        best, best_count, best_kinds = hits[0], 0, 0
        right = 0
        for left_i, left in enumerate(hits):
            while right < len(hits) and hits[right] < left + width:
                right += 1
            window = hits[left_i:right]
            kinds = len({forms(matches[i].group(0).lower())[1] for i in window})
            if (kinds, len(window)) > (best_kinds, best_count):
                best, best_count, best_kinds = left, len(window), kinds
        start = max(0, best - width // 4)
    stop = min(len(matches), start + width)
    hit_set = set(hits)
    begin = matches[start].start()
    end = matches[stop - 1].end()
    out = ["… " if window_begin + begin > 0 else ""]
    cursor = begin
    for i in range(start, stop):
        m = matches[i]
        if i in hit_set:
            out.append(str(escape(_flat(region[cursor:m.start()]))))
            out.append(f"<mark>{escape(m.group(0))}</mark>")
            cursor = m.end()
    out.append(str(escape(_flat(region[cursor:end]))))
    if window_begin + end < len(text):
        out.append(" …")
    return Markup("".join(out))


_SPACES = re.compile(r"\s+")


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text)
