"""A Whoosh segment writer that keeps postings in memory, grouped by term.

Whoosh's own writer sends every posting (one word in one document) through a
sorting pool: a tuple, a pickle to a temporary run file, a heap merge, then a
per-posting call chain that reads each document's field length back from disk.
At ~770 postings per page of text that was 12 µs a posting, 1 MB/s.

Here each posting is two appends to the arrays of its term, the field lengths
stay in memory, and at commit each term's posting list is cut straight into
Whoosh's 128-posting blocks. The files written are Whoosh's own (W3 codec), read
by the stock reader; only the way of writing them differs. The private
attributes of ``W3PostingsWriter`` used here are those of whoosh-reloaded 2.7.x
(pinned in setup.cfg); ``tests/test_search_index.py`` reads back what is written.
"""

from __future__ import annotations

import pickle
import sys
from array import array
from itertools import chain, repeat
from operator import rshift, sub

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo
from whoosh.filedb.filetables import _lengths as _KV_LENGTHS
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from docmgr.search.analysis import Postings
from docmgr.search.schema import VietnameseText, _encode

_LITTLE = sys.byteorder == "little"
BLOCK = 128
# Posting lists this short are kept in the term dictionary itself: most terms of
# an archive (names, numbers, typing errors) occur in a document or two, and
# writing each as a block of its own in the postings file cost more than the rest.
INLINE = 4
PICKLE_PROTOCOL = 5  # Whoosh writes protocol 2 and reads any


class _Term:
    __slots__ = ("docs", "ends", "values")

    def __init__(self):
        self.docs = array("I")
        self.ends = array("I")
        self.values = bytearray()


class MemoryPool:
    """Postings by field, then term; also takes Whoosh's per-posting adds (used by merges).

    Terms of Vietnamese text fields are kept as str (encoded once, at flush),
    others as Whoosh's term bytes; a field never mixes the two. UTF-8 sorts in
    code-point order, so sorting the str keys sorts their bytes.
    """

    def __init__(self, text_fields: frozenset[str] = frozenset()):
        self.text_fields = text_fields
        self.fields: dict[str, dict] = {}
        self.postings = 0
        self.fieldnames: set[str] = set()

    def add_positions(self, fieldname: str, table: dict, docnum: int) -> None:
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        for term, positions in table.items():
            entry = terms.get(term)
            if entry is None:
                entry = terms[term] = _Term()
            entry.docs.append(docnum)
            values = entry.values
            values += positions.tobytes() if _LITTLE else _encode(positions)
            entry.ends.append(len(values))
        self.postings += len(table)

    def add(self, item) -> None:
        fieldname, tbytes, docnum, _weight, vbytes = item
        self.fieldnames.add(fieldname)
        terms = self.fields.setdefault(fieldname, {})
        term = tbytes.decode("utf-8") if fieldname in self.text_fields else tbytes
        entry = terms.get(term)
        if entry is None:
            entry = terms[term] = _Term()
        entry.docs.append(docnum)
        entry.values += vbytes or b""
        entry.ends.append(len(entry.values))
        self.postings += 1

    def cleanup(self) -> None:
        self.fields.clear()


