"""The Whoosh engine behind :class:`docmgr.search.engine.SearchEngine`: the only code that imports Whoosh.

``engine``     index folders (generations), the write lock, writing, checking, reading
``writer``     a segment writer for bulk loads (numpy postings), Whoosh's file format
``evaluate``   queries run a posting list at a time over Whoosh's files, with numpy
``searching``  a query's page of hits, "did you mean", related documents
``schema``     the fields, and the Vietnamese text field type (pickled into the index)
"""

from docmgr.search.whoosh_engine.engine import DAMAGE_ERRORS, WhooshEngine


__all__ = ["DAMAGE_ERRORS", "WhooshEngine"]
