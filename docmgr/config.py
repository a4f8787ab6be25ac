"""Configuration keys and their defaults.

Every key is prefixed ``DOCMGR_`` and read from the host app's config; the
defaults below are applied with ``setdefault`` by :meth:`DocMgr.init_app`.

=============================  ======================================================
DOCMGR_DATABASE_URL            SQLAlchemy URL (default: SQLite file in the instance folder)
DOCMGR_SEARCH_INDEX            folder of the Whoosh index (default: ``search_index/``)
DOCMGR_FILES                   folder of original files (default: ``<instance>/files``)
DOCMGR_SEARCH_LOCK_TIMEOUT     seconds a writer waits for the index write lock before an error (default: 30)
DOCMGR_INDEX_PROCS             worker processes of ``docmgr reindex`` (default: CPU cores, at most 4;
                               archives under 5,000 documents are indexed in the process itself)
DOCMGR_URL_PREFIX              where the web pages and API are mounted (default: "")
DOCMGR_MAX_UPLOAD_MB           largest file accepted by upload and import (default: 50)
DOCMGR_PAGE_SIZE               documents per page in lists (default: 25)
DOCMGR_DEFAULT_DIRECTION       direction of imported documents (default: "incoming")
DOCMGR_ORGANIZATION            name of the office using docmgr, shown in page headers and printed forms
DOCMGR_PARENT_ORGANIZATION     its parent body (cơ quan chủ quản), above it on printed forms (default: "")
DOCMGR_PLACE                   địa danh of the place-and-date line on printed forms (default: "")
DOCMGR_ORGANIZATION_NOTATION   notation of routing-slip numbers, "01/PC-VT" (default: "VT")
DOCMGR_NUMBER_SERIES           extra number series of outgoing documents, a list or its JSON text:
                               [{"name": "secret", "title": "Văn bản mật", "confidential": true},
                               {"name": "qd", "title": "Quyết định", "doc_types": ["QĐ"]}]
                               (default: the first one — confidential documents numbered apart)
DOCMGR_DEADLINE_DAYS           default deadline of an assignment, calendar days from the arrival date by
                               urgency, a dict or its JSON text (default: {"Hỏa tốc": 1, "Thượng khẩn": 3,
                               "Khẩn": 5, "Thường": 10}; 0: no default)
DOCMGR_LOGIN_MAX_FAILURES      failed logins for one account before it is locked (default: 5)
DOCMGR_LOGIN_MAX_FAILURES_PER_ADDRESS  the same for one client address (default: 20)
DOCMGR_LOGIN_LOCK_MINUTES      window the failures are counted in and lock length (default: 15)
DOCMGR_SESSION_HOURS           how long a login lasts without "Ghi nhớ" (default: 12)
DOCMGR_REMEMBER_DAYS           how long a login with "Ghi nhớ đăng nhập" lasts (default: 30)
DOCMGR_READ_WORKERS            processes that read uploaded and imported files (default: cores, at most 2)
DOCMGR_READ_CPU_SECONDS        CPU time reading one file may take; past it the file is refused (default: 60)
DOCMGR_READ_MEMORY_MB          memory reading one file may take; past it the file is refused (default: 1024)
DOCMGR_READ_MAX_DECOMPRESSED_MB  a DOCX's parts or a PDF's content streams, decompressed (default: 100)
DOCMGR_READ_MAX_XML_ELEMENTS   XML elements of a DOCX's document (default: 2,000,000)
DOCMGR_READ_MAX_PAGES          pages of a PDF read; the rest kept unread, with a warning (default: 2000)
DOCMGR_READ_MAX_CHARS          characters of text kept from one file, with a warning past it (default: 5,000,000)
DOCMGR_OCR                     read scanned pages (images, PDF pages with no text) with Tesseract (default: 1)
DOCMGR_OCR_LANGUAGE            Tesseract's language data (default: vie)
DOCMGR_OCR_DPI                 resolution PDF pages are rendered at for OCR (default: 300)
DOCMGR_OCR_MAX_PAGES           pages of one file read by OCR; the rest kept unread, with a warning (default: 300)
DOCMGR_TRUST_ROOTS             folder of the root certificates (PEM/DER) digital signatures are trusted
                               against (default: instance/trust-roots)
DOCMGR_SIGNATURE_ONLINE        look up revocation (OCSP, CRL) on the network when verifying (default: 0)
DOCMGR_JOBS_URL                where background jobs queue (default: a SQLite file in the instance folder,
                               no server needed; ``redis://…`` or ``postgresql://…`` for workers on
                               several machines)
DOCMGR_JOBS_WORKERS            jobs one ``docmgr worker`` runs at once (default: cores, at most 2)
DOCMGR_JOBS_LEASE_SECONDS      a running job's lease, renewed while it runs; a job whose worker died runs
                               again once it is over (default: 60)
DOCMGR_JOBS_IMMEDIATE          run jobs at once in the process that queues them, no worker (default: 0;
                               for tests, and host apps that want no worker)
DOCMGR_CPU_SLOTS               heavy processes busy at once on this machine — file readers, OCR pages,
                               reindex processes (default: the cores)
DOCMGR_CPU_SLOTS_DIR           a folder local to the machine holding their lock files (default:
                               ``<instance>/cpu-slots``; set it when the instance folder is shared)
DOCMGR_PAGE_CACHE              folder of the pages drawn for previews (default: ``<instance>/page-cache``)
DOCMGR_PAGE_CACHE_MB           its size; the least recently used pages go past it (default: 200)
DOCMGR_PRINT_CACHE             folder of the laid-out pieces of long tables — registers, lists — kept
                               so that a reprint lays out only what changed (default:
                               ``<instance>/print-cache``; may be emptied at any time)
DOCMGR_PRINT_CACHE_MB          its size; the least recently used pieces go past it (default: 300)
DOCMGR_PRINT_KEEP_HOURS        how long a big print's PDF (a register, a long list) is kept for its
                               download link after it is made (default: 24)
DOCMGR_TIMEZONE                the office's time zone: times shown, "today" (default: Asia/Ho_Chi_Minh)
DOCMGR_TRUSTED_PROXIES         reverse proxies in front of the app whose X-Forwarded-For/-Proto
                               headers are believed (default: 0, none)
=============================  ======================================================
"""

