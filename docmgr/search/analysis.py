"""Vietnamese analysis for the search index: one pass gives the exact and the folded terms.

Rules (../shared/DOMAIN.md, "Vietnamese text rules"):

* NFC, one tone-mark placement ("hoà" = "hòa", "uỷ" = "ủy"), lower case;
* every syllable is a term: no stop list, no minimum length ("a", "ở", "to");
* the *exact* form keeps diacritics, the *folded* form drops them (đ → d).

Speed matters more here than anywhere else (the whole archive passes through
it on a reindex), so the text is split once with one regular expression, and
the normalization and folding run on each *distinct* word only, through a
bounded memo: a document of 3,000 words has a few hundred distinct ones, and an
archive a few hundred thousand.
"""

from __future__ import annotations

import re
from array import array

import numpy as np

from docmgr.text.normalize import fold, nfc, normalize_tone_marks


# A term is a run of letters and digits (Unicode-aware); combining marks left in
# decomposed input are glued to their letter by NFC before splitting.
WORD_RE = re.compile(r"[^\W_]+")

_MEMO_LIMIT = 100_000  # ~25 MB; the common words of an archive stay well within it
_memo: dict[str, tuple[str, str]] = {}


def forms(word: str) -> tuple[str, str]:
    """(exact, folded) forms of one lower-case NFC word."""
    found = _memo.get(word)
    if found is None:
        exact = normalize_tone_marks(word)
        found = (exact, fold(exact))
        if len(_memo) >= _MEMO_LIMIT:
            _memo.clear()
        _memo[word] = found
    return found


def words(text: str) -> list[str]:
    """The lower-case words of ``text`` in order (not yet tone-normalized)."""
    return WORD_RE.findall(nfc(text).lower())



def exact_terms(text: str) -> list[str]:
    return [forms(w)[0] for w in words(text)]


def folded_terms(text: str) -> list[str]:
    return [forms(w)[1] for w in words(text)]


GAP = 100  # positions between two parts of a text (subject, body): no phrase straddles them


class Postings:
    """The terms of one text with their positions, in both forms.

    ``exact`` and ``folded`` map a term to an ``array('I')`` of positions.
    Several parts (subject, body) follow each other with a gap of positions,
    so that no phrase spans two of them.
    """

    __slots__ = ("exact", "folded", "length")

    def __init__(self, *parts: str, gap: int = GAP):
        # Positions of each distinct raw word first (one dict look-up per word),
        # then the forms of each distinct word, merged where two raw words
        # share a form ("hoà"/"hòa" in exact, "ban"/"bán" in folded).
        raw: dict[str, array] = {}
        start = 0
        count = 0
        for part in parts:
            found = words(part) if part else []
            for position, word in enumerate(found, start):
                positions = raw.get(word)
                if positions is None:
                    raw[word] = array("I", (position,))
                else:
                    positions.append(position)
            count += len(found)
            start += len(found) + gap  # phrases never straddle two parts
        exact: dict[str, array] = {}
        folded: dict[str, array] = {}
        memo = _memo
        for word, positions in raw.items():
            pair = memo.get(word) or forms(word)
            e, f = pair
            if e in exact:
                _merge(exact, e, positions)
            else:
                exact[e] = positions
            if f in folded:
                _merge(folded, f, positions)
            else:
                folded[f] = positions
        self.exact = exact
        self.folded = folded
        self.length = count  # words, for BM25's field length


def _merge(table: dict[str, array], term: str, positions: array) -> None:
    table[term] = array("I", sorted(table[term] + positions))


class Text:
    """The parts of one text (subject, body) as given to the index writer, not yet split.

    The bulk writer splits it into words itself (:meth:`Vocabulary.add_text`);
    fields given the same ``stream`` in every document (the exact and the folded
    field of one text) share the words, which are stored once.
    """

    __slots__ = ("parts", "stream")

    def __init__(self, *parts: str, stream: str):
        self.parts = parts
        self.stream = stream


class Vocabulary(dict):
    """Raw word → a number, counted from 0 in order of first sight.

    A text becomes an array of these numbers (4 bytes a word) with one C-level
    dict look-up per word; each distinct word is normalized and folded only
    once, when the terms are needed (:meth:`term_maps`).
    """

    def __missing__(self, word: str) -> int:
        number = self[word] = len(self)
        return number

    def add_text(self, parts, out: array) -> list[tuple[int, int]]:
        """Append the word numbers of ``parts`` to ``out``; returns (first position, count) per part.

        Positions are those of :class:`Postings`: the words of each part in
        order, the next part starting ``GAP`` positions after the last word.
        """
        runs = []
        start = 0
        number = self.__getitem__
        for part in parts:
            found = words(part) if part else []
            if found:
                out.extend(map(number, found))
                runs.append((start, len(found)))
            start += len(found) + GAP
        return runs

    def term_maps(self) -> tuple[tuple[list[str], np.ndarray], tuple[list[str], np.ndarray]]:
        """For the exact and the folded form: (sorted distinct terms, term index of each word number).

        The words are normalized and folded all at once, as one string (the
        tone-mark rule looks only within a word), which is C-speed.
        """
        joined = "\n".join(self)
        exact = normalize_tone_marks(joined)
        out = []
        for found in (exact.split("\n"), fold(exact).split("\n")):
            if not self:
                found = []
            assert len(found) == len(self)
            terms = sorted(set(found))
            rank = {term: i for i, term in enumerate(terms)}
            out.append((terms, np.fromiter(map(rank.__getitem__, found), dtype=np.uint32, count=len(found))))
        return out[0], out[1]


# "65/KH-UBND", "65 / KH - UBND", "30/2020/NĐ-CP", "1234/QĐ-BYT", "12/2024/TT-BTC".
NUMBER_RE = re.compile(
    r"(?<![\w/])\d{1,6}\s*/\s*(?:\d{4}\s*/\s*)?[^\W\d_]{1,12}[\d]?(?:\s*[-–—]\s*[^\W_]{1,15}){0,4}(?![\w/])"
)


def looks_like_number(text: str) -> bool:
    return bool(NUMBER_RE.fullmatch(text.strip()))
