"""The web pages a clerk uses: list, document page, upload and confirm, edit, download."""

import io
import re

from sqlalchemy import select

from docmgr.audit import AuditEntry
from docmgr.documents.models import Document
from docmgr.instance import load_samples
from tests.conftest import seed_path


def _samples(app):
    with app.app_context():
        load_samples(app)


def test_pages_need_login(client):
    response = client.get("/documents")
    assert response.status_code == 302 and "/login" in response.location


def test_wrong_password_is_refused(client, auth):
    response = auth.login(password="sai-mat-khau")
    assert response.status_code == 401 and "không đúng" in response.text


def test_list_shows_samples_with_filters_and_sorting(app, client, auth):
    _samples(app)
    auth.login("reader")
    page = client.get("/documents")
    assert page.status_code == 200
    for number in ("65/KH-UBND", "230/KH-UBND", "…/KH-SKHCN"):
        assert number in page.text
    outgoing = client.get("/documents?direction=outgoing")
    assert "65/KH-UBND" in outgoing.text and "230/KH-UBND" not in outgoing.text
    assert "Ủy ban nhân dân tỉnh Đồng Nai" in client.get("/documents?year=2024&sort=date_asc").text
    filtered = client.get("/documents?issuer=Ủy ban nhân dân tỉnh Đồng Nai")
    assert "230/KH-UBND" in filtered.text and "65/KH-UBND" not in filtered.text


def test_document_page_shows_metadata_recipients_files_and_text(app, client, auth):
    _samples(app)
    auth.login("reader")
    with app.app_context():
        from docmgr.db import session

        doc = session().scalars(select(Document).where(Document.number == "65/KH-UBND")).one()
    page = client.get(f"/documents/{doc.id}").text
    for expected in ("Ủy ban nhân dân tỉnh Quảng Ngãi", "Trần Hoàng Tuấn", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
                     "20/03/2024", "UBND các huyện, thị xã, thành phố", "001_7191916e58d6fc7e.txt",
                     "Chương trình 43-CTr/TU"):
        assert expected in page
    download = client.get(f"/documents/{doc.id}/files/{doc.files[0].id}")
    assert download.status_code == 200
    assert download.data == seed_path("001").read_bytes()  # byte for byte
    download.close()


def test_the_upload_form_offers_scans_too(client, auth):
    """The file picker offers every kind of file the readers take: a clerk's scan (.png, .jpg, .tif) too."""
    auth.login()
    page = client.get("/documents/upload").get_data(as_text=True)
    accept = page.split('accept="', 1)[1].split('"', 1)[0].split(",")
    assert {".txt", ".md", ".html", ".docx", ".odt", ".doc", ".pdf", ".png", ".jpg", ".jpeg", ".tif",
            ".tiff"} <= set(accept)
    assert "bản quét .png, .jpg, .tif" in page


def test_upload_docx_prefills_then_confirm_saves(app, client, auth, seed_docx):
    auth.login("clerk")
    form = client.post("/documents/upload", data={"file": (io.BytesIO(seed_docx), "ke-hoach.docx"),
                                                   "direction": "incoming"}, content_type="multipart/form-data",
                       follow_redirects=True)
    assert form.status_code == 200 and form.request.path.startswith("/intakes/")  # a pending intake, not a document
    assert 'value="65/KH-UBND"' in form.text and "Trần Hoàng Tuấn" in form.text
    action = re.search(r'action="(/intakes/\d+/confirm)"', form.text).group(1)
    saved = client.post(action, data={
        "direction": "incoming", "number": "65/KH-UBND",
        "doc_type": "Kế hoạch", "issued_on": "20/03/2024", "issuer": "Ủy ban nhân dân tỉnh Quảng Ngãi",
        "subject": "Kế hoạch thực hiện", "recipients": "Sở Nội vụ;\n- Lưu: VT", "arrival_number": "12",
        "arrival_date": "25/03/2024"})
    assert saved.status_code == 302
    page = client.get(saved.location).text
    assert "Kế hoạch thực hiện" in page and "ke-hoach.docx" in page and "Sở Nội vụ" in page


