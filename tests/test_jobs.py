"""Background jobs: files read by workers taking jobs from a real queue — durable (a worker killed mid-OCR
loses nothing and doubles nothing), bounded retries with the error shown, several workers on one queue."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from docmgr.db import utcnow
from docmgr.documents.models import Document, DocumentPage, ImportedFile
from docmgr.instance import queue_import
from docmgr.intake.models import Intake
from docmgr.intake.operations import receive, start
from docmgr.jobs.models import Job
from docmgr.ocr import scans
from tests.conftest import PASSWORD, make_app
from tests.servers import DOCMGR, start_redis, tesseract_ready


@pytest.fixture
def database_url(tmp_path):
    """SQLite unless a test asks for PostgreSQL itself (the scale-out test)."""
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


def queued_app(tmp_path: Path, database_url: str, jobs_url: str | None = None, **config):
    """An app whose jobs go to a real queue (not run at once), with its users."""
    from docmgr.auth.operations import create_user

    app = make_app(tmp_path, database_url, DOCMGR_JOBS_IMMEDIATE=False,
                   DOCMGR_JOBS_URL=jobs_url or f"sqlite:///{tmp_path / 'jobs.sqlite3'}", **config)
    for name, role in (("admin", "manager"), ("clerk", "clerk"), ("reader", "reader"),
                       ("soanthao", "contributor")):
        create_user(app, name, PASSWORD, {role}, full_name=name.title())
    return app


@pytest.fixture
def app(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("DOCMGR_INSTANCE", str(tmp_path / "instance"))
    app = queued_app(tmp_path, database_url)
    yield app
    close(app)


def close(app) -> None:
    """Give back what the app holds: database and queue connections (PostgreSQL's would be left to the
    garbage collector, which warns about them in whatever test runs then), the index."""
    state = app.extensions["docmgr"]
    state.engine.dispose()
    state.search.close()
    state.jobs.close()


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


class Worker:
    """``docmgr worker`` in its own process group (killing the group kills its reader processes too, as a
    machine that goes down would)."""

    def __init__(self, app, tmp_path: Path, name: str, threads: int = 2):
        config = app.config
        env = {**os.environ, "SECRET_KEY": "test", "DOCMGR_INSTANCE": app.instance_path,
               "DOCMGR_DATABASE_URL": config["DOCMGR_DATABASE_URL"], "DOCMGR_FILES": config["DOCMGR_FILES"],
               "DOCMGR_SEARCH_INDEX": config["DOCMGR_SEARCH_INDEX"], "DOCMGR_JOBS_URL": config["DOCMGR_JOBS_URL"],
               "DOCMGR_JOBS_LEASE_SECONDS": str(config["DOCMGR_JOBS_LEASE_SECONDS"])}
        self.log = tmp_path / f"{name}.log"
        with self.log.open("wb") as out:  # the child has its own copy of the descriptor
            self.process = subprocess.Popen([*DOCMGR, "worker", "--workers", str(threads)], env=env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def wait_started(self):
        wait_for(lambda: "Huey consumer started" in self.log.read_text(errors="replace"), 60, f"{self.log.name}")
        return self

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


@pytest.fixture
def workers():
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


def _row(app, model, id_):
    with app.extensions["docmgr"].sessionmaker() as db:
        return db.get(model, id_)


def _background(app, paths, username: str = "clerk") -> list[int]:
    with app.app_context():
        summary = queue_import(app, paths, direction="incoming", username=username)
    assert summary.queued and not summary.failed and summary.queue_warning is None
    assert all(d["number"] is None and d["pending"] for d in summary.documents)
    return [d["intake_id"] for d in summary.documents]


def _scan(printed, tmp_path: Path, pages: int) -> Path:
    path = tmp_path / "ban-quet.tif"
    path.write_bytes(scans.tiff(scans.scan_pages(printed["001"], pages=list(range(1, pages + 1)))))
    return path


# -- the protocol, run in this process ---------------------------------------------------------------------


def _text_intake(app, text: str = "KẾ HOẠCH\nVề việc thử nghiệm hàng đợi") -> tuple[int, int]:
    """A pending intake of a text file, its reading queued (not run): (intake id, job id)."""
    state = app.extensions["docmgr"]
    sha256 = state.files.put(text.encode())
    with app.app_context(), state.sessionmaker() as db:
        intake = receive(db, filename="thu.txt", sha256=sha256, size=len(text.encode()), direction="incoming",
                         user=None)
        db.commit()
        assert start(db, state, intake, None, background=True) is None
        return intake.id, intake.job_id


def test_a_job_runs_once_though_its_message_comes_twice(app):
    jobs = app.extensions["docmgr"].jobs
    intake_id, job_id = _text_intake(app)
    assert jobs.pending_count() == 1
    jobs.execute(job_id)
    jobs.execute(job_id)  # a duplicate message (sent again by a recovery): the claim lets nothing through
    job, intake = _row(app, Job, job_id), _row(app, Intake, intake_id)
    assert job.state == "done" and job.attempts == 1
    assert intake.state == "read" and "thử nghiệm hàng đợi" in intake.reading["text"]


def test_a_failing_reading_is_retried_then_fails_with_its_error_shown_and_the_file_kept(app, client, monkeypatch):
    from docmgr.intake import operations

    def broken(*_args, **_kwargs):
        raise RuntimeError("Tesseract hỏng giữa chừng")

    monkeypatch.setattr(operations, "read_file", broken)
    jobs = app.extensions["docmgr"].jobs
    intake_id, job_id = _text_intake(app)
    for attempt in (1, 2):
        jobs.execute(job_id)
        job = _row(app, Job, job_id)
        assert job.state == "queued" and job.attempts == attempt and "Tesseract hỏng" in job.error
        assert _row(app, Intake, intake_id).state == "reading"
    jobs.execute(job_id)  # the third and last attempt
    job, intake = _row(app, Job, job_id), _row(app, Intake, intake_id)
    assert job.state == "failed" and job.attempts == 3
    assert intake.state == "failed" and "sau 3 lần thử" in intake.error and "Tesseract hỏng" in intake.error
    client.post("/login", data={"username": "clerk", "password": PASSWORD})
    page = client.get(f"/intakes/{intake_id}").text
    assert "sau 3 lần thử" in page and 'action="/intakes/1/confirm"' in page  # metadata may still be typed
    original = client.get(f"/intakes/{intake_id}/original")
    assert original.data.startswith("KẾ HOẠCH".encode())  # the file, kept
    original.close()
    saved = client.post(f"/intakes/{intake_id}/confirm", data={"direction": "incoming", "doc_type": "Kế hoạch",
                                                                "subject": "Gõ tay", "issuer": "Sở Nội vụ"})
    assert saved.status_code == 302 and _row(app, Intake, intake_id).state == "done"


def test_recovery_queues_again_a_job_whose_worker_died_and_resends_a_lost_message(app):
    state = app.extensions["docmgr"]
    jobs = state.jobs
    dead_id, dead_job = _text_intake(app, "KẾ HOẠCH\nMột")
    lost_id, lost_job = _text_intake(app, "KẾ HOẠCH\nHai")
    waiting_id, waiting_job = _text_intake(app, "KẾ HOẠCH\nBa")
    jobs.huey.flush()  # every message gone (a queue that lost them) …
    jobs._task(waiting_job)  # … but this one's
    with state.sessionmaker() as db:  # a worker on another machine took this one and died (its lease ran out)
        db.execute(update(Job).where(Job.id == dead_job).values(
            state="running", attempts=1, worker="may-khac:4242", lease_until=utcnow()))
        db.commit()
    found = jobs.recover()
    assert found == {"requeued": [dead_job], "resent": [dead_job, lost_job]}
    assert jobs.pending_count() == 3  # nothing sent twice
    assert "dừng giữa chừng" in _row(app, Job, dead_job).error
    for job_id in (dead_job, lost_job, waiting_job):
        jobs.execute(job_id)
    assert {_row(app, Intake, i).state for i in (dead_id, lost_id, waiting_id)} == {"read"}
    assert _row(app, Job, dead_job).attempts == 2


def test_a_run_that_lost_its_lease_does_not_finish_the_job(app):
    """A worker thought dead (its lease ran out, another run took the job) wakes up: its work is dropped."""
    state = app.extensions["docmgr"]
    jobs = state.jobs
    intake_id, job_id = _text_intake(app)
    real = jobs.handlers["intake.read"].run

    def overtaken(ctx, db):
        real(ctx, db)
        with state.sessionmaker() as other:  # meanwhile another worker claimed the job (attempt 2)
            other.execute(update(Job).where(Job.id == job_id).values(attempts=Job.attempts + 1))
            other.commit()

    jobs.handlers["intake.read"].run = overtaken
    jobs.execute(job_id)
    assert _row(app, Job, job_id).state == "running" and _row(app, Intake, intake_id).state == "reading"


def test_an_uploaded_scan_waits_for_a_worker_shows_its_progress_then_its_confirm_form(app, client, printed):
    tesseract_ready()
    image = io.BytesIO()
    scans.scan_pages(printed["004"], pages=[1])[0].save(image, format="PNG", dpi=(300, 300))
    client.post("/login", data={"username": "soanthao", "password": PASSWORD})
    # Encoded here: the test client spools a large body to a temporary file it never closes.
    boundary, body = encode_multipart(MultiDict({"direction": "incoming",
                                                 "file": FileStorage(io.BytesIO(image.getvalue()), "cong-van.png")}))
    sent = client.post("/documents/upload", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert sent.status_code == 303
    progress = client.get(sent.location).text
    assert "Đang chờ bộ xử lý nền" in progress and "<progress" in progress
    status = client.get("/api/intakes/1").json
    assert status["state"] == "reading" and status["job"]["state"] == "queued"
    with app.extensions["docmgr"].sessionmaker() as db:  # nobody took it for two minutes: say so
        db.execute(update(Job).values(enqueued_at=utcnow() - dt.timedelta(minutes=2)))
        db.commit()
    assert "Chưa có bộ xử lý nền nào nhận việc này" in client.get(sent.location).text
    assert 'class="pending-intakes"' in client.get("/documents").text  # «Chờ xử lý 1» in the navigation
    with app.app_context(), app.extensions["docmgr"].sessionmaker() as db:
        assert db.scalar(select(func.count()).select_from(Document)) == 0  # not a document yet
    assert "cong-van.png" in client.get("/intakes").text
    client.post("/logout")
    client.post("/login", data={"username": "clerk", "password": PASSWORD})
    assert "cong-van.png" in client.get("/intakes").text  # the văn thư sees every file waiting
    client.post("/logout")

    app.extensions["docmgr"].jobs.execute(status["job"]["id"])  # what a worker does

    client.post("/login", data={"username": "soanthao", "password": PASSWORD})
    status = client.get("/api/intakes/1").json
    assert status["state"] == "read" and status["job"]["progress"] == {"done": 1, "total": 1, "unit": "trang"}
    form = client.get(sent.location).text
    assert "Bản quét, đọc bằng OCR: 1 trang" in form and 'value="07/03/2024"' in form
    fields = dict(re.findall(r'<input name="(\w+)" type="text" value="([^"]*)"', form))
    saved = client.post("/intakes/1/confirm", data={**fields, "direction": "incoming", "issued_on": "07/03/2024",
                                                    "doc_type": "Công văn", "issuer": "Sở Khoa học và Công nghệ"})
    assert saved.status_code == 302
    doc_id = int(saved.location.rsplit("/", 1)[1])
    again = client.post("/intakes/1/confirm", data={"direction": "incoming"}, follow_redirects=True)
    assert f"đã được lưu thành văn bản #{doc_id}" in again.text  # a double click makes no second document
    with app.app_context(), app.extensions["docmgr"].sessionmaker() as db:
        assert db.scalar(select(func.count()).select_from(Document)) == 1
        assert [p.number for p in db.get(Document, doc_id).pages] == [1]
    assert "cong-van.png" not in client.get("/intakes").text  # no longer waiting


def test_others_cannot_see_a_users_pending_intake(app, client):
    intake_id, _ = _text_intake(app)
    client.post("/login", data={"username": "soanthao", "password": PASSWORD})
    assert client.get(f"/intakes/{intake_id}").status_code == 404  # sent by the system, not by them
    assert client.get(f"/api/intakes/{intake_id}").status_code == 404
    client.post("/logout")
    client.post("/login", data={"username": "reader", "password": PASSWORD})
    assert client.get("/intakes").status_code == 403


# -- real workers ------------------------------------------------------------------------------------------


def test_a_worker_killed_mid_ocr_finishes_on_restart_with_nothing_lost_or_doubled(tmp_path, monkeypatch, printed,
                                                                                  workers):
    tesseract_ready()
    monkeypatch.setenv("DOCMGR_INSTANCE", str(tmp_path / "instance"))
    app = queued_app(tmp_path, f"sqlite:///{tmp_path / 'test.sqlite3'}", DOCMGR_JOBS_LEASE_SECONDS=3)
    pages = 6
    [intake_id] = _background(app, [_scan(printed, tmp_path, pages)])
    job_id = _row(app, Intake, intake_id).job_id

    first = Worker(app, tmp_path, "worker-1")
    workers.append(first)
    wait_for(lambda: 1 <= _row(app, Job, job_id).progress_done < pages, 240, "the first pages read by OCR",
             interval=0.05)
    first.kill()  # mid-OCR: the machine goes down
    job = _row(app, Job, job_id)
    assert job.state == "running" and job.progress_done < pages and _row(app, Intake, intake_id).state == "reading"

    second = Worker(app, tmp_path, "worker-2")
    workers.append(second)
    wait_for(lambda: _row(app, Intake, intake_id).state == "done", 300, "the reading to finish after the restart")
    job, intake = _row(app, Job, job_id), _row(app, Intake, intake_id)
    assert job.state == "done" and job.attempts == 2 and job.progress_done == job.progress_total == pages
    with app.extensions["docmgr"].sessionmaker() as db:
        assert db.scalar(select(func.count()).select_from(Document)) == 1
        numbers = db.scalars(select(DocumentPage.number).where(DocumentPage.document_id == intake.document_id)
                             .order_by(DocumentPage.number)).all()
        assert numbers == list(range(1, pages + 1))  # every page once
        assert db.scalar(select(func.count()).select_from(ImportedFile)) == 1
        doc = db.get(Document, intake.document_id)
        assert [f.role for f in doc.files] == ["main", "ocr"]
        assert doc.files[0].blob_sha256 == intake.blob_sha256
        assert app.extensions["docmgr"].files.verify(intake.blob_sha256)  # the original, byte for byte
    assert "chạy lại 1 việc" in second.log.read_text()
    close(app)


@pytest.mark.parametrize("queue", ["redis", "postgresql"])
def test_two_workers_on_two_machines_share_one_queue(queue, tmp_path, monkeypatch, request, workers):
    """Scale-out: the database is PostgreSQL, the queue Redis or PostgreSQL; two worker processes take jobs
    from the one queue, and each job is done once."""
    from tests.servers import database_for

    request.param = "postgresql"
    database = database_for(request, tmp_path, "jobs")
    if queue == "redis":
        server = start_redis()
        request.addfinalizer(server.stop)
        jobs_url = server.url
    else:
        jobs_url = database
    monkeypatch.setenv("DOCMGR_INSTANCE", str(tmp_path / "instance"))
    app = queued_app(tmp_path, database, jobs_url)
    for name in ("may-1", "may-2"):
        workers.append(Worker(app, tmp_path, name, threads=1))
    for worker in workers:
        worker.wait_started()
    folder = tmp_path / "den"
    folder.mkdir()
    for n in range(1, 13):
        (folder / f"cv-{n:02}.txt").write_text(f"CÔNG VĂN\nSố: {n}/UBND-VP\nV/v thử nghiệm số {n}\n", encoding="utf-8")
    intake_ids = _background(app, [folder])
    assert len(intake_ids) == 12
    done = lambda: all(_row(app, Intake, i).state == "done" for i in intake_ids)  # noqa: E731
    wait_for(done, 180, "the twelve files to become documents")
    with app.extensions["docmgr"].sessionmaker() as db:
        jobs = db.scalars(select(Job)).all()
        assert len(jobs) == 12 and {j.state for j in jobs} == {"done"} and {j.attempts for j in jobs} == {1}
        assert len({j.worker for j in jobs}) == 2  # both workers took jobs
        assert db.scalar(select(func.count()).select_from(Document)) == 12  # each file once
        made = db.scalars(select(Intake.document_id).where(Intake.id.in_(intake_ids))).all()
        assert len(set(made)) == 12 and None not in made
    close(app)
