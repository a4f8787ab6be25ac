"""The search index against a real database: queries, ranking, facets, references, consistency."""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import select, text, update

from docmgr import search
from docmgr.documents.models import Document
from docmgr.documents.operations import cited_by, create_document
from docmgr.instance import load_samples
from docmgr.search import commit_and_sync
from tests.conftest import cli_runner
from tests.servers import DOCMGR


@pytest.fixture
def state(app):
    with app.app_context():
        load_samples(app)
    return app.extensions["docmgr"]


def add(state, subject, body="", **fields):
    with state.sessionmaker() as db:
        doc = create_document(db, direction=fields.pop("direction", "incoming"),
                              fields={"subject": subject, **fields}, user=None, text=body)
        commit_and_sync(db, state)
        return doc.id


def ids(state, q, **kw):
    return [h["id"] for h in search.search(state, q, **kw).hits]


def sample_id(state, number):
    with state.sessionmaker() as db:
        return db.scalar(select(Document.id).where(Document.number == number))


def test_with_and_without_diacritics_and_tone_placement(state):
    a = add(state, "Phát triển văn hoá cơ sở")
    b = add(state, "Phát triển văn hóa cơ sở")
    for q in ("văn hóa", "văn hoá", "van hoa", "VĂN HOÁ", '"van hoa co so"'):
        assert {a, b} <= set(ids(state, q)), q


def test_exact_diacritics_rank_above_folded_only(state):
    folded_only = add(state, "Thông báo", "Về việc bàn giao hồ sơ tại ban quản lý")
    exact = add(state, "Thông báo", "Về việc bán đấu giá hồ sơ tài sản")
    found = ids(state, "bán")
    assert found.index(exact) < found.index(folded_only)


def test_subject_and_number_rank_above_body(state):
    in_body = add(state, "Thông báo lịch họp", "Nội dung: kiểm tra phòng cháy chữa cháy tại trụ sở. " * 3)
    in_subject = add(state, "Kiểm tra phòng cháy chữa cháy", "Nội dung khác hẳn.")
    found = ids(state, "phòng cháy")
    assert found.index(in_subject) < found.index(in_body)


def test_number_lookup_puts_that_document_first(state):
    plan = sample_id(state, "65/KH-UBND")
    for q in ("65/KH-UBND", "65/kh-ubnd", "65/KH - UBND", "so:65/kh-ubnd"):
        assert ids(state, q)[0] == plan, q
    decree = add(state, "Quy định chi tiết", number="30/2020/NĐ-CP")
    assert ids(state, "30/2020/ND-CP")[0] == decree
    assert len(ids(state, "65/KH-UBND")) >= 2  # the plan, then the documents citing it


def test_references_link_both_ways(state):
    """Seed 000 implements seed 001 (Kế hoạch 65/KH-UBND): the link appears on both pages."""
    plan = sample_id(state, "65/KH-UBND")
    with state.sessionmaker() as db:
        citing = [d.id for d in cited_by(db, db.get(Document, plan), None)]
        assert citing, "seed 000 should cite the plan"
        implementing = db.get(Document, citing[0])
        assert plan in [r.target_id for r in implementing.references]
    # A document archived later links the references already waiting for it.
    waiting = add(state, "Báo cáo", number="12/BC-UBND")
    with state.sessionmaker() as db:
        doc = create_document(db, direction="incoming", fields={"subject": "Công văn"}, user=None,
                              text="Thực hiện Báo cáo số 99/BC-UBND ngày 1/2/2024 …",
                              references=__import__("docmgr.extraction", fromlist=["find_references"])
                              .find_references("Thực hiện Báo cáo số 99/BC-UBND ngày 1/2/2024"))
        commit_and_sync(db, state)
        citing_id = doc.id
    later = add(state, "Báo cáo tổng hợp", number="99/BC-UBND", issued_on="01/02/2024")
    with state.sessionmaker() as db:
        assert [d.id for d in cited_by(db, db.get(Document, later), None)] == [citing_id]
        assert [d.id for d in cited_by(db, db.get(Document, waiting), None)] == []


