"""Run a parsed query over Whoosh's segment files a posting list at a time, with numpy.

Whoosh's own searcher walks a tree of matcher objects document by document:
several Python calls per document per node, so a query of four common words
with its ranking bonuses and the permission filter cost ~50 µs per hit (7× FTS5).
Here each posting list is read once, whole, from Whoosh's files (the W3 codec's
blocks: pickled tuples of delta-coded ids, weights and values) into numpy
arrays over the document numbers of the searcher, and the query becomes array
arithmetic:

* a term is a boolean mask; AND, OR, NOT are ``&``, ``|``, ``& ~``;
* a phrase is the mask of its words, then a position check on the documents
  that hold them all, itself vectorized (:func:`phrase_docs`);
* dates are compared on the ``issued`` column; the permission filter is the OR
  of the ``allowed`` terms (kept per searcher, like Lucene's filter cache);
* scores are BM25F, added term by term for every posting
  (``idf · tf·(k1+1) / (tf + k1·(1 − b + b·len/avglen))``), with the same boosts
  as before: the user's diacritics, the subject, the number;
* the top hits come from ``argpartition``; facet counts from ``bincount`` over
  per-searcher value codes of the facet columns.

Nothing about a query's result is cached. What is read from the columns — field
lengths, facet and sort columns — is kept per segment (:class:`SegmentArrays`):
Whoosh's segments never change once written, so after a document is added or
edited only the new segment is read, and the searcher's arrays are put together
from the segments' (the whole archive's took seconds at 100,000 documents).
What depends on deletions or the query's principals — the live documents, the
permission masks — is kept per searcher. About 20 bytes a document in all.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from itertools import accumulate

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.util.times import datetime_to_long

from docmgr.search.engine import FACETS
from docmgr.search.query import FieldFilter, Number, Query


K1 = 1.2
B = 0.75
EXACT_BOOST = 1.5
SUBJECT_FOLDED_BOOST = 3.0
SUBJECT_EXACT_BOOST = 4.0
NUMBER_BOOST = 50.0

_BYTE_TO_LENGTH = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)


@dataclass
class Postings:
    ids: np.ndarray  # int64 document numbers (of the searcher), ascending
    tf: np.ndarray  # float32 weights (term frequency in text fields)
    values: list | None  # encoded positions, when asked for


_EMPTY = Postings(np.zeros(0, np.int64), np.zeros(0, np.float32), [])


def _read_leaf(matcher, want_values: bool, ids: list, weights: list, values: list | None) -> None:
    """Append one segment's postings of a term (a W3 block matcher or an inlined list)."""
    if hasattr(matcher, "_read_data"):  # W3LeafMatcher: walk its blocks
        while True:
            matcher._read_data()
            block_ids, block_weights, block_values = matcher._data
            ids.extend(accumulate(block_ids))  # each block's ids are deltas from 0
            if block_weights is None:
                weights.extend([1.0] * len(block_ids))
            elif isinstance(block_weights, float):
                weights.extend([block_weights] * len(block_ids))
            else:
                weights.extend(block_weights)
            if want_values:
                values.extend(block_values)
            if matcher._lastblock:
                return
            matcher._goto(matcher._nextoffset)
    # ListMatcher: postings inlined in the term dictionary
    n = len(matcher._ids)
    ids.extend(matcher._ids)
    weights.extend(matcher._weights if matcher._weights is not None else [1.0] * n)
    if want_values:
        values.extend(matcher._values if matcher._values is not None else [b""] * n)


class SegmentArrays:
    """Arrays read from segments' columns, kept by segment id for as long as the segment is in the index.

    Shared by the searchers of one engine (one process); :meth:`keep_only` drops the segments a new searcher
    no longer has (merged away).
    """

    def __init__(self):
        self._parts: dict = {}

    def get(self, leaf, key, make):
        segment = _segment_id(leaf)
        if segment is None:  # not a stored segment (an empty index's reader): read it every time
            return make(leaf)
        part = self._parts.get((segment, key))
        if part is None:
            part = self._parts[(segment, key)] = make(leaf)
        return part

    def keep_only(self, leaves) -> None:
        live = {_segment_id(leaf) for leaf, _offset in leaves}
        for key in [k for k in self._parts if k[0] not in live]:
            self._parts.pop(key, None)


