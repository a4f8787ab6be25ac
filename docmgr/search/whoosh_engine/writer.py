"""A Whoosh segment writer that keeps postings in memory, then writes them in bulk.

Whoosh's own writer sends every posting (one word in one document) through a
sorting pool: a tuple, a pickle to a temporary run file, a heap merge, then a
per-posting call chain that reads each document's field length back from disk.
At ~770 postings per page of text that was 12 µs a posting, 1 MB/s.

Here a text field keeps its words as numbers (:class:`TextPool`, 4 bytes a word,
shared by the exact and the folded field of one text); at commit numpy sorts
them by (term, word position), a range of terms at a time, which gives every
posting list of the field in order with its statistics, and each is cut
straight into Whoosh's 128-posting blocks. The other fields (ids, keywords,
dates) keep small per-term arrays (:class:`MemoryPool`). The files written are
Whoosh's own (W3 codec), read by the stock reader; only the way of writing them
differs (and the term dictionary hashes with CRC-32, which its header records).
The private attributes of Whoosh's writers used here are those of
whoosh-reloaded 2.7.x (pinned in setup.cfg); ``tests/test_search_writer.py``
reads back what is written with Whoosh's own reader.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from array import array
from functools import partial
from itertools import chain, repeat
from operator import sub
from zlib import crc32

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo
from whoosh.filedb.filetables import _lengths as _KV_LENGTHS
from whoosh.index import TOC
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import _length_byte_cache, length_to_byte
from whoosh.writing import SegmentWriter

from docmgr.search.analysis import Text, Vocabulary
from docmgr.search.whoosh_engine.schema import VietnameseText


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
    """Postings of the fields other than text (ids, keywords, dates), by field, then term bytes.

    Also takes Whoosh's per-posting adds when segments are merged; those of text
    fields are handed to the :class:`TextPool`.
    """

    def __init__(self, text: "TextPool", text_fields: frozenset[str] = frozenset()):
        self.text = text
        self.text_fields = text_fields
        self.fields: dict[str, dict] = {}
        self.postings = 0
        self.fieldnames: set[str] = set()

    def add(self, item) -> None:
        fieldname, tbytes, docnum, _weight, vbytes = item
        self.fieldnames.add(fieldname)
        if fieldname in self.text_fields:
            self.text.add_merged(fieldname, tbytes.decode("utf-8"), docnum, vbytes)
            return
        terms = self.fields.setdefault(fieldname, {})
        entry = terms.get(tbytes)
        if entry is None:
            entry = terms[tbytes] = _Term()
        entry.docs.append(docnum)
        entry.values += vbytes or b""
        entry.ends.append(len(entry.values))
        self.postings += 1

    def cleanup(self) -> None:
        self.fields.clear()


class _Stream:
    """The words of one text over the documents of a segment, as runs (document, first position, count)."""

    __slots__ = ("words", "docs", "starts", "counts", "fields", "last_doc", "last_length")

    def __init__(self):
        self.words = array("I")
        self.docs = array("I")
        self.starts = array("I")
        self.counts = array("I")
        self.fields: frozenset[str] | None = None  # the fields it feeds, fixed by its first document
        self.last_doc = -1
        self.last_length = 0

    def mark(self) -> tuple[int, int]:
        return len(self.words), len(self.docs)

    def truncate(self, mark: tuple[int, int]) -> None:
        words, runs = mark
        del self.words[words:]
        for column in (self.docs, self.starts, self.counts):
            del column[runs:]


class TextPool:
    """The text fields of a segment as word numbers (see :class:`Vocabulary`), turned into postings at flush.

    A :class:`Text` value is split once per document even when several fields
    (exact and folded) take it; a plain string is a stream of its field alone.
    Postings of merged segments come in one at a time (:meth:`add_merged`).
    """

    def __init__(self):
        self.vocabulary = Vocabulary()
        self.streams: dict[str, _Stream] = {}
        self.field_streams: dict[str, str] = {}
        self.merged: dict[str, tuple[array, array, array]] = {}  # field → (word numbers, docs, positions)
        self.words = 0

    def add(self, fieldname: str, value, docnum: int, marks: dict) -> int:
        """Add a field's text for a document; returns its length in words."""
        if isinstance(value, Text):
            name, parts = value.stream, value.parts
        else:
            name, parts = "field:" + fieldname, (value,)
        if self.field_streams.setdefault(fieldname, name) != name:
            raise ValueError(f"Field {fieldname!r} takes stream {self.field_streams[fieldname]!r}, not {name!r}")
        stream = self.streams.get(name)
        if stream is None:
            stream = self.streams[name] = _Stream()
        used = marks.setdefault(name, [stream.mark(), set()])[1]
        used.add(fieldname)
        if stream.last_doc == docnum:
            return stream.last_length
        before = len(stream.words)
        for start, count in self.vocabulary.add_text(parts, stream.words):
            stream.docs.append(docnum)
            stream.starts.append(start)
            stream.counts.append(count)
        stream.last_doc = docnum
        stream.last_length = len(stream.words) - before
        self.words += stream.last_length
        return stream.last_length

    def finish_document(self, marks: dict) -> None:
        """Check that each stream fed the same fields as in the first document that used it."""
        for name, (_mark, used) in marks.items():
            stream = self.streams[name]
            if stream.fields is None:
                stream.fields = frozenset(used)
            elif stream.fields != used:
                raise ValueError(f"Stream {name!r} feeds {sorted(stream.fields)}, not {sorted(used)}")

    def cancel_document(self, marks: dict) -> None:
        for name, (mark, _used) in marks.items():
            stream = self.streams[name]
            self.words -= len(stream.words) - mark[0]
            stream.truncate(mark)
            stream.last_doc = -1

    def add_merged(self, fieldname: str, term: str, docnum: int, vbytes: bytes) -> None:
        words, docs, positions = self.merged.setdefault(fieldname, (array("I"), array("I"), array("I")))
        found = array("I")
        found.frombytes(vbytes)
        if not _LITTLE:
            found.byteswap()
        positions.extend(found)
        words.extend([self.vocabulary[term]] * len(found))
        docs.extend([docnum] * len(found))
        self.words += len(found)

    def fieldnames(self) -> set[str]:
        return set(self.field_streams) | set(self.merged)

    def runs(self, fieldname: str):
        """(word numbers, run documents, run first positions, run counts) of a field, in (document, position) order."""
        stream = self.streams.get(self.field_streams.get(fieldname, ""))
        parts = []
        if stream is not None and len(stream.words):
            parts.append(tuple(np.frombuffer(column, dtype=np.uint32)
                               for column in (stream.words, stream.docs, stream.starts, stream.counts)))
        if fieldname in self.merged:
            words, docs, positions = (np.frombuffer(c, dtype=np.uint32) for c in self.merged[fieldname])
            order = np.lexsort((positions, docs))
            parts.append((words[order], docs[order], positions[order], np.ones(len(order), np.uint32)))
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return None
        # New documents and merged ones (only when segments are merged): as one-word runs, sorted.
        words, docs, positions = [], [], []
        for w, run_docs, run_starts, run_counts in parts:
            first = np.zeros(len(run_counts), np.int64)
            np.cumsum(run_counts[:-1], out=first[1:])
            index = np.arange(len(w)) - np.repeat(first, run_counts)
            words.append(w)
            docs.append(np.repeat(run_docs, run_counts))
            positions.append(np.repeat(run_starts, run_counts) + index.astype(np.uint32))
        words, docs, positions = (np.concatenate(x) for x in (words, docs, positions))
        order = np.lexsort((positions, docs))
        return words[order], docs[order], positions[order], np.ones(len(order), np.uint32)


