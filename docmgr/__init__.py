"""docmgr: document management for Vietnamese records offices, as a Flask extension.

    app = Flask(__name__)
    app.config["DOCMGR_URL_PREFIX"] = "/vanthu"
    DocMgr(app)            # or: docmgr = DocMgr(); docmgr.init_app(app)

or the ready-made application: ``create_app()`` (see wsgi.py).
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, current_app, g
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker as SessionFactory

from docmgr import config
from docmgr.db import close_session, make_engine, make_sessionmaker
from docmgr.documents.storage import FileStore
from docmgr.errors import register_error_handlers


__version__ = "0.1.0"
PACKAGE_DIR = Path(__file__).resolve().parent


def templates_folder() -> Path:
    """templates/ ships inside the wheel as docmgr/templates; in a checkout it is at the top."""
    installed = PACKAGE_DIR / "templates"
    return installed if installed.is_dir() else PACKAGE_DIR.parent / "templates"


@dataclass
class DocMgrState:
    """What the extension keeps per app, in ``app.extensions["docmgr"]``."""

    engine: Engine
    sessionmaker: SessionFactory[Session]
    files: FileStore
    index_dir: Path
    max_upload_bytes: int
    read_limits: object = None  # docmgr.extraction.ReadLimits: what reading one file may cost
    ocr: object = None  # docmgr.ocr.OcrSettings: whether and how scanned pages are read
    signatures: object = None  # docmgr.signatures.SignatureSettings: trusted roots, network look-ups
    search: object = None  # a docmgr.search.SearchEngine, attached by docmgr.search.init_state
    jobs: object = None  # docmgr.jobs.queue.JobQueue: background work (reading scans, big prints)
    pages: object = None  # docmgr.pages.cache.PageCache: pages drawn for previews
    print_pieces: object = None  # docmgr.pages.cache.PageCache: laid-out pieces of long tables (printing.pieces)


class DocMgr:
    def __init__(self, app: Flask | None = None):
        self.login_manager = LoginManager()
        self.csrf = CSRFProtect()
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        # The app's modules are imported here and in _blueprint(), not at the top: importing any docmgr
        # submodule runs this package first, and the file readers' child processes must not load the app.
        if "docmgr" in app.extensions:
            raise RuntimeError("DocMgr is already registered on this app; call init_app once per app.")
        for key, value in config.defaults(Path(app.instance_path)).items():
            app.config.setdefault(key, value)
        if not app.config.get("SECRET_KEY"):
            raise config_error("SECRET_KEY is not set: give the host app a secret key before DocMgr(app).")
        from docmgr.cpu import CpuSlots
        from docmgr.extraction.readers import ReadLimits
        from docmgr.ocr import OcrSettings
        from docmgr.signatures.verify import SignatureSettings
        from docmgr.workflow import deadlines, numbering

        series = numbering.parse_rules(app.config["DOCMGR_NUMBER_SERIES"])
        deadline_days = deadlines.parse_days(app.config["DOCMGR_DEADLINE_DAYS"])
        engine = make_engine(app.config["DOCMGR_DATABASE_URL"])
        app.extensions["docmgr"] = DocMgrState(
            engine=engine,
            sessionmaker=make_sessionmaker(engine, info={numbering.SESSION_KEY: series,
                                                         deadlines.SESSION_KEY: deadline_days}),
            files=FileStore(app.config["DOCMGR_FILES"]),
            index_dir=Path(app.config["DOCMGR_SEARCH_INDEX"]),
            max_upload_bytes=int(app.config["DOCMGR_MAX_UPLOAD_MB"]) * 1024 * 1024,
            # Reading files, OCR and reindexing share one CPU policy: never more busy processes than cores.
            read_limits=dataclasses.replace(ReadLimits.from_config(app.config),
                                            cpu_slots=CpuSlots.from_config(app.config, app.instance_path)),
            ocr=OcrSettings.from_config(app.config),
            signatures=SignatureSettings.from_config(app.config),
        )
        from docmgr import search
        from docmgr.intake.operations import READ_JOB, read_failed, read_job
        from docmgr.jobs.queue import JobQueue

        state = app.extensions["docmgr"]
        state.jobs = JobQueue(app, app.config["DOCMGR_JOBS_URL"],
                              lease_seconds=float(app.config["DOCMGR_JOBS_LEASE_SECONDS"]),
                              immediate=bool(app.config["DOCMGR_JOBS_IMMEDIATE"]))
        state.jobs.register(READ_JOB, read_job, read_failed)
        from docmgr.printing.jobs import PRINT_JOB, print_job

        state.jobs.register(PRINT_JOB, print_job)
        from docmgr.pages.cache import PageCache

        state.pages = PageCache(app.config["DOCMGR_PAGE_CACHE"] or Path(app.instance_path) / "page-cache",
                                int(app.config["DOCMGR_PAGE_CACHE_MB"]) * 1024 * 1024)
        state.print_pieces = PageCache(app.config["DOCMGR_PRINT_CACHE"] or Path(app.instance_path) / "print-cache",
                                       int(app.config["DOCMGR_PRINT_CACHE_MB"]) * 1024 * 1024)
        search.init_state(state, lock_timeout=float(app.config["DOCMGR_SEARCH_LOCK_TIMEOUT"]),
                          index_procs=int(app.config["DOCMGR_INDEX_PROCS"]))
        status, message = state.search.status()
        if status == "corrupt":
            app.logger.error(message)
        if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask holds the key (None): setdefault would not do
            app.config["MAX_CONTENT_LENGTH"] = app.config["DOCMGR_MAX_UPLOAD_MB"] * 1024 * 1024 + 65536
        # Flask's own defaults hold these keys already (SameSite None), so setdefault would do
        # nothing: fill them unless the host app chose a value.
        for key, value in (("SESSION_COOKIE_HTTPONLY", True), ("SESSION_COOKIE_SAMESITE", "Lax"),
                           ("REMEMBER_COOKIE_HTTPONLY", True), ("REMEMBER_COOKIE_SAMESITE", "Lax")):
            if app.config.get(key) is None:
                app.config[key] = value
        app.teardown_appcontext(_end_app_context)
        from docmgr.security import init_http

        init_http(app)
        from docmgr.web import IdConverter

        app.url_map.converters.setdefault("id", IdConverter)
        self._init_templates(app)
        self._init_auth(app)
        app.register_blueprint(self._blueprint(), url_prefix=app.config["DOCMGR_URL_PREFIX"] or None)

    def _init_templates(self, app: Flask) -> None:
        loader = FileSystemLoader(str(templates_folder()))
        app.jinja_loader = ChoiceLoader([app.jinja_loader, loader]) if app.jinja_loader else loader
        from docmgr.web import template_helpers

        app.context_processor(template_helpers)

    def _init_auth(self, app: Flask) -> None:
        from docmgr.auth.views import init_login

        app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # checked in before_request, see auth.views
        app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
        self.csrf.init_app(app)
        init_login(app, self.login_manager, self.csrf)

    @staticmethod
    def _blueprint() -> Blueprint:
        from docmgr.addressbook.api import bp as addressbook_api_bp
        from docmgr.addressbook.views import bp as addressbook_bp
        from docmgr.audit.views import bp as audit_bp
        from docmgr.auth.admin import bp as users_bp
        from docmgr.auth.units import bp as units_bp
        from docmgr.auth.views import bp as auth_bp
        from docmgr.casefiles.api import bp as casefiles_api_bp
        from docmgr.casefiles.views import bp as casefiles_bp
        from docmgr.documents.api import bp as api_bp
        from docmgr.documents.views import bp as documents_bp
        from docmgr.intake.views import api_bp as intake_api_bp
        from docmgr.intake.views import bp as intake_bp
        from docmgr.openapi import bp as openapi_bp
        from docmgr.printing.views import bp as printing_bp
        from docmgr.search.api import bp as search_api_bp
        from docmgr.search.views import bp as search_bp
        from docmgr.security import add_security_headers
        from docmgr.workflow.worklist import bp as worklist_bp

        bp = Blueprint("docmgr", __name__, static_folder="static", static_url_path="/static/docmgr")
        bp.register_blueprint(auth_bp)
        bp.register_blueprint(users_bp)
        bp.register_blueprint(units_bp)
        bp.register_blueprint(documents_bp)
        bp.register_blueprint(intake_bp)
        bp.register_blueprint(intake_api_bp, url_prefix="/api")
        bp.register_blueprint(audit_bp)
        bp.register_blueprint(addressbook_bp)
        bp.register_blueprint(printing_bp)
        bp.register_blueprint(casefiles_bp)
        bp.register_blueprint(api_bp, url_prefix="/api")
        bp.register_blueprint(casefiles_api_bp, url_prefix="/api")
        bp.register_blueprint(addressbook_api_bp, url_prefix="/api")
        bp.register_blueprint(search_bp)
        bp.register_blueprint(search_api_bp, url_prefix="/api")
        bp.register_blueprint(worklist_bp)
        bp.register_blueprint(openapi_bp, url_prefix="/api")
        register_error_handlers(bp)
        bp.after_request(add_security_headers)
        return bp


def _end_app_context(exc: BaseException | None = None) -> None:
    """Close the request's (or command's) session; say so if it committed document changes and left them
    out of the index (a commit without ``search.commit_and_sync``: they wait in the queue, nothing lost)."""
    from docmgr import search

    db = g.get("docmgr_session")
    if db is not None and search.unsynced(db):
        current_app.logger.warning(
            "Document changes were committed without search.commit_and_sync; they wait in the search queue "
            "until the next sync (docmgr index check --repair applies them now).")
    close_session(exc)


def serving_app() -> Flask:
    """The application a server's worker process serves (``gunicorn 'docmgr:serving_app()'``, wsgi.py):
    :func:`create_app`, with the search index's columns read ahead in the background."""
    app = create_app()
    warm_in_background(app)
    return app