def _segment_id(leaf) -> str | None:
    segment = getattr(leaf, "segment", None)
    return segment().segment_id() if segment is not None else None


class View:
    """One searcher's documents as arrays; built lazily, dropped with the searcher (the columns' arrays are
    assembled from ``segments``, which outlive it)."""

    def __init__(self, searcher, segments: SegmentArrays | None = None):
        self.searcher = searcher
        reader = searcher.reader()
        self.reader = reader
        self.leaves = reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]
        self.size = reader.doc_count_all()
        # BM25F's document count, as Whoosh's own scorer counts: every document in the segment files, deleted
        # (superseded) entries included until a merge drops them — as the document frequencies and the total
        # field lengths read from those files do (tests/test_search_oracle.py compares the scores).
        self.doc_count = max(1, reader.doc_count_all())
        self.segments = segments if segments is not None else SegmentArrays()
        self.segments.keep_only(self.leaves)
        self._cache: dict = {}

    def cached(self, key, make):
        value = self._cache.get(key)
        if value is None:
            value = self._cache[key] = make()
        return value

    def per_segment(self, key, make) -> list:
        """``make(leaf)`` of each segment, in the searcher's order, read once per segment."""
        return [self.segments.get(leaf, key, make) for leaf, _offset in self.leaves]

    # -- per-document arrays -------------------------------------------------

    @property
    def live(self) -> np.ndarray:
        def make():
            mask = np.ones(self.size, dtype=bool)
            for leaf, offset in self.leaves:
                if leaf.has_deletions():
                    deleted = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)
                    mask[deleted + offset] = False
            return mask
        return self.cached("live", make)

    def lengths(self, fieldname: str) -> np.ndarray:
        def read(leaf):
            count = leaf.doc_count_all()
            column = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if column is None:
                return np.zeros(count, dtype=np.float32)
            return _BYTE_TO_LENGTH[np.frombuffer(bytes(column[i] for i in range(count)), dtype=np.uint8)]

        return self.cached(("lengths", fieldname), lambda: _joined(self.per_segment(("lengths", fieldname), read),
                                                                   np.float32))

    def avg_length(self, fieldname: str) -> float:
        return self.cached(("avg", fieldname),
                           lambda: (self.reader.field_length(fieldname) / self.doc_count) or 1.0)

    def codes(self, column: str) -> tuple[np.ndarray, list]:
        """(code per document, value per code) of a facet column; code 0 is "no value"."""
        def read(leaf):  # the segment's own codes and values
            values: list = [None]
            index: dict = {None: 0, "": 0}
            reader = leaf.column_reader(column)
            codes = np.zeros(leaf.doc_count_all(), dtype=np.int32)
            for i in range(len(codes)):
                value = reader[i]
                code = index.get(value)
                if code is None:
                    code = index[value] = len(values)
                    values.append(value)
                codes[i] = code
            return codes, values

        def make():
            values: list = [None]
            index: dict = {None: 0}
            parts = []
            for local_codes, local_values in self.per_segment(("codes", column), read):
                mapping = np.zeros(len(local_values), dtype=np.int32)
                for code, value in enumerate(local_values[1:], start=1):
                    found = index.get(value)
                    if found is None:
                        found = index[value] = len(values)
                        values.append(value)
                    mapping[code] = found
                parts.append(mapping[local_codes])
            return _joined(parts, np.int32), values
        return self.cached(("codes", column), make)

    def raw_column(self, column: str) -> list:
        """The column's stored (untranslated) value per document."""
        def read(leaf):
            reader = leaf.column_reader(column, translate=False)
            return [reader[i] for i in range(leaf.doc_count_all())]

        def make():
            raw: list = []
            for part in self.per_segment(("raw", column), read):
                raw.extend(part)
            return raw
        return self.cached(("raw", column), make)

    def numbers(self, column: str) -> np.ndarray:
        """A numeric column (dates are Whoosh's sortable unsigned integers) as uint64."""
        return self.cached(("numbers", column), lambda: np.array(self.raw_column(column), dtype=np.uint64))

    def sort_key(self, column: str) -> np.ndarray:
        """The rank of each document's value in ``column`` (int64, for sorting either way)."""
        def make():
            raw = self.raw_column(column)
            order = sorted(range(len(raw)), key=raw.__getitem__)
            rank = np.empty(len(raw), dtype=np.int64)
            rank[order] = np.arange(len(raw), dtype=np.int64)
            return rank
        return self.cached(("sort", column), make)

    def warm(self) -> None:
        """Read what every search needs (a worker's first search would otherwise wait for it)."""
        self.live  # noqa: B018 — built and kept
        for fieldname in ("text_f", "subject_f", "text", "subject"):
            self.lengths(fieldname)
        for column in FACETS.values():
            self.codes(column)
        self.numbers("issued")
        self.sort_key("issued")
        self.sort_key("number_sort")

    # -- postings -------------------------------------------------------------

    def postings(self, fieldname: str, term: str, want_values: bool = False) -> Postings:
        field_obj = self.searcher.schema[fieldname]
        tbytes = field_obj.to_bytes(term)
        parts: list[np.ndarray] = []
        weights: list = []
        values: list | None = [] if want_values else None
        for leaf, offset in self.leaves:
            if (fieldname, tbytes) not in leaf:
                continue
            ids: list = []
            _read_leaf(leaf._terms.matcher(fieldname, tbytes, field_obj.format), want_values, ids, weights, values)
            local = np.array(ids, dtype=np.int64)
            parts.append(local + offset if offset else local)
        if not parts:
            return _EMPTY
        ids_all = parts[0] if len(parts) == 1 else np.concatenate(parts)
        return Postings(ids_all, np.array(weights, dtype=np.float32), values)

    def numbered(self, sequence: str) -> list[str]:
        """The numbers in the index whose sequence is ``sequence`` ("453/TB-UBND", "453/2024/QĐ-UBND" for
        "453"), as the ``number`` field holds them."""
        def make():
            found = [t.decode("utf-8") if isinstance(t, bytes) else t
                     for t in self.reader.expand_prefix("number", f"{sequence}/")]
            return found or [""]
        return [t for t in self.cached(("numbered", sequence), make) if t]

    def term_mask(self, fieldname: str, term: str) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[self.postings(fieldname, term).ids] = True
        return mask

    def principals_mask(self, principals: list[str]) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        for principal in principals:
            mask |= self.cached(("allowed", principal), lambda p=principal: self.term_mask("allowed", p))
        return mask

    def idf(self, df: int) -> float:
        """Whoosh's idf: log(N / (df + 1)) + 1."""
        return math.log(self.doc_count / (df + 1)) + 1.0


