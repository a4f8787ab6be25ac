"""The boundary between docmgr's search and the engine that keeps the index.

Everything in :mod:`docmgr.search` outside the engine's own package talks to the
engine through :class:`SearchEngine` only: what goes in is a dict of fields per
document (:func:`docmgr.search.document_fields`), what comes out are document ids,
scores and facet counts. The Whoosh implementation is
:class:`docmgr.search.whoosh_engine.WhooshEngine`; another engine implements this
protocol and is chosen in :func:`docmgr.search.init_state`. ``tests/test_search_engine.py``
checks that the rest of the package calls nothing else.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from docmgr.search.query import Query


# Orders of the hit list every engine offers.
SORTS = ("relevance", "date_desc", "date_asc", "number")
# Facets counted over all hits: facet name → the exact-value field holding it.
FACETS = {"doc_type": "doc_type", "issuer": "issuer", "year": "year", "signer": "signer", "sector": "sector"}


@dataclass
class Hits:
    """One page of a query's hits, the total, and facet counts over all hits."""

    total: int
    ids: list[int]
    scores: list[float]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


@runtime_checkable
class SearchEngine(Protocol):
    """An index of documents by id, written by one process at a time, read by any.

    Errors are :mod:`docmgr.search.errors`: ``IndexMissingError`` (no index yet),
    ``IndexCorruptError`` (damaged: reindex), ``IndexBusyError`` (the write lock
    was not had in time).
    """

    lock_timeout: float
    index_procs: int  # worker processes a full build may use

    # -- state ---------------------------------------------------------------
    def status(self) -> tuple[str, str]:
        """("ok" | "missing" | "corrupt", a message for the operator)."""

    def create_empty(self) -> Path:
        """Create an empty live index unless one exists."""

    def close(self) -> None:
        """Drop cached readers (the next read reopens the index)."""

    # -- writing -------------------------------------------------------------
    def locked(self, timeout: float | None = None) -> contextlib.AbstractContextManager:
        """Hold the cross-process write lock; ``IndexBusyError`` after ``timeout`` seconds."""

    def write(self, add: list[dict], delete: list[str], building: Path | None = None) -> None:
        """Delete then add documents by id in one commit (lock held): the live index, or ``building``."""

    def build(self, batches: Iterable[list], on_batch: Callable[[int], None] | None = None,
              max_buffered: int = 6_000_000, prepare: Callable | None = None, procs: int = 1) -> Path:
        """Write a complete new index from batches (``prepare`` turns an item into fields); not yet live."""

    def publish(self, building: Path) -> Path:
        """Make a built index the live one, atomically."""

    def remove_stale_builds(self) -> list[str]:
        """Remove builds left by a reindex that died; returns their names."""

    def stamps(self, path: Path | None = None) -> dict[str, bytes]:
        """{document id: stamp} of every document in the live index (or in ``path``)."""

    # -- reading -------------------------------------------------------------
    def warm(self) -> None:
        """Read ahead what every search needs (a server process calls it when it starts)."""

    def run(self, query: Query, *, principals: list[str] | None, exact_filters: dict[str, str] | None = None,
            sort: str = "relevance", offset: int = 0, limit: int = 20, facets: bool = True) -> Hits:
        """The hits of ``query`` that one of ``principals`` may view (None: all), sorted, one page."""

    def suggest(self, query: Query, principals: list[str] | None = None) -> str | None:
        """A corrected query when a word has no hit among what ``principals`` may view."""

    def related(self, doc_id: str, folded_terms: list[str], principals: list[str] | None,
                limit: int = 5) -> list[int]:
        """Documents sharing the most distinctive of ``folded_terms``, ``doc_id`` left out."""
