"""A job's row: what the web shows of work done in the background (state, progress, error), and the lease
that makes a job run again when the worker running it dies."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from docmgr.db import Base, utcnow


STATES = {
    "queued": "Đang chờ",
    "running": "Đang xử lý",
    "done": "Đã xong",
    "failed": "Lỗi",
}


class Job(Base):
    """One piece of background work. The queue (Huey) carries only the job's id; this row is the truth:
    a worker claims it (``running``, a lease it renews), reports progress here, and finishes it in the same
    transaction as its results — so a job whose worker died is taken again when its lease runs out, and
    a job is never finished twice."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state_lease", "state", "lease_until"),)
    search_ignore = True

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # a handler's name: "intake.read"
    payload: Mapped[dict] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)  # runs started (the fencing token of the current one)
    max_attempts: Mapped[int] = mapped_column(default=3)
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int] = mapped_column(default=0)
    progress_unit: Mapped[str] = mapped_column(String(20), default="")  # "trang"
    error: Mapped[str | None] = mapped_column(String(1000))
    worker: Mapped[str | None] = mapped_column(String(120))  # host:pid of the run holding the lease
    lease_until: Mapped[dt.datetime | None]
    enqueued_at: Mapped[dt.datetime | None]  # when its message was last put on the queue
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def state_title(self) -> str:
        return STATES.get(self.state, self.state)

    def queued_for(self, now: dt.datetime | None = None) -> float:
        """Seconds it has waited on the queue for a worker (0 unless it is queued)."""
        if self.state != "queued" or self.enqueued_at is None:
            return 0.0
        sent = self.enqueued_at if self.enqueued_at.tzinfo else self.enqueued_at.replace(tzinfo=dt.timezone.utc)
        return max(0.0, ((now or utcnow()) - sent).total_seconds())

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def as_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "state": self.state, "state_title": self.state_title,
                "attempts": self.attempts, "max_attempts": self.max_attempts,
                "progress": {"done": self.progress_done, "total": self.progress_total, "unit": self.progress_unit},
                "error": self.error}
