"""The Whoosh schema, with a text field type for Vietnamese.

Whoosh's usual path (analyzer → one ``Token`` object per word → a dict of
positions → pickled position lists) costs several microseconds per word. docmgr's
writer splits each text once for its exact and folded fields
(:mod:`docmgr.search.whoosh_engine.writer`); positions are stored as packed ``uint32`` arrays,
which encode and decode in C.
"""

from __future__ import annotations

import sys
from array import array

from whoosh import columns, fields, formats
from whoosh.analysis import Token, Tokenizer

from docmgr.search.analysis import Postings, Text, exact_terms, folded_terms


_SWAP = sys.byteorder != "little"  # positions are stored little-endian


def _encode(positions: array) -> bytes:
    if _SWAP:
        positions = array("I", positions)
        positions.byteswap()
    return positions.tobytes()


class PackedPositions(formats.Format):
    """Positions as a little-endian uint32 array; frequency is its length."""

    def word_values(self, value, analyzer, **kwargs):
        postings: dict[str, array] = {}
        for token in analyzer(value, positions=True):
            postings.setdefault(token.text, array("I")).append(token.pos)
        for word, positions in postings.items():
            yield word, len(positions), float(len(positions)) * self.field_boost, _encode(positions)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        positions = array("I")
        positions.frombytes(valuestring)
        if _SWAP:
            positions.byteswap()
        return positions.tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost

    def decode_position_boosts(self, valuestring: bytes):
        return [(pos, 1) for pos in self.decode_positions(valuestring)]


class VietnameseTokenizer(Tokenizer):
    """A Whoosh tokenizer giving the same terms as the index (for Whoosh tools that ask)."""

    def __init__(self, folded: bool):
        self.folded = folded

    def __eq__(self, other):
        return type(other) is type(self) and other.folded == self.folded

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        terms = folded_terms(value) if self.folded else exact_terms(value)
        for pos, term in enumerate(terms, start_pos):
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = pos
            yield token


class VietnameseText(fields.FieldType):
    """A text field with positions; indexes a :class:`Text` or a plain string.

    docmgr's writer (:class:`docmgr.search.whoosh_engine.writer.BulkWriter`) splits the text
    itself; :meth:`index` is for Whoosh's own writers.
    """

    def __init__(self, folded: bool, field_boost: float = 1.0):
        super().__init__(PackedPositions(field_boost=field_boost), VietnameseTokenizer(folded),
                         scorable=True)
        self.folded = folded

    def index(self, value, **kwargs):
        value = Postings(*value.parts) if isinstance(value, Text) else Postings(value)
        table = value.folded if self.folded else value.exact
        boost = self.format.field_boost
        for term, positions in table.items():
            yield term.encode("utf-8"), len(positions), len(positions) * boost, _encode(positions)

    def process_text(self, qstring, mode="", **kwargs):
        return iter(folded_terms(qstring) if self.folded else exact_terms(qstring))


# The index files pickle the schema, and with it the module path of these three classes: that path is part
# of the index format. It is pinned to ``docmgr.search.schema`` (a module that re-exports them), whatever
# file the code lives in, so moving the code can never make an existing index read as damaged
# (tests/test_search_writer.py checks it).
PICKLED_MODULE = "docmgr.search.schema"
for _cls in (PackedPositions, VietnameseTokenizer, VietnameseText):
    _cls.__module__ = PICKLED_MODULE


def make_schema() -> fields.Schema:
    """Fields: see :mod:`docmgr.search` for what each holds."""
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        stamp=fields.COLUMN(columns.VarBytesColumn()),
        # Subject then body, with diacritics (tone marks placed one way) and folded.
        text=VietnameseText(folded=False),
        text_f=VietnameseText(folded=True),
        subject=VietnameseText(folded=False),
        subject_f=VietnameseText(folded=True),
        number=fields.ID(),
        issuer_f=VietnameseText(folded=True),
        signer_f=VietnameseText(folded=True),
        sector_f=VietnameseText(folded=True),
        # Exact values, for filters and facets (columns give the facet counts).
        issuer=fields.ID(sortable=True),
        signer=fields.ID(sortable=True),
        sector=fields.ID(sortable=True),
        doc_type=fields.ID(sortable=True),
        direction=fields.ID(),
        year=fields.ID(sortable=True),
        issued=fields.DATETIME(sortable=True),
        number_sort=fields.COLUMN(columns.VarBytesColumn()),
        allowed=fields.KEYWORD(commas=False, lowercase=False),
    )
