"""Whoosh: run a parsed query (see :mod:`docmgr.search.whoosh_engine.evaluate`), suggest spellings, find related documents."""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from docmgr.search.engine import Hits
from docmgr.search.query import Query
from docmgr.search.whoosh_engine.evaluate import Evaluator, facet_counts, top


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
    """A corrected query when a word has no hit ("did you mean").

    Words and corrections are judged by the documents ``principals`` may view: a word found only in
    documents the user may not see counts as unknown, and a correction is offered only if it has hits
    among what they may see — so the suggestion never tells of a hidden document's words.
    """
    allowed = _principal_filter(principals)
    with engine.read_lock:
        searcher = engine.searcher()
        reader = searcher.reader()

        def seen(fieldname: str, term: str) -> bool:
            if reader.doc_frequency(fieldname, term) == 0:
                return False
            if allowed is None:
                return True
            return searcher.search(wq.And([wq.Term(fieldname, term), allowed]), limit=1).scored_length() > 0

        changed = False
        words_out = []
        for words in query.positive_words():
            fixed = []
            for exact, folded in zip(words.exact, words.folded):
                fieldname, term = ("text", exact) if exact != folded else ("text_f", folded)
                if term.isdigit() or seen(fieldname, term):
                    fixed.append(exact)
                    continue
                candidates = searcher.corrector(fieldname).suggest(term, limit=8, maxdist=2 if len(term) > 4 else 1)
                found = next((c for c in candidates if seen(fieldname, c)), None)
                if found:
                    fixed.append(found)
                    changed = True
                else:
                    fixed.append(exact)
            text = " ".join(fixed)
            words_out.append(f'"{text}"' if words.phrase and len(fixed) > 1 else text)
        return " ".join(words_out) if changed else None


def related(engine, doc_id: str, folded_terms: list[str], principals, limit: int = 5) -> list[int]:
    """Documents sharing the most distinctive words of a document's subject and opening."""
    with engine.read_lock:
        searcher = engine.searcher()
        reader = searcher.reader()
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
        q = wq.Or([wq.Term("text_f", t) for t in terms])
        q = wq.AndNot(q, wq.Term("id", doc_id))
        if principals is not None:
            q = wq.And([q, _principal_filter(principals)])
        return [int(hit["id"]) for hit in searcher.search(q, limit=limit, terms=False)]
