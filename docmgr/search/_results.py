"""Running a user's query: hits with snippets, facets, the suggestion, related documents. Private to
:mod:`docmgr.search`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import func, literal, select

from docmgr.documents.loading import list_options
from docmgr.documents.models import Document
from docmgr.search.analysis import folded_terms
from docmgr.search.engine import FACETS, SORTS
from docmgr.search.query import Query, QueryError, parse
from docmgr.search.snippets import SCAN_CHARS, snippet
from docmgr.workflow.permissions import user_principals


def principals_for_user(user) -> list[str] | None:
    """None means "no filter" (the command line run by the operator)."""
    if user is None:
        return None

    return user_principals(user)


# -- searching -------------------------------------------------------------


@dataclass
class SearchResults:
    query: Query
    total: int
    page: int
    per_page: int
    hits: list[dict]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def as_json(self) -> dict:
        return {
            "total": self.total, "page": self.page, "per_page": self.per_page,
            "hits": [{k: (v.isoformat() if isinstance(v, dt.date) else (str(v) if isinstance(v, Markup) else v))
                      for k, v in hit.items() if k != "document"} for hit in self.hits],
            "facets": {name: [[value, count] for value, count in values] for name, values in self.facets.items()},
            "suggestion": self.suggestion,
        }


def search(state, text: str, *, user=None, principals: list[str] | None = None, page: int = 1,
           per_page: int = 20, sort: str = "relevance", filters: dict[str, str] | None = None,
           facets: bool = True) -> SearchResults:
    """Run the user's query. ``user`` (or explicit ``principals``) limits hits to what they may view."""
    query = parse(text)
    if sort not in SORTS:
        raise QueryError(f"Không có cách sắp xếp «{sort}»: chọn {', '.join(SORTS)}.")
    filters = {k: v for k, v in (filters or {}).items() if k in FACETS and v}
    if principals is None:
        principals = principals_for_user(user)
    page = max(1, page)
    hits = state.search.run(query, principals=principals, exact_filters=filters, sort=sort,
                            offset=(page - 1) * per_page, limit=per_page, facets=facets)
    folded = {t for words in query.positive_words() for t in words.folded}
    out = []
    with state.sessionmaker() as db:
        # What a hit shows, and the opening of its text the snippet is cut from; never the whole text.
        opening = func.substr(Document.text, 1, SCAN_CHARS) if folded else literal("")
        rows = db.execute(select(Document, opening).options(*list_options())
                          .where(Document.id.in_(hits.ids))).all()
        docs = {d.id: d for d, _text in rows}
        texts = {d.id: text for d, text in rows}
        for doc_id, score in zip(hits.ids, hits.scores):
            doc = docs.get(doc_id)
            if doc is None:  # deleted since the index was written; the queue will drop it
                continue
            out.append({
                "id": doc.id, "number": doc.number, "subject": doc.subject, "issued_on": doc.issued_on,
                "issuer": doc.issuer, "doc_type": doc.doc_type, "direction": doc.direction,
                "snippet": snippet(texts[doc.id] or doc.subject or "", folded) if folded else Markup(""),
                "score": score, "document": doc,
            })
    suggestion = None
    if hits.total == 0 and query.alternatives:
        suggestion = state.search.suggest(query, principals)
    return SearchResults(query, hits.total, page, per_page, out, hits.facets, suggestion)


def related(state, doc, user=None, limit: int = 5) -> list[int]:
    terms = folded_terms(f"{doc.subject or ''} {(doc.text or '')[:3000]}")
    return state.search.related(str(doc.id), terms, principals_for_user(user), limit)
