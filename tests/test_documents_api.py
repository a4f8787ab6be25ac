"""The JSON API with a bearer token."""

import io

import pytest

from docmgr.auth.operations import issue_token_for
from docmgr.instance import load_samples


@pytest.fixture
def api(app, client):
    with app.app_context():
        load_samples(app)
    token = issue_token_for(app, "clerk", "test")
    headers = {"Authorization": f"Bearer {token}"}

    def call(method, url, **kwargs):
        return client.open(url, method=method, headers=headers, **kwargs)

    return call


def test_token_is_required(client):
    response = client.get("/api/documents")
    assert response.status_code == 401 and "error" in response.json
    assert client.get("/api/documents", headers={"Authorization": "Bearer sai"}).status_code == 401


def test_list_filter_and_get(api):
    listing = api("GET", "/api/documents?direction=incoming&sort=date_asc").json
    assert listing["total"] == 4
    assert [d["issued_on"] for d in listing["items"]][:3] == ["2024-03-07", "2024-05-16", "2024-07-02"]
    doc = api("GET", "/api/documents?direction=outgoing").json["items"][0]
    full = api("GET", f"/api/documents/{doc['id']}").json
    assert full["number"] == "65/KH-UBND" and full["recipients"][-1] == "Lưu: VT, KGVXmy135"
    assert full["files"][0]["sha256"] and full["files"][0]["url"].endswith(f"/files/{full['files'][0]['id']}")


def test_upload_with_override_and_duplicate_flag(api, seed_docx):
    response = api("POST", "/api/documents", data={"file": (io.BytesIO(seed_docx), "kh.docx"),
                                                   "direction": "incoming", "sector": "Văn hóa - Xã hội"},
                   content_type="multipart/form-data")
    assert response.status_code == 201
    body = response.json
    assert body["number"] == "65/KH-UBND" and body["sector"] == "Văn hóa - Xã hội"
    assert any(w.startswith("Trùng số") for w in body["warnings"])  # seed 001 is already archived


def test_patch_validates_and_reports_changes(api):
    assert api("PATCH", "/api/documents/1", json={"issued_on": "khong-phai-ngay"}).status_code == 400
    assert api("PATCH", "/api/documents/1", json={"bogus": 1}).status_code == 400
    response = api("PATCH", "/api/documents/1", json={"due_date": "2024-12-31", "signer": "Nguyễn Văn B"})
    assert response.status_code == 200 and response.json["changed"] == ["due_date", "signer"]
    assert response.json["due_date"] == "2024-12-31"


def test_reader_token_cannot_write(app, client):
    token = issue_token_for(app, "reader", "ro")
    response = client.patch("/api/documents/1", json={"signer": "x"}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