class Evaluator:
    def __init__(self, view: View):
        self.view = view
        self._postings: dict = {}
        self._masks: dict = {}

    def postings(self, fieldname: str, term: str, want_values: bool = False) -> Postings:
        key = (fieldname, term)
        found = self._postings.get(key)
        if found is None or (want_values and found.values is None):
            found = self._postings[key] = self.view.postings(fieldname, term, want_values)
        return found

    # -- matching -----------------------------------------------------------

    def words_mask(self, fieldname: str, terms: list[str], phrase: bool,
                   within: np.ndarray | None = None) -> np.ndarray:
        """Documents holding every term (as a phrase when ``phrase``), among ``within`` if given.

        The result is shared (memo): do not modify it.
        """
        key = (fieldname, tuple(terms), phrase, id(within))
        found = self._masks.get(key)
        if found is None:
            unrestricted = self._masks.get((fieldname, tuple(terms), phrase, id(None))) if within is not None else None
            if unrestricted is not None:  # already worked out for every document: just narrow it
                found = unrestricted & within
            else:
                found = self._words_mask(fieldname, terms, phrase, within)
            self._masks[key] = found
        return found

    def _words_mask(self, fieldname: str, terms: list[str], phrase: bool, within) -> np.ndarray:
        view = self.view
        lists = [self.postings(fieldname, t, want_values=phrase and len(terms) > 1) for t in terms]
        mask = np.zeros(view.size, dtype=bool)
        if any(len(p.ids) == 0 for p in lists):
            return mask
        lists_by_size = sorted(lists, key=lambda p: len(p.ids))
        mask[lists_by_size[0].ids] = True
        for postings in lists_by_size[1:]:
            other = np.zeros(view.size, dtype=bool)
            other[postings.ids] = True
            mask &= other
        if within is not None:
            mask &= within
        if phrase and len(terms) > 1:
            candidates = np.flatnonzero(mask)
            mask[:] = False
            if len(candidates):
                mask[phrase_docs(candidates, lists)] = True
        return mask

    def number_keys(self, item: Number) -> list[str]:
        """The ``number`` terms a number of the query stands for: itself, or for a bare one ("453") every
        number with that sequence."""
        return self.view.numbered(item.key) if item.sequence else [item.key]

    def any_term_mask(self, fieldname: str, terms: list[str]) -> np.ndarray:
        mask = np.zeros(self.view.size, dtype=bool)
        for term in terms:
            mask[self.postings(fieldname, term).ids] = True
        return mask

    def match(self, item) -> np.ndarray:
        if isinstance(item, Number):
            return self.any_term_mask("number", self.number_keys(item)) | self.match(item.words)
        return self.words_mask("text_f", item.folded, item.phrase)

    def filter_mask(self, f: FieldFilter) -> np.ndarray:
        if f.name in ("issuer_f", "signer_f", "sector_f"):  # alternatives: as typed, abbreviations spelled out
            mask = np.zeros(self.view.size, dtype=bool)
            for words in f.value:
                mask |= self.words_mask(f.name, words, phrase=True)
            return mask
        if f.name == "number_seq":
            return self.any_term_mask("number", self.view.numbered(f.value))
        return self.view.term_mask(f.name, f.value)

    def query_mask(self, query: Query, principals, exact_filters) -> np.ndarray:
        view = self.view
        mask = view.live.copy()
        if query.alternatives:
            any_of = np.zeros(view.size, dtype=bool)
            for alternative in query.alternatives:
                all_of = np.ones(view.size, dtype=bool)
                for item in alternative:
                    all_of &= self.match(item)
                any_of |= all_of
            mask &= any_of
        for f in query.filters:
            mask &= self.filter_mask(f)
        if query.date_from or query.date_to:
            issued = view.numbers("issued")
            has_date = view.codes("year")[0] != 0
            mask &= has_date
            if query.date_from:
                mask &= issued >= np.uint64(_datetime_key(query.date_from, end=False))
            if query.date_to:
                mask &= issued <= np.uint64(_datetime_key(query.date_to, end=True))
        for name, value in (exact_filters or {}).items():
            mask &= view.term_mask(FACETS[name], value)
        if principals is not None:
            mask &= view.principals_mask(principals)
        for item in query.exclude:
            mask &= ~self.match(item)
        return mask

    # -- scoring ------------------------------------------------------------

    def add_bm25(self, scores: np.ndarray, fieldname: str, terms: list[str], boost: float,
                 only: np.ndarray | None = None) -> None:
        """Add each term's BM25 (× boost) to its documents (those in ``only`` if given)."""
        view = self.view
        lengths = view.lengths(fieldname)
        avg = view.avg_length(fieldname)
        for term in terms:
            postings = self.postings(fieldname, term)
            if not len(postings.ids):
                continue
            ids, tf = postings.ids, postings.tf
            weight = view.idf(len(ids)) * boost * (K1 + 1)
            norm = K1 * ((1 - B) + B * lengths[ids] / avg)
            part = weight * tf / (tf + norm)
            if only is not None:
                part = part * only[ids]
            scores[ids] += part

    def score(self, query: Query, mask: np.ndarray) -> np.ndarray:
        scores = np.zeros(self.view.size, dtype=np.float32)
        for alternative in query.alternatives:
            for item in alternative:
                words = item.words if isinstance(item, Number) else item
                if isinstance(item, Number):
                    self.add_bm25(scores, "number", self.number_keys(item), NUMBER_BOOST)
                phrase = words.phrase and len(words.folded) > 1
                self._score_words(scores, "text_f", words.folded, 1.0, phrase, mask)
                self._score_words(scores, "subject_f", words.folded, SUBJECT_FOLDED_BOOST, phrase, mask)
                self._score_words(scores, "text", words.exact, EXACT_BOOST, phrase, mask)
                if words.exact != words.folded:
                    self._score_words(scores, "subject", words.exact, SUBJECT_EXACT_BOOST, phrase, mask)
        return scores

    def _score_words(self, scores, fieldname, terms, boost, phrase, mask) -> None:
        # A phrase scores only where it occurs as a phrase in that field (checked among the hits only).
        only = self.words_mask(fieldname, terms, phrase=True, within=mask) if phrase else None
        self.add_bm25(scores, fieldname, terms, boost, only)


