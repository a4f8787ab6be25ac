"""Việc của tôi (the worklist): the documents a user can move on from their state, what waits for their
decision first; as a page (/worklist) and as JSON (/api/worklist)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import nulls_last, select
from sqlalchemy.orm import Session

from docmgr import clock
from docmgr.auth.guard import requires
from docmgr.db import session
from docmgr.documents import serialize
from docmgr.documents.models import Document
from docmgr.workflow.definitions import WORKFLOWS, open_states
from docmgr.workflow.permissions import permitted


bp = Blueprint("worklist", __name__)


@dataclass
class Worklist:
    review: list[Document]  # waiting for my decision (chờ duyệt)
    mine: list[Document]  # the rest I can move on (việc của tôi)
    today: dt.date

    def overdue(self, doc: Document) -> bool:
        return doc.due_date is not None and doc.due_date < self.today

    @property
    def count(self) -> int:
        return len(self.review) + len(self.mine)


def worklist(db: Session, user, today: dt.date | None = None, limit: int = 500) -> Worklist:
    """Documents ``user`` can move on from their state (recalls aside): earliest deadline, then longest waiting."""

    states = {direction: open_states(workflow) for direction, workflow in WORKFLOWS.items()}
    condition = permitted(user, "transition", states)
    docs = db.scalars(select(Document).where(condition)
                      .order_by(nulls_last(Document.due_date.asc()), Document.updated_at.asc(), Document.id)
                      .limit(limit)).all()
    review = [d for d in docs if d.workflow.states[d.state].review]
    return Worklist(review, [d for d in docs if not d.workflow.states[d.state].review], today or clock.today())


@bp.get("/worklist")
@requires("transition")
def worklist_view():
    """Việc của tôi: what waits for my decision, then what else I can move on; overdue first."""
    return render_template("documents/worklist.html", work=worklist(session(), current_user))


@bp.get("/api/worklist")
@requires("transition")
def worklist_api():
    """``{review: [...], mine: [...]}``: documents the caller can move on, each with ``overdue`` and
    ``signature_problem`` (a digital signature of its file does not hold)."""
    work = worklist(session(), current_user)

    def row(doc):
        return {**serialize.summary(doc), "due_date": doc.due_date.isoformat() if doc.due_date else None,
                "overdue": work.overdue(doc), "signature_problem": doc.signature_problem}

    return jsonify({"review": [row(d) for d in work.review], "mine": [row(d) for d in work.mine]})