class BulkWriter(SegmentWriter):
    """``SegmentWriter`` with an in-memory, term-grouped posting pool.

    Only the fields of :func:`docmgr.search.schema.make_schema` are supported:
    positions formats for :class:`VietnameseText`, no weights other than the
    term frequency (or 1.0 for ID/keyword fields), no term vectors.
    """

    def __init__(self, ix, **kwargs):
        kwargs.setdefault("codec", W3Codec(compression=0))
        kwargs.setdefault("compound", False)
        super().__init__(ix, **kwargs)
        self.pool = MemoryPool(frozenset(name for name, field in self.schema.items()
                                         if isinstance(field, VietnameseText)))
        self._lengths: dict[str, array] = {}
        self.segments_merged = False

    def _commit_toc(self, segments):
        """Write the new TOC but leave old segment files for :func:`sweep_unused`.

        Whoosh deletes the files of merged-away segments at once, but a reader
        in another process opens column files lazily and would then find them
        gone; they are removed after a grace period instead.
        """
        from whoosh.index import TOC

        TOC(self.schema, segments, self.generation).write(self.storage, self.indexname)
        sweep_unused(self.storage, self.indexname, self.generation, segments)

    @property
    def postings(self) -> int:
        return self.pool.postings

    def add_document(self, **fields):
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        local = docnum - self.docbase
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in sorted(fields):
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    if isinstance(field, VietnameseText):
                        if isinstance(value, str):
                            value = Postings(value)
                        table = value.folded if field.folded else value.exact
                        pool.add_positions(fieldname, table, docnum)
                        length = value.length if table else 0
                    else:
                        for tbytes, freq, weight, vbytes in field.index(value):
                            pool.add((fieldname, tbytes, docnum, weight, vbytes))
                            length += freq
                    if field.scorable:
                        lengths = self._lengths.get(fieldname)
                        if lengths is None:
                            lengths = self._lengths[fieldname] = array("I")
                        if len(lengths) <= local:
                            lengths.extend(repeat(0, local + 1 - len(lengths)))
                        lengths[local] = length
                    pool.fieldnames.add(fieldname)
                perdocwriter.add_field(fieldname, field, value if field.stored else None,
                                       length if field.scorable else 0)
                if field.column_type is not None:
                    perdocwriter.add_column_value(fieldname, field.column_type,
                                                  field.to_column_value(value))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def add_reader(self, reader):
        # A merge of an existing segment: its field lengths are read back at flush.
        self.segments_merged = True
        super().add_reader(reader)

    def _flush_segment(self):
        self.perdocwriter.close()
        merged_lengths = None
        if self.docbase or self.segments_merged:
            merged_lengths = self.per_document_reader()
        fw = self.fieldwriter
        schema = self.schema
        for fieldname in sorted(self.pool.fields):
            terms = self.pool.fields[fieldname]
            field = schema[fieldname]
            fw.start_field(fieldname, field)
            lengths = self._lengths.get(fieldname) if field.scorable else None
            if lengths is not None and merged_lengths is not None:
                lengths = array("I", (merged_lengths.doc_field_length(d, fieldname) or 0
                                      for d in range(self.docnum)))
            positional = isinstance(field, VietnameseText)
            pw = fw._postwriter
            postfile = pw._postfile
            key_prefix = pack_ushort(fw._fieldid)
            items = []
            for term in sorted(terms):
                entry = terms[term]
                tbytes = term.encode("utf-8") if isinstance(term, str) else term
                if len(entry.docs) <= INLINE:
                    info = _inlined_terminfo(entry, positional, lengths)
                else:
                    terminfo = W3TermInfo()
                    pw.start_postings(field.format, terminfo)
                    self._write_postings(pw, entry, positional, lengths)
                    terminfo.add_block(pw)  # the last block's statistics
                    _write_block(pw, positional, last=True)
                    info = _terminfo_bytes(terminfo, pack_long(pw._startoffset)
                                           + pack_int(postfile.tell() - pw._startoffset), False)
                    pw._terminfo = None
                items.append((key_prefix + tbytes, info))
            _add_terms(fw._tindex, items)
            fw.finish_field()
        fw.close()
        if merged_lengths is not None:
            merged_lengths.close()

    @staticmethod
    def _write_postings(pw, entry: _Term, positional: bool, lengths: array | None) -> None:
        """Fill the postings writer's block buffers a block at a time; the last block stays buffered."""
        docs, ends = entry.docs, entry.ends
        data = bytes(entry.values)
        starts = array("I", (0,))
        starts.extend(ends[:-1])
        count = len(docs)
        for start in range(0, count, BLOCK):
            stop = min(start + BLOCK, count)
            ids = docs[start:stop]
            vals = list(map(data.__getitem__, map(slice, starts[start:stop], ends[start:stop])))
            if positional:
                weights = array("f", map(rshift, map(len, vals), repeat(2)))
            else:
                weights = array("f", repeat(1.0, stop - start))
            pw._ids = ids
            pw._weights = weights
            pw._values = vals
            pw._maxweight = max(weights)
            if lengths is not None:
                lens = list(map(lengths.__getitem__, ids))
                pw._minlength = min(filter(None, lens), default=None)
                pw._maxlength = max(lens)
            else:
                pw._minlength, pw._maxlength = None, 0
            if stop < count:
                pw._terminfo.add_block(pw)
                _write_block(pw, positional, last=False)
        # The last block is left in the buffer: the caller inlines it or writes it as the last.


def _write_block(pw, positional: bool, last: bool) -> None:
    """Whoosh's ``W3PostingsWriter._write_block``, with a modern pickle protocol.

    Whoosh pickles each block with protocol 2, which has no opcode for bytes:
    every position list went through ``codecs.encode(str, "latin1")`` on reading,
    most of the cost of a phrase query. Whoosh's reader unpickles any protocol.
    The caller has already added the block to the term's statistics.
    """
    if not pw._blockcount:
        pw._postfile.write(WHOOSH3_HEADER_MAGIC)
    ids = pw._ids
    data = (
        tuple(map(sub, ids, chain((0,), ids))),  # delta-coded within the block, as Whoosh does
        # Position lists have no fixed size and weights vary; other fields: Whoosh's own minifying.
        tuple(pw._weights) if positional else pw._mini_weights(),
        tuple(pw._values) if positional else pw._mini_values(),
    )
    databytes = pickle.dumps(data, PICKLE_PROTOCOL)
    info = pickle.dumps((len(ids), ids[-1], pw._maxweight, 0, length_to_byte(pw._minlength),
                         length_to_byte(pw._maxlength)), PICKLE_PROTOCOL)
    length = len(info) + len(databytes)
    postfile = pw._postfile
    postfile.write_int(-length if last else length)  # negative: the last block of the term
    postfile.write(info)
    postfile.write(databytes)
    pw._blockcount += 1
    pw._new_block()


