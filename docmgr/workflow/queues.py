"""What waits for whom: the named queues of work (to register, to assign, to handle, to sign …), as SQL
conditions that follow the permission rules, counted for the home page, the navigation and the worklist.

A queue is the documents of one direction in some states on which the user may take a transition: the
clerk's «Chờ vào sổ» is the incoming documents received and not yet registered that they may register;
the leader's «Chờ phân công» the registered ones they may assign. Documents issued and dispatched, or
handled, are in no queue (their remaining steps — filing, a manager's recall — are not a day's work).
The counts come from one grouped query per request (:func:`counts`), cheap enough for every page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, nulls_last, or_, select
from sqlalchemy.orm import Session

from docmgr import clock
from docmgr.documents.loading import PerUserCache, fetch_in_order
from docmgr.documents.models import Assignment, Document
from docmgr.workflow.definitions import WORKFLOWS
from docmgr.workflow.permissions import allowed_somewhere, group_ids, permitted, roles_anywhere, visible_to


DUE_SOON_DAYS = 3


@dataclass(frozen=True)
class Queue:
    key: str
    title: str  # the group's heading: what the user does
    direction: str  # "incoming" or "outgoing" (which also covers "internal": the same workflow)
    states: tuple[str, ...]
    empty: str  # said when nothing waits

    @property
    def directions(self) -> tuple[str, ...]:
        return ("incoming",) if self.direction == "incoming" else ("outgoing", "internal")

    def state_map(self) -> dict[str, set[str]]:
        return {direction: set(self.states) for direction in self.directions}


QUEUES: dict[str, Queue] = {q.key: q for q in (
    Queue("to_register", "Chờ vào sổ", "incoming", ("received",), "Không có văn bản đến nào chờ vào sổ."),
    Queue("to_assign", "Chờ phân công", "incoming", ("registered",), "Không có văn bản nào chờ phân công."),
    Queue("to_handle", "Cần xử lý", "incoming", ("assigned", "in_progress"), "Không có văn bản nào cần xử lý."),
    Queue("to_submit", "Dự thảo chờ trình ký", "outgoing", ("draft",), "Không có dự thảo nào."),
    Queue("to_sign", "Chờ ký duyệt", "outgoing", ("submitted",), "Không có dự thảo nào chờ ký."),
    Queue("to_issue", "Chờ ban hành (cấp số)", "outgoing", ("signed",), "Không có văn bản nào chờ ban hành."),
    Queue("to_dispatch", "Chờ phát hành", "outgoing", ("issued",), "Không có văn bản nào chờ phát hành."),
)}

# Other counters of the home page (lists of documents the user may view or act on).
MY_UNIT = "my_unit"  # incoming documents assigned to one of my units, still being handled
DUE_SOON = "due_soon"  # my work due within DUE_SOON_DAYS days
OVERDUE = "overdue"  # my work past its deadline
EXTRA_TITLES = {MY_UNIT: "Giao cho đơn vị tôi", DUE_SOON: f"Đến hạn trong {DUE_SOON_DAYS} ngày",
                OVERDUE: "Quá hạn"}


def queue_condition(user, key: str):
    """The SQL condition of queue ``key`` for ``user`` (None as the user: the system, every document)."""
    queue = QUEUES[key]
    condition = permitted(user, "transition", queue.state_map())
    where = and_(Document.direction.in_(queue.directions), Document.state.in_(queue.states))
    return where if condition is None else and_(where, condition)


def work_condition(user):
    """Every document in one of the user's queues."""
    states: dict[str, set[str]] = {}
    for queue in QUEUES.values():
        for direction, names in queue.state_map().items():
            states.setdefault(direction, set()).update(names)
    condition = permitted(user, "transition", states)
    where = _in_any_queue()
    return where if condition is None else and_(where, condition)


def _in_any_queue():
    return or_(*(and_(Document.direction.in_(q.directions), Document.state.in_(q.states)) for q in QUEUES.values()))


def my_unit_condition(user):
    """Incoming documents assigned to one of the user's units and not yet done."""
    groups = sorted(group_ids(user))
    if not groups:
        return None
    seen = visible_to(user)
    where = and_(Document.direction == "incoming", Document.state.in_(("assigned", "in_progress")),
                 Document.id.in_(select(Assignment.document_id).where(Assignment.lead_group_id.in_(groups))))
    return where if seen is None else and_(where, seen)


