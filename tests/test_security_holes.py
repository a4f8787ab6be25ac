"""The holes an attack on a fresh instance found (local roles, case files, redirects, leaks, oracles).

Each test failed before its fix. Sessions, tokens and login throttling are in test_sessions.py; file
reading limits in test_read_limits.py.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from docmgr.auth.groups import find_group
from docmgr.auth.guard import PUBLIC
from docmgr.auth.models import User
from docmgr.auth.operations import create_user
from docmgr.casefiles import operations as ops
from docmgr.casefiles.models import CaseFile
from docmgr.documents.models import Document
from docmgr.documents.operations import create_document
from docmgr.errors import PermissionDeniedError
from docmgr.extraction import find_references
from docmgr.search import commit_and_sync
from docmgr.workflow.definitions import STATE_PERMISSIONS
from docmgr.workflow.permissions import CASE_FILE
from tests.conftest import PASSWORD, cli_runner
from tests.test_security import _urls


def _user(db, name):
    return db.scalar(select(User).where(User.username == name))


@pytest.fixture
def office(app):
    """Văn phòng (alice, a reader; carl, a contributor) and Phòng Tư pháp (bob, a reader)."""
    create_user(app, "alice", PASSWORD, {"reader"}, "Alice", groups=["Văn phòng"])
    create_user(app, "carl", PASSWORD, {"contributor"}, "Carl", groups=["Văn phòng"])
    create_user(app, "bob", PASSWORD, {"reader"}, "Bob", groups=["Phòng Tư pháp"])
    return app


def _doc(db, author=None, **fields):
    data = {"subject": "Kế hoạch tổ chức hội nghị", "issuer": "UBND huyện Sơn Tịnh", "doc_type": "Kế hoạch",
            **fields}
    doc = create_document(db, direction="outgoing", user=author, fields=data, text="Nội dung kiểm thử.")
    db.flush()
    return doc


def _case_file(db, code, user=None, **values):
    return ops.save_case_file(db, {"code": code, "title": f"Hồ sơ {code}", "year": 2024, **values}, user)


def test_a_local_manager_of_one_case_file_gets_no_global_administration(office, client, auth):
    """Finding 1: a Manager of one case file (Sharing) passed every global `manage` check."""
    state = office.extensions["docmgr"]
    with state.sessionmaker() as db:
        cf = _case_file(db, "01.VP")
        ops.set_local_roles(db, cf, f"user:{_user(db, 'alice').id}", {"manager"}, None)
        other_unit = find_group(db, "Phòng Tư pháp")
        commit_and_sync(db, state)
        cf_id, unit_id = cf.id, other_unit.id
    auth.login("alice")
    refused = 0
    for url, method, permission, scope in _urls(office, scopes=True):
        if permission in (PUBLIC, "login") or permission in STATE_PERMISSIONS or scope == CASE_FILE:
            continue
        if permission in ("view", "download"):  # a reader's own global rights
            continue
        response = client.open(url, method=method)
        assert response.status_code == 403, (url, method, permission, response.status_code)
        refused += 1
    assert refused >= 10  # audit log, units (list, create, edit, delete), address book, uploads …
    assert client.get("/audit").status_code == 403
    assert client.post(f"/units/{unit_id}/edit", data={"name": "Chiếm", "members": ""}).status_code == 403
    assert client.post("/units/new", data={"name": "Đơn vị mới"}).status_code == 403
    # What the local role was granted for still works, on that file only.
    assert client.get(f"/casefiles/{cf_id}/sharing").status_code == 200
    with state.sessionmaker() as db:
        other = _case_file(db, "02.VP")
        commit_and_sync(db, state)
        other_id = other.id
    assert client.get(f"/casefiles/{other_id}/sharing").status_code == 403


def test_a_contributor_cannot_share_a_confidential_document_through_a_sub_file(office):
    """Finding 5: creating a sub-file under a file shared with another unit, then filing into it."""
    state = office.extensions["docmgr"]
    with state.sessionmaker() as db:
        shared = _case_file(db, "03.TP")
        ops.set_local_roles(db, shared, f"group:{find_group(db, 'Phòng Tư pháp').id}", {"editor"}, None)
        carl = _user(db, "carl")  # his own confidential draft: he may edit it, Phòng Tư pháp may not see it
        secret = _doc(db, carl, confidentiality="Mật", unit_id=find_group(db, "Văn phòng").id)
        commit_and_sync(db, state)
        shared_id, secret_id = shared.id, secret.id
    with state.sessionmaker() as db:
        carl = _user(db, "carl")
        with pytest.raises(PermissionDeniedError, match="đang được chia sẻ"):
            _case_file(db, "03.TP.1", carl, parent_id=shared_id)
        db.rollback()
        # Filing straight into the shared file would show the document to Phòng Tư pháp.
        carl = _user(db, "carl")
        own = _case_file(db, "04.VP", carl)
        ops.file_document(db, db.get(Document, secret_id), own, carl)  # his own file, not shared: fine
        commit_and_sync(db, state)
        carl = _user(db, "carl")
        shared = db.get(CaseFile, shared_id)
        ops.set_local_roles(db, shared, f"user:{carl.id}", {"editor"}, None)  # he may file into it …
        commit_and_sync(db, state)
        with pytest.raises(PermissionDeniedError, match="cần quyền chia sẻ"):  # … but not widen who sees it
            ops.file_document(db, db.get(Document, secret_id), db.get(CaseFile, shared_id), _user(db, "carl"))
        db.rollback()
        # A manager of that file may: sharing is theirs to decide.
        ops.file_document(db, db.get(Document, secret_id), db.get(CaseFile, shared_id), _user(db, "admin"))
        commit_and_sync(db, state)
        assert db.get(Document, secret_id).case_file_id == shared_id
    with state.sessionmaker() as db:  # a sub-file that does not inherit the sharing is his to open
        sub = _case_file(db, "03.TP.2", _user(db, "carl"), parent_id=shared_id, inherit_roles="")
        assert sub.parent_id == shared_id
        db.rollback()


def test_a_contributor_cannot_freeze_a_document_by_filing_and_closing(office):
    """Finding 6: filing needs edit rights on the document; closing locks only what its closer may edit."""
    state = office.extensions["docmgr"]
    with state.sessionmaker() as db:
        issued = _doc(db, None, number="12/KH-UBND", issued_on="01/03/2024")  # archived as issued
        draft = _doc(db, _user(db, "carl"))
        commit_and_sync(db, state)
        issued_id, draft_id = issued.id, draft.id
    with state.sessionmaker() as db:
        carl = _user(db, "carl")
        own = _case_file(db, "05.VP", carl)
        with pytest.raises(PermissionDeniedError, match="không sắp xếp"):
            ops.file_document(db, db.get(Document, issued_id), own, carl)
        ops.file_document(db, db.get(Document, draft_id), own, carl)  # his own draft: fine
        ops.file_document(db, db.get(Document, issued_id), own, _user(db, "clerk"))  # the văn thư files it
        commit_and_sync(db, state)
        with office.app_context(), pytest.raises(PermissionDeniedError, match="không kết thúc"):
            ops.close_case_file(db, state.files, db.get(CaseFile, own.id), _user(db, "carl"))
        db.rollback()
        assert not db.get(CaseFile, own.id).is_closed


def test_metadata_edits_never_move_the_workflow(app, client, auth):
    """Finding 10: editing number, direction or arrival_number moved a draft to issued or registered, and
    could give a số đến twice."""
    auth.login("clerk")
    created = client.post("/api/documents", data={"direction": "outgoing", "subject": "Dự thảo kế hoạch",
                                                  "file": (io.BytesIO("Dự thảo".encode()), "a.txt")},
                          content_type="multipart/form-data").json
    assert created["state"] == "draft" and not created["number"]
    doc_id = created["id"]
    for field, value in (("number", "15/KH-UBND"), ("arrival_number", "3"), ("arrival_date", "01/03/2024")):
        response = client.patch(f"/api/documents/{doc_id}", json={field: value})
        assert response.status_code == 400, (field, response.json)
    assert client.get(f"/api/documents/{doc_id}").json["state"] == "draft"
    # The notation alone ("/KH-UBND", the number left for issuing) may be set on a draft.
    assert client.patch(f"/api/documents/{doc_id}", json={"number": "/KH-UBND"}).status_code == 200
    # The direction may be corrected at the start, into the other workflow's start, never further.
    moved = client.patch(f"/api/documents/{doc_id}", json={"direction": "incoming"}).json
    assert moved["state"] == "received"
    registered = client.post(f"/api/documents/{doc_id}/transitions", json={"transition": "register"}).json
    assert registered["state"] == "registered" and registered["arrival_number"] == 1
    assert client.patch(f"/api/documents/{doc_id}", json={"direction": "outgoing"}).status_code == 400
    assert client.patch(f"/api/documents/{doc_id}", json={"arrival_number": "7"}).status_code == 400
    # The sender's number of an incoming document stays editable: clerks correct what extraction read.
    fixed = client.patch(f"/api/documents/{doc_id}", json={"number": "16/KH-UBND"})
    assert fixed.status_code == 200 and fixed.json["number"] == "16/KH-UBND"


def test_an_upload_with_a_number_keeps_the_workflows_rules(app, client, auth):
    state = app.extensions["docmgr"]
    create_user(app, "carl", PASSWORD, {"contributor"}, "Carl")
    auth.login("carl")
    outgoing = client.post("/api/documents", data={"direction": "outgoing", "number": "20/QĐ-UBND",
                                                   "subject": "Quyết định", "file": (io.BytesIO(b"QD"), "q.txt")},
                           content_type="multipart/form-data").json
    assert outgoing["state"] == "draft" and not outgoing["number"]  # not issued by a contributor's upload
    assert any("do văn thư cấp" in w for w in outgoing["warnings"])
    incoming = client.post("/api/documents", data={"direction": "incoming", "number": "5/CV-SNV",
                                                   "arrival_number": "1", "subject": "Công văn",
                                                   "file": (io.BytesIO(b"CV"), "c.txt")},
                           content_type="multipart/form-data").json
    assert incoming["state"] == "received" and incoming["arrival_number"] is None
    assert incoming["number"] == "5/CV-SNV"  # the sender's number stays
    auth.logout()
    auth.login("clerk")  # the văn thư archives a registered document: its số đến is claimed, never twice
    first = client.post("/api/documents", data={"direction": "incoming", "arrival_number": "4",
                                                "arrival_date": "02/03/2024", "subject": "Công văn A",
                                                "file": (io.BytesIO(b"A"), "a.txt")},
                        content_type="multipart/form-data")
    assert first.status_code == 201 and first.json["state"] == "registered"
    again = client.post("/api/documents", data={"direction": "incoming", "arrival_number": "4",
                                                "arrival_date": "05/03/2024", "subject": "Công văn B",
                                                "file": (io.BytesIO(b"B"), "b.txt")},
                        content_type="multipart/form-data")
    assert again.status_code == 400 and "đã cấp" in again.json["error"]
    with state.sessionmaker() as db:
        from docmgr.workflow.transitions import INCOMING_SERIES, next_number

        assert next_number(db, INCOMING_SERIES, 2024) == 5  # the series continues after the claimed number
        db.rollback()


@pytest.mark.parametrize("url", [
    "/documents?page=" + "9" * 30, "/search?q=hội+nghị&page=" + "9" * 30, "/api/documents?page=" + "9" * 30,
    "/api/documents/99999999999999999999", "/documents/99999999999999999999",
    "/documents/1/versions?a=99999999999999999999&b=1", "/api/documents/1/versions?a=99999999999999999999&b=1",
    "/audit?from=01/01/0001", "/audit?document=99999999999999999999", "/audit?page=" + "9" * 30,
    "/casefiles/99999999999999999999", "/api/print/envelopes?ids=99999999999999999999",
    "/users/99999999999999999999",
])
def test_absurd_numbers_get_clear_answers_not_500(app, client, auth, url):
    """Finding 15."""
    auth.login("admin")
    client.post("/api/documents", data={"subject": "Kế hoạch", "file": (io.BytesIO(b"KH"), "a.txt")},
                content_type="multipart/form-data")
    response = client.get(url)
    assert response.status_code in (200, 400, 404), (url, response.status_code)


def test_hidden_documents_answer_404_like_missing_ones(app, client, auth):
    """Finding 13: 403 for a hidden document and 404 for a missing one told which exist."""
    auth.login("clerk")
    hidden = client.post("/api/documents", data={"direction": "incoming", "subject": "Công văn chưa vào sổ",
                                                 "file": (io.BytesIO(b"CV"), "cv.txt")},
                         content_type="multipart/form-data").json["id"]
    auth.logout()
    auth.login("reader")  # an unregistered incoming document: only the văn thư and managers see it
    for url in (f"/documents/{hidden}", f"/api/documents/{hidden}", f"/documents/{hidden}/versions"):
        assert client.get(url).status_code == 404, url
        assert client.get(url.replace(str(hidden), "987654")).status_code == 404


def test_envelopes_of_a_day_tell_nothing_of_documents_the_user_may_not_print(app, client, auth):
    state = app.extensions["docmgr"]
    with state.sessionmaker() as db:
        create_document(db, direction="outgoing", user=None, text="Mật",
                        fields={"number": "9/KH-UBND", "issued_on": "03/03/2024", "subject": "Kế hoạch mật",
                                "issuer": "UBND", "confidentiality": "Mật", "recipients": ["UBND huyện A"]})
        commit_and_sync(db, state)
    create_user(app, "editor1", PASSWORD, {"editor"}, "Editor")  # prints, but not another unit's secrets
    auth.login("editor1")
    with_hidden = client.get("/api/print/envelopes?date=2024-03-03")
    empty_day = client.get("/api/print/envelopes?date=2024-03-04")
    assert with_hidden.status_code == empty_day.status_code == 400
    assert with_hidden.json["error"].replace("03/03", "04/03") == empty_day.json["error"]


def test_a_routing_slip_lists_each_document_once_and_not_too_many(app, client, auth):
    """Finding 14."""
    auth.login("clerk")
    ids = [client.post("/api/documents", data={"subject": f"Văn bản {i}", "direction": "incoming",
                                                "file": (io.BytesIO(f"VB {i}".encode()), f"{i}.txt")},
                       content_type="multipart/form-data").json["id"] for i in range(2)]
    ok = client.post(f"/api/documents/{ids[0]}/print/slip", json={"to": "Phòng Tư pháp",
                                                                  "also": [ids[1], ids[1], f"#{ids[1]}", ids[0]]})
    assert ok.status_code == 200
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(ok.data)).pages)
    assert text.count("Văn bản 1") == 1
    many = client.post(f"/api/documents/{ids[0]}/print/slip", json={"to": "Phòng Tư pháp",
                                                                    "also": list(range(1000, 1100))})
    assert many.status_code == 400 and "tối đa" in many.json["error"]


def test_opening_the_edit_form_takes_no_lock(app, client, auth):
    """Finding 16: a GET (a link, a prefetch) locked others out for ten minutes."""
    auth.login("clerk")
    doc_id = client.post("/api/documents", data={"subject": "Kế hoạch", "file": (io.BytesIO(b"KH"), "a.txt")},
                         content_type="multipart/form-data").json["id"]
    assert client.get(f"/documents/{doc_id}/edit").status_code == 200
    other = app.test_client()
    other.post("/login", data={"username": "admin", "password": PASSWORD})
    assert other.patch(f"/api/documents/{doc_id}", json={"subject": "Kế hoạch đã sửa"}).status_code == 200


def test_address_book_csv_cells_never_start_a_formula(app):
    """Finding 17: an exported cell starting with = + - @ ran as a formula in a spreadsheet."""
    from docmgr.addressbook.csvio import export_csv, import_csv

    state = app.extensions["docmgr"]
    hostile = "name,phone,address\r\n\"=HYPERLINK(\"\"http://x\"\")\",+84 255 3822 222,@SUM(A1)\r\n"
    with state.sessionmaker() as db:
        import_csv(db, hostile.encode())
        commit_and_sync(db, state)
        exported = export_csv(db)
    for cell in ("'=HYPERLINK", "'+84 255", "'@SUM"):
        assert cell in exported, exported
    with state.sessionmaker() as db:  # and it reads back as it was
        import_csv(db, exported.encode())
        commit_and_sync(db, state)
        from docmgr.addressbook.models import Organization

        org = db.scalar(select(Organization))
        assert org.phone == "+84 255 3822 222" and org.address == "@SUM(A1)"


def test_the_database_is_private_and_check_repairs_modes(tmp_path, monkeypatch):
    """Finding 18: instance/docmgr.sqlite3 was created 0644."""
    import os
    import stat

    from docmgr import create_app
    from docmgr.instance import init_instance

    instance = tmp_path / "instance"
    monkeypatch.setenv("DOCMGR_INSTANCE", str(instance))
    app = create_app({"DOCMGR_SEARCH_INDEX": str(tmp_path / "index")})
    with app.app_context():
        init_instance(app)
    database = instance / "docmgr.sqlite3"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    os.chmod(database, 0o644)
    runner = cli_runner(app)
    result = runner.invoke(args=["docmgr", "check"])
    assert result.exit_code == 1 and "docmgr.sqlite3 (0644)" in result.output
    result = runner.invoke(args=["docmgr", "check", "--repair"])
    assert "Đã sửa quyền truy cập" in result.output
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert runner.invoke(args=["docmgr", "check"]).exit_code == 0
    app.extensions["docmgr"].engine.dispose()


def test_suggestions_cited_by_and_filter_menus_show_only_what_the_user_may_see(app, client, auth):
    """Findings 3, 4 and 12: "Có phải bạn muốn tìm…", "Văn bản dẫn chiếu văn bản này" and the list's filter
    menus told words, numbers, issuers and years of documents the user may not see."""
    from docmgr import search

    state = app.extensions["docmgr"]
    with state.sessionmaker() as db:
        hidden = create_document(db, direction="incoming", user=None, text="Phương án xylophonetacmat bảo vệ.",
                                 fields={"number": "88/PA-BQP", "subject": "Phương án bí mật", "issued_on": "01/02/2019",
                                         "issuer": "Bộ Quốc phòng", "doc_type": "Phương án"})
        seen = create_document(db, direction="outgoing", user=None, text="Kế hoạch họp giao ban.",
                               fields={"number": "5/KH-UBND", "subject": "Kế hoạch", "issued_on": "01/03/2024",
                                       "issuer": "UBND huyện", "doc_type": "Kế hoạch"})
        citing = create_document(db, direction="incoming", user=None, text="Căn cứ Kế hoạch số 5/KH-UBND.",
                                 fields={"number": "9/CV-X", "subject": "Công văn", "issuer": "Sở X"},
                                 references=find_references("Căn cứ Kế hoạch số 5/KH-UBND ngày 01/03/2024.", "9/CV-X"))
        commit_and_sync(db, state)
        assert hidden.id
        seen_id, citing_id = seen.id, citing.id
    search.sync(state)
    auth.login("reader")  # unregistered incoming documents are the văn thư's only
    results = client.get("/api/search?q=xylophonetacmac").json
    assert results["total"] == 0 and not results["suggestion"], results  # no word of the hidden text
    page = client.get(f"/documents/{seen_id}").text
    assert "9/CV-X" not in page and f"/documents/{citing_id}" not in page
    listing = client.get("/documents").text
    assert "Bộ Quốc phòng" not in listing and "2019" not in listing and "Phương án" not in listing
    auth.logout()
    auth.login("clerk")
    assert client.get("/api/search?q=xylophonetacmac").json["suggestion"] == "xylophonetacmat"
    assert "9/CV-X" in client.get(f"/documents/{seen_id}").text
    assert "Bộ Quốc phòng" in client.get("/documents").text


def test_the_edit_form_shows_the_workflows_fields_read_only(app, client, auth):
    auth.login("clerk")
    doc_id = client.post("/api/documents", data={"direction": "incoming", "subject": "Công văn",
                                                 "file": (io.BytesIO(b"CV"), "cv.txt")},
                         content_type="multipart/form-data").json["id"]
    client.post(f"/api/documents/{doc_id}/transitions", json={"transition": "register"})
    form = client.get(f"/documents/{doc_id}/edit").text
    assert 'name="arrival_number" type="number" value="1" readonly' in form
    assert "do bước «Vào sổ» cấp" in form and '<select disabled title="Chỉ đổi hướng' in form


def test_filing_through_the_page_and_the_api(app, client, auth):
    """The filing form and POST /api/documents/<id>/file (their case-file id is read as an id)."""
    state = app.extensions["docmgr"]
    with state.sessionmaker() as db:
        cf = _case_file(db, "06.VP")
        doc = _doc(db, None, number="14/KH-UBND", issued_on="01/03/2024")
        commit_and_sync(db, state)
        cf_id, doc_id = cf.id, doc.id
    auth.login("clerk")
    assert client.post(f"/documents/{doc_id}/file", data={"case_file_id": str(cf_id)}).status_code == 302
    with state.sessionmaker() as db:
        assert db.get(Document, doc_id).case_file_id == cf_id
    assert client.post(f"/api/documents/{doc_id}/file", json={"case_file_id": None}).status_code == 200
    refused = client.post(f"/api/documents/{doc_id}/file", json={"case_file_id": "99999999999999"})
    assert refused.status_code == 400


def test_reverting_a_registered_document_keeps_what_the_workflow_gave_it(app, client, auth):
    auth.login("clerk")
    doc_id = client.post("/api/documents", data={"direction": "incoming", "subject": "Công văn gốc",
                                                 "file": (io.BytesIO(b"CV"), "cv.txt")},
                         content_type="multipart/form-data").json["id"]
    client.post(f"/api/documents/{doc_id}/transitions", json={"transition": "register"})
    assert client.patch(f"/api/documents/{doc_id}", json={"subject": "Công văn sửa"}).status_code == 200
    reverted = client.post(f"/api/documents/{doc_id}/versions/1/revert")
    assert reverted.status_code == 200, reverted.json
    assert reverted.json["subject"] == "Công văn gốc" and reverted.json["arrival_number"] == 1
    assert reverted.json["state"] == "registered"