def test_filters_facets_and_sorting(state):
    add(state, "Quyết định khen thưởng", doc_type="Quyết định", issuer="Sở Nội vụ", issued_on="05/06/2023",
        signer="Lê Văn A", sector="Thi đua", direction="outgoing")
    results = search.search(state, "")
    assert results.total == 6
    facets = dict(results.facets["year"])
    assert facets["2023"] == 1 and sum(facets.values()) == 5  # one sample has no date
    assert dict(results.facets["doc_type"])["QĐ"] == 1
    assert ids(state, "loai:QĐ") == ids(state, 'loai:"quyết định"') == ids(state, "", filters={"doc_type": "QĐ"})
    assert len(ids(state, "nam:2023")) == 1 and len(ids(state, "huong:di")) == 2
    assert len(ids(state, 'coquan:"so noi vu"')) == 1 and len(ids(state, "nguoiky:le")) == 1
    assert len(ids(state, "tu:1/6/2023 den:30/6/2023")) == 1 and len(ids(state, "tu:2024")) == 4
    filtered = search.search(state, "kế hoạch", filters={"year": "2024"})
    assert all(h["issued_on"].year == 2024 for h in filtered.hits)
    assert dict(filtered.facets["year"]) == {"2024": filtered.total}
    dates = [h["issued_on"] for h in search.search(state, "nam:2024", sort="date_asc").hits]
    assert dates == sorted(dates)
    dates = [h["issued_on"] for h in search.search(state, "nam:2024", sort="date_desc").hits]
    assert dates == sorted(dates, reverse=True)


def test_snippets_are_escaped_and_marked(state):
    doc_id = add(state, "Thử", "Đoạn <script>alert(1)</script> có văn hoá dân tộc Xơ-đăng")
    hit = next(h for h in search.search(state, "van hoa dan toc").hits if h["id"] == doc_id)
    assert "<mark>văn</mark> <mark>hoá</mark>" in hit["snippet"]
    assert "<script>" not in hit["snippet"] and "&lt;script&gt;" in hit["snippet"]


def test_did_you_mean_and_pagination(state):
    results = search.search(state, "chuong trinh hanh dongg")
    # real words of the archive, written as it writes them
    assert results.total == 0 and results.suggestion == "chương trình hành động"
    assert search.search(state, "quang ngaii").suggestion == "quảng ngãi"
    assert search.search(state, "xyzzyqwv").suggestion is None  # never a non-word
    for i in range(7):
        add(state, f"Giấy mời họp lần {i}")
    first, second = (search.search(state, "giấy mời", per_page=5, page=p) for p in (1, 2))
    assert first.total == 7 and len(first.hits) == 5 and len(second.hits) == 2
    assert not {h["id"] for h in first.hits} & {h["id"] for h in second.hits}


def test_edits_and_deletes_follow_the_database(state):
    doc_id = add(state, "Tờ trình mua sắm máy chiếu")
    with state.sessionmaker() as db:
        from docmgr.documents.operations import update_document

        update_document(db, db.get(Document, doc_id), {"subject": "Tờ trình sửa mái nhà xe"}, None)
        commit_and_sync(db, state)
    assert ids(state, "máy chiếu") == [] and ids(state, "mái nhà xe") == [doc_id]
    with state.sessionmaker() as db:
        db.delete(db.get(Document, doc_id))
        commit_and_sync(db, state)
    assert ids(state, "mái nhà xe") == []
    assert search.check(state).ok


