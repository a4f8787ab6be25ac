"""Whoosh: run a parsed query (see :mod:`docmgr.search.whoosh_engine.evaluate`), suggest spellings, find related documents."""

from __future__ import annotations

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein
from whoosh import query as wq

from docmgr.search.engine import Hits
from docmgr.search.query import Query
from docmgr.search.whoosh_engine.evaluate import Evaluator, facet_counts, top
from docmgr.text import fold


def run(engine, query: Query, *, principals, exact_filters=None, sort="relevance",
        offset=0, limit=20, facets=True) -> Hits:
    """Hits (one page), the total, and facet counts over all hits: see :mod:`docmgr.search.whoosh_engine.evaluate`."""
    with engine.read_lock:
        view = engine.view()  # one per index generation, reused
        evaluator = Evaluator(view)
        mask = evaluator.query_mask(query, principals, exact_filters)
        candidates = np.flatnonzero(mask)
        wanted = offset + limit
        scores = None
        if sort == "relevance" and query.alternatives:
            scores = evaluator.score(query, mask)
            chosen = top(scores, candidates, wanted, descending=True)
        elif sort == "number":
            chosen = top(view.sort_key("number_sort"), candidates, wanted, descending=False)
        else:  # by date; also "relevance" with nothing to rank by (filters only): newest first
            chosen = top(view.sort_key("issued"), candidates, wanted, descending=sort != "date_asc")
        page = chosen[offset:offset + limit].tolist()
        stored = view.searcher.stored_fields
        ids = [int(stored(docnum)["id"]) for docnum in page]
        hit_scores = [round(float(scores[d]), 4) if scores is not None else 0.0 for d in page]
        counted = facet_counts(view, mask) if facets else {}
    return Hits(total=len(candidates), ids=ids, scores=hit_scores, facets=counted)


def _principal_filter(principals):
    """A Whoosh query for "one of these may view it" (None: everyone's view, the system's)."""
    if principals is None:
        return None
    return wq.Or([wq.Term("allowed", p) for p in principals]) if principals else wq.NullQuery


VOCABULARY_SEGMENTS = 4  # the largest segments of the index give the vocabulary corrections are taken from


def _vocabulary(view, fieldname: str) -> list[str]:
    """The words of ``fieldname`` in the index's largest segments (the common words of the archive), each
    segment's read once: Whoosh's own corrector walks the whole merged lexicon (seconds at 100,000 documents)."""
    def lexicon(leaf) -> frozenset:
        return frozenset(w.decode("utf-8") if isinstance(w, bytes) else w for w in leaf.lexicon(fieldname))

    def make():
        words: set[str] = set()
        for leaf, _offset in sorted(view.leaves, key=lambda pair: -pair[0].doc_count_all())[:VOCABULARY_SEGMENTS]:
            words.update(view.segments.get(leaf, ("lexicon", fieldname), lexicon))
        return sorted(words)
    return view.cached(("vocabulary", fieldname), make)


def _written_forms(view) -> dict[str, list[str]]:
    """Each folded word and its written forms in the vocabulary ("thu" → thu, thủ, thứ, thư…)."""
    def make():
        out: dict[str, list[str]] = {}
        for word in _vocabulary(view, "text"):
            out.setdefault(fold(word).lower(), []).append(word)
        return out
    return view.cached("written_forms", make)