CHUNK = 1 << 19  # words of a field turned into postings at a time (~30 MB of temporaries)

# The layout of W3TermInfo.to_bytes ("!BfIBBfII"): flags, total weight, doc freq,
# min and max length (as bytes), max weight, first and last document.
_TERMINFO = np.dtype([("inlined", "u1"), ("weight", ">f4"), ("df", ">u4"), ("min_length", "u1"),
                      ("max_length", "u1"), ("max_weight", ">f4"), ("min_id", ">u4"), ("max_id", ">u4")])
_LENGTH_BYTES = np.asarray(_length_byte_cache, dtype=np.int64)


def _length_bytes(lengths: np.ndarray) -> np.ndarray:
    """``whoosh.util.numeric.length_to_byte`` for an array of lengths (all ≥ 1)."""
    return np.minimum(np.searchsorted(_LENGTH_BYTES, lengths, side="left"), 255)


def text_postings(words: np.ndarray, term_of_word: np.ndarray, run_docs: np.ndarray, run_starts: np.ndarray,
                  run_counts: np.ndarray, chunk: int = CHUNK):
    """The postings of a text field, a range of whole terms at a time, in (term, document) order.

    Yields ``(terms, docs, freqs, positions)``: per posting its term index,
    document and number of positions, and the positions of all of them, packed
    little-endian uint32 in posting order. Each range holds about ``chunk``
    words (a term more common than that, alone); its words are picked out of
    the field and sorted by (term, word index), which is (term, document,
    position). Nothing bigger than one byte a word is made
    for the whole field.
    """
    total = len(words)
    if not total:
        return
    per_term = np.bincount(term_of_word, weights=np.bincount(words, minlength=len(term_of_word)))
    reach = np.cumsum(per_term)
    run_first = np.zeros(len(run_counts), np.int64)
    np.cumsum(run_counts[:-1], out=run_first[1:])
    low, done = 0, 0.0
    while low < len(per_term):
        high = max(int(np.searchsorted(reach, done + chunk, side="right")), low + 1)
        done = reach[high - 1]
        in_range = (term_of_word >= low) & (term_of_word < high)
        index = np.flatnonzero(in_range[words])
        low = high
        if not len(index):
            continue
        run = np.searchsorted(run_first, index, side="right") - 1  # needles in order: quick
        docs = run_docs[run]
        positions = (run_starts[run] + (index - run_first[run])).astype("<u4")
        del run
        key = term_of_word[words[index]].astype(np.uint64) << np.uint64(32)
        key |= np.arange(len(index), dtype=np.uint64)
        key.sort()  # by term, then word index: faster than a stable argsort
        order = (key & np.uint64(0xFFFFFFFF)).astype(np.intp)
        terms = (key >> np.uint64(32)).astype(np.uint32)
        del key
        docs, positions = docs[order], positions[order]
        new = np.empty(len(index), dtype=bool)
        new[0] = True
        np.not_equal(terms[1:], terms[:-1], out=new[1:])
        new[1:] |= docs[1:] != docs[:-1]
        first = np.flatnonzero(new)
        yield terms[first], docs[first], np.diff(np.append(first, len(index))), positions.tobytes()


