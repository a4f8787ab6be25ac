"""Benchmarks: commands that print figures (never timed tests)."""

from __future__ import annotations

import datetime as dt
import json
import lzma
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import insert

from docmgr import create_app
from docmgr import search as docmgr_search
from docmgr.config import PROJECT_ROOT
from docmgr.documents.models import Document
from docmgr.extraction import ReadError, ReadLimits, extract_bytes, hostile
from docmgr.extraction.sandbox import extract_path, run_limited, shutdown
from docmgr.instance import init_instance, run_import
from docmgr.search import IndexSource, parse
from docmgr.text import number_folded_key
from docmgr.workflow.definitions import workflow_for
from docmgr.workflow.permissions import view_principals


DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus" / "vn-pages.jsonl.xz"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def iter_corpus(path: Path, limit: int | None = None):
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                return
            yield json.loads(line)


def bench_import(corpus: Path | None = None, limit: int | None = None, import_limit: int = 2000) -> dict:
    """Extraction alone over the corpus, then a full import (store + database) of a sample.

    Pages are streamed, never all held at once, so the peak memory reported
    is that of extracting and importing, not of the benchmark's own list.
    """
    corpus = corpus or DEFAULT_CORPUS
    if not corpus.exists():
        raise SystemExit(f"Không thấy kho ngữ liệu {corpus}; chỉ định bằng --corpus.")
    pages = total_bytes = 0
    extract_s = 0.0
    for page in iter_corpus(corpus, limit):
        data = page["text"].encode()
        start = time.perf_counter()
        extract_bytes(data, page["name"])
        extract_s += time.perf_counter() - start
        pages += 1
        total_bytes += len(data)
    extract_rss = _peak_rss_mb()
    import_n, import_s = _bench_full_import(corpus, min(pages, import_limit))
    return {
        "pages": pages,
        "megabytes": round(total_bytes / 1e6, 1),
        "extract_docs_per_s": round(pages / extract_s, 1),
        "extract_mb_per_s": round(total_bytes / 1e6 / extract_s, 2),
        "extract_peak_rss_mb": round(extract_rss, 1),
        "import_docs": import_n,
        "import_docs_per_s": round(import_n / import_s, 1),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def _bench_full_import(corpus: Path, count: int) -> tuple[int, float]:
    """Import ``count`` corpus pages written out as .md files; (documents, seconds)."""
    tmp = Path(tempfile.mkdtemp(prefix="docmgr-bench-"))
    try:
        folder = tmp / "in"
        folder.mkdir()
        for page in iter_corpus(corpus, count):
            (folder / page["name"]).write_text(page["text"], encoding="utf-8")
        app = create_app({
            "SECRET_KEY": "bench", "DOCMGR_DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "DOCMGR_FILES": str(tmp / "files"), "DOCMGR_SEARCH_INDEX": str(tmp / "index"),
        })
        with app.app_context():
            init_instance(app)
            start = time.perf_counter()
            summary = run_import(app, [folder], direction="incoming")
            elapsed = time.perf_counter() - start
        return summary.imported, elapsed
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# -- search: docmgr (Whoosh) against SQLite FTS5 --------------------------------

# Metadata for the benchmark documents: the corpus pages give the texts; the
# issuers, signers, sectors, types, numbers and dates are varied from these
# lists by a seeded generator, so every run builds the same archive.
BENCH_ISSUERS = (
    ("Ủy ban nhân dân tỉnh Quảng Nam", "UBND"), ("Ủy ban nhân dân huyện Đại Lộc", "UBND"),
    ("Ủy ban nhân dân thành phố Hội An", "UBND"), ("Sở Tài chính", "STC"), ("Sở Nội vụ", "SNV"),
    ("Sở Giáo dục và Đào tạo", "SGDĐT"), ("Sở Y tế", "SYT"), ("Sở Tài nguyên và Môi trường", "STNMT"),
    ("Sở Kế hoạch và Đầu tư", "SKHĐT"), ("Sở Xây dựng", "SXD"), ("Sở Tư pháp", "STP"),
    ("Sở Lao động - Thương binh và Xã hội", "SLĐTBXH"), ("Bộ Tài chính", "BTC"), ("Bộ Nội vụ", "BNV"),
    ("Văn phòng Chính phủ", "VPCP"), ("Thanh tra tỉnh", "TTr"), ("Công an tỉnh", "CAT"),
    ("Hội đồng nhân dân tỉnh", "HĐND"), ("Ban Quản lý các khu công nghiệp", "BQL"), ("Cục Thuế tỉnh", "CT"),
)
BENCH_SIGNERS = (
    "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Đức", "Huỳnh Thị Hoa",
    "Phan Văn Hùng", "Vũ Thị Lan", "Võ Văn Long", "Đặng Thị Mai", "Bùi Văn Nam", "Đỗ Thị Ngọc",
    "Hồ Văn Phúc", "Ngô Thị Quỳnh", "Dương Văn Sơn", "Lý Thị Thu", "Nguyễn Hữu Thắng", "Trần Quốc Toản",
    "Lê Thị Tuyết", "Phạm Minh Tuấn", "Đinh Văn Vinh", "Trương Thị Xuân", "Mai Văn Yên", "Lưu Thị Ánh",
)
BENCH_SECTORS = ("Tài chính", "Nội vụ", "Giáo dục", "Y tế", "Đất đai", "Xây dựng", "Tư pháp", "Lao động",
                 "Thuế", "Văn hóa")
BENCH_TYPES = ("QĐ", "KH", "TB", "BC", "TTr", "HD", "CT", "NQ", "GM", "CV")
_BENCH_PROBES = 6  # documents whose numbers the number queries look up


def _subject(text: str) -> str:
    for line in text.splitlines():
        line = line.strip(" #*|\t")
        if line:
            return line[:300]
    return ""


# The archive as a records office has it: outgoing documents issued, incoming ones registered.
BENCH_STATES = {"outgoing": "issued", "incoming": "registered"}


def bench_documents(corpus: Path, count: int):
    """``count`` documents: the corpus pages, then again with new metadata, as often as needed."""
    allowed = {direction: view_principals(SimpleNamespace(workflow=workflow_for(direction), state=BENCH_STATES[direction],
                                                          created_by_id=None))
               for direction in BENCH_STATES}
    doc_id = 0
    while doc_id < count:
        passed = doc_id
        for page in iter_corpus(corpus):
            doc_id += 1
            rng = random.Random(doc_id)
            issuer, abbreviation = rng.choice(BENCH_ISSUERS)
            code = rng.choice(BENCH_TYPES)
            issued = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(11 * 365))
            sequence = rng.randrange(1, 3000)
            direction = rng.choice(("incoming", "outgoing"))
            number = f"{sequence}/{abbreviation}" if code == "CV" else f"{sequence}/{code}-{abbreviation}"
            yield IndexSource(
                id=doc_id, subject=_subject(page["text"]), text=page["text"], number=number,
                number_key=number_folded_key(number), sequence=sequence, issuer=issuer,
                signer=rng.choice(BENCH_SIGNERS), sector=rng.choice(BENCH_SECTORS),
                doc_type_code=None if code == "CV" else code, direction=direction,
                issued_on=issued, updated_at=dt.datetime(2026, 1, 1) + dt.timedelta(seconds=doc_id),
                allowed=allowed[direction],
            )
            if doc_id >= count:
                return
        if doc_id == passed:
            raise SystemExit(f"Kho ngữ liệu {corpus} không có trang nào.")


