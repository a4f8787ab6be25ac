"""Highlighted snippets, cut from the document text in the database (the index stores no text)."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from docmgr.search.analysis import WORD_RE, forms


SCAN_CHARS = 200_000  # look for matches in the first 200k characters of long texts


def snippet(text: str, folded_terms: set[str], width: int = 28) -> Markup:
    """About ``width`` words around the densest run of query words, matches in <mark>.

    Matching is on folded forms, so "văn hoá" lights up for "van hoa" too.
    Everything else is HTML-escaped.
    """
    text = text[:SCAN_CHARS]
    matches = list(WORD_RE.finditer(text))
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
    out = ["… " if begin > 0 else ""]
    cursor = begin
    for i in range(start, stop):
        m = matches[i]
        if i in hit_set:
            out.append(str(escape(_flat(text[cursor:m.start()]))))
            out.append(f"<mark>{escape(m.group(0))}</mark>")
            cursor = m.end()
    out.append(str(escape(_flat(text[cursor:end]))))
    if end < len(text):
        out.append(" …")
    return Markup("".join(out))


_SPACES = re.compile(r"\s+")


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text)