SLICE = 65_536  # postings turned into Python objects at a time
_UNIQUE_VALUES = frozenset({"id", "number", "stamp", "number_sort"})  # fields whose values seldom recur


def _text_terms(fw, terms: list[str], heads: bytes, firsts: list[int], ends: list[int], term_blocks: list[int],
                docs: list[int], deltas: list[int], weights: list[float], offsets: list[int], blocks: list[tuple],
                positions: bytes) -> list[tuple[bytes, bytes]]:
    """Term-dictionary entries of consecutive terms, writing the blocks of those not inlined.

    Postings ``firsts[i]:ends[i]`` of the lists are term ``i``'s; ``blocks``
    holds (postings, last id, max weight, min and max length bytes) of each
    block, the first of term ``i`` at ``term_blocks[i]``; a posting's positions
    are ``positions[offsets[j]:offsets[j + 1]]``.
    """
    postfile = fw._postwriter._postfile
    key_prefix = pack_ushort(fw._fieldid)
    size = _TERMINFO.itemsize
    value_at = positions.__getitem__

    def values(a: int, b: int) -> tuple:
        return tuple(map(value_at, map(slice, offsets[a:b], offsets[a + 1:b + 1])))

    items = []
    for i, (term, a, b) in enumerate(zip(terms, firsts, ends)):
        head = heads[i * size:(i + 1) * size]
        if b - a <= INLINE:
            tail = pickle.dumps((tuple(docs[a:b]), tuple(weights[a:b]), values(a, b)), PICKLE_PROTOCOL)
        else:
            start = postfile.tell()
            postfile.write(WHOOSH3_HEADER_MAGIC)
            block = term_blocks[i]
            while True:
                count, last_id, max_weight, min_length, max_length = blocks[block]
                e = a + count
                data = pickle.dumps((tuple(deltas[a:e]), tuple(weights[a:e]), values(a, e)), PICKLE_PROTOCOL)
                stats = pickle.dumps((count, last_id, max_weight, 0, min_length, max_length), PICKLE_PROTOCOL)
                length = len(stats) + len(data)
                postfile.write_int(-length if e == b else length)  # negative: the term's last block
                postfile.write(stats)
                postfile.write(data)
                if e == b:
                    break
                a, block = e, block + 1
            tail = pack_long(start) + pack_int(postfile.tell() - start)
        items.append((key_prefix + term.encode("utf-8"), head + tail))
    return items