def _batched(iterable, size: int):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class BenchQuery:
    kind: str
    docmgr: str  # what the user types into docmgr
    fts5: str  # the FTS5 MATCH expression for the same request
    where: str = ""  # extra SQL on the metadata table ``m`` (field filters FTS5 cannot express)
    params: tuple = ()


def bench_queries(probes: list) -> list[BenchQuery]:
    """The fixed query set: what staff type, and the same request written for FTS5.

    FTS5's unicode61 tokenizer folds tone marks but not đ, so its expressions
    keep "đ" where docmgr's users may type "d".
    """
    def q(kind, docmgr, words, where="", params=()):
        # Plain words search the subject and the text (docmgr's body field), not the metadata columns.
        return BenchQuery(kind, docmgr, f"{{subject text}} : ({words})" if words else "", where, params)

    def qf(kind, docmgr, words, column_filter, where="", params=()):
        text = f"{{subject text}} : ({words}) AND {column_filter}" if words else column_filter
        return BenchQuery(kind, docmgr, text, where, params)

    out = [
        q("syllable", "đất", "đất"), q("syllable", "thuế", "thuế"), q("syllable", "xã", "xã"),
        q("syllable", "giáo", "giáo"), q("syllable", "hợp", "hợp"), q("syllable", "lương", "lương"),
        q("words", "quyền sử dụng đất", "quyền sử dụng đất"),
        q("words", "bảo hiểm xã hội", "bảo hiểm xã hội"),
        q("words", "thuế thu nhập cá nhân", "thuế thu nhập cá nhân"),
        q("words", "hợp đồng lao động", "hợp đồng lao động"),
        q("words", "xử phạt vi phạm hành chính", "xử phạt vi phạm hành chính"),
        q("words", "giấy phép lái xe", "giấy phép lái xe"),
        q("unaccented", "quyen su dung dat", "quyen su dung đat"),
        q("unaccented", "bao hiem xa hoi", "bao hiem xa hoi"),
        q("unaccented", "hop dong lao dong", "hop đong lao đong"),
        q("unaccented", "thue thu nhap", "thue thu nhap"),
        q("unaccented", "dang ky kinh doanh", "đang ky kinh doanh"),
        q("unaccented", "ly hon", "ly hon"),
        q("phrase", '"ủy ban nhân dân"', '"ủy ban nhân dân"'),
        q("phrase", '"bảo hiểm y tế"', '"bảo hiểm y tế"'),
        q("phrase", '"hộ kinh doanh"', '"hộ kinh doanh"'),
        q("phrase", '"uy ban nhan dan"', '"uy ban nhan dan"'),
        q("phrase", '"nghị định" chính phủ', '"nghị định" chính phủ'),
        q("or/not", "ly hôn OR kết hôn", "(ly hôn) OR (kết hôn)"),
        q("or/not", "đất -thuế", "đất NOT thuế"),
        qf("filter", "đất coquan:\"Sở Tài nguyên và Môi trường\"", "đất",
           'issuer : "sở tài nguyên và môi trường"'),
        qf("filter", "thuế nguoiky:\"Trần Thị Bình\"", "thuế", 'signer : "trần thị bình"'),
        q("filter", "giáo dục nam:2023", "giáo dục", "m.year = ?", ("2023",)),
        q("filter", "hợp đồng loai:QĐ", "hợp đồng", "m.doc_type = ?", ("QĐ",)),
        q("filter", "bảo hiểm tu:01/01/2020 den:31/12/2021", "bảo hiểm", "m.issued BETWEEN ? AND ?",
          ("2020-01-01", "2021-12-31")),
        qf("filter", "đất đai huong:den linhvuc:\"Đất đai\"", "đất đai", 'sector : "đất đai"',
           "m.direction = ?", ("incoming",)),
        qf("filter", "coquan:\"Sở Y tế\" nam:2024", "", 'issuer : "sở y tế"', "m.year = ?", ("2024",)),
    ]
    for doc in probes[:3]:
        out.append(BenchQuery("number", doc.number, f'number : "{doc.number}"'))
    for doc in probes[3:]:
        typed = doc.number.lower()
        out.append(BenchQuery("number", typed, f'number : "{typed}"'))
    return out


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def _dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def _bench_config(root: Path, procs: int | None, database_url: str | None = None) -> dict:
    config = {"SECRET_KEY": "bench", "DOCMGR_DATABASE_URL": database_url or f"sqlite:///{root / 'docmgr.sqlite3'}",
              "DOCMGR_FILES": str(root / "files"), "DOCMGR_SEARCH_INDEX": str(root / "index")}
    if procs:
        config["DOCMGR_INDEX_PROCS"] = procs
    return config


