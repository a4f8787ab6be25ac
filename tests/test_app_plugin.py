"""docmgr as a Flask extension inside another app, and the app factory."""

import pytest
from flask import Flask

from docmgr import DocMgr, create_app
from docmgr.auth.operations import create_user
from docmgr.instance import init_instance
from tests.conftest import PASSWORD


def test_mounted_inside_a_host_app_under_a_prefix(tmp_path):
    host = Flask("host_app", instance_path=str(tmp_path / "inst"))
    host.config.update(SECRET_KEY="host", WTF_CSRF_ENABLED=False, DOCMGR_URL_PREFIX="/vanthu",
                       DOCMGR_DATABASE_URL=f"sqlite:///{tmp_path / 'host.sqlite3'}",
                       DOCMGR_FILES=str(tmp_path / "files"), DOCMGR_SEARCH_INDEX=str(tmp_path / "idx"))

    @host.route("/")
    def home():
        return "trang chủ của ứng dụng chủ"

    DocMgr(host)
    with host.app_context():
        init_instance(host)
    create_user(host, "vt", PASSWORD, {"clerk"})
    client = host.test_client()
    assert client.get("/").text == "trang chủ của ứng dụng chủ"
    assert client.get("/vanthu/documents").status_code == 302
    assert client.post("/vanthu/login", data={"username": "vt", "password": PASSWORD}).status_code == 302
    page = client.get("/vanthu/documents")
    assert page.status_code == 200 and "/vanthu/static/docmgr/docmgr.css" in page.text
    assert client.get("/vanthu/api/documents").json["total"] == 0
    assert client.get("/documents").status_code == 404
    assert "docmgr" in host.extensions


def test_registering_twice_is_a_clear_error(app):
    with pytest.raises(RuntimeError, match="already registered"):
        DocMgr(app)


def test_missing_secret_key_says_how_to_fix(tmp_path):
    host = Flask("nokey", instance_path=str(tmp_path))
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        DocMgr(host)


def test_create_app_reads_environment_and_instance_config(tmp_path, monkeypatch):
    instance = tmp_path / "khac"
    instance.mkdir()
    (instance / "config.py").write_text('DOCMGR_ORGANIZATION = "Sở Nội vụ"\nDOCMGR_PAGE_SIZE = 7\n', encoding="utf-8")
    monkeypatch.setenv("DOCMGR_INSTANCE", str(instance))
    monkeypatch.setenv("DOCMGR_SEARCH_INDEX", str(tmp_path / "chi-muc"))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app()
    assert app.config["DOCMGR_ORGANIZATION"] == "Sở Nội vụ" and app.config["DOCMGR_PAGE_SIZE"] == 7
    assert app.config["DOCMGR_SEARCH_INDEX"] == str(tmp_path / "chi-muc")
    assert app.config["DOCMGR_DATABASE_URL"] == f"sqlite:///{instance / 'docmgr.sqlite3'}"
    key_file = instance / "secret_key"
    assert key_file.exists() and app.config["SECRET_KEY"] == key_file.read_text().strip()
    assert create_app().config["SECRET_KEY"] == app.config["SECRET_KEY"]  # generated once
