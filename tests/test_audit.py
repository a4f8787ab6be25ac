"""The audit log: views, downloads and transitions recorded; the page and API filter them; managers only."""

import datetime as dt

from docmgr import clock
from docmgr.audit.models import AuditEntry
from docmgr.instance import load_samples


def test_audit_log_records_and_filters(app, client, auth):
    with app.app_context():
        load_samples(app)
    auth.login("clerk")
    client.get("/documents/1")
    client.get("/api/documents/2")
    doc = client.get("/api/documents/1").get_json()
    client.get(doc["files"][0]["url"]).close()
    auth.logout()
    auth.login("reader")
    client.get("/documents/1")
    assert client.get("/audit").status_code == 403 and client.get("/api/audit").status_code == 403
    auth.logout()

    auth.login("admin")
    data = client.get("/api/audit?user=clerk&action=view").get_json()
    assert data["total"] == 3 and {e["document_id"] for e in data["entries"]} == {1, 2}
    assert client.get("/api/audit?document=1&action=view").get_json()["total"] == 3  # clerk twice, reader once
    assert client.get("/api/audit?user=clerk&action=download").get_json()["entries"][0]["detail"]["file"]
    assert client.get("/api/audit?action=transition").get_json()["total"] == 4  # the samples' registration
    today = clock.today()  # the office's day; from the day before: the login may have been just before midnight
    since, until = (today - dt.timedelta(days=1)).strftime("%d/%m/%Y"), today.strftime("%d/%m/%Y")
    assert client.get(f"/api/audit?user=reader&from={since}&to={until}").get_json()["total"] >= 2  # login, view
    assert client.get("/api/audit?user=reader&to=01/01/2020").get_json()["total"] == 0
    bad = client.get("/api/audit?from=32/13/2024")
    assert bad.status_code == 400 and "Từ ngày" in bad.get_json()["error"]
    transitions = client.get("/audit?action=transition").get_data(as_text=True)  # in words, not codes
    assert "Thao tác: Vào sổ (cấp số đến)" in transitions and "Sang trạng thái: Vào sổ" in transitions
    assert "to: registered" not in transitions
    html = client.get("/audit?user=reader").get_data(as_text=True)
    assert "Xem văn bản" in html and "Đăng nhập" in html and "Nhật ký thao tác" in html
    assert client.get("/audit?action=nothing").status_code == 400


def test_times_and_day_filters_are_the_offices_day_not_utcs(app, client, auth):
    """18:30 UTC on 30 November is 01:30 on 1 December in Hà Nội: shown so, and found under that day."""
    at = dt.datetime(2026, 11, 30, 18, 30, tzinfo=dt.timezone.utc)
    with app.extensions["docmgr"].sessionmaker() as db:
        db.add(AuditEntry(action="print", at=at, detail={"form": "thu"}))
        db.commit()
    auth.login("admin")
    assert client.get("/api/audit?action=print&from=01/12/2026&to=01/12/2026").get_json()["total"] == 1
    assert client.get("/api/audit?action=print&from=30/11/2026&to=30/11/2026").get_json()["total"] == 0
    assert "01/12/2026 01:30:00" in client.get("/audit?action=print").get_data(as_text=True)
    app.config["DOCMGR_TIMEZONE"] = "UTC"  # an office elsewhere
    assert "30/11/2026 18:30:00" in client.get("/audit?action=print").get_data(as_text=True)
    assert client.get("/api/audit?action=print&from=30/11/2026&to=30/11/2026").get_json()["total"] == 1
    with app.app_context():
        assert clock.local(at.replace(tzinfo=None)).hour == 18  # a naive stored time is UTC