def bench_app(root: Path, procs: int | None, database_url: str | None = None):
    return create_app(_bench_config(root, procs, database_url))


def _load_archive(app, corpus: Path, count: int) -> dict:
    """The benchmark documents as rows of docmgr's own database (what a reindex reads)."""
    init_instance(app)  # an empty index; the documents are then written without queueing
    state = app.extensions["docmgr"]
    text_bytes = 0
    probes: list = []
    every = max(1, count // _BENCH_PROBES)
    with state.sessionmaker() as db:
        for batch in _batched(bench_documents(corpus, count), 500):
            rows = []
            for doc in batch:
                text_bytes += len(doc.text.encode())
                if doc.id % every == 0 and len(probes) < _BENCH_PROBES:
                    probes.append(doc)
                rows.append({
                    "id": doc.id, "direction": doc.direction, "number": doc.number, "number_key": doc.number_key,
                    "sequence": doc.sequence, "doc_type_code": doc.doc_type_code, "subject": doc.subject,
                    "issued_on": doc.issued_on, "issuer": doc.issuer, "signer": doc.signer, "sector": doc.sector,
                    "text": doc.text, "warnings": [], "created_at": doc.updated_at, "updated_at": doc.updated_at,
                    "state": BENCH_STATES[doc.direction],
                    "arrival_number": doc.id if doc.direction == "incoming" else None,
                })
            db.execute(insert(Document), rows)
            db.commit()
    return {"text_mb": text_bytes / 1e6, "probes": probes}


def rss_kb(pid: int | str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    parent = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, ()))
    return tree


