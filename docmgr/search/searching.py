"""Turn a parsed query into Whoosh queries, run it, count facets, suggest spellings."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.scoring import BM25F

from docmgr.search.query import FieldFilter, Number, Query, Words

# Boosts on top of the folded body match (which every hit has): the user's own
# diacritics, then the subject, then the number, rank higher.
EXACT_BOOST = 1.5
SUBJECT_FOLDED_BOOST = 3.0
SUBJECT_EXACT_BOOST = 4.0
NUMBER_BOOST = 50.0

FACETS = {"doc_type": "doc_type", "issuer": "issuer", "year": "year", "signer": "signer", "sector": "sector"}
SORTS = ("relevance", "date_desc", "date_asc", "number")
SCORING = BM25F(B=0.75, K1=1.2)


@dataclass
class Hits:
    total: int
    ids: list[int]
    scores: list[float]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def _words_query(fieldname: str, terms: list[str], phrase: bool, boost: float = 1.0):
    if len(terms) == 1:
        return wq.Term(fieldname, terms[0], boost=boost)
    if phrase:
        return wq.Phrase(fieldname, terms, boost=boost)
    return wq.And([wq.Term(fieldname, t, boost=boost) for t in terms])


def _match(item) -> wq.Query:
    """What a document must contain for ``item`` (accent-insensitive)."""
    if isinstance(item, Number):
        return wq.Or([wq.Term("number", item.key, boost=NUMBER_BOOST), _match(item.words)])
    return _words_query("text_f", item.folded, item.phrase)


def _bonus(item) -> list[wq.Query]:
    """Extra score: exact diacritics, subject."""
    words = item.words if isinstance(item, Number) else item
    out = [_words_query("subject_f", words.folded, words.phrase, SUBJECT_FOLDED_BOOST)]
    if words.exact != words.folded:
        out.append(_words_query("text", words.exact, words.phrase, EXACT_BOOST))
        out.append(_words_query("subject", words.exact, words.phrase, SUBJECT_EXACT_BOOST))
    else:
        out.append(_words_query("text", words.exact, words.phrase, EXACT_BOOST))
    return out


def _filter(f: FieldFilter) -> wq.Query:
    if f.name in ("issuer_f", "signer_f", "sector_f"):
        return _words_query(f.name, f.value, phrase=True)
    return wq.Term(f.name, f.value)


def compile_query(query: Query, principals: list[str] | None,
                  exact_filters: dict[str, str] | None = None) -> tuple[wq.Query, wq.Query]:
    """(scored query, matching-only query): the second one gives the hit set for facets."""
    musts: list[wq.Query] = []
    if query.alternatives:
        alternatives = [wq.And([_match(i) for i in alt]) if len(alt) > 1 else _match(alt[0])
                        for alt in query.alternatives]
        musts.append(alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives))
    musts.extend(_filter(f) for f in query.filters)
    if query.date_from or query.date_to:
        start = dt.datetime.combine(query.date_from, dt.time.min) if query.date_from else None
        end = dt.datetime.combine(query.date_to, dt.time.max) if query.date_to else None
        musts.append(wq.DateRange("issued", start, end))
    for name, value in (exact_filters or {}).items():
        musts.append(wq.Term(FACETS[name], value))
    if principals is not None:
        musts.append(wq.Or([wq.Term("allowed", p) for p in principals]) if principals else wq.NullQuery)
    if not musts:
        musts.append(wq.Every())
    match = musts[0] if len(musts) == 1 else wq.And(musts)
    if query.exclude:
        match = wq.AndNot(match, wq.Or([_match(i) for i in query.exclude]))
    bonus = [b for alt in query.alternatives for item in alt for b in _bonus(item)]
    scored = wq.AndMaybe(match, wq.Or(bonus)) if bonus else match
    return scored, match


def run(engine, query: Query, *, principals, exact_filters=None, sort="relevance",
        offset=0, limit=20, facets=True) -> Hits:
    scored, match = compile_query(query, principals, exact_filters)
    with engine.read_lock:
        searcher = engine.searcher()  # one per index generation, reused
        if sort == "relevance":
            results = searcher.search(scored, limit=offset + limit, terms=False) if query.alternatives \
                else searcher.search(match, limit=offset + limit, sortedby="issued", reverse=True)
        elif sort in ("date_desc", "date_asc"):
            results = searcher.search(match, limit=offset + limit, sortedby="issued", reverse=sort == "date_desc")
        else:
            results = searcher.search(match, limit=offset + limit, sortedby="number_sort")
        page = results[offset:offset + limit]
        ids = [int(hit["id"]) for hit in page]
        scores = [round(float(hit.score or 0.0), 4) for hit in page]
        if facets:
            docnums = list(searcher.docs_for_query(match))
            total = len(docnums)
            counted = facet_counts(engine, searcher, docnums)
        else:
            total = len(results)
            counted = {}
    return Hits(total=total, ids=ids, scores=scores, facets=counted)


def facet_counts(engine, searcher, docnums: list[int], top: int = 15) -> dict[str, list[tuple[str, int]]]:
    out = {}
    for name, column in FACETS.items():
        values = engine.column(searcher, column)
        counts = Counter(map(values.__getitem__, docnums))
        counts.pop("", None)
        counts.pop(None, None)
        out[name] = [(v, n) for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    return out


def suggest(engine, query: Query) -> str | None:
    """A corrected query when a word is not in the index ("did you mean")."""
    with engine.read_lock:
        searcher = engine.searcher()
        reader = searcher.reader()
        changed = False
        words_out = []
        for words in query.positive_words():
            fixed = []
            for exact, folded in zip(words.exact, words.folded):
                fieldname, term = ("text", exact) if exact != folded else ("text_f", folded)
                if reader.doc_frequency(fieldname, term) > 0 or term.isdigit():
                    fixed.append(exact)
                    continue
                found = searcher.corrector(fieldname).suggest(term, limit=1, maxdist=2 if len(term) > 4 else 1)
                if found:
                    fixed.append(found[0])
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
            q = wq.And([q, wq.Or([wq.Term("allowed", p) for p in principals]) if principals else wq.NullQuery])
        return [int(hit["id"]) for hit in searcher.search(q, limit=limit, terms=False)]
