"""The name under which Whoosh index files know docmgr's field classes.

Every index written by docmgr pickles ``docmgr.search.schema.VietnameseText`` (and the
tokenizer and format classes) into its table of contents; opening the index imports
them from here. The code lives in :mod:`docmgr.search.whoosh_engine.schema`; this
module must stay, with these names, for as long as such indexes may exist.
"""

from docmgr.search.whoosh_engine.schema import PackedPositions, VietnameseText, VietnameseTokenizer, make_schema


__all__ = ["PackedPositions", "VietnameseText", "VietnameseTokenizer", "make_schema"]