def test_upload_pdf_prefills(client, auth, seed_pdf):
    auth.login("clerk")
    form = client.post("/documents/upload", data={"file": (io.BytesIO(seed_pdf), "kh.pdf")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert "KH-SKHCN" in form.text and "Nguyễn Văn Thành" in form.text and "07/03/2024" in form.text


def test_a_file_that_is_no_document_is_refused_on_the_form_and_kept(client, auth, app):
    import hashlib

    auth.login("clerk")
    for data, name, reason in ((b"%PDF-1.4 garbage", "hong.pdf", "Tệp PDF"),
                               (b"MZ\x90\x00" + bytes(200), "cong-van.pdf", "tệp chương trình (Windows"),
                               (b"PK\x03\x04 not a zip", "ke-hoach.docx", "Không nhận tệp «ke-hoach.docx»")):
        form = client.post("/documents/upload", data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
        assert form.status_code == 400 and reason in form.text, name
        assert 'name="file"' in form.text  # the upload form again, with the reason: no dead end
        assert app.extensions["docmgr"].files.exists(hashlib.sha256(data).hexdigest())  # kept, for whoever checks
    refused = client.get("/intakes?state=refused").text
    assert "hong.pdf" in refused and "cong-van.pdf" in refused and "Không nhận" in refused
    assert "hong.pdf" not in client.get("/intakes").text  # not waiting for anyone


def test_invalid_date_is_reported_in_vietnamese(client, auth, app):
    _samples(app)
    auth.login("clerk")
    response = client.post("/documents/1/edit", data={"direction": "incoming", "issued_on": "31/02/2024"})
    assert response.status_code == 400 and "Ngày ban hành: ngày không hợp lệ" in response.text


def test_edit_records_who_changed_what(app, client, auth):
    _samples(app)
    auth.login("clerk")
    response = client.post("/documents/1/edit", data={
        "direction": "outgoing", "number": "65/KH-UBND", "doc_type": "Kế hoạch", "issued_on": "20/03/2024",
        "subject": "Trích yếu đã sửa", "recipients": "Sở Nội vụ"})
    assert response.status_code == 302
    with app.app_context():
        from docmgr.db import session

        doc = session().get(Document, 1)
        assert doc.subject == "Trích yếu đã sửa" and doc.updated_by.username == "clerk"
        entry = session().scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
        assert "subject" in entry.detail["changes"]


def test_reader_cannot_upload_or_edit(app, client, auth):
    _samples(app)
    auth.login("reader")
    assert client.get("/documents/upload").status_code == 403
    assert client.post("/documents/1/edit", data={"direction": "incoming"}).status_code == 403


def test_missing_document_is_a_404_page(client, auth):
    auth.login("reader")
    response = client.get("/documents/424242")
    assert response.status_code == 404 and "Không có văn bản" in response.text


def test_forms_without_csrf_token_are_refused(app, client, auth):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/login", data={"username": "clerk", "password": "x"})
    assert response.status_code == 400 and "CSRF" in response.text
    login_page = client.get("/login").text
    token = login_page.split('name="csrf_token" value="')[1].split('"')[0]
    from tests.conftest import PASSWORD

    assert client.post("/login", data={"username": "clerk", "password": PASSWORD, "csrf_token": token}).status_code == 302


def test_every_route_declares_its_permission(app):
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint.endswith("static"):
            continue
        assert hasattr(view, "required_permission"), f"{rule} declares no permission"


def test_times_on_the_document_page_are_vietnam_time(app, client, auth):
    import datetime as dt

    _samples(app)
    auth.login("reader")
    with app.app_context():
        from docmgr.db import session

        created = session().get(Document, 1).created_at
    created = created if created.tzinfo else created.replace(tzinfo=dt.timezone.utc)  # stored in UTC
    vietnam = created.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d/%m/%Y %H:%M")
    assert f"<dt>Tạo</dt><dd>{vietnam}" in client.get("/documents/1").text


def test_the_confirm_form_says_beside_each_field_what_to_check(client, auth):
    """A plan with its number left blank (to be stamped at signing) and no issuer lines: the form says so
    beside those two fields, and says nothing beside the fields that were read."""
    auth.login("clerk")
    text = seed_path("000").read_bytes()
    form = client.post("/documents/upload", data={"file": (io.BytesIO(text), "ke-hoach.txt")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert form.status_code == 200
    hints = dict(re.findall(r'<input name="(\w+)"[^>]*>\s*<span class="hint field-warning">([^<]+)</span>', form.text))
    assert set(hints) == {"number", "issuer"}
    assert hints["number"].startswith("Số còn để trống") and "cơ quan ban hành" in hints["issuer"]
    action = re.search(r'action="(/intakes/\d+/confirm)"', form.text).group(1)
    again = client.post(action, data={"direction": "incoming", "number": "/KH-SKHCN", "issuer": "Sở Khoa học và Công nghệ",
                                      "subject": "Kế hoạch", "issued_on": "31/02/2024"})  # no such day: back to the form
    assert again.status_code == 400
    assert "Số còn để trống" in again.text and "Không đọc được cơ quan ban hành" not in again.text  # typed in now
