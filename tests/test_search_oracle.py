"""The oracle: docmgr's evaluator (docmgr/search/whoosh_engine/evaluate.py reads Whoosh's posting lists into numpy arrays,
relying on private attributes of a Whoosh release that is no longer maintained) must give what Whoosh's own
searcher gives on the same index — the same documents for terms, AND, OR, NOT and phrases, and the same BM25F
scores. If a Whoosh upgrade changes its files or its internals, this is the test that says so."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from whoosh import query as wq
from whoosh import scoring
from whoosh.searching import Searcher

from docmgr import warm_in_background
from docmgr.documents.operations import create_document
from docmgr.instance import load_samples
from docmgr.search import commit_and_sync
from docmgr.search.analysis import folded_terms
from docmgr.search.query import parse
from docmgr.search.whoosh_engine.evaluate import Evaluator, SegmentArrays, View, _segment_id, phrase_docs


CORPUS = Path(__file__).parent / "data" / "corpus"


@pytest.fixture
def engine(app):
    with app.app_context():
        load_samples(app)  # the five samples, and the corpus pages kept in tests/data as more documents

    state = app.extensions["docmgr"]
    with state.sessionmaker() as db:
        for page in sorted(CORPUS.glob("*.md")):
            create_document(db, direction="incoming", user=None, fields={"subject": page.stem},
                            text=page.read_text(encoding="utf-8"))
        commit_and_sync(db, state)
    return state.search


def _whoosh_ids(searcher, q) -> set[int]:
    return {int(hit["id"]) for hit in searcher.search(q, limit=None)}


def _evaluator_ids(view: View, mask: np.ndarray) -> set[int]:
    stored = view.searcher.stored_fields
    return {int(stored(int(d))["id"]) for d in np.flatnonzero(mask)}


def _t(word: str) -> wq.Term:
    return wq.Term("text_f", folded_terms(word)[0])


QUERIES = [  # (what docmgr's language says, the same in Whoosh's query objects)
    ("kế hoạch", wq.And([_t("kế"), _t("hoạch")])),
    ("ủy ban nhân dân", wq.And([_t("ủy"), _t("ban"), _t("nhân"), _t("dân")])),
    ('"ủy ban nhân dân"', wq.Phrase("text_f", [folded_terms(w)[0] for w in ("ủy", "ban", "nhân", "dân")])),
    ('"văn bản"', wq.Phrase("text_f", [folded_terms("văn")[0], folded_terms("bản")[0]])),
    ("hội nghị OR hội thảo", wq.Or([wq.And([_t("hội"), _t("nghị")]), wq.And([_t("hội"), _t("thảo")])])),
    ("tỉnh -huyện", wq.AndNot(_t("tỉnh"), _t("huyện"))),
    ("quyết định", wq.And([_t("quyết"), _t("định")])),
    ('"chương trình hành động"', wq.Phrase("text_f", [folded_terms(w)[0] for w in ("chương", "trình", "hành", "động")])),
]


@pytest.mark.parametrize("text, whoosh_query", QUERIES, ids=[q for q, _ in QUERIES])
def test_the_evaluator_matches_what_whoosh_matches(engine, text, whoosh_query):
    view = engine.view()
    mask = Evaluator(view).query_mask(parse(text), principals=None, exact_filters=None)
    expected = _whoosh_ids(view.searcher, whoosh_query)
    assert expected, f"the oracle needs hits for {text!r}"
    assert _evaluator_ids(view, mask) == expected


@pytest.mark.parametrize("word", ["kế", "ủy", "tỉnh", "văn", "hội", "thực"])
def test_the_evaluators_bm25f_is_whooshs(engine, word):
    view = engine.view()
    term = folded_terms(word)[0]
    scores = np.zeros(view.size, dtype=np.float32)
    Evaluator(view).add_bm25(scores, "text_f", [term], 1.0)
    # Whoosh's own searcher, scoring with BM25F, over the same reader (left open: the engine's searcher owns it).
    searcher = Searcher(view.searcher.reader(), weighting=scoring.BM25F(B=0.75, K1=1.2), closereader=False)
    expected = {hit.docnum: hit.score for hit in searcher.search(wq.Term("text_f", term), limit=None)}
    assert expected
    live = view.live  # postings of deleted (superseded) entries stay in the files until a merge
    ours = {int(d): float(scores[d]) for d in np.flatnonzero(scores) if live[d]}
    assert ours.keys() == expected.keys()
    for docnum, score in expected.items():
        assert ours[docnum] == pytest.approx(score, rel=1e-3), docnum


def test_columns_are_read_once_per_segment_and_agree_with_a_fresh_read(app, engine, monkeypatch):
    """After a document is added, the next searcher's arrays read only the segments the write made, and
    equal those read from scratch."""
    before = engine.view()
    before.warm()
    old_segments = {_segment_id(leaf) for leaf, _offset in before.leaves}
    state = app.extensions["docmgr"]
    with state.sessionmaker() as db:
        create_document(db, direction="incoming", user=None, fields={"subject": "Một văn bản mới",
                                                                     "issuer": "Sở Y tế"}, text="Nội dung mới.")
        commit_and_sync(db, state)
    arrays = engine._segment_arrays
    read_now = []
    get = arrays.get
    monkeypatch.setattr(arrays, "get", lambda leaf, key, make: get(
        leaf, key, lambda segment: read_now.append(_segment_id(segment)) or make(segment)))
    after = engine.view()
    assert after is not before
    after.warm()
    assert read_now and not set(read_now) & old_segments
    fresh = View(after.searcher, SegmentArrays())
    for field in ("text_f", "subject_f", "text", "subject"):
        assert np.array_equal(after.lengths(field), fresh.lengths(field))
    for column in ("issuer", "doc_type", "year", "signer", "sector"):
        codes, values = after.codes(column)
        fresh_codes, fresh_values = fresh.codes(column)
        assert [values[c] for c in codes] == [fresh_values[c] for c in fresh_codes]
    assert "Sở Y tế" in after.codes("issuer")[1]
    assert np.array_equal(after.sort_key("issued"), fresh.sort_key("issued"))
    assert np.array_equal(after.numbers("issued"), fresh.numbers("issued"))


def test_phrases_meet_by_position_in_every_segment(engine):
    """The phrase check's sorted-key meeting agrees with a plain set intersection of the positions."""
    view = engine.view()
    evaluator = Evaluator(view)
    terms = [folded_terms(w)[0] for w in ("ủy", "ban", "nhân", "dân")]
    lists = [evaluator.postings("text_f", t, want_values=True) for t in terms]
    candidates = np.flatnonzero(evaluator.words_mask("text_f", terms, phrase=False))
    expected = set()
    for doc in candidates.tolist():
        starts = None
        for offset, postings in enumerate(lists):
            row = int(np.searchsorted(postings.ids, doc))
            at = {p - offset for p in np.frombuffer(postings.values[row], dtype="<u4").tolist()}
            starts = at if starts is None else starts & at
        if starts:
            expected.add(doc)
    assert expected
    assert set(phrase_docs(candidates, lists).tolist()) == expected


def test_a_server_process_reads_the_columns_ahead(app, engine):
    warm_in_background(app).join(timeout=60)
    cache = engine.view()._cache
    assert ("lengths", "text_f") in cache and ("codes", "issuer") in cache and ("sort", "issued") in cache
