"""Fixtures: an app on a temporary instance, users of each role, clients, sample files."""

from __future__ import annotations

import io
from pathlib import Path

import click
import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import close_all_sessions

from docmgr import create_app
from docmgr.auth.operations import create_user
from docmgr.instance import init_instance
from tests.servers import database_for, start_postgres


SAMPLES = Path(__file__).parent.parent / "docmgr" / "sample_data"
PASSWORD = "mat-khau-thu-nghiem"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failed test (screenshots)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for the session (started here when Debian's binaries are installed)."""
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Every test that uses the app runs on SQLite and on a fresh PostgreSQL database."""
    return database_for(request, tmp_path, "test")


def make_app(tmp_path: Path, database_url: str, **config):
    """An app on a fresh instance under ``tmp_path``, its database created; ``config`` overrides."""
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test",
        "WTF_CSRF_ENABLED": False,
        "DOCMGR_DATABASE_URL": database_url,
        "DOCMGR_FILES": str(tmp_path / "files"),
        "DOCMGR_SEARCH_INDEX": str(tmp_path / "index"),
        # Background jobs run at once in the process that queues them; the tests of the queue itself start
        # real workers (tests/test_jobs.py).
        "DOCMGR_JOBS_IMMEDIATE": True,
        **config,
    })
    with app.app_context():
        init_instance(app)
    return app


@pytest.fixture
def app(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("DOCMGR_INSTANCE", str(tmp_path / "instance"))
    app = make_app(tmp_path, database_url)
    for name, role in (("admin", "manager"), ("clerk", "clerk"), ("reader", "reader")):
        create_user(app, name, PASSWORD, {role}, full_name=name.title())
    yield app
    # Sessions a test left open give their connections back, then the pool closes them all, so none is
    # left to a PostgreSQL server that the session's end shuts down.
    close_all_sessions()
    app.extensions["docmgr"].engine.dispose()
    app.extensions["docmgr"].search.close()
    app.extensions["docmgr"].jobs.close()


@pytest.fixture
def client(app):
    return app.test_client()


class CliRunner(FlaskCliRunner):
    """``runner.invoke(args=["docmgr", …])`` as ``flask docmgr …`` runs it: the docmgr group comes from the
    ``flask.commands`` entry point, not from the app's own ``app.cli``."""

    def invoke(self, cli=None, args=None, **kwargs):
        from docmgr.cli import docmgr_group

        return super().invoke(cli or click.Group(commands={"docmgr": docmgr_group}), args, **kwargs)


def cli_runner(app) -> CliRunner:
    return CliRunner(app)


@pytest.fixture
def runner(app):
    return cli_runner(app)


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, username="clerk", password=PASSWORD):
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


def seed_path(prefix: str) -> Path:
    return next(SAMPLES.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def printed(tmp_path_factory):
    """Seeds 001 (14 pages) and 004 printed as their offices' PDFs (the printing templates need an app): the
    paper the scans of the OCR and background-job tests are made from."""
    from docmgr.ocr import scans

    tmp = tmp_path_factory.mktemp("printed")
    app = make_app(tmp, f"sqlite:///{tmp / 'db.sqlite3'}")
    with app.app_context():
        out = {prefix: scans.printed_pdf(seed_path(prefix).read_text(encoding="utf-8")) for prefix in ("001", "004")}
    app.extensions["docmgr"].engine.dispose()
    app.extensions["docmgr"].search.close()
    app.extensions["docmgr"].jobs.close()
    return out


@pytest.fixture(scope="session")
def seed_docx() -> bytes:
    """Seed 001 as a Word file laid out like the original: header and signature in tables."""
    import docx

    text = seed_path("001").read_text(encoding="utf-8")
    cells = [c.strip("\n") for c in text.split("|")]
    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = cells[0]
    header.cell(0, 1).text = cells[1]
    header.cell(1, 0).text = cells[2]
    header.cell(1, 1).text = cells[3]
    for paragraph in cells[4].split("\n"):
        document.add_paragraph(paragraph)
    closing = document.add_table(rows=1, cols=1)
    closing.cell(0, 0).text = cells[5]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def seed_pdf() -> bytes:
    """Seed 004 rendered to PDF by WeasyPrint (a real text layer)."""
    from html import escape

    from weasyprint import HTML

    text = seed_path("004").read_text(encoding="utf-8")
    body = "".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if line.strip())
    return HTML(string=f"<html><body style='font-family: DejaVu Serif'>{body}</body></html>").write_pdf()
