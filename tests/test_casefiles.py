"""Units, case files (hồ sơ), local roles (Sharing), closing with a Mục lục, archive warnings,
confidential documents by unit, configurable number series."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from docmgr import search
from docmgr.auth.groups import find_group
from docmgr.auth.models import User
from docmgr.auth.operations import create_user
from docmgr.casefiles import operations as ops
from docmgr.casefiles import views as casefile_views
from docmgr.casefiles.models import CaseFile
from docmgr.documents.models import Document
from docmgr.documents.operations import create_document
from docmgr.errors import PermissionDeniedError, SetupError, UserValueError
from docmgr.search import commit_and_sync
from docmgr.workflow.permissions import allowed, permitted, visible_to
from docmgr.workflow.transitions import transition
from tests.conftest import PASSWORD, make_app


@pytest.fixture
def office(app):
    """Two units: Văn phòng (alice, a reader; vera, an editor) and Phòng Tư pháp (bob, a reader)."""
    create_user(app, "alice", PASSWORD, {"reader"}, "Alice", groups=["Văn phòng"])
    create_user(app, "vera", PASSWORD, {"editor"}, "Vera", groups=["Văn phòng"])
    create_user(app, "bob", PASSWORD, {"reader"}, "Bob", groups=["Phòng Tư pháp"])
    return app


def _user(db, name):
    return db.scalar(select(User).where(User.username == name))


def _doc(db, author=None, **fields):
    data = {"subject": "Kế hoạch tổ chức hội nghị tổng kết công tác văn thư", "issuer": "UBND huyện Sơn Tịnh",
            "doc_type": "Kế hoạch", **fields}
    doc = create_document(db, direction="outgoing", user=author, fields=data,
                          text="Tổ chức hội nghị tổng kết công tác văn thư, lưu trữ năm 2024.")
    db.flush()
    return doc


def _visible(db, name):
    user = _user(db, name)
    return set(db.scalars(select(Document.id).where(visible_to(user))))


def _found(state, db, name, text):
    return {h["id"] for h in search.search(state, text, user=_user(db, name)).hits}


def test_local_roles_apply_below_and_stop_where_a_file_does_not_inherit(office):
    state = office.extensions["docmgr"]
    with state.sessionmaker() as db:
        top = ops.save_case_file(db, {"code": "01.VP", "title": "Hồ sơ công tác văn thư", "year": 2024}, None)
        mid = ops.save_case_file(db, {"code": "01.VP.1", "title": "Hội nghị", "year": 2024, "parent_id": top.id},
                                 None)
        low = ops.save_case_file(db, {"code": "01.VP.1.a", "title": "Tổng kết", "year": 2024,
                                      "parent_id": mid.id}, None)
        draft = _doc(db, _user(db, "vera"), subject="Dự thảo kế hoạch hội nghị kiemthuhoso")
        ops.file_document(db, draft, low, None)
        commit_and_sync(db, state)
        draft_id, top_id, mid_id = draft.id, top.id, mid.id
    with state.sessionmaker() as db:  # a draft: alice (a reader) and bob see nothing of it
        assert draft_id not in _visible(db, "alice") and not _found(state, db, "alice", "kiemthuhoso")
        ops.set_local_roles(db, db.get(CaseFile, top_id), f"group:{find_group(db, 'Phòng Tư pháp').id}",
                            {"editor"}, _user(db, "admin"))
        commit_and_sync(db, state)
    with state.sessionmaker() as db:  # granted to bob's unit on the top file: it reaches two levels down
        doc, bob = db.get(Document, draft_id), _user(db, "bob")
        assert allowed(bob, "view", doc) and allowed(bob, "edit", doc)
        assert not allowed(_user(db, "alice"), "view", doc)
        assert draft_id in _visible(db, "bob") and _found(state, db, "bob", "kiemthuhoso") == {draft_id}
        assert search.check(state).ok
        ops.set_inherit(db, db.get(CaseFile, mid_id), False, _user(db, "admin"))
        commit_and_sync(db, state)
    with state.sessionmaker() as db:  # the middle file stops inheriting: the grant no longer reaches it
        assert not allowed(_user(db, "bob"), "view", db.get(Document, draft_id))
        assert draft_id not in _visible(db, "bob") and not _found(state, db, "bob", "kiemthuhoso")
        ops.set_local_roles(db, db.get(CaseFile, mid_id), f"user:{_user(db, 'alice').id}", {"reviewer"}, None)
        commit_and_sync(db, state)
    with state.sessionmaker() as db:
        doc = db.get(Document, draft_id)
        assert allowed(_user(db, "alice"), "view", doc) and not allowed(_user(db, "alice"), "edit", doc)
        assert _found(state, db, "alice", "kiemthuhoso") == {draft_id}
        assert search.check(state).ok  # sharing bumped the documents' stamps: no stale entry
        with pytest.raises(PermissionDeniedError):
            ops.set_local_roles(db, db.get(CaseFile, mid_id), f"user:{_user(db, 'bob').id}", {"manager"},
                                _user(db, "alice"))


def test_confidential_documents_cannot_be_found_by_another_units_reader(office):
    state = office.extensions["docmgr"]
    with state.sessionmaker() as db:
        vp = find_group(db, "Văn phòng")
        secret = _doc(db, None, subject="Phương án bảo vệ kiemthumat", number="12/PA-VP", sector="Quốc phòng",
                      issued_on="01/03/2024", confidentiality="Mật", unit_id=vp.id)
        plain = _doc(db, None, subject="Thông báo lịch họp kiemthumat", number="13/TB-VP", issued_on="02/03/2024")
        commit_and_sync(db, state)
        secret_id, plain_id = secret.id, plain.id
    with state.sessionmaker() as db:
        bob = _user(db, "bob")
        for query in ("kiemthumat", "12/PA-VP", "12/pa-vp", "bảo vệ", "bao ve"):  # words, number, no accents
            assert secret_id not in _found(state, db, "bob", query), query
        results = search.search(state, "kiemthumat", user=bob)
        assert results.total == 1 and {h["id"] for h in results.hits} == {plain_id}
        facets = {name: dict(values) for name, values in results.facets.items()}
        assert "Quốc phòng" not in facets.get("sector", {})  # not even a facet count
        assert secret_id not in _visible(db, "bob") and not allowed(bob, "view", db.get(Document, secret_id))
        for name in ("alice", "clerk", "admin"):  # its unit's reader, the văn thư, a manager
            assert secret_id in _found(state, db, name, "12/PA-VP"), name
        facets = dict(search.search(state, "kiemthumat", user=_user(db, "alice")).facets["sector"])
        assert facets.get("Quốc phòng") == 1


def test_confidential_rule_through_the_web_and_the_api(office, client, auth):
    state = office.extensions["docmgr"]
    with state.sessionmaker() as db:
        secret = _doc(db, None, subject="Báo cáo kiemthuweb", number="7/BC-VP", confidentiality="Tối mật",
                      unit_id=find_group(db, "Văn phòng").id)
        commit_and_sync(db, state)
        secret_id = secret.id
    auth.login("bob")
    assert client.get(f"/documents/{secret_id}").status_code == 404  # hidden: answered like a missing one
    assert f"/documents/{secret_id}\"" not in client.get("/search?q=kiemthuweb").get_data(as_text=True)
    assert client.get("/api/search?q=7/BC-VP").get_json()["total"] == 0
    auth.logout()
    auth.login("alice")
    assert client.get(f"/documents/{secret_id}").status_code == 200
    assert client.get("/api/search?q=7/BC-VP").get_json()["total"] == 1


def test_closing_a_file_locks_its_documents_and_keeps_its_contents(office, client, auth, monkeypatch):
    state = office.extensions["docmgr"]
    with state.sessionmaker() as db:
        vera = _user(db, "vera")
        cf = ops.save_case_file(db, {"code": "02.VP", "title": "Hồ sơ hội nghị tổng kết năm 2024", "year": 2024,
                                     "retention": "10"}, vera)
        # Archived as issued (by the system: an editor's upload with a number would start as a draft).
        first = _doc(db, None, number="65/KH-UBND", issued_on="20/03/2024", page_count="3")
        second = _doc(db, None, number="70/TB-UBND", issued_on="25/03/2024", doc_type="Thông báo",
                      subject="Thông báo kết luận hội nghị", page_count="2")
        for doc in (second, first):  # issued documents: the văn thư files them (vera may not edit them)
            ops.file_document(db, doc, cf, _user(db, "clerk"))
        commit_and_sync(db, state)
        cf_id, first_id = cf.id, first.id
        assert allowed(_user(db, "clerk"), "edit", first)  # an issued document: the văn thư may correct it
    auth.login("vera")  # she keeps the file, but closing would lock documents she may not edit
    page = client.get(f"/casefiles/{cf_id}").get_data(as_text=True)
    assert "65/KH-UBND" in page and "70/TB-UBND" in page and "Kết thúc hồ sơ" in page
    refused = client.post(f"/casefiles/{cf_id}/close", follow_redirects=True).get_data(as_text=True)
    assert "không kết thúc hồ sơ được" in refused
    auth.logout()
    auth.login("clerk")
    response = client.post(f"/casefiles/{cf_id}/close", follow_redirects=True)
    assert "Đã kết thúc hồ sơ" in response.get_data(as_text=True)
    assert client.get(f"/documents/{first_id}/edit").status_code == 403  # locked
    with state.sessionmaker() as db:
        doc = db.get(Document, first_id)
        assert doc.case_file.is_closed and not allowed(_user(db, "clerk"), "edit", doc)
        assert first_id not in set(db.scalars(select(Document.id).where(permitted(_user(db, "clerk"), "edit"))))
        with pytest.raises(UserValueError, match="đã kết thúc"):
            ops.file_document(db, doc, None, _user(db, "admin"))
        stored = db.get(CaseFile, cf_id).contents_sha256
    pdf = client.get(f"/casefiles/{cf_id}/contents.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert state.files.read(stored) == pdf.data  # the Mục lục kept at closing
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "MỤC LỤC VĂN BẢN, TÀI LIỆU" in text and "Số, ký hiệu hồ sơ: 02.VP" in text
    compact = text.replace(" ", "")  # a number may wrap in its cell
    assert compact.index("65/KH-UBND") < compact.index("70/TB-UBND")  # by date
    assert "Kế hoạch tổ chức hội nghị" in text and "Kế hoạch Kế hoạch" not in text
    assert "1–3" in text and "4–5" in text  # tờ số: the sheets each document takes
    assert "Mục lục này gồm 2 văn bản, 5 tờ" in text
    auth.logout()
    auth.login("admin")
    assert "Đã mở lại hồ sơ" in client.post(f"/casefiles/{cf_id}/reopen", follow_redirects=True).get_data(as_text=True)
    with state.sessionmaker() as db:
        assert allowed(_user(db, "clerk"), "edit", db.get(Document, first_id))
    monkeypatch.setattr(casefile_views, "BIG_CONTENTS", 1)  # an open file of many documents: a background print
    asked = client.get(f"/casefiles/{cf_id}/contents.pdf")
    assert asked.status_code == 302 and "/prints/" in asked.location
    page = client.get(asked.location).get_data(as_text=True)
    assert "Mục lục văn bản của hồ sơ" in page and "Tải tệp PDF" in page
    pdf = client.get(re.search(r'href="([^"]+/pdf)"', page).group(1))
    assert "MỤC LỤC VĂN BẢN, TÀI LIỆU" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()


def test_files_due_for_the_archive_are_flagged_30_days_ahead(office, runner):
    state = office.extensions["docmgr"]
    today = dt.date(2026, 11, 22)
    with office.app_context(), state.sessionmaker() as db:  # closing prints the Mục lục (templates)
        made = {}
        for code, closed_days_ago, retention in (("A", 340, "10"), ("B", 300, "Vĩnh viễn"), ("C", 370, "2"),
                                                 ("D", 400, "5")):
            cf = ops.save_case_file(db, {"code": code, "title": f"Hồ sơ {code}", "year": 2025,
                                         "retention": retention}, None)
            ops.close_case_file(db, state.files, cf, None, today=today - dt.timedelta(days=closed_days_ago))
            made[code] = cf
        commit_and_sync(db, state)
        assert [f.code for f in ops.due_for_archive(db, today)] == ["D", "A"]  # late first; C stays with the unit
        assert made["A"].archive_due == today + dt.timedelta(days=25)
        assert not made["B"].archive_warning(today) and not made["C"].goes_to_archive
    result = runner.invoke(args=["docmgr", "casefile", "list", "--due", "--json"])
    assert result.exit_code == 0, result.output
    with state.sessionmaker() as db:  # the command works from the real date
        expected = [f.code for f in ops.due_for_archive(db)]
    assert [row["code"] for row in json.loads(result.output)] == expected and "D" in expected


def test_case_file_records_are_checked(office):
    state = office.extensions["docmgr"]
    with state.sessionmaker() as db:
        top = ops.save_case_file(db, {"code": "03.TP", "title": "Hồ sơ tư pháp", "year": 2024}, None)
        child = ops.save_case_file(db, {"code": "03.TP.1", "title": "Con", "year": 2024, "parent_id": top.id}, None)
        for values, message in (
            ({"code": "03.tp", "title": "Trùng", "year": 2024}, "đã có hồ sơ"),
            ({"code": "", "title": "Không số", "year": 2024}, "số và ký hiệu"),
            ({"code": "04", "title": "Sai hạn", "year": 2024, "retention": "mãi mãi"}, "Thời hạn bảo quản"),
        ):
            with pytest.raises(UserValueError, match=message):
                ops.save_case_file(db, values, None)
        with pytest.raises(UserValueError, match="chính nó"):
            ops.save_case_file(db, {"code": "03.TP", "title": "Vòng", "year": 2024, "parent_id": child.id}, None,
                               top)
        with pytest.raises(UserValueError, match="hồ sơ con"), office.app_context():
            ops.close_case_file(db, state.files, top, None)
        with pytest.raises(PermissionDeniedError):  # a reader may not open a file
            ops.save_case_file(db, {"code": "05", "title": "X", "year": 2024}, _user(db, "alice"))


def test_sharing_page_gives_a_reader_the_edit_form(office, client, auth):
    state = office.extensions["docmgr"]
    with state.sessionmaker() as db:
        cf = ops.save_case_file(db, {"code": "06.VP", "title": "Hồ sơ chia sẻ", "year": 2024}, None)
        doc = _doc(db, _user(db, "vera"))
        ops.file_document(db, doc, cf, None)
        commit_and_sync(db, state)
        cf_id, doc_id, bob_id = cf.id, doc.id, _user(db, "bob").id
    auth.login("bob")
    assert client.get(f"/documents/{doc_id}").status_code == 404
    assert client.get(f"/casefiles/{cf_id}/sharing").status_code == 403
    auth.logout()
    auth.login("admin")
    page = client.get(f"/casefiles/{cf_id}/sharing").get_data(as_text=True)
    assert "Bob (bob)" in page and "Biên tập viên" in page
    client.post(f"/casefiles/{cf_id}/sharing", data={"principal": f"user:{bob_id}", "roles": ["editor"]})
    assert client.get(f"/api/casefiles/{cf_id}/sharing").get_json()["local_roles"] == [
        {"principal": f"user:{bob_id}", "role": "editor"}]
    auth.logout()
    auth.login("bob")
    assert client.get(f"/documents/{doc_id}/edit").status_code == 200
    assert client.get("/api/search?q=tổng kết").get_json()["total"] == 1


def test_configured_number_series(tmp_path, database_url):
    rules = [{"name": "secret", "title": "Văn bản mật", "confidential": True},
             {"name": "qd", "title": "Quyết định", "doc_types": ["QĐ"]}]
    app = make_app(tmp_path, database_url, DOCMGR_NUMBER_SERIES=rules)
    state = app.extensions["docmgr"]
    numbers = []
    with state.sessionmaker() as db:
        for doc_type, notation, secret in (("Kế hoạch", "KH-UBND", None), ("Quyết định", "QĐ-UBND", None),
                                           ("Kế hoạch", "KH-UBND", None), ("Kế hoạch", "KH-UBND", "Mật"),
                                           ("Quyết định", "QĐ-UBND", None)):
            doc = create_document(db, direction="outgoing", user=None, text="x",
                                  fields={"doc_type": doc_type, "issuer": "UBND huyện Sơn Tịnh",
                                          "confidentiality": secret, "issued_on": "05/01/2025"})
            for name in ("submit", "sign", "issue"):
                event = transition(db, doc, name, None, data={"notation": notation})
            numbers.append((doc.number, event.detail["series"]))
        commit_and_sync(db, state)
    assert numbers == [("01/KH-UBND", "Số chung"), ("01/QĐ-UBND", "Quyết định"), ("02/KH-UBND", "Số chung"),
                       ("01/KH-UBND", "Văn bản mật"), ("02/QĐ-UBND", "Quyết định")]
    app.extensions["docmgr"].engine.dispose()
    for bad, message in (("not json", "JSON"), ([{"name": "x"}], "title"),
                         ([{"name": "x", "title": "X"}], "confidential or doc_types"),
                         ([{"name": "normal", "title": "X", "confidential": True}], "taken")):
        with pytest.raises(SetupError, match=message):
            make_app(tmp_path / "bad", database_url, DOCMGR_NUMBER_SERIES=bad)


def test_user_create_with_a_group_and_units_pages(app, runner, client, auth):
    result = runner.invoke(args=["docmgr", "user", "create", "tuan", "--role", "editor", "--password", PASSWORD,
                                 "--group", "Phòng Tài chính - Kế hoạch"])
    assert result.exit_code == 0, result.output
    assert "Phòng Tài chính - Kế hoạch" in result.output
    state = app.extensions["docmgr"]
    with state.sessionmaker() as db:
        assert [g.name for g in _user(db, "tuan").groups] == ["Phòng Tài chính - Kế hoạch"]
    auth.login("admin")
    assert "tuan" in client.get("/units").get_data(as_text=True)
    client.post("/units/new", data={"name": "Phòng Nội vụ", "code": "NV", "members": ["1"]})
    with state.sessionmaker() as db:
        assert [u.username for u in find_group(db, "NV").members] == ["admin"]
    auth.logout()
    auth.login("reader")
    assert client.get("/units").status_code == 403


def test_case_file_cli(app, runner, tmp_path):
    from docmgr.instance import load_samples

    with app.app_context():
        load_samples(app)
    result = runner.invoke(args=["docmgr", "casefile", "create", "01.UBND", "Hồ sơ kế hoạch văn hóa",
                                 "--year", "2024", "--retention", "10"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["docmgr", "casefile", "file", "65/KH-UBND", "01.UBND"]).exit_code == 0
    result = runner.invoke(args=["docmgr", "casefile", "close", "01.UBND", "--user", "reader"])
    assert result.exit_code != 0 and "không có quyền" in result.output
    assert runner.invoke(args=["docmgr", "casefile", "close", "01.UBND", "--user", "clerk"]).exit_code == 0
    out = tmp_path / "muc-luc.pdf"
    assert runner.invoke(args=["docmgr", "casefile", "contents", "01.UBND", "-o", str(out)]).exit_code == 0
    text = " ".join((p.extract_text() or "") for p in PdfReader(out).pages)
    assert "65/KH-UBND" in text
    result = runner.invoke(args=["docmgr", "casefile", "list"])
    assert "01.UBND" in result.output and "closed" in result.output
