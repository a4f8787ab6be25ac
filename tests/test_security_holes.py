"""The holes an attack on a fresh instance found (local roles, case files, redirects, leaks, oracles).

Each test failed before its fix. Sessions, tokens and login throttling are in test_sessions.py; file
reading limits in test_read_limits.py.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from docmgr.auth.groups import find_group
from docmgr.auth.models import User
from docmgr.auth.permissions import CASE_FILE, PUBLIC
from docmgr.casefiles import operations as ops
from docmgr.casefiles.models import CaseFile
from docmgr.documents.models import Document
from docmgr.documents.operations import create_document
from docmgr.errors import PermissionDeniedError
from docmgr.setup import create_user
from docmgr.workflow import STATE_PERMISSIONS
from tests.conftest import PASSWORD
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
        db.commit()
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
        db.commit()
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
        db.commit()
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
        db.commit()
        carl = _user(db, "carl")
        doc = db.get(Document, secret_id)
        shared = db.get(CaseFile, shared_id)
        ops.set_local_roles(db, shared, f"user:{carl.id}", {"editor"}, None)  # he may file into it …
        db.commit()
        with pytest.raises(PermissionDeniedError, match="cần quyền chia sẻ"):  # … but not widen who sees it
            ops.file_document(db, db.get(Document, secret_id), db.get(CaseFile, shared_id), _user(db, "carl"))
        db.rollback()
        # A manager of that file may: sharing is theirs to decide.
        ops.file_document(db, db.get(Document, secret_id), db.get(CaseFile, shared_id), _user(db, "admin"))
        db.commit()
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
        db.commit()
        issued_id, draft_id = issued.id, draft.id
    with state.sessionmaker() as db:
        carl = _user(db, "carl")
        own = _case_file(db, "05.VP", carl)
        with pytest.raises(PermissionDeniedError, match="không sắp xếp"):
            ops.file_document(db, db.get(Document, issued_id), own, carl)
        ops.file_document(db, db.get(Document, draft_id), own, carl)  # his own draft: fine
        ops.file_document(db, db.get(Document, issued_id), own, _user(db, "clerk"))  # the văn thư files it
        db.commit()
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
        from docmgr.documents.transitions import INCOMING_SERIES, next_number

        assert next_number(db, INCOMING_SERIES, 2024) == 5  # the series continues after the claimed number
        db.rollback()