def _inlined_terminfo(entry: _Term, positional: bool, lengths: array | None) -> bytes:
    """The term-dictionary value of a short posting list, postings included (no block written).

    Most terms of an archive occur in a document or two; going through Whoosh's
    block writer for each cost ~15 µs a term. Whoosh 2.7's own inlining calls a
    method that does not exist (``set_inline``); its reader handles inlined postings.
    """
    ids = tuple(entry.docs)
    data = bytes(entry.values)
    ends = entry.ends
    values = tuple(data[a:b] for a, b in zip((0, *ends[:-1]), ends))
    weights = tuple(float(len(v) >> 2) for v in values) if positional else (1.0,) * len(ids)
    if lengths is not None:
        lens = [lengths[d] for d in ids]
        present = [n for n in lens if n]
        min_length, max_length = (min(present) if present else None), max(lens)
    else:
        min_length, max_length = None, 0
    return _pack_terminfo(True, sum(weights), len(ids), min_length, max_length, max(weights), ids[0], ids[-1],
                          pickle.dumps((ids, weights, values), PICKLE_PROTOCOL))


def _add_terms(tindex, items: list[tuple[bytes, bytes]]) -> None:
    """``OrderedHashWriter.add`` for a field's sorted terms at once: one write instead of three a term."""
    if not items:
        return
    dbfile = tindex.dbfile
    position = dbfile.tell()
    hashfn = tindex.hashfn
    buckets = tindex.buckets
    index_append = tindex.index.append
    header = _KV_LENGTHS.pack
    header_size = _KV_LENGTHS.size
    if items[0][0] <= tindex.lastkey:
        raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{items[0][0]!r}")
    chunks = []
    for key, value in items:
        index_append(position)
        chunks.append(header(len(key), len(value)))
        chunks.append(key)
        chunks.append(value)
        h = hashfn(key)
        buckets[h & 255].append((h, position))
        position += header_size + len(key) + len(value)
        if len(chunks) >= 30_000:  # a few MB at a time
            dbfile.write(b"".join(chunks))
            chunks.clear()
    dbfile.write(b"".join(chunks))
    tindex.lastkey = items[-1][0]


def _terminfo_bytes(terminfo: W3TermInfo, postings: bytes, inlined: bool) -> bytes:
    """``W3TermInfo.to_bytes`` for our terms: the packed statistics, then inlined postings or extent."""
    return _pack_terminfo(inlined, terminfo._weight, terminfo._df, terminfo._minlength, terminfo._maxlength,
                          terminfo._maxweight, terminfo._minid, terminfo._maxid, postings)


def _pack_terminfo(inlined: bool, weight: float, df: int, min_length, max_length, max_weight: float,
                   min_id, max_id, tail: bytes) -> bytes:
    """The layout of ``W3TermInfo.to_bytes`` (lengths as bytes, None ids as 0xFFFFFFFF), then ``tail``."""
    return W3TermInfo._struct.pack(
        inlined, weight, df, 0 if min_length is None else length_to_byte(min_length), length_to_byte(max_length),
        max_weight, 0xFFFFFFFF if min_id is None else min_id, 0xFFFFFFFF if max_id is None else max_id,
    ) + tail


GRACE_SECONDS = 900


def live_files(indexname: str, generation: int, segments) -> set[str]:
    prefixes = tuple(segment.segment_id() + "." for segment in segments)  # "MAIN_<id>."
    return {f"_{indexname}_{generation}.toc", *prefixes}


def sweep_unused(storage, indexname: str, generation: int, segments, grace: float = GRACE_SECONDS) -> None:
    """Delete files of segments and TOCs no longer in use and older than ``grace`` seconds."""
    import os
    import time

    live = live_files(indexname, generation, segments)
    now = time.time()
    for name in storage.list():
        if name in live or name.startswith(tuple(live)) or "LOCK" in name or name.startswith("MANIFEST"):
            continue
        if not (name.startswith(indexname + "_") or name.startswith("_" + indexname + "_")):
            continue
        path = os.path.join(storage.folder, name)
        try:
            if now - os.path.getmtime(path) > grace:
                os.remove(path)
        except OSError:
            pass


__all__ = ["BulkWriter", "MemoryPool", "live_files", "sweep_unused"]