class BulkWriter(SegmentWriter):
    """``SegmentWriter`` with in-memory pools: :class:`TextPool` for text, :class:`MemoryPool` for the rest.

    Only the fields of :func:`docmgr.search.whoosh_engine.schema.make_schema` are supported:
    positions formats for :class:`VietnameseText` (given a :class:`Text` or a
    string), no weights other than the term frequency (or 1.0 for ID/keyword
    fields), no term vectors.
    """

    def __init__(self, ix, **kwargs):
        kwargs.setdefault("codec", W3Codec(compression=0))
        kwargs.setdefault("compound", False)
        super().__init__(ix, **kwargs)
        self.text = TextPool()
        self.pool = MemoryPool(self.text, frozenset(name for name, field in self.schema.items()
                                                    if isinstance(field, VietnameseText)))
        self._lengths: dict[str, array] = {}
        self.segments_merged = False
        self._indexed: dict = {}
        self._columns: dict = {}
        _bulk_term_index(self.fieldwriter._tindex)

    def _commit_toc(self, segments):
        """Write the new TOC but leave old segment files for :func:`sweep_unused`.

        Whoosh deletes the files of merged-away segments at once, but a reader
        in another process opens column files lazily and would then find them
        gone; they are removed after a grace period instead.
        """
        TOC(self.schema, segments, self.generation).write(self.storage, self.indexname)
        sweep_unused(self.storage, self.indexname, self.generation, segments)

    def release_memory(self) -> None:
        """Drop the pools (after the segment is written)."""
        self.text = TextPool()
        self.pool = MemoryPool(self.text, self.pool.text_fields)
        self._lengths = {}

    @property
    def buffered(self) -> int:
        """Words of text plus postings of other fields held in memory: what a segment's size is measured by."""
        return self.text.words + self.pool.postings

    def add_document(self, **fields):
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        local = docnum - self.docbase
        marks: dict = {}
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
                        length = self.text.add(fieldname, value, docnum, marks)
                    else:
                        for tbytes, freq, weight, vbytes in self._terms_of(fieldname, field, value):
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
                                                  self._column_value(fieldname, field, value))
            self.text.finish_document(marks)
        except Exception:
            self.text.cancel_document(marks)
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _terms_of(self, fieldname: str, field, value) -> list:
        """``field.index(value)``, remembered for values that recur (issuer, type, year, date…)."""
        if fieldname in _UNIQUE_VALUES:
            return list(field.index(value))
        key = (fieldname, value)
        found = self._indexed.get(key)
        if found is None:
            if len(self._indexed) >= 50_000:
                self._indexed.clear()
            found = self._indexed[key] = list(field.index(value))
        return found

    def _column_value(self, fieldname: str, field, value):
        if fieldname in _UNIQUE_VALUES:
            return field.to_column_value(value)
        key = (fieldname, value)
        found = self._columns.get(key)
        if found is None:
            if len(self._columns) >= 50_000:
                self._columns.clear()
            found = self._columns[key] = field.to_column_value(value)
        return found

    def add_reader(self, reader):
        # A merge of an existing segment: its field lengths are read back at flush.
        self.segments_merged = True
        super().add_reader(reader)

    def _field_lengths(self, fieldname: str, merged_lengths) -> array | None:
        if not self.schema[fieldname].scorable:
            return None
        lengths = self._lengths.get(fieldname)
        if merged_lengths is not None:
            lengths = array("I", (merged_lengths.doc_field_length(d, fieldname) or 0 for d in range(self.docnum)))
        return lengths

    def _flush_segment(self):
        self.perdocwriter.close()
        merged_lengths = None
        if self.docbase or self.segments_merged:
            merged_lengths = self.per_document_reader()
        fw = self.fieldwriter
        schema = self.schema
        text_fields = self.text.fieldnames()
        term_maps = self.text.vocabulary.term_maps() if text_fields else None
        for fieldname in sorted(set(self.pool.fields) | text_fields):
            field = schema[fieldname]
            fw.start_field(fieldname, field)
            lengths = self._field_lengths(fieldname, merged_lengths)
            if fieldname in text_fields:
                runs = self.text.runs(fieldname)
                if runs is not None:
                    terms, term_of_word = term_maps[field.folded]
                    self._write_text_field(fw, terms, text_postings(runs[0], term_of_word, *runs[1:]), lengths)
            else:
                self._write_other_field(fw, field, self.pool.fields[fieldname], lengths)
            fw.finish_field()
        fw.close()
        if merged_lengths is not None:
            merged_lengths.close()

    @staticmethod
    def _write_text_field(fw, terms: list[str], chunks, lengths: array | None) -> None:
        """Write the posting lists and term-dictionary entries of a text field, chunk by chunk.

        The statistics of a chunk are computed with numpy; the Python objects
        the files need (pickled tuples) are made for ``SLICE`` postings at a time.
        """
        length_of = np.frombuffer(lengths, dtype=np.uint32) if lengths is not None else None
        for term_ids, docs, freqs, positions in chunks:
            count = len(docs)
            first = np.flatnonzero(np.concatenate(([True], term_ids[1:] != term_ids[:-1])))
            end = np.append(first[1:], count)
            df = end - first
            weights = freqs.astype(np.float64)
            post_lengths = length_of[docs].astype(np.int64) if length_of is not None else np.ones(count, np.int64)
            # Blocks of 128 postings within each term; ids delta-coded within a block, as Whoosh does.
            block_first = np.flatnonzero((np.arange(count) - np.repeat(first, df)) % BLOCK == 0)
            block_end = np.append(block_first[1:], count)
            deltas = docs.astype(np.int64)
            deltas[1:] -= docs[:-1]
            deltas[block_first] = docs[block_first]
            info = np.empty(len(first), dtype=_TERMINFO)
            info["inlined"] = df <= INLINE
            info["weight"] = np.add.reduceat(weights, first)
            info["df"] = df
            info["min_length"] = _length_bytes(np.minimum.reduceat(post_lengths, first))
            info["max_length"] = _length_bytes(np.maximum.reduceat(post_lengths, first))
            info["max_weight"] = np.maximum.reduceat(weights, first)
            info["min_id"] = docs[first]
            info["max_id"] = docs[end - 1]
            block_columns = (block_end - block_first, docs[block_end - 1], np.maximum.reduceat(weights, block_first),
                             _length_bytes(np.minimum.reduceat(post_lengths, block_first)),
                             _length_bytes(np.maximum.reduceat(post_lengths, block_first)))
            term_block = np.searchsorted(block_first, first)
            offsets = np.zeros(count + 1, np.int64)
            np.cumsum(freqs.astype(np.int64) * 4, out=offsets[1:])
            low = 0
            while low < len(first):
                high = max(int(np.searchsorted(first, first[low] + SLICE, side="right")), low + 1)
                a, b = int(first[low]), int(end[high - 1])
                blocks = slice(int(term_block[low]), int(term_block[high]) if high < len(first) else len(block_first))
                items = _text_terms(
                    fw, [terms[t] for t in term_ids[first[low:high]].tolist()], info[low:high].tobytes(),
                    (first[low:high] - a).tolist(), (end[low:high] - a).tolist(), (term_block[low:high] - blocks.start).tolist(),
                    docs[a:b].tolist(), deltas[a:b].tolist(), weights[a:b].tolist(), offsets[a:b + 1].tolist(),
                    list(zip(*(column[blocks].tolist() for column in block_columns))), positions)
                _add_terms(fw._tindex, items)
                low = high

    def _write_other_field(self, fw, field, terms: dict, lengths: array | None) -> None:
        pw = fw._postwriter
        postfile = pw._postfile
        key_prefix = pack_ushort(fw._fieldid)
        items = []
        for tbytes in sorted(terms):
            entry = terms[tbytes]
            if len(entry.docs) <= INLINE:
                info = _inlined_terminfo(entry, lengths)
            else:
                terminfo = W3TermInfo()
                pw.start_postings(field.format, terminfo)
                self._write_postings(pw, entry, lengths)
                terminfo.add_block(pw)  # the last block's statistics
                _write_block(pw, last=True)
                info = _terminfo_bytes(terminfo, pack_long(pw._startoffset)
                                       + pack_int(postfile.tell() - pw._startoffset), False)
                pw._terminfo = None
            items.append((key_prefix + tbytes, info))
        _add_terms(fw._tindex, items)

    @staticmethod
    def _write_postings(pw, entry: _Term, lengths: array | None) -> None:
        """Fill the postings writer's block buffers a block at a time; the last block stays buffered."""
        docs, ends = entry.docs, entry.ends
        data = bytes(entry.values)
        starts = array("I", (0,))
        starts.extend(ends[:-1])
        count = len(docs)
        for start in range(0, count, BLOCK):
            stop = min(start + BLOCK, count)
            ids = docs[start:stop]
            pw._ids = ids
            pw._weights = array("f", repeat(1.0, stop - start))
            pw._values = list(map(data.__getitem__, map(slice, starts[start:stop], ends[start:stop])))
            pw._maxweight = 1.0
            if lengths is not None:
                lens = list(map(lengths.__getitem__, ids))
                pw._minlength = min(filter(None, lens), default=None)
                pw._maxlength = max(lens)
            else:
                pw._minlength, pw._maxlength = None, 0
            if stop < count:
                pw._terminfo.add_block(pw)
                _write_block(pw, last=False)
        # The last block is left in the buffer: the caller writes it as the last.