def _joined(parts: list, dtype) -> np.ndarray:
    if not parts:
        return np.zeros(0, dtype=dtype)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def phrase_docs(candidates: np.ndarray, lists: list[Postings]) -> np.ndarray:
    """The candidates where word i sits at position p + i of some position p of word 0.

    Vectorized: for each word, the positions of the remaining candidates become
    keys ``doc << 32 | (position − i)``; the phrase occurs where the key sets of
    all words meet. Both writers store a document's positions in ascending
    order, so each word's keys come out sorted and unique, and the key sets meet
    by binary search (no sort); the candidates shrink to the documents still in
    the running after each word. ``lists`` hold every candidate (and values, the
    packed positions).
    """
    keys = None
    # The rarest words first: the candidates left after them are fewer, and so are the positions read after.
    for offset, postings in sorted(enumerate(lists), key=lambda pair: len(pair[1].ids)):
        rows = np.searchsorted(postings.ids, candidates).tolist()
        values = [postings.values[r] for r in rows]
        positions = np.frombuffer(b"".join(values), dtype="<u4").astype(np.int64)
        counts = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) >> 2
        docs = np.repeat(candidates, counts)
        if offset:
            keep = positions >= offset
            docs, positions = docs[keep], positions[keep] - offset
        found = (docs << 32) | positions  # still ascending: positions ascend within a document
        keys = found if keys is None else _meet(keys, found)
        if not len(keys):
            break
        candidates = _distinct_sorted(keys >> 32)
    return candidates if keys is not None and len(keys) else candidates[:0]