def _reindex(root: Path, procs: int | None, show_progress: bool,
             database_url: str | None = None) -> tuple[float, float]:
    """``docmgr reindex`` run as its own command on the bench instance: (seconds, peak RSS in MB).

    The memory is the sum over the command and its worker processes, sampled
    every 0.1 s from /proc: what a machine must have free for a reindex.
    """
    (root / "config.py").write_text("".join(f"{key} = {value!r}\n"
                                            for key, value in _bench_config(root, procs, database_url).items()))
    env = {**os.environ, "DOCMGR_INSTANCE": str(root)}
    for key in ("DOCMGR_DATABASE_URL", "DOCMGR_SEARCH_INDEX", "DOCMGR_FILES", "SECRET_KEY"):
        env.pop(key, None)  # the bench instance's config.py says where everything is
    command = [sys.executable, "-m", "docmgr.cli", "reindex", *([] if show_progress else ["--quiet"])]
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    peak_kb = 0
    while process.poll() is None:
        peak_kb = max(peak_kb, sum(map(rss_kb, process_tree(process.pid))))
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"«docmgr reindex» thất bại (mã {process.returncode}).")
    return seconds, peak_kb / 1024


_FTS5_SCHEMA = """
CREATE VIRTUAL TABLE fts USING fts5(subject, text, number, issuer, signer, sector,
                                    tokenize='unicode61 remove_diacritics 2');
CREATE TABLE m (id INTEGER PRIMARY KEY, doc_type TEXT, issuer TEXT, year TEXT, signer TEXT, sector TEXT,
                direction TEXT, issued TEXT);
"""


def _fts5_build(path: Path, archive: Path) -> tuple[sqlite3.Connection, float]:
    """FTS5 over the same rows, at its best: one INSERT … SELECT in C, no Python per document."""
    db = sqlite3.connect(path)
    db.executescript(_FTS5_SCHEMA)
    db.execute("ATTACH DATABASE ? AS src", (str(archive),))
    start = time.perf_counter()
    db.execute("INSERT INTO fts(rowid, subject, text, number, issuer, signer, sector) "
               "SELECT id, subject, text, number, issuer, signer, sector FROM src.documents")
    db.execute("INSERT INTO m SELECT id, doc_type_code, issuer, strftime('%Y', issued_on), signer, sector, "
               "direction, issued_on FROM src.documents")
    db.executescript("CREATE INDEX m_year ON m(year); CREATE INDEX m_type ON m(doc_type);"
                     "CREATE INDEX m_issued ON m(issued); CREATE INDEX m_direction ON m(direction);")
    db.commit()
    seconds = time.perf_counter() - start
    db.execute("DETACH DATABASE src")
    return db, seconds