def _write_block(pw, last: bool) -> None:
    """Whoosh's ``W3PostingsWriter._write_block`` (fields other than text), with a modern pickle protocol.

    Whoosh pickles with protocol 2, which has no opcode for bytes: every
    position list went through ``codecs.encode(str, "latin1")`` on reading.
    Whoosh's reader unpickles any protocol. The caller has already added the
    block to the term's statistics.
    """
    if not pw._blockcount:
        pw._postfile.write(WHOOSH3_HEADER_MAGIC)
    ids = pw._ids
    data = (
        tuple(map(sub, ids, chain((0,), ids))),  # delta-coded within the block, as Whoosh does
        pw._mini_weights(),
        pw._mini_values(),
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


def _inlined_terminfo(entry: _Term, lengths: array | None) -> bytes:
    """The term-dictionary value of a short posting list, postings included (no block written).

    Most terms of an archive occur in a document or two; going through Whoosh's
    block writer for each cost ~15 µs a term. Whoosh 2.7's own inlining calls a
    method that does not exist (``set_inline``); its reader handles inlined postings.
    """
    ids = tuple(entry.docs)
    data = bytes(entry.values)
    ends = entry.ends
    values = tuple(data[a:b] for a, b in zip((0, *ends[:-1]), ends))
    weights = (1.0,) * len(ids)
    if lengths is not None:
        lens = [lengths[d] for d in ids]
        present = [n for n in lens if n]
        min_length, max_length = (min(present) if present else None), max(lens)
    else:
        min_length, max_length = None, 0
    return _pack_terminfo(True, sum(weights), len(ids), min_length, max_length, max(weights), ids[0], ids[-1],
                          pickle.dumps((ids, weights, values), PICKLE_PROTOCOL))


_CRC32 = 1  # whoosh.filedb.filetables: hash type 1 is CRC-32 (0, the default, is MD5 in Python)
_SLOT = np.dtype([("hash", ">u4"), ("position", ">i8")])  # filetables._pointer, "!Iq"


def _bulk_term_index(tindex) -> None:
    """Make a fresh term index (``OrderedHashWriter``) take keys from :func:`_add_terms`.

    Keys are hashed with CRC-32 (in C; the file's header says which hash it
    uses, so Whoosh's reader follows) and the hash tables are built with numpy
    when the file is closed; a per-key MD5 and Python's probing took a sixth of
    the writing time.
    """
    dbfile = tindex.dbfile
    end = dbfile.tell()
    dbfile.seek(tindex.startoffset + 4)  # after the 4-byte magic: the hash type
    dbfile.write_byte(_CRC32)
    dbfile.seek(end)
    tindex.hashtype = _CRC32
    tindex.hashfn = lambda key: crc32(key) & 0xFFFFFFFF
    tindex.bulk_hashes = array("I")
    tindex.bulk_positions = array("q")
    tindex._write_hashes = partial(_write_hash_tables, tindex)


def _add_terms(tindex, items: list[tuple[bytes, bytes]]) -> None:
    """``OrderedHashWriter.add`` for a field's sorted terms at once: one write instead of three a term."""
    if not items:
        return
    dbfile = tindex.dbfile
    position = dbfile.tell()
    if items[0][0] <= tindex.lastkey:
        raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{items[0][0]!r}")
    header = _KV_LENGTHS.pack
    header_size = _KV_LENGTHS.size
    start = len(tindex.bulk_positions)
    positions = tindex.bulk_positions
    chunks = []
    for key, value in items:
        positions.append(position)
        chunks.append(header(len(key), len(value)))
        chunks.append(key)
        chunks.append(value)
        position += header_size + len(key) + len(value)
        if len(chunks) >= 30_000:  # a few MB at a time
            dbfile.write(b"".join(chunks))
            chunks.clear()
    dbfile.write(b"".join(chunks))
    tindex.bulk_hashes.extend(map(crc32, (key for key, _value in items)))
    tindex.index.extend(positions[start:])
    tindex.lastkey = items[-1][0]


def _write_hash_tables(tindex) -> None:
    """``HashWriter._write_hashes``: 256 open-addressing tables (linear probing), laid out with numpy.

    In each table (twice as many slots as keys) a key goes to the first free
    slot from ``(hash >> 8) % slots`` on, wrapping around, which is all Whoosh's
    reader assumes. Keys are placed in order of their home slot: a run of
    occupied slots grows as a running maximum; keys pushed past the end take the
    first free slots from the start.
    """
    hashes = np.frombuffer(tindex.bulk_hashes, dtype=np.uint32).astype(np.int64)
    positions = np.frombuffer(tindex.bulk_positions, dtype=np.int64)
    others = [entry for bucket in tindex.buckets for entry in bucket]  # keys added the usual way, if any
    if others:
        hashes = np.concatenate((hashes, np.array([h for h, _ in others], dtype=np.int64)))
        positions = np.concatenate((positions, np.array([p for _, p in others], dtype=np.int64)))
    bucket_of = hashes & 255
    order = np.argsort(bucket_of, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(np.bincount(bucket_of, minlength=256))))
    dbfile = tindex.dbfile
    for bucket in range(256):
        chosen = order[bounds[bucket]:bounds[bucket + 1]]
        slots = 2 * len(chosen)
        tindex.directory.append((dbfile.tell(), slots))
        if not slots:
            continue
        keys_hash, keys_position = hashes[chosen], positions[chosen]
        home = (keys_hash >> 8) % slots
        by_home = np.argsort(home, kind="stable")
        home, keys_hash, keys_position = home[by_home], keys_hash[by_home], keys_position[by_home]
        step = np.arange(len(home))
        slot = np.maximum.accumulate(home - step) + step
        table = np.zeros(slots, dtype=_SLOT)
        fits = slot < slots
        table["hash"][slot[fits]] = keys_hash[fits]
        table["position"][slot[fits]] = keys_position[fits]
        if not fits.all():
            free = np.flatnonzero(table["position"] == 0)[:int((~fits).sum())]
            table["hash"][free] = keys_hash[~fits]
            table["position"][free] = keys_position[~fits]
        dbfile.write(table.tobytes())


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


__all__ = ["BulkWriter", "MemoryPool", "TextPool", "live_files", "sweep_unused", "text_postings"]
