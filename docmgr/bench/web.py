"""``docmgr bench web``: what users wait for — every page of a day's work timed on a real WSGI server (gunicorn,
worker processes) over an archive of N documents, first with one client, then with C at once; the search
results page beside SQLite FTS5 returning the same hits with its snippet().

The archive is the search benchmark's (the corpus pages with varied metadata) spread over every workflow
state as a working office has it: incoming documents received, registered, assigned to a unit, being handled
and done; outgoing ones drafted, submitted, signed, issued and dispatched, with their recipients. It is served
by ``gunicorn`` (the ``[server]`` extra) with ``--workers`` processes of ``--threads`` threads, signed in as the
office's roles (văn thư, leader, handler, reader); the load generator is threads in this process, whose CPU
is reported beside the figures since it shares the machine.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import create_engine, insert, text

from docmgr.auth.operations import create_user
from docmgr.bench.archive import (
    DEFAULT_CORPUS,
    BenchQuery,
    _fts5_build,
    _load_archive,
    _percentile,
    _reindex,
    bench_app,
    bench_queries,
    process_tree,
    rss_kb,
)
from docmgr.bench.postgres import ClusterUnavailable, free_port, start_server
from docmgr.documents.models import Assignment, Recipient


PASSWORD = "bench-Matkhau-2026"
UNIT = "Phòng Tổng hợp"
ROLES = {"clerk": "clerk", "leader": "reviewer", "handler": "editor", "reader": "reader"}


# -- the archive ----------------------------------------------------------------------------------------


def _spread_states(app, docs: int) -> None:
    """Move the archive's documents through their workflows as a working office has them (by id, so every
    run builds the same archive), with arrival dates, deadlines, assignments to the handlers' unit and
    recipients of outgoing documents."""
    state = app.extensions["docmgr"]
    with state.sessionmaker() as db:
        unit_id = db.execute(text("SELECT id FROM groups WHERE name = :n"), {"n": UNIT}).scalar_one()
        incoming = {"received": (0,), "assigned": (1, 2), "in_progress": (3,), "done": (4, 5, 6)}
        for name, rests in incoming.items():
            db.execute(text(f"UPDATE documents SET state = :s WHERE direction = 'incoming' "
                            f"AND id % 10 IN ({', '.join(map(str, rests))})"), {"s": name})
        outgoing = {"draft": (0,), "submitted": (1,), "signed": (2,), "dispatched": (6, 7, 8, 9)}
        for name, rests in outgoing.items():
            db.execute(text(f"UPDATE documents SET state = :s WHERE direction = 'outgoing' "
                            f"AND id % 10 IN ({', '.join(map(str, rests))})"), {"s": name})
        db.execute(text("UPDATE documents SET number = NULL, number_key = NULL, sequence = NULL "
                        "WHERE direction = 'outgoing' AND state IN ('draft', 'submitted', 'signed')"))
        db.execute(text("UPDATE documents SET arrival_number = NULL WHERE state = 'received'"))
        rows = db.execute(text("SELECT id, issued_on, state, direction FROM documents")).all()
        assignments, recipients, updates = [], [], []
        for doc_id, issued, doc_state, direction in rows:
            issued = issued if isinstance(issued, dt.date) else dt.date.fromisoformat(str(issued)[:10])
            if direction == "incoming":
                arrived = issued + dt.timedelta(days=1 + doc_id % 5)
                due = arrived + dt.timedelta(days=10) if doc_state in ("assigned", "in_progress", "done") else None
                updates.append({"i": doc_id, "a": arrived, "d": due,
                                "u": unit_id if doc_state in ("assigned", "in_progress", "done") else None})
                if due is not None:
                    assignments.append({"document_id": doc_id, "lead_unit": UNIT, "lead_group_id": unit_id,
                                        "cooperating_units": "", "deadline": due, "opinion": "Giao xử lý."})
            else:
                recipients.extend({"document_id": doc_id, "position": p, "text": t} for p, t in enumerate(
                    ("Như trên", f"UBND huyện số {doc_id % 17 + 1}", "Lưu: VT, TH.")))
        db.execute(text("UPDATE documents SET arrival_date = :a, due_date = :d, unit_id = :u WHERE id = :i"),
                   updates)
        for start in range(0, len(assignments), 5000):
            db.execute(insert(Assignment), assignments[start:start + 5000])
        for start in range(0, len(recipients), 5000):
            db.execute(insert(Recipient), recipients[start:start + 5000])
        db.commit()


# -- the server -----------------------------------------------------------------------------------------


def _serve(root: Path, workers: int, threads: int) -> tuple[subprocess.Popen, str]:
    """gunicorn on a loopback port over the bench instance; (process, base URL) once it answers."""
    port = free_port()
    env = {**os.environ, "DOCMGR_INSTANCE": str(root)}
    for key in ("DOCMGR_DATABASE_URL", "DOCMGR_SEARCH_INDEX", "DOCMGR_FILES", "SECRET_KEY"):
        env.pop(key, None)
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
               "--bind", f"127.0.0.1:{port}", "--timeout", "300", "--log-level", "warning", "docmgr:serving_app()"]
    with open(root / "server.log", "w") as log:  # the server writes to its own copy of the file
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (root / "server.log").read_text(errors="replace")
            if "No module named gunicorn" in log:
                raise SystemExit("Cần gunicorn: pip install -e '.[server]'.")
            raise SystemExit("gunicorn dừng khi khởi động:\n" + log[-2000:])
        try:
            urllib.request.urlopen(url + "/login", timeout=5)  # noqa: S310 — loopback
            return process, url
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn không trả lời sau 120 giây.")


class _RssSampler(threading.Thread):
    """The peak of the server's memory, every process summed, sampled every 0.2 s."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.running = pid, 0, True

    def run(self) -> None:
        while self.running:
            self.peak_kb = max(self.peak_kb, sum(map(rss_kb, process_tree(self.pid))))
            time.sleep(0.2)