from __future__ import annotations

import os
from pathlib import Path

from docmgr.errors import SetupError
from docmgr.workflow.deadlines import DEFAULT_DAYS
from docmgr.workflow.numbering import DEFAULT_RULES


PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_root() -> Path:
    """The project folder in a source checkout; the working directory once installed."""
    if (PROJECT_ROOT / "wsgi.py").exists() and (PROJECT_ROOT / "setup.cfg").exists():
        return PROJECT_ROOT
    return Path.cwd()


def instance_path() -> Path:
    return Path(os.environ.get("DOCMGR_INSTANCE") or default_root() / "instance").resolve()


def defaults(instance: Path) -> dict:
    return {
        "DOCMGR_DATABASE_URL": f"sqlite:///{instance / 'docmgr.sqlite3'}",
        "DOCMGR_SEARCH_INDEX": str(default_root() / "search_index"),
        "DOCMGR_FILES": str(instance / "files"),
        "DOCMGR_SEARCH_LOCK_TIMEOUT": 30,
        "DOCMGR_INDEX_PROCS": min(4, os.cpu_count() or 1),
        "DOCMGR_URL_PREFIX": "",
        "DOCMGR_MAX_UPLOAD_MB": 50,
        "DOCMGR_PAGE_SIZE": 25,
        "DOCMGR_DEFAULT_DIRECTION": "incoming",
        "DOCMGR_ORGANIZATION": "Văn thư cơ quan",
        "DOCMGR_PARENT_ORGANIZATION": "",
        "DOCMGR_PLACE": "",
        "DOCMGR_ORGANIZATION_NOTATION": "VT",
        "DOCMGR_NUMBER_SERIES": [dict(rule) for rule in DEFAULT_RULES],
        "DOCMGR_DEADLINE_DAYS": dict(DEFAULT_DAYS),
        "DOCMGR_LOGIN_MAX_FAILURES": 5,
        "DOCMGR_LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
        "DOCMGR_LOGIN_LOCK_MINUTES": 15,
        "DOCMGR_READ_WORKERS": 0,
        "DOCMGR_READ_CPU_SECONDS": 60,
        "DOCMGR_READ_MEMORY_MB": 1024,
        "DOCMGR_READ_MAX_DECOMPRESSED_MB": 100,
        "DOCMGR_READ_MAX_XML_ELEMENTS": 2_000_000,
        "DOCMGR_READ_MAX_PAGES": 2000,
        "DOCMGR_READ_MAX_CHARS": 5_000_000,
        "DOCMGR_SESSION_HOURS": 12,
        "DOCMGR_REMEMBER_DAYS": 30,
        "DOCMGR_TRUSTED_PROXIES": 0,
        "DOCMGR_OCR": True,
        "DOCMGR_OCR_LANGUAGE": "vie",
        "DOCMGR_OCR_DPI": 300,
        "DOCMGR_OCR_MAX_PAGES": 300,
        "DOCMGR_TRUST_ROOTS": str(instance / "trust-roots"),
        "DOCMGR_SIGNATURE_ONLINE": False,
        "DOCMGR_JOBS_URL": f"sqlite:///{instance / 'jobs.sqlite3'}",
        "DOCMGR_JOBS_WORKERS": 0,
        "DOCMGR_JOBS_LEASE_SECONDS": 60,
        "DOCMGR_JOBS_IMMEDIATE": False,
        "DOCMGR_CPU_SLOTS": 0,
        "DOCMGR_CPU_SLOTS_DIR": "",
        "DOCMGR_PAGE_CACHE": "",
        "DOCMGR_PAGE_CACHE_MB": 200,
        "DOCMGR_PRINT_CACHE": "",
        "DOCMGR_PRINT_CACHE_MB": 300,
        "DOCMGR_PRINT_KEEP_HOURS": 24,
        "DOCMGR_TIMEZONE": "Asia/Ho_Chi_Minh",
    }


def from_environment(environ, instance: Path) -> dict:
    """Every ``DOCMGR_*`` setting set in the environment, and ``SECRET_KEY``, as the type of its default
    (whole numbers as ints, switches from 1/0, true/false, yes/no; DOCMGR_NUMBER_SERIES and DOCMGR_DEADLINE_DAYS stay JSON text, which docmgr.workflow parses).
    Raises SetupError naming a setting whose value is not a number where one is needed."""
    out: dict = {}
    for key, default in defaults(instance).items():
        value = environ.get(key)
        if not value:
            continue
        if isinstance(default, bool):
            value = value.strip().lower() in ("1", "true", "yes", "on", "có")
        elif isinstance(default, int):
            try:
                value = int(value)
            except ValueError:
                raise SetupError(f"{key}={value!r}: cần một số nguyên.") from None
        out[key] = value
    if environ.get("SECRET_KEY"):
        out["SECRET_KEY"] = environ["SECRET_KEY"]
    return out
