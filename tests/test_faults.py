"""Faults and load: processes killed with SIGKILL or racing each other — nothing lost or doubled.

- an import killed again and again, then run to the end;
- three imports of the same folder at once (and the race forced in-process);
- a reindex killed while it builds: the old index answers, a rerun completes;
- a process editing in a loop, killed: every acknowledged edit is kept and the index catches up.

Runs the real `docmgr` commands in child processes on SQLite and on PostgreSQL.
The figures of each run (processes, kills, operations, losses) are appended to
test-artifacts/faults.jsonl and printed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from docmgr.documents.models import Document, DocumentFile
from tests.conftest import SAMPLES
from tests.servers import ARTIFACTS, DOCMGR, database_for


FILES = 120
KILLS = 4


@pytest.fixture(params=["sqlite", "postgresql"])
def instance(request, tmp_path):
    url = database_for(request, tmp_path, "faults")
    env = {**os.environ, "DOCMGR_INSTANCE": str(tmp_path / "instance"), "DOCMGR_SEARCH_INDEX": str(tmp_path / "index"),
           "DOCMGR_DATABASE_URL": url}
    subprocess.run([*DOCMGR, "init"], env=env, check=True, capture_output=True, timeout=120)
    return request.param, url, env, tmp_path


def _make_folder(root: Path) -> Path:
    """FILES distinct documents: the samples, each copy given its own number."""
    folder = root / "in"
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    for i in range(FILES):
        text = texts[i % len(texts)].replace("Số:", f"Số: {1000 + i}/", 1)
        (folder / f"van-ban-{i:03}.txt").write_text(text + f"\n\nBản số {i}.\n", encoding="utf-8")
    return folder


def _report(figures: dict) -> None:
    """Keep the figures of a load or fault test (tests/artifacts/faults.jsonl) and print them."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (ARTIFACTS / "faults.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(figures) + "\n")
    print(figures)


def _documents(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(Document)).scalar_one()
    finally:
        engine.dispose()