# -- the clients ----------------------------------------------------------------------------------------


class Client:
    """One signed-in user: a cookie jar and the CSRF-protected login form, as a browser does it."""

    def __init__(self, base: str, username: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(base + "/login", timeout=300).read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrf_token": token}).encode()
        answer = self.opener.open(base + "/login", data=data, timeout=300)
        if "/login" in answer.geturl():
            raise SystemExit(f"Không đăng nhập được tài khoản {username} của bản đo.")

    def get(self, path: str) -> tuple[float, int]:
        """(milliseconds, status) of one page, read to its end."""
        start = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=120) as answer:
                answer.read()
                status = answer.status
        except urllib.error.HTTPError as exc:
            exc.read()
            status = exc.code
        except OSError:
            status = 0
        return (time.perf_counter() - start) * 1000, status


@dataclass
class Route:
    name: str
    roles: tuple[str, ...]  # who opens it
    paths: list[str]  # one is picked per request


def _routes(docs: int, queries: list[BenchQuery]) -> list[Route]:
    rng = random.Random(7)
    pages = max(2, docs // 2 // 25 * 3 // 4)  # three quarters down the incoming list
    texts = [q.docmgr for q in queries]
    return [
        Route("home", ("clerk", "leader", "handler", "reader"), ["/"]),
        Route("list_incoming_first_page", ("clerk", "reader"), ["/documents?direction=incoming"]),
        Route("list_incoming_deep_page", ("clerk",), [f"/documents?direction=incoming&page={pages}"]),
        Route("list_filtered", ("clerk", "reader"), ["/documents?direction=incoming&issuer=S%E1%BB%9F+T%C3%A0i+ch%C3%ADnh"
                                                     "&state=registered", "/documents?direction=outgoing&signer=Tr%E1%BA"
                                                     "%A7n+Th%E1%BB%8B+B%C3%ACnh&issued_on_from=01/01/2020"]),
        Route("list_sorted", ("clerk", "reader"), ["/documents?direction=outgoing&sort=subject",
                                                   "/documents?direction=incoming&sort=-due_date"]),
        Route("list_all", ("reader",), ["/documents"]),
        Route("worklist", ("clerk", "leader", "handler"), ["/worklist"]),
        Route("document_page", ("clerk",),  # the văn thư may open every one of them
              [f"/documents/{rng.randint(1, docs)}" for _ in range(200)]),
        Route("registers_form", ("clerk",), ["/registers"]),
        Route("search_page", ("clerk", "reader"), [f"/search?{urllib.parse.urlencode({'q': t})}" for t in texts]),
        Route("search_api", ("reader",), [f"/api/search?{urllib.parse.urlencode({'q': t})}" for t in texts]),
    ]


def _one_client(clients: dict[str, Client], routes: list[Route], samples: int) -> dict:
    out = {}
    for route in routes:
        times, errors = [], 0
        # Every search query at least once: the search routes are compared with FTS5 over all of them.
        count = max(samples, len(route.paths)) if route.name.startswith("search") else samples
        for i in range(count):
            client = clients[route.roles[i % len(route.roles)]]
            ms, status = client.get(route.paths[i % len(route.paths)])
            times.append(ms)
            errors += status != 200
        out[route.name] = {"p50_ms": round(_percentile(times, 50), 1), "p95_ms": round(_percentile(times, 95), 1),
                           "errors": errors}
    return out


def _under_load(base: str, routes: list[Route], clients: int, seconds: float) -> dict:
    """``clients`` threads, each signed in as every role, looping over the routes in random order."""
    sessions = [{role: Client(base, role) for role in ROLES} for _ in range(clients)]
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def work(index: int) -> None:
        rng = random.Random(index)
        mine, seen = [], Counter()
        while time.perf_counter() < stop:
            route = rng.choice(routes)
            ms, status = sessions[index][rng.choice(route.roles)].get(rng.choice(route.paths))
            mine.append(ms)
            seen[status] += 1
        with lock:
            latencies.extend(mine)
            statuses.update(seen)

    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    done = sum(statuses.values())
    return {"clients": clients, "seconds": round(wall, 1), "requests": done, "rps": round(done / wall, 1),
            "errors": done - statuses[200], "statuses": dict(statuses), "p50_ms": round(_percentile(latencies, 50), 1),
            "p95_ms": round(_percentile(latencies, 95), 1),
            "client_cpu_percent": round(100 * cpu / wall, 1)}


# -- FTS5 with snippet(), on the same queries ------------------------------------------------------------


def _fts5_snippets(db: sqlite3.Connection, queries: list[BenchQuery]) -> list[float]:
    """Per query: the top 20 by BM25 with a snippet() of each, the total and five facets, in milliseconds."""
    times = []
    for query in queries:
        if not query.fts5:
            continue
        where = f" AND {query.where}" if query.where else ""
        start = time.perf_counter()
        db.execute(f"SELECT fts.rowid, snippet(fts, -1, '<mark>', '</mark>', '…', 24) FROM fts CROSS JOIN m "
                   f"ON m.id = fts.rowid WHERE fts MATCH ?{where} ORDER BY bm25(fts, 4.0, 1.0, 50.0, 1.0, 1.0, 1.0) "
                   "LIMIT 20", (query.fts5, *query.params)).fetchall()
        facets = [Counter() for _ in range(5)]
        for row in db.execute(f"SELECT m.doc_type, m.issuer, m.year, m.signer, m.sector FROM fts CROSS JOIN m "
                              f"ON m.id = fts.rowid WHERE fts MATCH ?{where}", (query.fts5, *query.params)):
            for counter, value in zip(facets, row):
                counter[value] += 1
        times.append((time.perf_counter() - start) * 1000)
    return times


def _fts5_from(path: Path, root: Path, database_url: str | None) -> sqlite3.Connection:
    """FTS5 over the archive's rows: in C from docmgr's SQLite file, or copied from PostgreSQL."""
    if database_url is None:
        return _fts5_build(path, root / "docmgr.sqlite3")[0]
    copy = root / "rows.sqlite3"
    copy.unlink(missing_ok=True)
    db = sqlite3.connect(copy)
    db.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, subject, text, number, issuer, signer, sector, "
               "doc_type_code, issued_on, direction)")
    engine = create_engine(database_url)
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True).execute(text(
            "SELECT id, subject, text, number, issuer, signer, sector, doc_type_code, issued_on, direction "
            "FROM documents"))
        for rows in iter(lambda: result.fetchmany(2000), []):
            db.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(*r[:8], r[8].isoformat() if r[8] else None, r[9]) for r in rows])
    engine.dispose()
    db.commit()
    db.close()
    fts = _fts5_build(path, copy)[0]
    copy.unlink()
    return fts