def _meet(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values in both of two ascending arrays of distinct values."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return a
    at = np.searchsorted(b, a)
    at[at == len(b)] = 0
    return a[b[at] == a]


def _distinct_sorted(values: np.ndarray) -> np.ndarray:
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _datetime_key(day, end: bool) -> int:
    """Whoosh's sortable integer for the first (or last) microsecond of ``day``."""
    moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
    return datetime_to_long(moment)


def top(keys: np.ndarray, candidates: np.ndarray, count: int, descending: bool) -> np.ndarray:
    """The ``count`` first candidates by key (ties by document number), in order."""
    if not len(candidates) or count <= 0:
        return candidates[:0]
    values = keys[candidates]
    if descending:
        values = -values
    if len(candidates) > count:
        cut = np.argpartition(values, count - 1)[:count]
        threshold = values[cut].max()
        chosen = np.flatnonzero(values <= threshold)  # keep every tie at the threshold
        candidates, values = candidates[chosen], values[chosen]
    order = np.lexsort((candidates, values))[:count]
    return candidates[order]


def facet_counts(view: View, mask: np.ndarray, top_n: int = 15) -> dict[str, list[tuple[str, int]]]:
    out = {}
    for name, column in FACETS.items():
        codes, values = view.codes(column)
        counts = np.bincount(codes[mask], minlength=len(values))
        counts[0] = 0
        nonzero = np.flatnonzero(counts)
        ranked = sorted(((-int(counts[c]), values[c]) for c in nonzero))[:top_n]
        out[name] = [(value, -negative) for negative, value in ranked]
    return out


__all__ = ["Evaluator", "View", "facet_counts", "top"]
