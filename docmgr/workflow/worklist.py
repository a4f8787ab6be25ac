"""Việc của tôi (the worklist): the user's work grouped by the action waiting — to register, to assign, to
sign, to issue, to dispatch, to handle — each with its count and its first rows, the whole group one click
away as a list with filters and pages (:mod:`docmgr.workflow.queues`); as a page (/worklist) and as JSON
(/api/worklist)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, jsonify, render_template, request
from flask_login import current_user
from sqlalchemy.orm import Session

from docmgr import clock
from docmgr.auth.guard import requires
from docmgr.db import session
from docmgr.documents import serialize
from docmgr.documents.models import Document
from docmgr.errors import UserValueError
from docmgr.workflow import queues


bp = Blueprint("worklist", __name__)


@dataclass
class Group:
    queue: queues.Queue
    count: int
    documents: list[Document]

    @property
    def key(self) -> str:
        return self.queue.key

    @property
    def title(self) -> str:
        return self.queue.title

    @property
    def review(self) -> bool:
        """Waits for a leader's decision (chờ duyệt)."""
        workflow = queues.WORKFLOWS[self.queue.direction]
        return any(workflow.states[s].review for s in self.queue.states)


@dataclass
class Worklist:
    groups: list[Group]
    today: dt.date

    def overdue(self, doc: Document) -> bool:
        return doc.due_date is not None and doc.due_date < self.today

    @property
    def count(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def review(self) -> list[Document]:  # waiting for my decision (chờ duyệt)
        return self._merged(True)

    @property
    def mine(self) -> list[Document]:  # the rest I can move on
        return self._merged(False)

    def _merged(self, review: bool) -> list[Document]:
        docs = [d for g in self.groups if g.review == review for d in g.documents]
        return sorted(docs, key=lambda d: (d.due_date is None, d.due_date or self.today, d.updated_at, d.id))


def worklist(db: Session, user, today: dt.date | None = None, per_group: int = 10) -> Worklist:
    """The user's groups of work (those their roles can ever have), each counted, with its first
    ``per_group`` documents: earliest deadline, then longest waiting."""
    counts = queues.counts(db, user)
    groups = [Group(queues.QUEUES[key], count, queues.queue_documents(db, user, key, per_group) if count else [])
              for key, count in counts.queues.items()]
    return Worklist(groups, today or clock.today())


@bp.get("/worklist")
@requires("transition")
def worklist_view():
    """Việc của tôi: a section per action waiting, with its count; overdue rows marked."""
    return render_template("documents/worklist.html", work=worklist(session(), current_user),
                           counts=queues.counts(session(), current_user), due_soon_days=queues.DUE_SOON_DAYS)


@bp.get("/api/worklist")
@requires("transition")
def worklist_api():
    """``{groups: [{key, title, count, documents}], review: [...], mine: [...]}``: the caller's work by the
    action waiting (``limit`` documents per group, default 100, at most 500); ``review`` (waiting for the
    caller's decision) and ``mine`` (the rest) as before. Each document has ``overdue`` and
    ``signature_problem`` (a digital signature of its file does not hold)."""
    raw = request.args.get("limit", "100")
    if not raw.isdigit() or not 1 <= int(raw) <= 500:
        raise UserValueError("limit phải là số nguyên từ 1 đến 500.")
    work = worklist(session(), current_user, per_group=int(raw))

    def row(doc):
        return {**serialize.summary(doc), "due_date": doc.due_date.isoformat() if doc.due_date else None,
                "overdue": work.overdue(doc), "signature_problem": doc.signature_problem}

    return jsonify({"groups": [{"key": g.key, "title": g.title, "count": g.count,
                                "documents": [row(d) for d in g.documents]} for g in work.groups],
                    "count": work.count,
                    "review": [row(d) for d in work.review], "mine": [row(d) for d in work.mine]})
