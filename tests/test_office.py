"""The office's name and place: set by docmgr init or on the settings page, kept in the database, printed."""

from __future__ import annotations

import pytest

from docmgr.instance import load_samples
from docmgr.office import settings
from tests.conftest import cli_runner


@pytest.fixture
def database_url(tmp_path):
    """Settings are one small table: SQLite only."""
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


def test_the_settings_page_names_the_office_for_pages_and_printed_forms(app, client, auth):
    from tests.test_printing import pages_text

    with app.app_context():
        load_samples(app)
    auth.login("clerk")
    assert client.get("/settings").status_code == 403  # the managers' page
    auth.logout()
    auth.login("admin")
    page = client.get("/settings").get_data(as_text=True)
    assert 'value="Văn thư cơ quan"' in page  # the configuration's default until saved
    refused = client.post("/settings", data={"organization": "", "place": "Quảng Ngãi"})
    assert refused.status_code == 400 and "Cần tên cơ quan" in refused.get_data(as_text=True)
    saved = client.post("/settings", data={"organization": "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi",
                                           "parent_organization": "Ủy ban nhân dân tỉnh Quảng Ngãi",
                                           "place": "Quảng Ngãi", "organization_notation": "VP"},
                        follow_redirects=True)
    assert "Đã lưu thông tin cơ quan." in saved.get_data(as_text=True)
    assert "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi" in client.get("/documents").get_data(as_text=True)  # page head
    slip = " ".join(pages_text(client.get("/documents/2/print/processing-slip").data)[0].split())
    assert "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH QUẢNG NGÃI" in slip  # parent, then office
    audit = client.get("/audit?action=settings_update").get_data(as_text=True)
    assert "Tên cơ quan, tổ chức: Văn thư cơ quan → Sở Khoa học và Công nghệ tỉnh Quảng Ngãi" in audit


def test_init_names_the_office_and_asks_only_at_a_terminal(app):
    runner = cli_runner(app)
    result = runner.invoke(args=["docmgr", "init", "--organization", "Ủy ban nhân dân huyện Lý Sơn",
                                 "--place", "Lý Sơn"])
    assert result.exit_code == 0, result.output
    with app.app_context(), app.extensions["docmgr"].sessionmaker() as db:
        found = settings(db)
    assert found["organization"] == "Ủy ban nhân dân huyện Lý Sơn" and found["place"] == "Lý Sơn"
    again = runner.invoke(args=["docmgr", "init"], input="")  # not a terminal: nothing asked, nothing changed
    assert again.exit_code == 0 and "Tên cơ quan" not in again.output
