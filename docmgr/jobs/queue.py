"""Background work on a real queue: Huey carries the messages, the ``jobs`` table is the truth.

Why Huey: it runs with no extra server (its SQLite storage, a file in the instance folder — ``make run``
needs nothing else started), and scales out to workers on several machines on Redis or on PostgreSQL
(its ``PostgresStorage``: ``SELECT … FOR UPDATE SKIP LOCKED`` and ``LISTEN/NOTIFY``) with the same code.
One setting picks the storage: ``DOCMGR_JOBS_URL``.

Huey takes a message off the queue before the task runs (at most once): a worker killed mid-task would
lose it. So a message carries only a job's id, and the job's row decides:

- **claim** — a worker takes a job by one conditional UPDATE (queued, or running with its lease run out),
  counting an attempt; the attempt number is the job's fencing token;
- **lease** — while it runs, the worker renews ``lease_until`` (and reports progress on the row);
- **finish** — the handler's changes and ``state = 'done'`` are committed in one transaction, on condition
  that the token is still the worker's: a job is never finished twice, even by a worker that was thought
  dead and wakes up;
- **recover** — at every worker's start and every minute, jobs whose lease ran out (or whose worker on this
  machine is gone) are queued again, and queued jobs whose message was lost are sent again. Messages sent
  twice are harmless: the claim lets one through;
- **retry** — an unexpected error queues the job again after a delay, at most ``max_attempts`` runs in all;
  then it fails, and its handler records the error where users see it (the pending intake, for a file).

A handler makes its changes in the session it is given and does not commit; the runner commits them with
the job's end and brings the search index up to date.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from huey import PostgresHuey, RedisHuey, SqliteHuey, crontab
from huey.api import Huey
from huey.storage import RedisStorage
from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from docmgr import search
from docmgr.db import utcnow
from docmgr.errors import SetupError
from docmgr.jobs.models import Job


log = logging.getLogger("docmgr.jobs")

TASK_NAME = "docmgr.job"
RECOVER_NAME = "docmgr.jobs.recover"
RETRY_DELAYS = (10, 60, 300)  # seconds before the second, third, … run of a job that failed unexpectedly


@dataclass
class Handler:
    """What a kind of job does. ``run(ctx, db)`` makes its changes in ``db`` (not committed);
    ``failed(db, job, error)`` records a job that gave up where users will see it."""

    run: Callable[[JobContext, Session], None]
    failed: Callable[[Session, Job, str], None] | None = None


@dataclass
class JobContext:
    """What a handler gets: the job's id, payload and attempt, and a way to report progress."""

    queue: JobQueue
    job_id: int
    payload: dict
    attempt: int
    unit: str = ""

    def progress(self, done: int, total: int) -> None:
        """``done`` of ``total`` steps (pages) finished: shown on the job's page; renews the lease."""
        self.queue._report(self.job_id, self.attempt, done, total)