def _fts5_run(db: sqlite3.Connection, query: BenchQuery) -> tuple[int, list[int]]:
    """Top 20 by BM25 (subject and number weighted as docmgr does), total and five facets."""
    where = f" AND {query.where}" if query.where else ""
    # CROSS JOIN keeps the full-text match as the outer loop (SQLite's planner
    # otherwise may scan an index of m and run the match per row).
    top = [row[0] for row in db.execute(
        f"SELECT fts.rowid FROM fts CROSS JOIN m ON m.id = fts.rowid WHERE fts MATCH ?{where} "
        "ORDER BY bm25(fts, 4.0, 1.0, 50.0, 1.0, 1.0, 1.0) LIMIT 20", (query.fts5, *query.params))]
    facets = [Counter() for _ in range(5)]
    total = 0
    for row in db.execute(f"SELECT m.doc_type, m.issuer, m.year, m.signer, m.sector FROM fts "
                          f"CROSS JOIN m ON m.id = fts.rowid WHERE fts MATCH ?{where}",
                          (query.fts5, *query.params)):
        total += 1
        for counter, value in zip(facets, row):
            counter[value] += 1
    for counter in facets:
        counter.most_common(15)
    return total, top


def bench_search(docs: int = 100_000, corpus: Path | None = None, show_progress: bool = False,
                 procs: int | None = None) -> dict:
    """Index ``docs`` documents with docmgr (its real reindex) and with FTS5, then time the query set on both."""
    corpus = corpus or DEFAULT_CORPUS
    if not corpus.exists():
        raise SystemExit(f"Không thấy kho ngữ liệu {corpus}; chỉ định bằng --corpus.")
    tmp = Path(tempfile.mkdtemp(prefix="docmgr-bench-search-"))
    try:
        app = bench_app(tmp, procs)
        with app.app_context():
            archive = _load_archive(app, corpus, docs)
            engine = app.extensions["docmgr"].search
            engine.close()  # the reindex command swaps in a new generation; this engine reopens it
            index_seconds, index_rss = _reindex(tmp, procs, show_progress)
            fts_db, fts_seconds = _fts5_build(tmp / "fts5.sqlite3", tmp / "docmgr.sqlite3")
            result = _run_queries(engine, fts_db, bench_queries(archive["probes"]))
            state = app.extensions["docmgr"]
            consistent = docmgr_search.check(state).ok
            index_procs = procs or (state.search.index_procs if docs >= docmgr_search.PARALLEL_FROM else 1)
            engine.close()
            fts_db.close()
        text_mb = archive["text_mb"]
        rows = result.pop("rows")
        out = {
            "docs": docs,
            "text_mb": round(text_mb, 1),
            "index_procs": index_procs,
            "whoosh_index_docs_per_s": round(docs / index_seconds, 1),
            "fts5_index_docs_per_s": round(docs / fts_seconds, 1),
            "whoosh_index_mb_per_s": round(text_mb / index_seconds, 2),
            "fts5_index_mb_per_s": round(text_mb / fts_seconds, 2),
            **result,
            "index_mb": round(_dir_mb(Path(app.config["DOCMGR_SEARCH_INDEX"])), 1),
            "fts5_mb": round((tmp / "fts5.sqlite3").stat().st_size / 1e6, 1),
            "peak_rss_mb": round(index_rss, 1),  # of «docmgr reindex» and its workers
            "bench_process_peak_rss_mb": round(_peak_rss_mb(), 1),  # this process: corpus, archive, queries
            "index_consistent": consistent,
        }
        out["p95_ratio"] = round(out["whoosh_p95_ms"] / out["fts5_p95_ms"], 2)
        out["index_speed_ratio"] = round(out["whoosh_index_docs_per_s"] / out["fts5_index_docs_per_s"], 3)
        out["per_query"] = rows
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run_queries(engine, fts_db, queries: list[BenchQuery]) -> dict:
    """Each query once on each side (first run, no result cache), after one warm-up query."""
    # The web results page: a signed-in Reader (principals filter), 20 hits, facets.
    principals = ["user:2", "role:reader"]

    def docmgr_run(text: str):
        return engine.run(parse(text), principals=principals, limit=20, facets=True)

    docmgr_run("văn bản")  # warm the searcher and its per-searcher arrays
    _fts5_run(fts_db, BenchQuery("warm", "văn bản", "{subject text} : (văn bản)"))
    rows = []
    for query in queries:
        start = time.perf_counter()
        hits = docmgr_run(query.docmgr)
        whoosh_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        fts_total, _top = _fts5_run(fts_db, query)
        fts_ms = (time.perf_counter() - start) * 1000
        rows.append({"kind": query.kind, "query": query.docmgr, "docmgr_ms": round(whoosh_ms, 2),
                     "docmgr_hits": hits.total, "fts5_ms": round(fts_ms, 2), "fts5_hits": fts_total})
    whoosh_times = [r["docmgr_ms"] for r in rows]
    fts_times = [r["fts5_ms"] for r in rows]
    return {
        "queries": len(rows),
        "whoosh_p50_ms": round(_percentile(whoosh_times, 50), 2),
        "whoosh_p95_ms": round(_percentile(whoosh_times, 95), 2),
        "fts5_p50_ms": round(_percentile(fts_times, 50), 2),
        "fts5_p95_ms": round(_percentile(fts_times, 95), 2),
        "rows": rows,
    }


