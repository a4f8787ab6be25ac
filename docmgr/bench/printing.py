"""``docmgr bench print``: seconds per page of each form against WeasyPrint's floor, in the same run.

The floor is WeasyPrint rendering a bare A4 page (one line) with the same
shipped font, start to PDF bytes, best of several runs. Pages of running text
(the document layout, no table) are timed too, as a reference: how much a page
that is full costs against that floor before any table is drawn. Each form is timed the
same way (its whole rendering, the database queries and recipient matching
included) and divided by its page count.

The long tables are laid out in pieces on the limited workers (docmgr.printing.pieces), and timed as a
clerk feels them: the 5,000-line register of a year (``register_first_s``), the same register again after
one line of December changed (``register_reprint_s``: only that piece is laid out again), and per row —
seconds per 100 rows (addressees) over the floor's seconds per page (``register_rows_ratio``,
``list_rows_ratio``), so that fuller pages count as the gain they are. The register runs in a process of its
own, with an empty piece cache, and its peak RSS is that of the process and its workers together, sampled
every 0.1 s; the list is timed with the cache emptied first.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import shutil
import tempfile
import time
from pathlib import Path
from queue import Empty

from sqlalchemy import insert, select

from docmgr import create_app
from docmgr.addressbook.matching import name_key
from docmgr.addressbook.models import AddressGroup, Organization, group_members
from docmgr.bench.archive import process_tree, rss_kb
from docmgr.documents.models import Document, Recipient
from docmgr.extraction.sandbox import default_workers, run_limited, shutdown
from docmgr.instance import init_instance
from docmgr.printing import layouts, pieces
from docmgr.printing.pdf import FONT_FAMILY, font_faces, html_to_pdf


REGISTER_LINES = 5_000
LIST_RECIPIENTS = 1_000
ENVELOPES = 500
DISTRICTS = ("Bình Sơn", "Sơn Tịnh", "Tư Nghĩa", "Nghĩa Hành", "Mộ Đức", "Ba Tơ", "Minh Long", "Sơn Hà", "Sơn Tây",
             "Trà Bồng", "Lý Sơn", "Đức Phổ")
SUBJECT = ("Triển khai thực hiện Chương trình hành động số {n}-CTr/TU của Tỉnh ủy về tiếp tục đổi mới, nâng cao "
           "chất lượng chính sách xã hội, đáp ứng yêu cầu sự nghiệp xây dựng và bảo vệ Tổ quốc trong giai đoạn mới")


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
                      "DOCMGR_PRINT_CACHE": str(instance / "print-cache"),  # a first print is a first print
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
    """In a fresh process: the 5,000-line register of 2024 laid out (in pieces, on the pool's processes), then
    again after one line of December changed (the pieces of the rest come from the cache)."""
    app = _app(Path(instance))
    with app.app_context(), app.test_request_context():
        state = app.extensions["docmgr"]
        db = state.sessionmaker()
        run_limited(abs, 0, limits=state.read_limits)  # the workers' pool started, as a running worker has it
        run = pieces.PieceRun()
        token = pieces.RUN.set(run)
        start = time.perf_counter()
        pdf = layouts.register_pdf(db, "outgoing", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        first = time.perf_counter() - start
        december = db.scalars(select(Document).where(Document.number.is_not(None))
                              .order_by(Document.issued_on.desc(), Document.id.desc()).limit(1)).first()
        december.subject += " (bổ sung)"  # one line near the end (of December) changes
        db.commit()
        reprint_run = pieces.PieceRun()
        pieces.RUN.set(reprint_run)
        start = time.perf_counter()
        again = layouts.register_pdf(db, "outgoing", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        reprint = time.perf_counter() - start
        pieces.RUN.reset(token)
        workers = limits_workers(state)
    shutdown()  # the pool's processes: a multiprocessing child runs no atexit, and would wait for them
    queue.put({"seconds": first, "reprint_seconds": reprint, "pages": pieces.page_count(pdf),
               "reprint_pages": pieces.page_count(again),
               "bytes": len(pdf), "pieces": run.pieces, "reprint_laid_out": reprint_run.laid_out, "missed": run.missed,
               "workers": workers})


def limits_workers(state) -> int:
    """The processes pieces are laid out on: the limited workers' pool (``DOCMGR_READ_WORKERS``, else the
    cores, at most 2)."""
    return state.read_limits.workers or default_workers()


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
        result["text_pages"] = pieces.page_count(pdf)
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
            cache = app.extensions["docmgr"].print_pieces
            for name, (fn, count) in cases.items():
                fn()  # warm: templates compiled, the pool's processes started
                shutil.rmtree(cache.folder, ignore_errors=True)  # a first print: nothing laid out before
                run = pieces.PieceRun()
                token = pieces.RUN.set(run)
                seconds, pdf = _best(fn, count)
                pieces.RUN.reset(token)
                if run.pieces:
                    result[f"{name}_pieces"] = run.pieces
                    result[f"{name}_cuts_missed"] = run.missed
                pages = pieces.page_count(pdf)
                result[f"{name}_pages"] = pages
                result[f"{name}_seconds"] = round(seconds, 3)
                result[f"{name}_s_per_page"] = round(seconds / pages, 4)
                result[f"{name}_ratio"] = round(seconds / pages / floor, 2)
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        child = context.Process(target=_register_child, args=(str(instance), queue))
        child.start()
        peak_kb = 0
        while child.is_alive() and queue.empty():  # the register's process and its workers, together
            peak_kb = max(peak_kb, sum(map(rss_kb, process_tree(child.pid))))
            time.sleep(0.1)
        try:
            register = queue.get(timeout=30)
        except Empty:
            raise SystemExit(f"Tiến trình in sổ dừng bất thường (mã {child.exitcode}).") from None
        child.join()
        result["register_lines"] = REGISTER_LINES
        result["register_pages"] = register["pages"]
        result["register_pieces"] = register["pieces"]
        result["register_cuts_missed"] = register["missed"]  # pages foreseen wrong: two pieces laid out as one
        result["register_workers"] = register["workers"]
        result["register_first_s"] = round(register["seconds"], 2)
        result["register_reprint_s"] = round(register["reprint_seconds"], 2)
        result["register_reprint_pieces_laid_out"] = register["reprint_laid_out"]
        result["register_reprint_ratio"] = round(register["reprint_seconds"] / register["seconds"], 3)
        result["register_s_per_page"] = round(register["seconds"] / register["pages"], 4)
        result["register_ratio"] = round(register["seconds"] / register["pages"] / floor, 2)
        result["register_rows_ratio"] = round(register["seconds"] / (REGISTER_LINES / 100) / floor, 1)
        result["list_rows_ratio"] = round(result["list_seconds"] / (LIST_RECIPIENTS / 100) / floor, 1)
        result["register_peak_rss_mb"] = round(peak_kb / 1024, 1)  # all its processes together
        app.extensions["docmgr"].engine.dispose()
    return result