def test_a_document_edited_between_searches_is_found_once(state):
    """The searcher kept open by a process is reopened after each change, never "refreshed": whoosh-reloaded's
    reader reuse brought back the segments of earlier versions, so an edited document came back once per edit."""
    from docmgr.documents.operations import update_document

    doc_id = add(state, "Công văn về lịch tiếp công dân kiemtramotlan")
    for i in range(4):
        assert search.search(state, "kiemtramotlan").total == 1, i
        with state.sessionmaker() as db:
            update_document(db, db.get(Document, doc_id), {"description": f"lần sửa {i}"}, None)
            commit_and_sync(db, state)
    assert ids(state, "kiemtramotlan") == [doc_id] and search.search(state, "kiemtramotlan").total == 1


def test_index_is_written_after_the_outer_commit_not_a_savepoint(state):
    """Releasing a SAVEPOINT is not the end of the transaction: the index must wait (it would hold the
    index lock while the transaction holds the database's, which deadlocks against another writer)."""
    doc_id = add(state, "Tờ trình mua sắm máy chiếu")
    with state.sessionmaker() as db:
        from docmgr.documents.operations import update_document

        update_document(db, db.get(Document, doc_id), {"subject": "Tờ trình sửa mái nhà xe"}, None)
        with db.begin_nested():
            db.get(Document, doc_id).description = "ghi chú"
        assert ids(state, "mái nhà xe") == []  # not yet
        commit_and_sync(db, state)
    assert ids(state, "mái nhà xe") == [doc_id]
    assert search.check(state).ok


def test_reader_sees_hits_through_web_and_api(state, client, auth):
    auth.login("reader")
    page = client.get("/search?q=van+hoa")
    assert page.status_code == 200 and "Tìm thấy" in page.get_data(as_text=True)
    bad = client.get('/search?q="ủy+ban')
    assert bad.status_code == 400 and "ngoặc kép" in bad.get_data(as_text=True)
    data = client.get("/api/search?q=kế+hoạch&sort=date_desc").get_json()
    assert set(data) >= {"total", "hits", "facets"} and data["total"] >= 3
    assert set(data["hits"][0]) >= {"id", "number", "subject", "issued_on", "issuer", "snippet", "score"}
    assert all(isinstance(pair, list) and len(pair) == 2 for pair in data["facets"]["doc_type"])
    assert client.get("/api/search?q=nam:20").status_code == 400
    facet = client.get("/search?q=kế+hoạch&f_year=2024").get_data(as_text=True)
    assert "✕ 2024" in facet
    detail = client.get(f"/documents/{sample_id(state, '65/KH-UBND')}").get_data(as_text=True)
    assert "Văn bản dẫn chiếu văn bản này" in detail and "Văn bản liên quan" in detail


def test_principals_filter_results(state):
    assert search.search(state, "", principals=["role:reader"]).total == 5
    assert search.search(state, "", principals=["user:999"]).total == 0


def test_check_finds_and_repairs_missing_stale_orphaned(state):
    doc_id = add(state, "Công văn đôn đốc")
    engine = state.search
    with engine.locked():
        engine.write([], [str(doc_id)])  # lost from the index
    orphan = add(state, "Sẽ bị xóa thẳng trong cơ sở dữ liệu")
    with state.sessionmaker() as db:  # changes made behind docmgr's back: no queue rows
        search.defer_sync(db)
        db.execute(update(Document).where(Document.number == "65/KH-UBND").values(subject="Đổi ngoài docmgr"))
        db.execute(text("DELETE FROM documents WHERE id = :i"), {"i": orphan})
        db.execute(text("DELETE FROM search_queue"))
        db.commit()
    report = search.check(state)
    assert not report.ok
    assert report.missing == [str(doc_id)] and report.orphaned == [str(orphan)] and len(report.stale) == 1
    assert search.check(state, repair=True).repaired
    assert search.check(state).ok
    assert doc_id in ids(state, "đôn đốc") and ids(state, '"đổi ngoài docmgr"') == [sample_id(state, "65/KH-UBND")]