def suggest(engine, query: Query, principals=None) -> str | None:
    """A corrected query when a word has no hit ("did you mean"), in real words of the archive.

    A word with no hit is replaced by the closest word of the archive's vocabulary (edit distance 1–2,
    rapidfuzz's Damerau-Levenshtein; the fewest edits, then the most documents) that has hits. Words typed
    without diacritics are then given them back as the archive writes them: the written forms that read as
    phrases with their neighbours in some document («quang ngaii» → «quảng ngãi»), else the most frequent.

    Words and corrections are judged by the documents ``principals`` may view: a word found only in
    documents the user may not see counts as unknown, and a correction is offered only if it has hits
    among what they may see — so the suggestion never tells of a hidden document's words.
    """
    with engine.read_lock:
        view = engine.view()
        reader = view.reader
        evaluator = Evaluator(view)
        visible = view.principals_mask(principals) if principals is not None else view.live

        def seen(fieldname: str, term: str) -> bool:
            return bool((evaluator.any_term_mask(fieldname, [term]) & visible).any())

        def phrase_seen(words: list[str]) -> bool:  # docmgr's evaluator reads the packed positions
            return bool((evaluator.words_mask("text", words, phrase=True) & visible).any())

        def frequency(fieldname: str, term: str) -> int:
            return view.cached(("df", fieldname, term), lambda: reader.doc_frequency(fieldname, term) or -1)

        changed = False
        groups = []  # per phrase of the query: [(exact word | None, folded word | None)]
        for words in query.positive_words():
            fixed = []
            for exact, folded in zip(words.exact, words.folded):
                plain = exact == folded  # typed without diacritics
                fieldname, term = ("text_f", folded) if plain else ("text", exact)
                if term.isdigit() or seen(fieldname, term):
                    fixed.append((None, folded) if plain else (exact, None))
                    continue
                close = process.extract(term, _vocabulary(view, fieldname), scorer=DamerauLevenshtein.distance,
                                        score_cutoff=2 if len(term) > 4 else 1, limit=20)
                close.sort(key=lambda c: (c[1], -frequency(fieldname, c[0])))
                found = next((word for word, _distance, _i in close if word != term and seen(fieldname, word)), None)
                if found:
                    changed = True
                    fixed.append((None, found) if plain else (found, None))
                else:
                    fixed.append((exact, None))
            groups.append((words.phrase, fixed))
        if not changed:
            return None
        forms = _written_forms(view)

        def candidates(folded: str) -> list[str]:
            written = sorted(forms.get(folded, []), key=lambda w: -frequency("text", w))[:4]
            return [w for w in written if frequency("text", w) > 0] or [folded]

        # The words are read in the order typed, across the query's items ("quang ngaii" is two items).
        chosen = iter(_with_diacritics([w for _phrase, fixed in groups for w in fixed], candidates, phrase_seen))
        out = []
        for phrase, fixed in groups:
            words = [next(chosen) for _ in fixed]
            text = " ".join(words)
            out.append(f'"{text}"' if phrase and len(words) > 1 else text)
    return " ".join(out)


def _with_diacritics(fixed: list[tuple[str | None, str | None]], candidates, phrase_seen) -> list[str]:
    """The written form of each word: those typed with diacritics as they are; for the others, the sequence of
    forms (each among its four most frequent) that reads most as phrases in visible documents — each word with
    the one before it, and with the two before it — the more frequent forms breaking ties; chosen left to
    right, keeping the best way to reach each form of each word."""
    options = [[exact] if exact is not None else candidates(folded) for exact, folded in fixed]
    # best[form] = (pairs that are phrases, −sum of frequency ranks, the words so far)
    # keyed by the last two words (what the next word is read with)
    best = {(form,): (0, -rank, [form]) for rank, form in enumerate(options[0])}
    for forms in options[1:]:
        step: dict = {}
        for rank, form in enumerate(forms):
            for score, ranks, words in best.values():
                candidate = (score + _reads_on(words, form, phrase_seen), ranks - rank, [*words, form])
                key = (words[-1], form)
                if key not in step or candidate[:2] > step[key][:2]:
                    step[key] = candidate
        best = step
    return max(best.values(), key=lambda t: (t[0], t[1]))[2]


def _reads_on(words: list[str], form: str, phrase_seen) -> int:
    """How well ``form`` continues ``words``: 1 if it makes a phrase with the last word, 2 with the last two."""
    if not phrase_seen([words[-1], form]):
        return 0
    return 2 if len(words) > 1 and phrase_seen([*words[-2:], form]) else 1


RELATED_TERMS = 60  # distinct words of a document weighed to find its related documents


def related(engine, doc_id: str, folded_terms: list[str], principals, limit: int = 5) -> list[int]:
    """Documents sharing the most distinctive words of a document's subject and opening: those words (rarer
    than one document in five, seen at least twice), OR-ed and ranked by BM25 with docmgr's evaluator."""
    with engine.read_lock:
        view = engine.view()
        reader = view.reader
        total = max(1, reader.doc_count())
        seen, scored = set(), []
        for term in folded_terms:
            if term in seen or len(term) < 2 or term.isdigit():
                continue
            seen.add(term)
            if len(seen) > RELATED_TERMS:  # the subject and the opening say what a document is about
                break
            df = view.cached(("df", term), lambda t=term: reader.doc_frequency("text_f", t) or -1)
            if 1 < df < total * 0.2:
                scored.append((df, term))
        terms = [t for _df, t in sorted(scored)[:12]]
        if not terms:
            return []
        evaluator = Evaluator(view)
        mask = evaluator.any_term_mask("text_f", terms) & view.live
        if principals is not None:
            mask &= view.principals_mask(principals)
        mask[evaluator.postings("id", doc_id).ids] = False
        candidates = np.flatnonzero(mask)
        if not len(candidates):
            return []
        scores = np.zeros(view.size, dtype=np.float32)
        evaluator.add_bm25(scores, "text_f", terms, 1.0)
        chosen = top(scores, candidates, limit, descending=True)
        stored = view.searcher.stored_fields
        return [int(stored(docnum)["id"]) for docnum in chosen.tolist()]