def _postgres():
    """A throw-away PostgreSQL cluster (or DOCMGR_TEST_POSTGRES_URL's server) and the bench database's URL."""
    try:
        server = start_server()
    except ClusterUnavailable as exc:
        raise SystemExit(f"Không khởi động được PostgreSQL: {exc}") from None
    return server, server.create_database(f"docmgr_bench_web_{os.getpid()}")


# -- the command ----------------------------------------------------------------------------------------


def bench_web(docs: int = 100_000, clients: int = 50, backend: str = "sqlite", corpus: Path | None = None,
              workers: int = 2, threads: int = 4, seconds: float = 30.0, samples: int = 20,
              show_progress: bool = False, instance: Path | None = None) -> dict:
    corpus = corpus or DEFAULT_CORPUS
    if not corpus.exists():
        raise SystemExit(f"Không thấy kho ngữ liệu {corpus}; chỉ định bằng --corpus.")
    if backend == "postgresql" and instance is not None:
        raise SystemExit("--instance chỉ dùng với --backend sqlite (cụm PostgreSQL của bản đo bị xóa khi đo xong).")
    keep = instance is not None
    tmp = Path(instance) if keep else Path(tempfile.mkdtemp(prefix="docmgr-bench-web-"))
    tmp.mkdir(parents=True, exist_ok=True)
    built = keep and (tmp / "built.json").exists()
    server = sampler = postgres = None
    database_url = None

    def say(message: str) -> None:
        if show_progress:
            print(message, file=sys.stderr, flush=True)

    try:
        started = time.perf_counter()
        if backend == "postgresql":
            postgres, database_url = _postgres()
        if built:  # --instance: an archive built by an earlier run, measured again (after a change)
            saved = json.loads((tmp / "built.json").read_text())
            docs, probes = saved["docs"], [SimpleNamespace(number=n) for n in saved["probes"]]
        else:
            app = bench_app(tmp, None, database_url)
            with app.app_context():
                say(f"Tạo kho {docs:,} văn bản…")
                archive = _load_archive(app, corpus, docs)
                create_user(app, "admin", PASSWORD, {"manager"}, full_name="Quản trị")
                for username, role in ROLES.items():
                    create_user(app, username, PASSWORD, {role}, full_name=username.title(),
                                groups=[UNIT] if username == "handler" else [])
                _spread_states(app, docs)
                app.extensions["docmgr"].search.close()
            say("Lập chỉ mục…")
            _reindex(tmp, None, show_progress, database_url)
            probes = archive["probes"]
            (tmp / "built.json").write_text(json.dumps({"docs": docs, "probes": [p.number for p in probes]}))
        build_s = time.perf_counter() - started
        queries = bench_queries(probes)
        say("Khởi động gunicorn…")
        server, base = _serve(tmp, workers, threads)
        sampler = _RssSampler(server.pid)
        sampler.start()
        sessions = {role: Client(base, role) for role in ROLES}
        routes = _routes(docs, queries)
        for route in routes:  # warm-up requests, enough for every worker to have had one of each route
            for i in range(2 * workers):
                sessions[route.roles[i % len(route.roles)]].get(route.paths[-1 - i % len(route.paths)])
        say("Một người dùng…")
        one = _one_client(sessions, routes, samples)
        say(f"{clients} người dùng cùng lúc…")
        load = _under_load(base, routes, clients, seconds)
        sampler.running = False
        say("FTS5 với snippet()…")
        if (tmp / "fts5.sqlite3").exists():
            fts_db = sqlite3.connect(tmp / "fts5.sqlite3")
        else:
            fts_db = _fts5_from(tmp / "fts5.sqlite3", tmp, database_url)
        fts_times = _fts5_snippets(fts_db, queries)
        fts_db.close()
        search_times = [one[name]["p95_ms"] for name in ("search_page", "search_api")]
        out = {
            "docs": docs, "backend": backend, "workers": workers, "threads": threads, "cores": os.cpu_count(),
            "build_s": round(build_s, 1), "samples_per_route": samples,
            "routes": one,
            "load": load,
            "search_page_p95_ms": one["search_page"]["p95_ms"],
            "search_api_p95_ms": one["search_api"]["p95_ms"],
            "fts5_snippet_p50_ms": round(_percentile(fts_times, 50), 1),
            "fts5_snippet_p95_ms": round(_percentile(fts_times, 95), 1),
            "server_peak_rss_mb": round(sampler.peak_kb / 1024, 1),
        }
        out["search_ratio"] = round(max(search_times) / out["fts5_snippet_p95_ms"], 2)
        out["slowest_other_route_p95_ms"] = max(v["p95_ms"] for k, v in one.items() if not k.startswith("search"))
        return out
    finally:
        if sampler is not None:
            sampler.running = False
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
        if postgres is not None:
            postgres.drop_database(database_url.rsplit("/", 1)[1])
            postgres.stop()
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