def due_condition(user, key: str, today: dt.date | None = None):
    """The user's work due within :data:`DUE_SOON_DAYS` days (``due_soon``) or past its deadline (``overdue``)."""
    today = today or clock.today()
    if key == OVERDUE:
        due = Document.due_date < today
    else:
        due = and_(Document.due_date >= today, Document.due_date <= today + dt.timedelta(days=DUE_SOON_DAYS))
    return and_(work_condition(user), due)


def condition_for(user, key: str):
    """The SQL condition of any named list (a queue, my unit, due soon, overdue); None: an unknown name."""
    if key in QUEUES:
        return queue_condition(user, key)
    if key == MY_UNIT:
        return my_unit_condition(user)
    if key in (DUE_SOON, OVERDUE):
        return due_condition(user, key)
    return None


def title_of(key: str) -> str:
    return QUEUES[key].title if key in QUEUES else EXTRA_TITLES.get(key, key)


@dataclass
class Counts:
    queues: dict[str, int]  # per queue the user can have work in (zero included)
    my_unit: int | None  # None: the user belongs to no unit
    due_soon: int
    overdue: int

    @property
    def work(self) -> int:
        return sum(self.queues.values())

    def direction(self, direction: str) -> int:
        return sum(n for key, n in self.queues.items() if QUEUES[key].direction == direction)


# The counts are kept a few seconds per user: the navigation asks on every page, and a user moving from page
# to page sees the same figures; a change made in this process shows at once (other processes: within 15 s).
_counts = PerUserCache(seconds=15.0)


def counts(db: Session, user, today: dt.date | None = None) -> Counts:
    """The counters of the home page and the navigation for ``user``: two grouped queries over the list
    index, kept a few seconds (the navigation of every page asks)."""
    today = today or clock.today()
    return _counts.get(PerUserCache.key(db, user, today), lambda: _count(db, user, today))


def _count(db: Session, user, today: dt.date) -> Counts:
    rows = db.execute(select(Document.direction, Document.state, func.count())
                      .where(work_condition(user)).group_by(Document.direction, Document.state)).all()
    by_state = {(d, s): n for d, s, n in rows}
    queues = {q.key: sum(by_state.get((d, s), 0) for d in q.directions for s in q.states)
              for q in QUEUES.values() if _may_have(user, q)}
    soon_end = today + dt.timedelta(days=DUE_SOON_DAYS)
    overdue, soon = db.execute(select(
        func.count().filter(Document.due_date < today),
        func.count().filter(and_(Document.due_date >= today, Document.due_date <= soon_end)),
    ).where(work_condition(user), Document.due_date.isnot(None))).one()
    mine = my_unit_condition(user)
    my_unit = db.scalar(select(func.count()).select_from(Document).where(mine)) if mine is not None else None
    return Counts(queues, my_unit, soon or 0, overdue or 0)


def _may_have(user, queue: Queue) -> bool:
    """Could ``user`` ever have work in ``queue`` (some role of theirs may move its states on)? Queues they
    never can are left off their home page and worklist, not shown as an empty zero."""
    if user is None:
        return True
    if not allowed_somewhere(user, "transition"):
        return False
    roles = roles_anywhere(user)
    workflow = WORKFLOWS[queue.direction]
    return any(workflow.states[s].roles_with("transition") & roles for s in queue.states)


def _work_order() -> list:
    return [nulls_last(Document.due_date.asc()), Document.updated_at.asc(), Document.id]


def most_urgent(db: Session, user, limit: int = 10) -> list[Document]:
    """The user's work, the earliest deadline first, then what has waited longest."""
    ids = db.scalars(select(Document.id).where(work_condition(user)).order_by(*_work_order()).limit(limit)).all()
    return fetch_in_order(db, ids)


def queue_documents(db: Session, user, key: str, limit: int) -> list[Document]:
    """The first ``limit`` documents of a queue, in the worklist's order."""
    ids = db.scalars(select(Document.id).where(queue_condition(user, key)).order_by(*_work_order())
                     .limit(limit)).all()
    return fetch_in_order(db, ids, QUEUES[key].direction)


