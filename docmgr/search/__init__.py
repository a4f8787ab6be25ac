"""Full-text search for Vietnamese documents: the only module that knows the search engine.

Public API (everything else in docmgr goes through these)::

    index_documents(state, ids)   bring these documents up to date in the index (update or delete)
    commit_and_sync(db)           commit, then apply what the transaction queued (every change ends so)
    sync(state)                   apply the search queue (any process's)
    search(state, text, ...)      parse and run a query; hits, facets, snippets, suggestion
    related(state, doc, ...)      documents like this one
    reindex(state, progress=...)  rebuild into a new generation, swap when complete
    check(state, repair=False)    compare database and index: missing, stale, orphaned, damaged
    ensure_index(state)           create the index of a new instance (never over a damaged one)
    queue_documents(db, ids)      queue documents whose entries must be rewritten (who may see them changed)
    defer_sync(db)                leave a session's changes for a bulk sync (imports)

The engine is behind one interface, :class:`SearchEngine` (``engine.py``); its Whoosh
implementation, the only code that imports Whoosh, is the ``whoosh_engine`` package.

What the index holds per document: its id (stored), a stamp (the last change, to
find stale entries), the subject and text as exact and accent-folded terms with
positions, the number key, issuer/signer/sector as folded words and exact values
(facets), type code, direction, year, issue date, and the principals allowed to
view it. Snippets are cut from the text in the database.
"""
from __future__ import annotations

from docmgr.cpu import CpuSlots
from docmgr.search._indexing import (
    BATCH,
    INDEX_VERSION,
    PARALLEL_FROM,
    REINDEX_BATCH,
    CheckReport,
    IndexSource,
    check,
    commit_and_sync,
    document_fields,
    ensure_index,
    index_documents,
    index_source,
    queued,
    reindex,
    stamp,
    sync,
)
from docmgr.search._results import SearchResults, principals_for_user, related, search
from docmgr.search.engine import FACETS, SORTS, Hits, SearchEngine
from docmgr.search.errors import IndexBusyError, IndexCorruptError, IndexMissingError, SearchError
from docmgr.search.query import QueryError, parse
from docmgr.search.queue import SearchQueue, defer_sync, queue_documents, track_changes, unsynced
from docmgr.search.whoosh_engine import WhooshEngine


__all__ = [
    "BATCH", "FACETS", "INDEX_VERSION", "PARALLEL_FROM", "REINDEX_BATCH", "SORTS", "CheckReport",
    "Hits", "IndexBusyError", "IndexCorruptError", "IndexMissingError", "IndexSource", "QueryError",
    "SearchEngine", "SearchError", "SearchQueue", "SearchResults", "check", "commit_and_sync", "defer_sync", "document_fields", "ensure_index",
    "index_documents", "index_source", "init_state", "parse", "principals_for_user", "queue_documents", "queued",
    "reindex", "related", "search", "stamp", "sync", "unsynced",
]


def init_state(state, lock_timeout: float, index_procs: int = 1) -> None:
    """Attach the engine to the app's docmgr state; flushes of its sessions queue the documents they touch. The
    reindex processes share the machine's CPU slots with the file readers (``state.read_limits.cpu_slots``)."""
    slots = getattr(state.read_limits, "cpu_slots", None) or CpuSlots("")
    state.search = WhooshEngine(state.index_dir, lock_timeout=lock_timeout, index_procs=max(1, index_procs),
                                cpu_slots=slots)
    track_changes(state.sessionmaker)