# -- reading limits: the hostile files of the security review ---------------------------------------


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576


def bench_read_limits(scale: float = 1.0) -> dict:
    """Read the worst file of each kind (:mod:`docmgr.extraction.hostile`) through the limited runner, one
    worker, default limits: seconds, outcome, the worker's peak memory, and how much this (the web's)
    process grew."""
    limits = ReadLimits(workers=1)
    rows = []
    with tempfile.TemporaryDirectory(prefix="docmgr-hostile-") as folder:
        kinds = []
        for item in hostile.all_kinds(scale):
            (Path(folder) / item.name).write_bytes(item.data)
            kinds.append((item.name, item.what, len(item.data)))
        start_rss = _current_rss_mb()  # the files are made: from here, only reading them
        for name, what, size in kinds:
            path = Path(folder) / name
            shutdown()  # a fresh worker per file: its peak memory is this file's
            started = time.perf_counter()
            try:
                result = extract_path(path, name, limits)
                outcome = "kept" + (f" with {len(result.read.warnings)} warning(s)" if result.read.warnings else "")
                detail = "; ".join(result.read.warnings)[:160]
                chars = len(result.read.text)
            except ReadError as exc:
                outcome, detail, chars = "refused", str(exc)[:160], 0
            seconds = time.perf_counter() - started
            worker_peak = run_limited(_peak_rss_mb, limits=limits)  # the same (single) worker, unless it died
            rows.append({"file": name, "what": what, "bytes": size, "seconds": round(seconds, 2),
                         "outcome": outcome, "chars": chars, "worker_peak_rss_mb": round(worker_peak, 1),
                         "detail": detail})
    shutdown()
    return {"limits": {"cpu_seconds": limits.cpu_seconds, "memory_mb": limits.memory_bytes // 1048576,
                       "max_pages": limits.max_pages, "max_chars": limits.max_chars,
                       "max_decompressed_mb": limits.max_decompressed // 1048576,
                       "max_xml_elements": limits.max_xml_elements},
            "files": rows, "parent_rss_growth_mb": round(_current_rss_mb() - start_rss, 1)}