def test_busy_index_keeps_the_change_queued(state, app):
    engine = state.search
    engine.lock_timeout = 0.2
    with engine.locked():
        with pytest.raises(search.IndexBusyError, match="đang bận"):
            add(state, "Thay đổi khi chỉ mục bận")
    assert search.queued(state) == 1
    assert search.check(state).missing  # visible to the check meanwhile
    assert search.sync(state) == 1
    assert ids(state, "chỉ mục bận") and search.check(state).ok


def test_reindex_swaps_in_a_complete_generation(state):
    before = state.search.current_name()
    plans = len(ids(state, "kế hoạch"))
    searcher = state.search.open_index().searcher()  # as another process would hold it
    result = search.reindex(state, batch=2)
    assert result["documents"] == 5 and state.search.current_name() != before
    assert searcher.doc_count() == 5  # a searcher opened before the swap still answers
    assert (state.search.root / before).is_dir()  # the previous generation stays for such readers
    assert len(ids(state, "kế hoạch")) == plans and search.check(state).ok
    searcher.close()


def test_parallel_reindex_gives_the_same_answers(state):
    """Worker processes (what a large archive gets) write segments that search the same."""
    queries = ["kế hoạch", '"ủy ban nhân dân"', "van hoa", "nam:2024", "65/KH-UBND"]
    before = {q: search.search(state, q).as_json() for q in queries}
    result = search.reindex(state, batch=1, procs=2, max_buffered=1)  # a segment per document
    assert result["documents"] == 5
    segments = state.search.open_index()._segments()
    assert len(segments) >= 2
    after = {q: search.search(state, q).as_json() for q in queries}
    for q in queries:
        assert [h["id"] for h in after[q]["hits"]] == [h["id"] for h in before[q]["hits"]], q
        assert after[q]["facets"] == before[q]["facets"] and after[q]["total"] == before[q]["total"]
    assert search.check(state).ok


def test_failing_worker_leaves_the_old_index(state, monkeypatch):
    before = state.search.current_name()
    plans = len(ids(state, "kế hoạch"))
    with pytest.raises(search.SearchError, match="tiến trình con"):
        search.reindex(state, batch=2, procs=2, max_buffered=300, prepare=_explode_in_worker)
    assert state.search.current_name() == before and not list(state.search.root.glob("*.tmp"))
    assert len(ids(state, "kế hoạch")) == plans


def _explode_in_worker(_source):
    raise RuntimeError("hỏng khi phân tích")


def test_crash_during_reindex_leaves_the_old_index(state, monkeypatch):
    before = state.search.current_name()
    plans = len(ids(state, "kế hoạch"))

    def explode(*_a, **_k):
        raise RuntimeError("killed")

    monkeypatch.setattr(search._indexing, "document_fields", explode)
    with pytest.raises(RuntimeError):
        search.reindex(state)
    monkeypatch.undo()
    assert state.search.current_name() == before and not list(state.search.root.glob("*.tmp"))
    assert len(ids(state, "kế hoạch")) == plans


@pytest.mark.parametrize("damage", ["delete", "truncate"])
def test_damaged_index_is_reported_and_reindex_rebuilds_it(state, client, auth, damage):
    plans = len(ids(state, "kế hoạch"))
    folder = state.search.current_dir()
    live = json.loads((folder / "MANIFEST.json").read_text())["files"]
    victim = folder / max((n for n in live if not n.endswith(".toc")), key=live.get)  # a segment file
    if damage == "delete":
        victim.unlink()
    else:
        victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 2])
    state.search.close()
    assert state.search.status()[0] == "corrupt"
    with pytest.raises(search.IndexCorruptError, match="docmgr reindex"):
        search.search(state, "kế hoạch")
    auth.login("reader")
    page = client.get("/search?q=ke+hoach")
    assert page.status_code == 503 and "docmgr reindex" in page.get_data(as_text=True)
    assert client.get("/api/search?q=ke+hoach").status_code == 503
    report = search.check(state)
    assert report.status == "corrupt" and not report.ok
    search.reindex(state)
    assert len(ids(state, "kế hoạch")) == plans and search.check(state).ok


