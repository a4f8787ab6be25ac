"""Intake that refuses mistakes before they are saved: a duplicate asked about before saving (never after), the
fields a clerk must fill in, and saving and registering in one step."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from sqlalchemy import func, select

from docmgr.documents.models import Document


@pytest.fixture
def database_url(tmp_path):
    """The checks are about forms: SQLite only (the duplicate query itself is the importer's, tested on both)."""
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


def _upload(client, data: bytes, name: str, direction: str = "incoming"):
    return client.post("/documents/upload", data={"file": (io.BytesIO(data), name), "direction": direction},
                       content_type="multipart/form-data", follow_redirects=True)


def _fields(form_html: str) -> dict:
    """What the confirm form would send as it stands."""
    fields = dict(re.findall(r'<input name="(\w+)" type="text" value="([^"]*)"', form_html))
    fields.update(re.findall(r'<input name="(\w+)" placeholder="ngày/tháng/năm" value="([^"]*)"', form_html))
    fields["subject"] = re.search(r'<textarea name="subject"[^>]*>([^<]*)<', form_html).group(1)
    fields["direction"] = "incoming"
    return fields


def _action(form_html: str) -> str:
    return re.search(r'action="(/intakes/\d+/confirm)"', form_html).group(1)


def _count(app) -> int:
    with app.extensions["docmgr"].sessionmaker() as db:
        return db.scalar(select(func.count()).select_from(Document))


def test_the_same_file_again_is_asked_about_before_saving_and_not_after(app, client, auth, seed_docx):
    auth.login("clerk")
    first = _upload(client, seed_docx, "ke-hoach.docx")
    assert "Có thể đã có trong kho" not in first.text
    saved = client.post(_action(first.text), data=_fields(first.text))
    assert saved.status_code == 302 and _count(app) == 1
    doc_id = int(saved.location.rsplit("/", 1)[1])

    again = _upload(client, seed_docx, "ke-hoach (1).docx")
    assert "Có thể đã có trong kho" in again.text and "Cùng tệp này" in again.text
    assert f'href="/documents/{doc_id}"' in again.text  # a link to it: the clerk may open it
    refused = client.post(_action(again.text), data=_fields(again.text))
    assert refused.status_code == 409 and "Vẫn lưu" in refused.text and _count(app) == 1
    accepted = client.post(_action(again.text), data={**_fields(again.text), "duplicate_ok": "1"},
                           follow_redirects=True)
    assert accepted.status_code == 200 and _count(app) == 2
    assert "Trùng số" not in accepted.text  # asked once, before saving: not again after


def test_a_duplicate_the_user_may_not_see_is_named_without_a_link(app, client, auth, seed_docx):
    from docmgr.auth.operations import create_user
    from tests.conftest import PASSWORD, seed_path

    create_user(app, "soanthao", PASSWORD, {"contributor"}, full_name="Soạn Thảo")
    auth.login("clerk")
    first = _upload(client, seed_docx, "ke-hoach.docx")
    client.post(_action(first.text), data=_fields(first.text))  # received, not registered: the văn thư's
    auth.logout()
    auth.login("soanthao")
    # The same plan as text: another file, the same number, issuer and year.
    form = _upload(client, seed_path("001").read_bytes(), "ke-hoach.txt")
    assert "Cùng số, ký hiệu và cơ quan ban hành trong năm" in form.text and "Cùng tệp này" not in form.text
    assert "một văn bản bạn không được xem (#1); hỏi văn thư" in form.text
    assert 'href="/documents/1"' not in form.text


def test_the_fields_a_clerk_must_fill_in_are_named_beside_them(app, client, auth):
    auth.login("clerk")
    form = _upload(client, "Nội dung không có tiêu đề".encode(), "ghi-chu.txt")
    response = client.post(_action(form.text), data={"direction": "incoming"})
    assert response.status_code == 400 and _count(app) == 0
    assert "Cần ghi cơ quan ban hành (nơi gửi)." in response.text and "Cần số, ký hiệu hoặc trích yếu." in response.text
    response = client.post(_action(form.text), data={"direction": "outgoing", "subject": "x" * 5001})
    assert response.status_code == 400 and "tối đa 5.000" in response.text
    response = client.post(_action(form.text), data={"direction": "outgoing", "subject": "Về việc thử"})
    assert response.status_code == 400 and "Cần tên loại văn bản." in response.text
    saved = client.post(_action(form.text), data={"direction": "incoming", "issuer": "Sở Nội vụ",
                                                  "subject": "Về việc thử"})
    assert saved.status_code == 302 and _count(app) == 1


def test_save_and_register_in_one_step_with_todays_arrival_date(app, client, auth, seed_docx):
    auth.login("clerk")
    form = _upload(client, seed_docx, "ke-hoach.docx")
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date().strftime("%d/%m/%Y")  # Hà Nội's day
    assert f'name="arrival_date" placeholder="ngày/tháng/năm" value="{today}"' in form.text
    assert "Lưu và vào sổ" in form.text
    saved = client.post(_action(form.text), data={**_fields(form.text), "register": "1"}, follow_redirects=True)
    assert "Đã lưu và vào sổ văn bản đến: số đến 1." in saved.text
    with app.extensions["docmgr"].sessionmaker() as db:
        doc = db.scalars(select(Document)).one()
        assert doc.state == "registered" and doc.arrival_number == 1
        assert doc.arrival_date.strftime("%d/%m/%Y") == today