def test_import_killed_repeatedly_then_finished_loses_and_doubles_nothing(instance):
    backend, url, env, root = instance
    folder = _make_folder(root)
    rng = random.Random(7)
    kills, processes, counts = 0, 0, []
    while kills < KILLS:
        before = _documents(url)
        if before >= FILES - 10:
            break
        process = subprocess.Popen([*DOCMGR, "import", str(folder), "--json"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes += 1
        target = before + rng.randint(3, 15)  # kill it in the middle of the batch
        deadline = time.monotonic() + 60
        while _documents(url) < target and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.random() * 0.05)  # and at a random point within a file
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            kills += 1
        counts.append(_documents(url))
    final = subprocess.run([*DOCMGR, "import", str(folder), "--json"], env=env, capture_output=True, text=True,
                           timeout=300)
    processes += 1
    assert final.returncode == 0, final.stderr
    summary = json.loads(final.stdout)

    engine = create_engine(url)
    with engine.connect() as conn:
        documents = conn.execute(select(func.count()).select_from(Document)).scalar_one()
        per_blob = conn.execute(select(DocumentFile.blob_sha256, func.count()).group_by(DocumentFile.blob_sha256)).all()
        orphan_documents = conn.execute(
            select(func.count()).select_from(Document).where(~Document.files.any())).scalar_one()
    engine.dispose()
    check = subprocess.run([*DOCMGR, "check", "--json", "--grace-hours", "0", "--verify"], env=env,
                           capture_output=True, text=True, timeout=120)
    report = json.loads(check.stdout)
    figures = {
        "test": "import-kill", "backend": backend, "files": FILES, "processes": processes, "kills": kills,
        "documents_after_each_kill": counts, "final_run_imported": summary["imported"],
        "final_run_skipped": summary["skipped"], "documents": documents,
        "lost": FILES - len(per_blob), "doubled": sum(n - 1 for _, n in per_blob),
        "documents_without_file": orphan_documents, "orphan_files": len(report["orphans"]),
        "temporary_files": len(report["temporary"]), "missing_files": len(report["missing"]),
    }
    _report(figures)
    assert kills >= 2, figures  # the test must really have killed imports mid-way
    assert documents == FILES and len(per_blob) == FILES, figures
    assert figures["doubled"] == 0 and orphan_documents == 0, figures
    assert report["ok"] and check.returncode == 0, report
    assert summary["imported"] + summary["skipped"] == FILES and not summary["failed"], summary


def test_concurrent_imports_of_one_folder_make_each_file_one_document(instance):
    """3 processes import the same folder at once: every file is imported exactly once, the others skip it."""
    backend, url, env, root = instance
    folder = _make_folder(root)
    processes = [subprocess.Popen([*DOCMGR, "import", str(folder), "--json"], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(3)]
    summaries = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err[-3000:]
        summaries.append(json.loads(out))
    engine = create_engine(url)
    with engine.connect() as conn:
        documents = conn.execute(select(func.count()).select_from(Document)).scalar_one()
        per_blob = conn.execute(select(DocumentFile.blob_sha256, func.count()).group_by(DocumentFile.blob_sha256)).all()
    engine.dispose()
    assert documents == FILES and len(per_blob) == FILES and all(n == 1 for _, n in per_blob)
    assert sum(s["imported"] for s in summaries) == FILES
    assert sum(s["imported"] + s["skipped"] for s in summaries) == 3 * FILES
    assert not any(s["failed"] for s in summaries)
    _report({"test": "concurrent-import", "backend": backend, "files": FILES, "processes": 3,
             "imported_per_process": [s["imported"] for s in summaries],
             "skipped_per_process": [s["skipped"] for s in summaries], "documents": documents, "lost": 0,
             "doubled": documents - FILES})


def test_import_race_after_the_check_is_skipped_not_doubled(app, monkeypatch, tmp_path):
    """The moment the guard is for: the archive check passed, but another import committed the file first."""
    from docmgr.documents import importer
    from docmgr.instance import run_import

    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text(next(SAMPLES.glob("001_*.txt")).read_text(encoding="utf-8"), encoding="utf-8")
    assert run_import(app, [source], direction="incoming").imported == 1
    calls = []
    real = importer.file_is_archived

    def blind_once(db, sha256):  # the first look misses it, as a concurrent import would
        calls.append(sha256)
        return None if len(calls) == 1 else real(db, sha256)

    monkeypatch.setattr(importer, "file_is_archived", blind_once)
    summary = run_import(app, [source], direction="incoming")
    assert (summary.imported, summary.skipped, summary.failed) == (0, 1, [])
    assert len(calls) == 2
    with app.extensions["docmgr"].sessionmaker() as db:
        assert db.scalar(select(func.count()).select_from(Document)) == 1


def _run(env, *args, timeout=300):
    done = subprocess.run([*DOCMGR, *args], env=env, capture_output=True, text=True, timeout=timeout)
    return done.returncode, done.stdout, done.stderr


def test_reindex_killed_keeps_the_old_index_then_finishes(instance):
    """SIGKILL in the middle of `docmgr reindex`: search still answers from the old index; a rerun completes."""
    backend, url, env, root = instance
    assert _run(env, "import", str(_make_folder(root)), "--json")[0] == 0
    index = root / "index"
    rng = random.Random(11)
    kills = attempts = 0
    while kills < 3 and attempts < 12:
        attempts += 1
        process = subprocess.Popen([*DOCMGR, "reindex", "--quiet", "--batch", "10"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not list(index.glob("gen-*.tmp")) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.random() * 0.3)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            kills += 1
            code, out, err = _run(env, "search", "Bản số", "--json", "--limit", "1")
            assert code == 0 and json.loads(out)["total"] == FILES, err  # the old generation answers
        else:
            process.wait()
    code, out, err = _run(env, "reindex", "--quiet")
    assert code == 0, err
    code, out, _err = _run(env, "index", "check", "--json")
    report = json.loads(out)
    leftovers = list(index.glob("gen-*.tmp"))
    _report({"test": "reindex-kill", "backend": backend, "documents": FILES, "reindex_runs": attempts + 1,
             "kills": kills, "index_consistent": report["ok"], "build_folders_left": len(leftovers), "lost": 0})
    assert kills >= 2
    assert code == 0 and report["ok"] and not leftovers, report
    assert json.loads(_run(env, "search", "Bản số", "--json")[1])["total"] == FILES


EDITOR = """
import sys
from docmgr import create_app
from docmgr.documents.models import Document
from docmgr.documents.operations import update_document
from docmgr.search import commit_and_sync
app = create_app()
state = app.extensions["docmgr"]
for i in range(int(sys.argv[1]), 100000):
    with state.sessionmaker() as db:
        doc = db.get(Document, i % 10 + 1)
        update_document(db, doc, {"subject": f"Công văn sửa lần {i} masua{i}x"}, None)
        commit_and_sync(db, state)
    print(i, flush=True)
"""


def test_edits_killed_lose_nothing_committed(instance):
    """SIGKILL while a process edits in a loop: every committed edit is in the database, the index catches up."""
    backend, url, env, root = instance
    assert _run(env, "import", str(_make_folder(root)), "--json")[0] == 0
    rng = random.Random(5)
    start, kills, committed = 0, 0, []
    for _ in range(3):
        process = subprocess.Popen([sys.executable, "-c", EDITOR, str(start)], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True)
        wanted, seen = rng.randint(5, 25), []
        while len(seen) < wanted:
            line = process.stdout.readline()
            if not line:
                break
            seen.append(int(line))
        time.sleep(rng.random() * 0.05)  # somewhere inside the next edit, its commit or its index write
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()
        kills += 1
        committed.extend(seen)
        start = (seen[-1] + 1) if seen else start
    engine = create_engine(url)
    with engine.connect() as conn:
        subjects = dict(conn.execute(select(Document.id, Document.subject)).all())
    engine.dispose()
    last = {}
    for i in committed:
        last[i % 10 + 1] = i
    for doc_id, i in last.items():  # acknowledged edits are there (a later, unacknowledged one may be too)
        number = int(subjects[doc_id].split()[4])
        assert number >= i, (doc_id, subjects[doc_id], i)
    code, out, err = _run(env, "index", "check", "--repair", "--json")
    assert code == 0, err
    code, out, _err = _run(env, "index", "check", "--json")
    report = json.loads(out)
    found = {doc_id: json.loads(_run(env, "search", subjects[doc_id].split()[-1], "--json")[1])["total"]
             for doc_id in last}
    _report({"test": "edit-kill", "backend": backend, "edits_acknowledged": len(committed), "kills": kills,
             "index_consistent_after_repair": report["ok"], "lost": sum(1 for n in found.values() if n != 1)})
    assert report["ok"], report
    assert all(n == 1 for n in found.values()), found