def test_missing_index_is_not_replaced_by_an_empty_one(state):
    plans = len(ids(state, "kế hoạch"))
    (state.search.root / "CURRENT").unlink()
    state.search.close()
    with pytest.raises(search.IndexMissingError, match="docmgr reindex"):
        search.search(state, "kế hoạch")
    with pytest.raises(search.IndexMissingError):
        add(state, "Ghi khi chưa có chỉ mục")  # committed and queued; the caller is told
    assert search.queued(state) == 1
    search.check(state, repair=True)  # rebuilds from the database
    assert len(ids(state, "kế hoạch")) == plans and ids(state, "chưa có chỉ mục") and search.check(state).ok


WRITER = textwrap.dedent("""
    import sys, random, pathlib
    from docmgr import create_app, search
    from docmgr.documents.importer import import_file
    from docmgr.documents.models import Document
    from docmgr.documents.operations import update_document
    from docmgr.search import commit_and_sync
    from docmgr.workflow.transitions import transition
    app = create_app()
    state = app.extensions["docmgr"]
    worker, count, folder = int(sys.argv[1]), int(sys.argv[2]), pathlib.Path(sys.argv[3])
    mine, edits = [], 0
    for i in range(count):
        path = folder / f"w{worker}-{i}.txt"
        path.write_text(f"Công văn kiemthudongthoi w{worker} số n{i}\\n\\nNội dung {worker} {i}.", encoding="utf-8")
        with state.sessionmaker() as db:  # import the file, then register it (a số đến from the shared series)
            outcome, doc = import_file(db, state.files, path, direction="incoming", user=None,
                                       limits=state.read_limits)
            commit_and_sync(db, state)
            transition(db, doc, "register", None)
            commit_and_sync(db, state)
            mine.append(doc.id)
        if i % 3 == 2:
            with state.sessionmaker() as db:
                doc = db.get(Document, random.choice(mine))
                update_document(db, doc, {"description": f"sửa {i}"}, None)
                commit_and_sync(db, state)
                edits += 1
    print(len(mine), edits)
""")
READER = textwrap.dedent("""
    import sys, time
    from docmgr import create_app, search
    app = create_app()
    state = app.extensions["docmgr"]
    deadline, runs = time.time() + float(sys.argv[1]), 0
    while time.time() < deadline:
        search.search(state, "kiemthudongthoi")
        runs += 1
    print(runs)
""")


