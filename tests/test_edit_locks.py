"""Edit locks: one editor at a time, 10 minutes, a Manager may take over; the API answers 409."""

import datetime as dt

from docmgr.auth.operations import create_user
from docmgr.documents import locks
from docmgr.documents.fields import FIELDS
from docmgr.documents.models import Document, EditLock
from docmgr.instance import load_samples
from tests.conftest import PASSWORD


def form_data(client, doc_id, **changes):
    """What the edit form sends: every field, as it is now, with ``changes``."""
    data = client.get(f"/api/documents/{doc_id}").get_json()
    values = {name: data.get(name) for name in FIELDS}
    values["recipients"] = "\n".join(data["recipients"])
    values.update(changes)
    return {k: "" if v is None else str(v) for k, v in values.items()}


def test_second_editor_is_refused_until_save_or_expiry(app, client, auth):
    with app.app_context():
        load_samples(app)
    create_user(app, "clerk2", PASSWORD, {"clerk"}, full_name="Văn thư Hai")
    other = app.test_client()
    other.post("/login", data={"username": "clerk2", "password": PASSWORD})

    auth.login("clerk")
    assert client.post("/documents/1/edit/lock").status_code == 302  # «Sửa thông tin» takes the lock
    assert client.get("/documents/1/edit").status_code == 200
    response = other.post("/documents/1/edit/lock", follow_redirects=True)
    assert "Văn bản đang được Clerk sửa" in response.get_data(as_text=True)
    response = other.post("/documents/1/edit", data={"subject": "Ghi đè"})
    assert response.status_code == 409
    page = other.get("/documents/1").get_data(as_text=True)
    assert "Văn bản đang được Clerk sửa" in page and "Giành quyền sửa" not in page  # not a manager
    api = other.patch("/api/documents/1", json={"sector": "Y tế"})
    assert api.status_code == 409 and "Clerk" in api.get_json()["error"]

    form = client.get("/documents/1/edit").get_data(as_text=True)
    assert "Bạn giữ quyền sửa" in form
    saved = client.post("/documents/1/edit", data=form_data(client, 1, sector="Văn hóa"))
    assert saved.status_code == 302  # saved: the lock is given back
    assert other.post("/documents/1/edit/lock").status_code == 302
    assert other.get("/documents/1/edit").status_code == 200
    other.post("/documents/1/unlock")  # cancelled: given back again
    state = app.extensions["docmgr"]
    with state.sessionmaker() as db:
        assert db.get(EditLock, 1) is None
        doc = db.get(Document, 1)
        assert doc.sector == "Văn hóa"
        # an abandoned lock lapses after 10 minutes
        from docmgr.auth.models import User

        user2 = db.query(User).filter_by(username="clerk2").one()
        locks.take(db, doc, user2, now=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=11))
        assert locks.holder(db, doc) is None
    assert client.get("/documents/1/edit").status_code == 200


def test_manager_takes_over_a_lock_and_it_is_logged(app, client, auth):
    with app.app_context():
        load_samples(app)
    clerk = app.test_client()
    clerk.post("/login", data={"username": "clerk", "password": PASSWORD})
    assert clerk.post("/documents/2/edit/lock").status_code == 302
    auth.login("admin")
    page = client.get("/documents/2").get_data(as_text=True)
    assert "Giành quyền sửa" in page
    assert client.post("/documents/2/edit/lock", data={"steal": "1"}).status_code == 302
    assert client.get("/documents/2/edit").status_code == 200
    assert clerk.post("/documents/2/edit", data=form_data(clerk, 2, subject="x")).status_code == 409  # lost it
    entries = client.get("/api/audit?action=steal_lock").get_json()["entries"]
    assert entries[0]["user"] == "admin" and entries[0]["detail"]["previous"] == "clerk"
