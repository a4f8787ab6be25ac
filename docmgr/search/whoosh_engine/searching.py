"""Whoosh: run a parsed query (see :mod:`docmgr.search.whoosh_engine.evaluate`), suggest spellings, find related documents."""

from __future__ import annotations

import numpy as np
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


def suggest(engine, query: Query, principals=None) -> str | None:
    """A corrected query when a word has no hit ("did you mean"), in real words of the archive.

    A word with no hit is replaced by the closest word of the index's vocabulary (Whoosh's corrector, edit
    distance 1–2) that has hits. Words typed without diacritics are then given them back, as the archive
    writes them: among the forms of each word ("quang" → quảng, quang, quáng), the one that reads as a phrase
    with its neighbours in some document («quang ngaii» → «quảng ngãi»), else the most frequent.

    Words and corrections are judged by the documents ``principals`` may view: a word found only in
    documents the user may not see counts as unknown, and a correction is offered only if it has hits
    among what they may see — so the suggestion never tells of a hidden document's words.
    """
    allowed = _principal_filter(principals)
    with engine.read_lock:
        view = engine.view()
        searcher = view.searcher
        reader = searcher.reader()

        def hits(q) -> bool:
            if allowed is not None:
                q = wq.And([q, allowed])
            return searcher.search(q, limit=1).scored_length() > 0

        def seen(fieldname: str, term: str) -> bool:
            return reader.doc_frequency(fieldname, term) > 0 and (allowed is None or hits(wq.Term(fieldname, term)))

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
                candidates = searcher.corrector(fieldname).suggest(term, limit=8, maxdist=2 if len(term) > 4 else 1)
                # the fewest edits first («ngaii»: ngai before người), then the most documents
                candidates.sort(key=lambda c: (DamerauLevenshtein.distance(term, c),
                                               -reader.doc_frequency(fieldname, c)))
                found = next((c for c in candidates if seen(fieldname, c)), None)
                if found:
                    changed = True
                    fixed.append((None, found) if plain else (found, None))
                else:
                    fixed.append((exact, None))
            groups.append((words.phrase, fixed))
        if not changed:
            return None
        forms = view.cached("exact_forms", lambda: _exact_forms(reader))
        evaluator = Evaluator(view)
        visible = view.principals_mask(principals) if principals is not None else view.live

        def phrase_seen(words: list[str]) -> bool:  # docmgr's evaluator reads the packed positions
            return bool((evaluator.words_mask("text", words, phrase=True) & visible).any())

        # The words are read in the order typed, across the query's items ("quang ngaii" is two items).
        chosen = iter(_with_diacritics([w for _phrase, fixed in groups for w in fixed], forms, phrase_seen))
        out = []
        for phrase, fixed in groups:
            words = [next(chosen) for _ in fixed]
            text = " ".join(words)
            out.append(f'"{text}"' if phrase and len(words) > 1 else text)
        suggestion = " ".join(out)
    return suggestion


def _exact_forms(reader) -> dict[str, list[str]]:
    """Each folded word of the index and its written forms, the most frequent first ("ngai" → ngãi, ngại…)."""
    forms: dict[str, list[tuple[int, str]]] = {}
    for raw in reader.lexicon("text"):
        word = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        key = fold(word).lower()
        if key != word:
            forms.setdefault(key, []).append((reader.doc_frequency("text", word), word))
    return {key: [w for _df, w in sorted(found, key=lambda x: -x[0])] for key, found in forms.items()}


def _with_diacritics(fixed: list[tuple[str | None, str | None]], forms: dict, phrase_seen) -> list[str]:
    """Words of a phrase of the suggestion: those typed with diacritics as they are; the others in their
    written form that continues the words before it as a phrase in some visible document (the longest such
    run first), else the most frequent written form (else as typed)."""
    out: list[str] = []
    for exact, folded in fixed:
        if exact is not None:
            out.append(exact)
            continue
        candidates = forms.get(folded, [])[:4]
        if not candidates:
            out.append(folded)
            continue
        choice = candidates[0]
        if out and len(candidates) > 1:  # the longest run of words before it that it continues, as a phrase
            choice = next((c for start in range(len(out)) for c in candidates
                           if phrase_seen([*out[start:], c])), choice)
        out.append(choice)
    # The first word, chosen before its neighbour was known: take the form that reads with the second.
    if len(fixed) > 1 and fixed[0][0] is None and len(forms.get(fixed[0][1], [])) > 1:
        second = out[1]
        out[0] = next((c for c in forms[fixed[0][1]][:4] if phrase_seen([c, second])), out[0])
    return out


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
            df = reader.doc_frequency("text_f", term)
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