def test_concurrent_writers_and_searchers(state, app, tmp_path):
    """3 processes import, register and edit documents while 2 search the same instance.

    Afterwards: every file is one document with its original stored, the số đến
    run 1…N without a repeat or a gap, and the index matches the database.
    """
    from tests.test_faults import _report

    env = {**os.environ, "DOCMGR_DATABASE_URL": app.config["DOCMGR_DATABASE_URL"],
           "DOCMGR_SEARCH_INDEX": app.config["DOCMGR_SEARCH_INDEX"], "DOCMGR_FILES": app.config["DOCMGR_FILES"],
           "SECRET_KEY": "test"}
    writers, per_writer = 3, 12
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(w), str(per_writer), str(tmp_path)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for w in range(writers)]
    procs += [subprocess.Popen([sys.executable, "-c", READER, "6"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == 0, err[-6000:]
    report = search.check(state)
    assert report.ok, report.as_json()
    assert search.search(state, "kiemthudongthoi").total == writers * per_writer
    for w in range(writers):
        assert search.search(state, f"w{w}").total == per_writer
    with state.sessionmaker() as db:
        docs = db.scalars(select(Document).where(Document.text.contains("kiemthudongthoi"))).all()
        numbers = sorted(d.arrival_number for d in docs)
        missing_files = sum(1 for d in docs if len(d.files) != 1 or not state.files.exists(d.files[0].blob_sha256))
    assert len(docs) == writers * per_writer and missing_files == 0
    first = numbers[0]
    assert numbers == list(range(first, first + len(docs))), numbers  # no repeat, no gap
    result = subprocess.run([*DOCMGR, "index", "check", "--json"], env=env, capture_output=True, text=True)
    assert result.returncode == 0 and json.loads(result.stdout)["ok"]
    edits = sum(int(out.split()[1]) for out, _ in outputs[:writers])
    searches = sum(int(out) for out, _ in outputs[writers:])
    _report({"test": "concurrent-writers", "backend": app.config["DOCMGR_DATABASE_URL"].split(":")[0].split("+")[0],
             "processes": len(procs), "imports": len(docs), "registrations": len(docs), "edits": edits,
             "searches": searches, "repeated_numbers": len(numbers) - len(set(numbers)),
             "lost": writers * per_writer - len(docs), "missing_files": missing_files, "index_ok": True})


def test_cli_search_reindex_and_check(state, app):
    runner = cli_runner(app)
    result = runner.invoke(args=["docmgr", "search", "65/kh-ubnd", "--json", "--limit", "3"])
    data = json.loads(result.output)
    assert data["hits"][0]["number"] == "65/KH-UBND" and len(data["hits"]) <= 3
    assert "văn bản" in runner.invoke(args=["docmgr", "search", "van", "hoa"]).output
    bad = runner.invoke(args=["docmgr", "search", "nam:20"])
    assert bad.exit_code != 0 and "4 chữ số" in bad.output
    assert "Đã dựng lại chỉ mục: 5 văn bản" in runner.invoke(args=["docmgr", "reindex", "--quiet"]).output
    check = runner.invoke(args=["docmgr", "index", "check"])
    assert check.exit_code == 0 and "Nhất quán" in check.output


def test_a_commit_without_the_sync_loses_nothing_and_is_reported(app, state, caplog):
    """The index is brought up to date by an explicit call after the commit (search.commit_and_sync), never
    by a hook: a commit that forgets it leaves the change queued, and the request's end says so."""
    from docmgr.db import session

    with app.test_request_context():
        db = session()
        doc = create_document(db, direction="incoming", fields={"subject": "Quên đồng bộ quenđongbo"},
                              user=None, text="")
        db.commit()  # not commit_and_sync
        assert search.unsynced(db) and search.queued(state) == 1
        assert ids(state, "quenđongbo") == []
    assert "committed without search.commit_and_sync" in caplog.text
    assert search.sync(state) == 1 and ids(state, "quenđongbo") == [doc.id]
    with app.test_request_context():
        db = session()
        create_document(db, direction="incoming", fields={"subject": "Bỏ đi"}, user=None, text="")
        db.flush()
        db.rollback()  # queued rows go with the transaction, and nothing is reported
        assert not search.unsynced(db) and search.queued(state) == 0
    assert caplog.text.count("committed without") == 1


def test_abbreviations_in_field_filters_and_bare_numbers(state):
    hau_giang = add(state, "Thông báo kết luận giao ban", issuer="Ủy ban nhân dân tỉnh Hậu Giang",
                    number="453/TB-UBND")
    decision = add(state, "Quyết định phê duyệt", issuer="UBND tỉnh Hậu Giang", number="453/2024/QĐ-UBND")
    other = add(state, "Công văn có con số 453 trong nội dung", issuer="Sở Tài chính", number="12/STC-NS")
    assert {hau_giang, decision} <= set(ids(state, "coquan:UBND"))  # spelled out, and as written
    assert set(ids(state, 'coquan:"UBND tỉnh Hậu Giang"')) == {hau_giang, decision}
    assert set(ids(state, 'coquan:"ủy ban nhân dân tỉnh hậu giang"')) == {hau_giang}
    assert set(ids(state, "so:453")) == {hau_giang, decision}  # whatever the notation
    found = ids(state, "453")
    assert set(found[:2]) == {hau_giang, decision} and other in found  # numbered first, then the word
