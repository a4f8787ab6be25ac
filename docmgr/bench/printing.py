"""``docmgr bench print``: seconds per page of each form against WeasyPrint's floor, in the same run.

The floor is WeasyPrint rendering a bare A4 page (one line) with the same
shipped font, start to PDF bytes, best of several runs. Pages of running text
(the document layout, no table) are timed too, as a reference: how much a page
that is full costs against that floor before any table is drawn. Each form is timed the
same way (its whole rendering, the database queries and recipient matching
included) and divided by its page count. The 5,000-line register runs in a
process of its own so its peak RSS is its own.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import insert

from docmgr import create_app
from docmgr.addressbook.matching import name_key
from docmgr.addressbook.models import AddressGroup, Organization, group_members
from docmgr.documents.models import Document, Recipient
from docmgr.instance import init_instance
from docmgr.printing import layouts
from docmgr.printing.pdf import FONT_FAMILY, font_faces, html_to_pdf


REGISTER_LINES = 5_000
LIST_RECIPIENTS = 1_000
ENVELOPES = 500
DISTRICTS = ("Bình Sơn", "Sơn Tịnh", "Tư Nghĩa", "Nghĩa Hành", "Mộ Đức", "Ba Tơ", "Minh Long", "Sơn Hà", "Sơn Tây",
             "Trà Bồng", "Lý Sơn", "Đức Phổ")
SUBJECT = ("Triển khai thực hiện Chương trình hành động số {n}-CTr/TU của Tỉnh ủy về tiếp tục đổi mới, nâng cao "
           "chất lượng chính sách xã hội, đáp ứng yêu cầu sự nghiệp xây dựng và bảo vệ Tổ quốc trong giai đoạn mới")


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _best(fn, runs: int) -> tuple[float, bytes]:
    times, out = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def _app(instance: Path):
    app = create_app({"SECRET_KEY": "bench", "DOCMGR_DATABASE_URL": f"sqlite:///{instance / 'bench.sqlite3'}",
                      "DOCMGR_FILES": str(instance / "files"), "DOCMGR_SEARCH_INDEX": str(instance / "index"),
                      "DOCMGR_ORGANIZATION": "Ủy ban nhân dân tỉnh Quảng Ngãi",
                      "DOCMGR_PARENT_ORGANIZATION": "", "DOCMGR_PLACE": "Quảng Ngãi"})
    with app.app_context():
        init_instance(app)
    return app


def _fill(app) -> None:
    """An address book with a 1,000-member and a 500-member group, and 5,000 outgoing documents of 2024."""
    state = app.extensions["docmgr"]
    with state.sessionmaker() as db:
        orgs = [{"kind": "org", "name": f"Ủy ban nhân dân xã Số {i} huyện {DISTRICTS[i % len(DISTRICTS)]}",
                 "short_name": "", "code": f"000.{i:02d}.00.H49"[:35], "phone": "", "email": "", "aliases": "",
                 "address": f"Thôn {i % 9 + 1}, xã Số {i}, huyện {DISTRICTS[i % len(DISTRICTS)]}, tỉnh Quảng Ngãi",
                 "updated_at": dt.datetime.now(dt.timezone.utc)} for i in range(1, LIST_RECIPIENTS + 1)]
        for org in orgs:
            org["key"] = name_key(org["name"])
        db.execute(insert(Organization), orgs)
        for group_id, (name, size) in enumerate((("Các xã trong tỉnh", LIST_RECIPIENTS),
                                                 ("Các xã vùng cao", ENVELOPES)), start=1):
            db.execute(insert(AddressGroup), [{"id": group_id, "name": name, "key": name_key(name), "aliases": "",
                                               "updated_at": dt.datetime.now(dt.timezone.utc)}])
            db.execute(insert(group_members), [{"group_id": group_id, "organization_id": i, "position": i}
                                               for i in range(1, size + 1)])
        docs = [{"id": n, "direction": "outgoing", "state": "issued", "number": f"{n}/KH-UBND", "sequence": n,
                 "notation": "KH-UBND", "doc_type": "Kế hoạch", "issued_on": dt.date(2024, 1, 1) + dt.timedelta(days=n % 366),
                 "issuer": "Ủy ban nhân dân tỉnh Quảng Ngãi", "signer": "Trần Hoàng Tuấn",
                 "subject": SUBJECT.format(n=n), "text": "", "warnings": [],
                 "created_at": dt.datetime.now(dt.timezone.utc), "updated_at": dt.datetime.now(dt.timezone.utc)}
                for n in range(1, REGISTER_LINES + 3)]
        db.execute(insert(Document), docs)
        lines = []
        for n in range(1, REGISTER_LINES + 1):
            lines += [{"document_id": n, "position": 0, "text": "Các Sở, ban ngành tỉnh"},
                      {"document_id": n, "position": 1, "text": f"UBND huyện {DISTRICTS[n % len(DISTRICTS)]}"},
                      {"document_id": n, "position": 2, "text": "Lưu: VT, KGVX"}]
        lines += [{"document_id": REGISTER_LINES + 1, "position": 0, "text": "Các xã trong tỉnh"},
                  {"document_id": REGISTER_LINES + 2, "position": 0, "text": "Các xã vùng cao"}]
        db.execute(insert(Recipient), lines)
        db.commit()


def _register_child(instance: str, queue) -> None:
    """In a fresh process: the 5,000-line register of 2024, timed, with this process's peak RSS."""
    app = _app(Path(instance))
    with app.app_context(), app.test_request_context():
        db = app.extensions["docmgr"].sessionmaker()
        start = time.perf_counter()
        pdf = layouts.register_pdf(db, "outgoing", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        seconds = time.perf_counter() - start
    queue.put({"seconds": seconds, "pages": _pages(pdf), "bytes": len(pdf),
               "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def bench_print(runs: int = 5) -> dict:
    with tempfile.TemporaryDirectory(prefix="docmgr-bench-print-") as tmp:
        instance = Path(tmp)
        app = _app(instance)
        _fill(app)
        bare = (f"<html><head><style>{font_faces()} @page {{ size: A4; margin: 20mm 15mm 20mm 30mm; }} "
                f"html {{ font-family: '{FONT_FAMILY}'; font-size: 13pt; }}</style></head>"
                f"<body><p>Ủy ban nhân dân tỉnh Quảng Ngãi</p></body></html>")
        html_to_pdf(bare)  # warm-up: imports, font loading
        floor, _ = _best(lambda: html_to_pdf(bare), max(runs, 10))
        result: dict = {"floor_s_per_page": round(floor, 4)}
        # A reference, not a target: pages of running text (no table), with the forms' own stylesheet.
        with app.app_context(), app.test_request_context():
            text = layouts._render("document.html", doc=Document(direction="outgoing", subject="", recipients=[]),
                                 body=[SUBJECT.format(n=n) for n in range(60)], recipients=[], signer_titles=[])
        seconds, pdf = _best(lambda: html_to_pdf(text), runs)
        result["text_pages"] = _pages(pdf)
        result["text_s_per_page"] = round(seconds / result["text_pages"], 4)
        result["text_ratio"] = round(seconds / result["text_pages"] / floor, 2)
        with app.app_context(), app.test_request_context():
            db = app.extensions["docmgr"].sessionmaker()
            incoming = Document(direction="incoming", doc_type="Công văn", number="12/UBND-VX", issuer="Sở Nội vụ",
                                subject=SUBJECT.format(n=1), arrival_number=7, arrival_date=dt.date(2024, 5, 2),
                                issued_on=dt.date(2024, 5, 1), text="")
            cases = {
                "slip": (lambda: layouts.processing_slip_pdf(db, incoming), runs),
                "list": (lambda: layouts.distribution_list_pdf(db, db.get(Document, REGISTER_LINES + 1)), 1),
                "envelopes": (lambda: layouts.envelopes_pdf(db, [db.get(Document, REGISTER_LINES + 2)], "DL"), 1),
            }
            for name, (fn, count) in cases.items():
                fn()  # warm: templates compiled, rows cached like a second print
                seconds, pdf = _best(fn, count)
                pages = _pages(pdf)
                result[f"{name}_pages"] = pages
                result[f"{name}_seconds"] = round(seconds, 3)
                result[f"{name}_s_per_page"] = round(seconds / pages, 4)
                result[f"{name}_ratio"] = round(seconds / pages / floor, 2)
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        child = context.Process(target=_register_child, args=(str(instance), queue))
        child.start()
        register = queue.get()
        child.join()
        result["register_lines"] = REGISTER_LINES
        result["register_pages"] = register["pages"]
        result["register_seconds"] = round(register["seconds"], 2)
        result["register_s_per_page"] = round(register["seconds"] / register["pages"], 4)
        result["register_ratio"] = round(register["seconds"] / register["pages"] / floor, 2)
        result["register_peak_rss_mb"] = round(register["peak_rss_mb"], 1)
        app.extensions["docmgr"].engine.dispose()
    return result