def make_huey(url: str, name: str = "docmgr", immediate: bool = False) -> Huey:
    """The Huey of ``DOCMGR_JOBS_URL``: ``sqlite:///path`` (the default, a file in the instance folder),
    ``redis://…`` or ``postgresql://…`` (workers on several machines)."""
    common = {"results": False, "utc": True, "immediate": immediate}
    scheme = url.split(":", 1)[0].lower()
    if scheme in ("redis", "rediss", "unix"):
        return RedisHuey(name, url=url, **common)
    if scheme.startswith("postgres"):
        dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        return PostgresHuey(name, dsn=dsn, **common)
    if scheme == "sqlite":
        database = make_url(url).database
        if not database or database == ":memory:":
            raise SetupError("DOCMGR_JOBS_URL: hàng đợi SQLite cần một tệp (sqlite:///đường/dẫn/jobs.sqlite3).")
        path = Path(database)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():  # the queue holds file names and user ids: readable by its owner only
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        return SqliteHuey(name, filename=str(path), **common)
    raise SetupError(f"DOCMGR_JOBS_URL không dùng được: «{url}». Dùng sqlite:///…, redis://… hoặc postgresql://….")


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _gone(worker: str | None) -> bool:
    """Is the worker that holds a lease a process of this machine that is no longer running?"""
    host, _, pid = (worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class JobQueue:
    """An app's queue: jobs submitted, run by workers (``docmgr worker``), recovered when a worker dies."""

    def __init__(self, app, url: str, *, lease_seconds: float = 60, immediate: bool = False):
        self.app = app
        self.url = url
        self.lease = dt.timedelta(seconds=lease_seconds)
        self.huey = make_huey(url, immediate=immediate)
        self.handlers: dict[str, Handler] = {}
        self._task = self.huey.task(name=TASK_NAME)(self.execute)
        self.huey.periodic_task(crontab(minute="*"), name=RECOVER_NAME)(self.recover)

    @property
    def immediate(self) -> bool:
        return self.huey.immediate

    def register(self, kind: str, run, failed=None) -> None:
        self.handlers[kind] = Handler(run, failed)

    # -- submitting ---------------------------------------------------------------------------------------

    def add(self, db: Session, kind: str, payload: dict, *, user=None, max_attempts: int = 3,
            unit: str = "") -> Job:
        """A new job in ``db`` (flushed, not committed): commit, then :meth:`send` it."""
        if kind not in self.handlers:
            raise ValueError(f"no handler for jobs of kind {kind!r}")
        job = Job(kind=kind, payload=payload, max_attempts=max_attempts, progress_unit=unit,
                  created_by_id=getattr(user, "id", None))
        db.add(job)
        db.flush()
        return job

    def send(self, job_ids: list[int]) -> str | None:
        """Put the committed jobs' messages on the queue. A queue that cannot be reached leaves them queued
        (they are sent again by the next recovery) and the reason is returned, in Vietnamese."""
        try:
            with self.app.app_context():
                state = self.app.extensions["docmgr"]
                with state.sessionmaker() as db:
                    db.execute(update(Job).where(Job.id.in_(job_ids)).values(enqueued_at=utcnow()))
                    db.commit()
            for job_id in job_ids:
                self._task(job_id)
        except Exception as exc:  # the database rows are the truth: nothing is lost, it waits for recovery
            if self.immediate:
                raise
            log.warning("jobs %s not sent to the queue: %s", job_ids, exc)
            return (f"Chưa gửi được việc vào hàng đợi ({type(exc).__name__}: {exc}); việc vẫn được giữ và sẽ "
                    "được gửi lại khi bộ xử lý nền chạy.")
        return None

    # -- running ------------------------------------------------------------------------------------------

    def execute(self, job_id: int) -> None:
        """Run one job (what the queue's task does): claim it, run its handler under a renewed lease, and
        finish it — or count the failure and queue it again, or give up after ``max_attempts``."""
        with self.app.app_context():
            state = self.app.extensions["docmgr"]
            claimed = self._claim(state, job_id)
            if claimed is None:
                return
            kind, payload, attempt, unit = claimed
            handler = self.handlers.get(kind)
            if handler is None:
                self._give_up(state, job_id, attempt, f"Không có bộ xử lý cho loại việc «{kind}».")
                return
            stop = threading.Event()
            beat = threading.Thread(target=self._heartbeat, args=(state, job_id, attempt, stop), daemon=True,
                                    name=f"docmgr-job-{job_id}-lease")
            beat.start()
            began = time.monotonic()
            log.info("job %s (%s): attempt %s started", job_id, kind, attempt)
            try:
                if self._run(state, handler, JobContext(self, job_id, payload, attempt, unit)):
                    log.info("job %s (%s): done in %.1f s", job_id, kind, time.monotonic() - began)
            except Exception as exc:
                log.error("job %s (%s) attempt %s failed:\n%s", job_id, kind, attempt, traceback.format_exc())
                self._failed_attempt(state, job_id, attempt, f"{type(exc).__name__}: {exc}")
            finally:
                stop.set()
                beat.join()

    def _claim(self, state, job_id: int):
        now = utcnow()
        with state.sessionmaker() as db:
            taken = db.execute(
                update(Job)
                .where(Job.id == job_id, or_(Job.state == "queued",
                                             and_(Job.state == "running", Job.lease_until < now)))
                .values(state="running", attempts=Job.attempts + 1, worker=_me(), lease_until=now + self.lease,
                        started_at=now)
                .execution_options(synchronize_session=False))
            if taken.rowcount != 1:
                db.rollback()
                return None  # done, failed, or running elsewhere: the message was a duplicate
            job = db.get(Job, job_id)
            db.commit()
            if job.attempts > job.max_attempts:
                self._give_up(state, job_id, job.attempts, job.error or "Tiến trình xử lý dừng giữa chừng nhiều lần.")
                return None
            return job.kind, dict(job.payload or {}), job.attempts, job.progress_unit

    def _run(self, state, handler: Handler, ctx: JobContext) -> bool:
        with state.sessionmaker() as db:
            search.defer_sync(db)
            handler.run(ctx, db)
            db.flush()
            if not self._finish(db, ctx.job_id, ctx.attempt):
                db.rollback()
                log.warning("job %s: attempt %s lost its lease; its work is left to the run that took it",
                            ctx.job_id, ctx.attempt)
                return False
            search.commit_and_sync(db, state)
            return True

    @staticmethod
    def _finish(db: Session, job_id: int, attempt: int) -> bool:
        done = db.execute(
            update(Job).where(Job.id == job_id, Job.state == "running", Job.attempts == attempt)
            .values(state="done", finished_at=utcnow(), lease_until=None, error=None)
            .execution_options(synchronize_session=False))
        return done.rowcount == 1

    def _report(self, job_id: int, attempt: int, done: int, total: int) -> None:
        state = self.app.extensions["docmgr"]
        with state.sessionmaker() as db:
            db.execute(update(Job).where(Job.id == job_id, Job.attempts == attempt, Job.state == "running")
                       .values(progress_done=done, progress_total=total, lease_until=utcnow() + self.lease)
                       .execution_options(synchronize_session=False))
            db.commit()

    def _heartbeat(self, state, job_id: int, attempt: int, stop: threading.Event) -> None:
        interval = max(0.5, self.lease.total_seconds() / 3)
        while not stop.wait(interval):
            try:
                with state.sessionmaker() as db:
                    db.execute(update(Job).where(Job.id == job_id, Job.attempts == attempt, Job.state == "running")
                               .values(lease_until=utcnow() + self.lease)
                               .execution_options(synchronize_session=False))
                    db.commit()
            except Exception as exc:  # a busy database: the next beat tries again
                log.warning("job %s: lease not renewed: %s", job_id, exc)

    def _failed_attempt(self, state, job_id: int, attempt: int, error: str) -> None:
        with state.sessionmaker() as db:
            job = db.get(Job, job_id)
            if job is None or job.state != "running" or job.attempts != attempt:
                return
            if attempt >= job.max_attempts:
                db.rollback()
                self._give_up(state, job_id, attempt, error)
                return
            job.state, job.error, job.lease_until, job.enqueued_at = "queued", error[:1000], None, utcnow()
            db.commit()
        delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
        if self.immediate:
            return  # no scheduler in immediate mode: the job stays queued, with its error, for a worker
        try:
            self._task.schedule(args=(job_id,), delay=delay)
        except Exception as exc:
            log.warning("job %s: retry not scheduled (%s); recovery will send it", job_id, exc)

    def _give_up(self, state, job_id: int, attempt: int, error: str) -> None:
        with state.sessionmaker() as db:
            job = db.get(Job, job_id)
            if job is None or job.finished:
                return
            job.state, job.error, job.finished_at, job.lease_until = "failed", error[:1000], utcnow(), None
            handler = self.handlers.get(job.kind)
            if handler is not None and handler.failed is not None:
                handler.failed(db, job, job.error)
            db.commit()
        log.error("job %s failed after %s attempt(s): %s", job_id, attempt, error)

    # -- recovering ---------------------------------------------------------------------------------------

    def recover(self) -> dict:
        """Queue again the jobs whose worker died (lease run out, or its process on this machine gone), and
        send again the queued jobs whose message is not on the queue. Safe to run anywhere, any time."""
        with self.app.app_context():
            state = self.app.extensions["docmgr"]
            now = utcnow()
            requeued, resent = [], []
            with state.sessionmaker() as db:
                running = db.execute(select(Job.id, Job.attempts, Job.worker, Job.lease_until, Job.max_attempts)
                                     .where(Job.state == "running")).all()
                for job_id, attempts, worker, lease_until, max_attempts in running:
                    if not (lease_until is None or _aware(lease_until) < now or _gone(worker)):
                        continue
                    reason = "Tiến trình xử lý dừng giữa chừng (máy hoặc bộ xử lý nền bị tắt); việc được chạy lại."
                    if attempts >= max_attempts:
                        self._give_up(state, job_id, attempts, "Tiến trình xử lý dừng giữa chừng ở cả "
                                      f"{attempts} lần chạy; tệp gốc vẫn được lưu.")
                        continue
                    moved = db.execute(update(Job).where(Job.id == job_id, Job.state == "running",
                                                         Job.attempts == attempts)
                                       .values(state="queued", lease_until=None, error=reason)
                                       .execution_options(synchronize_session=False))
                    if moved.rowcount == 1:
                        requeued.append(job_id)
                db.commit()
                waiting = set(db.scalars(select(Job.id).where(Job.state == "queued")))
            if waiting:
                on_queue = self._ids_on_queue()
                resent = sorted(waiting - on_queue)
            if resent:
                self.send(resent)
            if requeued or resent:
                log.warning("recovered jobs: queued again %s, sent again %s", requeued, resent)
            return {"requeued": requeued, "resent": resent}

    def _ids_on_queue(self) -> set[int]:
        ids: set[int] = set()
        for task in [*self.huey.pending(), *self.huey.scheduled()]:
            if task.name == TASK_NAME and task.args:
                ids.add(task.args[0])
        return ids

    # -- the worker ---------------------------------------------------------------------------------------

    def consumer(self, workers: int):
        """A Huey consumer taking this app's jobs with ``workers`` threads (the heavy work itself runs in the
        limited reader processes, never more busy at once than the machine's CPU policy allows)."""
        return self.huey.create_consumer(workers=workers, worker_type="thread", periodic=True,
                                         initial_delay=0.1, backoff=1.15, max_delay=1.0,
                                         check_worker_health=True)

    def pending_count(self) -> int:
        return self.huey.pending_count()

    def close(self) -> None:
        """Give back the queue's connections (an app that is dropped: tests, a host app shutting down)."""
        storage = self.huey.storage
        storage.close()
        if isinstance(storage, RedisStorage):
            storage.conn.connection_pool.disconnect()


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives naive datetimes back (stored in UTC)."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
