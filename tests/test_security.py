"""Attacks: unguarded routes, login guessing, XSS, storage escapes, cookies, headers, secrets."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import update

from docmgr.auth.guard import PUBLIC
from docmgr.auth.models import LoginFailure
from docmgr.documents.storage import FileStore
from docmgr.workflow.definitions import ROLE_PERMISSIONS
from tests.conftest import PASSWORD


ROOT = Path(__file__).parent.parent
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _urls(app, scopes=False):
    """Every route with made-up arguments, its methods and the permission it declares (and its scope)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.endswith("static"):
            continue
        args = {name: 1 for name in rule.arguments}
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **args)
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield (url, method, view.required_permission) + ((view.required_scope,) if scopes else ())


def test_anonymous_users_reach_only_public_routes(app, client):
    checked = 0
    for url, method, permission in _urls(app):
        response = client.open(url, method=method)
        if permission == PUBLIC:
            assert response.status_code != 403 and "/login?" not in (response.location or ""), (url, method)
            continue
        checked += 1
        if "/api/" in url:
            assert response.status_code == 401, (url, method, response.status_code)
        else:
            assert response.status_code == 302 and "/login" in response.location, (url, method)
    assert checked >= 8


def test_readers_are_refused_wherever_their_role_does_not_allow(app, client, auth):
    auth.login("reader")
    refused = 0
    for url, method, permission in _urls(app):
        if permission in (PUBLIC, "login") or permission in ROLE_PERMISSIONS["reader"]:
            continue
        response = client.open(url, method=method)
        assert response.status_code == 403, (url, method, permission, response.status_code)
        refused += 1
    assert refused >= 4  # upload, create, edit, API writes


def test_repeated_failed_logins_lock_the_account_for_a_while(app, client, auth):
    for _ in range(5):
        assert auth.login("clerk", "sai").status_code == 401
    locked = auth.login("clerk", PASSWORD)  # even the right password is refused while locked
    assert locked.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in locked.text and "15 phút" in locked.text
    assert auth.login("admin", PASSWORD).status_code == 302  # other accounts are not affected
    auth.logout()
    with app.app_context():
        from docmgr.db import session

        db = session()
        db.execute(update(LoginFailure).values(at=LoginFailure.at - dt.timedelta(minutes=16)))
        db.commit()
    assert auth.login("clerk", PASSWORD).status_code == 302  # the lock has expired


def test_one_address_guessing_many_accounts_is_locked_too(app, client, auth):
    app.config["DOCMGR_LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    for name in ("a", "b", "c"):
        auth.login(name, "sai")
    assert auth.login("clerk", PASSWORD).status_code == 429


def _hostile_document(client):
    data = {
        "direction": "incoming", "number": "7/KH-X", "doc_type": "Kế hoạch", "subject": HOSTILE,
        "issuer": HOSTILE, "signer": "Nguyễn Văn A", "recipients": HOSTILE + "\n- Lưu: VT", "issued_on": "01/02/2024",
        "file": (io.BytesIO(("KẾ HOẠCH\n" + HOSTILE).encode()), f"{HOSTILE}.html"),
    }
    response = client.post("/api/documents", data=data, content_type="multipart/form-data")
    assert response.status_code == 201, response.text
    return response.json["id"]


def test_html_in_metadata_text_and_file_names_is_shown_escaped(app, client, auth):
    auth.login("clerk")
    doc_id = _hostile_document(client)
    upload = client.post("/documents/upload", data={
        "direction": "incoming",
        "file": (io.BytesIO(("KẾ HOẠCH\n" + HOSTILE).encode()), f"{HOSTILE}.txt"),
    }, content_type="multipart/form-data", follow_redirects=True)
    assert upload.status_code == 200
    for page in (client.get("/documents").text, client.get(f"/documents/{doc_id}").text, upload.text):
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;" in page
    api = client.get(f"/api/documents/{doc_id}")
    assert api.mimetype == "application/json" and api.headers["X-Content-Type-Options"] == "nosniff"
    assert api.json["subject"] == HOSTILE  # data kept as typed; escaping is the page's job


def test_uploaded_file_names_cannot_climb_out_of_the_store(app, client, auth, tmp_path):
    store = FileStore(tmp_path / "files")
    for bad in ("../../etc/passwd", "..", "a" * 64 + "/../x", "", "ABC"):
        with pytest.raises(ValueError):
            store.path(bad)
    auth.login("clerk")
    response = client.post("/documents/upload", data={
        "direction": "incoming", "file": (io.BytesIO("KẾ HOẠCH\nNội dung".encode()), "../../x.txt"),
    }, content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    assert "../" not in response.text.split("Tệp <strong>")[1].split("</strong>")[0]
    assert not (tmp_path.parent / "x.txt").exists()


def test_downloads_only_serve_a_documents_own_files(app, client, auth):
    auth.login("clerk")
    first = client.get(f"/api/documents/{_hostile_document(client)}").json
    other = client.post("/api/documents", data={"file": (io.BytesIO("KẾ HOẠCH\nKhác".encode()), "b.txt")},
                        content_type="multipart/form-data").json
    own_file = first["files"][0]["id"]
    with client.get(f"/documents/{first['id']}/files/{own_file}") as response:
        assert response.status_code == 200
    assert client.get(f"/documents/{other['id']}/files/{own_file}").status_code == 404  # not that document's
    assert client.get("/documents/1/files/..%2f..%2fsecret_key").status_code == 404


def test_session_cookie_is_httponly_samesite_and_secure_over_https(app):
    plain = app.test_client()
    plain.post("/login", data={"username": "clerk", "password": PASSWORD})
    cookie = plain.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax" and not cookie.secure
    https = app.test_client()
    response = https.post("/login", data={"username": "clerk", "password": PASSWORD, "remember": "1"},
                          base_url="https://localhost")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in c and "HttpOnly" in c for c in cookies), cookies
    assert any(c.startswith("remember_token=") for c in cookies)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_security_headers_on_pages_and_api(app, client, auth):
    for response in (client.get("/login"), client.get("/api/documents")):
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
    auth.login("clerk")
    assert client.get("/documents").headers["Cache-Control"] == "private, no-store"


def test_templates_need_no_inline_script_or_style():
    """The Content-Security-Policy forbids them; a template that used one would break silently."""
    for template in (ROOT / "templates").rglob("*.html"):
        if template.parent.name == "printing":
            continue  # PDF layouts: WeasyPrint renders them, no browser ever loads them
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)|\sstyle=|\son\w+=", text), template


def test_no_secret_is_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert not [p for p in tracked if re.search(r"(secret_key|admin-password|\.sqlite3|\.env)$", p)]
    pattern = re.compile(r"(SECRET_KEY\s*=\s*['\"][^'\"]{8,}|-----BEGIN [A-Z ]*PRIVATE KEY)")
    for path in tracked:
        file = ROOT / path
        if file.suffix in {".py", ".cfg", ".toml", ".md", ".html", ".txt", ".sh", ""} and file.is_file():
            assert not pattern.search(file.read_text(encoding="utf-8", errors="replace")), path
