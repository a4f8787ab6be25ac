"""docmgr's bulk index writer, read back with Whoosh's stock reader.

The writer makes Whoosh's files (W3 codec) its own way; here every posting list
of the text fields is compared with what :class:`Postings` (the plain,
per-document analysis) says it must hold: documents, positions, frequencies and
the term statistics, across block boundaries, several segments and merges.
"""

import random

import pytest
from whoosh.util.numeric import byte_to_length, length_to_byte  # the test reads Whoosh's files directly

from docmgr.search import IndexSource, document_fields
from docmgr.search.analysis import Postings
from docmgr.search.whoosh_engine import WhooshEngine


SYLLABLES = ("văn hoá hóa hoà hòa bản ban bán bàn uỷ ủy nhân dân tỉnh thành phố Đồng Nai đất đai quyết định "
             "kế hoạch số 65/KH-UBND ngày tháng năm 2024 thuế thu nhập cá nhân a ở to ô và của các những").split()


def _texts(count: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        subject = " ".join(rng.choice(SYLLABLES) for _ in range(rng.randint(0, 8)))
        body = " ".join(rng.choice(SYLLABLES) for _ in range(rng.randint(0, 400)))
        if i % 50 == 0:
            body = ""  # empty texts have no postings and length 0
        out.append((subject, body))
    return out


def _expected(texts):
    """{field: {term: [(doc index, positions)]}} from the per-document analysis."""
    expected: dict = {}
    for doc, (subject, body) in enumerate(texts):
        for fieldname, postings in (("text", Postings(subject, body)), ("subject", Postings(subject))):
            for name, table in ((fieldname, postings.exact), (fieldname + "_f", postings.folded)):
                for term, positions in table.items():
                    expected.setdefault(name, {}).setdefault(term, []).append((doc, list(positions)))
    return expected


def _read_back(engine: WhooshEngine, path=None):
    """{field: {term: [(id, positions)]}} and the stored length of each id, through Whoosh's own reader."""
    ix = engine.open_index(path)
    found: dict = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        id_of = {docnum: stored["id"] for docnum, stored in reader.iter_docs()}
        for fieldname in ("text", "text_f", "subject", "subject_f"):
            for term in reader.lexicon(fieldname):
                text = term.decode("utf-8")
                matcher = reader.postings(fieldname, term)
                rows = []
                while matcher.is_active():
                    if matcher.id() in id_of:  # deleted documents stay in the postings until merged away
                        rows.append((int(id_of[matcher.id()]), matcher.value_as("positions")))
                    matcher.next()
                if rows:
                    found.setdefault(fieldname, {})[text] = sorted(rows)
        lengths = {int(id_of[d]): reader.doc_field_length(d, "text") for d in id_of}
    return found, lengths


@pytest.fixture
def engine(tmp_path):
    return WhooshEngine(tmp_path / "index")


def _fields(texts, start=0):
    return [document_fields(IndexSource(
        id=start + i, subject=subject, text=body, number=None, number_key=None, sequence=None, issuer=None,
        signer=None, sector=None, doc_type_code=None, direction="incoming", issued_on=None, updated_at=None,
        allowed=["role:reader"])) for i, (subject, body) in enumerate(texts)]


@pytest.mark.parametrize("max_buffered, procs", [(10**9, 1), (3_000, 1), (3_000, 2)])
def test_postings_read_back_as_analysed(engine, max_buffered, procs):
    texts = _texts(400)  # common words pass 128 postings: several blocks per term
    building = engine.build([_fields(texts)[i:i + 37] for i in range(0, 400, 37)],
                            max_buffered=max_buffered, procs=procs)
    engine.publish(building)
    found, lengths = _read_back(engine)
    expected = _expected(texts)
    for fieldname in ("text", "text_f", "subject", "subject_f"):
        assert found.get(fieldname, {}) == expected.get(fieldname, {}), fieldname
    # Whoosh stores field lengths as one byte each (exact up to a few dozen words); none for no words.
    assert lengths == {i: byte_to_length(length_to_byte(Postings(subject, body).length)) or None
                       for i, (subject, body) in enumerate(texts)}


def test_term_statistics_match_the_postings(engine):
    texts = _texts(300, seed=11)
    engine.publish(engine.build([_fields(texts)]))
    ix = engine.open_index()
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for fieldname in ("text", "text_f"):
            for term in reader.lexicon(fieldname):
                info = reader.term_info(fieldname, term)
                ids, weights = [], []
                matcher = reader.postings(fieldname, term)
                lengths = []
                while matcher.is_active():
                    ids.append(matcher.id())
                    weights.append(matcher.weight())
                    lengths.append(reader.doc_field_length(matcher.id(), fieldname))
                    matcher.next()
                assert info.doc_frequency() == len(ids)
                assert info.weight() == sum(weights)
                assert info.max_weight() == max(weights)
                assert (info.min_id(), info.max_id()) == (ids[0], ids[-1])
                assert (info.min_length(), info.max_length()) == (min(lengths), max(lengths))


def test_merged_segments_keep_every_posting(engine):
    """Live updates merge small segments (Whoosh's merge policy): postings come back through the writer."""
    texts = _texts(120, seed=3)
    engine.publish(engine.build([]))
    with engine.locked():
        for start in range(0, 120, 10):
            engine.write(_fields(texts[start:start + 10], start), [])
        engine.write([], ["5", "17"])  # deleted documents drop out when their segment is merged
        engine.write(_fields([("hoà bình Đồng Nai", "văn hoá")], 5), [])
    texts[5] = ("hoà bình Đồng Nai", "văn hoá")
    del texts[17]
    found, _lengths = _read_back(engine)
    expected = _expected(texts)
    renumber = {i: (i if i < 17 else i + 1) for i in range(len(texts))}  # list index → document id
    for fieldname in ("text", "text_f", "subject", "subject_f"):
        want = {term: sorted((renumber[d], p) for d, p in rows) for term, rows in expected[fieldname].items()}
        assert found[fieldname] == want, fieldname
    with engine.open_index().searcher() as searcher:
        assert searcher.doc_count() == 119


def test_term_index_hash_tables_find_every_key(tmp_path):
    """The term dictionary's hash tables (CRC-32, laid out with numpy) answer every key and no other."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter

    from docmgr.search.whoosh_engine.writer import _add_terms, _bulk_term_index

    storage = FileStorage(str(tmp_path))
    writer = OrderedHashWriter(storage.create_file("terms"))
    _bulk_term_index(writer)
    keys = sorted({f"{random.Random(i).random():.12f}-{i % 977}".encode() for i in range(100_000)})
    for start in range(0, len(keys), 30_000):  # several calls, as for several fields
        _add_terms(writer, [(key, key[::-1]) for key in keys[start:start + 30_000]])
    writer.close()
    reader = OrderedHashReader.open(storage, "terms")
    assert reader.hashtype == 1  # CRC-32, read back from the header
    assert all(reader[key] == key[::-1] for key in keys)
    assert b"no such key" not in reader and reader.closest_key(keys[500] + b"\0") == keys[501]
    reader.close()


def test_the_analyzers_pickled_class_path_still_resolves(tmp_path):
    """Index files pickle the schema, so the analyzer's class path is part of the index format: an index
    written by any docmgr so far names docmgr.search.schema.VietnameseText. The code lives in
    docmgr.search.whoosh_engine.schema; the pickled name is pinned to the alias module, so moving the code
    can never make an existing index read as damaged."""
    import pickle

    from docmgr.search import schema as alias
    from docmgr.search.whoosh_engine import schema as code

    data = pickle.dumps(code.make_schema())
    assert b"docmgr.search.schema" in data and b"VietnameseText" in data
    assert b"whoosh_engine" not in data
    assert pickle.loads(data).names() == code.make_schema().names()
    assert alias.VietnameseText is code.VietnameseText
    # An index on disk: its table of contents names the alias, and it opens.
    engine = WhooshEngine(tmp_path / "index")
    engine.create_empty()
    toc = next(engine.current_dir().glob("_MAIN_*.toc")).read_bytes()
    assert b"docmgr.search.schema" in toc and b"whoosh_engine" not in toc
    assert engine.status()[0] == "ok"