def warm_in_background(app: Flask) -> threading.Thread:
    """Compile the templates and read the search index's columns in a daemon thread (a server process's
    first page of each kind and first search would wait for them); a failure is logged, never raised: pages
    and searches do it themselves as before."""
    def warm() -> None:
        try:
            for name in app.jinja_env.list_templates(extensions=("html", "txt", "xml")):
                app.jinja_env.get_template(name)
            app.extensions["docmgr"].search.warm()
        except Exception:  # noqa: BLE001 — reading ahead is an optimization; pages and searches report errors
            app.logger.exception("Reading ahead (templates, search index) failed")

    thread = threading.Thread(target=warm, name="docmgr-warm-search", daemon=True)
    thread.start()
    return thread


def config_error(message: str) -> RuntimeError:
    from docmgr.errors import SetupError

    return SetupError(message)


def _secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def create_app(test_config: dict | None = None) -> Flask:
    """The standalone docmgr application.

    Reads ``instance/config.py`` if present, then the environment (every
    ``DOCMGR_*`` setting, and SECRET_KEY; DOCMGR_INSTANCE names the instance
    folder), then ``test_config``.
    """
    instance = config.instance_path()
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=True,
                static_folder=None)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config.from_environment(os.environ, instance))
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)
    DocMgr(app)
    # The whole app is docmgr's: errors raised before a blueprint is chosen (an unknown URL, a method a URL
    # does not take) get docmgr's page in Vietnamese too, not Werkzeug's. A host app keeps its own.
    register_error_handlers(app)
    return app
