"""Moving a document through its workflow: guards, effects (numbers, số đến, assignment), history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from docmgr import audit, clock
from docmgr.addressbook.matching import name_key
from docmgr.auth.models import Group, User
from docmgr.documents import versions
from docmgr.documents.fields import parse_date
from docmgr.documents.models import Assignment, Document, NumberSeries, WorkflowEvent
from docmgr.errors import PermissionDeniedError, UserValueError
from docmgr.text import clean_whitespace, number_folded_key
from docmgr.web import parse_id
from docmgr.workflow.deadlines import DEFAULT_DAYS
from docmgr.workflow.deadlines import SESSION_KEY as DEADLINES_KEY
from docmgr.workflow.deadlines import default_deadline
from docmgr.workflow.definitions import Transition
from docmgr.workflow.numbering import DEFAULT, SESSION_KEY, Series, series_for
from docmgr.workflow.permissions import allowed, roles_on


def available(doc: Document, user: User | None) -> list[Transition]:
    """The transitions ``user`` may take from the document's state, or record on someone's behalf (all of them
    for the system, user None)."""
    return [t for t in doc.workflow.transitions_from(doc.state)
            if user is None or allowed(user, t.guard, doc) or enters_for_others(user, t, doc)]


def enters_for_others(user: User, step: Transition, doc: Document) -> bool:
    """May ``user`` record ``step`` only on behalf of someone who may take it (the văn thư and a bút phê)?"""
    return (bool(step.on_behalf) and not allowed(user, step.guard, doc) and allowed(user, "view", doc)
            and bool(roles_on(user, doc) & set(step.on_behalf)))


def deciders(db: Session, step: Transition, doc: Document) -> list[User]:
    """The active users who may take ``step`` on ``doc`` themselves: whom a văn thư may enter it for."""
    candidates = db.scalars(select(User).where(User.active.is_(True)).order_by(User.full_name, User.username))
    return [u for u in candidates if allowed(u, step.guard, doc)]


def next_number(db: Session, key: str, year: int) -> int:
    """The next number of a series, in the caller's transaction: never repeated, never skipped.

    The series row is created if missing (insert-or-ignore: of two transactions
    creating it at once, one waits for the other), then the UPDATE takes the
    row's write lock (PostgreSQL) or the database's (SQLite) before the value is
    read, so two transactions numbering at once wait for each other; a
    rolled-back transaction gives its number back.
    """
    _ensure_series(db, key, year)
    db.execute(update(NumberSeries).where(NumberSeries.key == key, NumberSeries.year == year)
               .values(last=NumberSeries.last + 1))
    return db.scalar(select(NumberSeries.last).where(NumberSeries.key == key, NumberSeries.year == year))


def _ensure_series(db: Session, key: str, year: int) -> None:
    """Create the series row if missing (insert-or-ignore)."""
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        insert_or_ignore = postgresql_insert
    elif dialect == "sqlite":
        insert_or_ignore = sqlite_insert
    else:  # pragma: no cover - docmgr runs on SQLite and PostgreSQL
        raise UserValueError(f"Cơ sở dữ liệu {dialect} chưa được hỗ trợ để cấp số.")
    db.execute(insert_or_ignore(NumberSeries).values(key=key, year=year, last=0).on_conflict_do_nothing())


def raise_series_to(db: Session, key: str, year: int, number: int) -> None:
    """A number given by hand (a số đến typed when archiving): the series continues after it."""
    _ensure_series(db, key, year)
    db.execute(update(NumberSeries).where(NumberSeries.key == key, NumberSeries.year == year,
                                          NumberSeries.last < number).values(last=number))


def outgoing_series(db: Session, doc: Document) -> tuple[str, Series]:
    """The number series key of an outgoing document: per issuer and year, and per configured series
    (:mod:`docmgr.workflow.numbering`; by default confidential documents have their own, Điều 15)."""
    issuer = clean_whitespace(doc.issuer or "").lower()
    series = series_for(doc, db.info.get(SESSION_KEY, DEFAULT))
    return f"outgoing|{issuer}|{series.name}", series


INCOMING_SERIES = "incoming"


def transition(db: Session, doc: Document, name: str, user: User | None, comment: str = "",
               data: dict | None = None, today: dt.date | None = None) -> WorkflowEvent:
    """Take transition ``name``; the caller commits. Raises PermissionDeniedError or UserValueError."""
    workflow = doc.workflow
    step = workflow.transitions.get(name)
    if step is None or doc.state not in step.sources:
        state = doc.state_title
        raise UserValueError(f"Không thể «{step.title if step else name}» văn bản ở trạng thái «{state}».")
    behalf = None
    if user is not None and not allowed(user, step.guard, doc):
        if not enters_for_others(user, step, doc):
            raise PermissionDeniedError(f"Bạn không có quyền «{step.title}» văn bản này.")
        behalf = _on_behalf_of(db, step, doc, (data or {}).get("on_behalf_of"))
    comment = clean_whitespace(comment or "")
    if step.needs_comment and not comment:
        raise UserValueError(f"«{step.title}» cần ghi lý do.", {"comment": "Cần ghi lý do."})
    today = today or clock.today()
    # Claim the move first, in the database: of two people taking a transition at once, the second finds
    # the state changed and is told so (the row stays locked until this transaction ends).
    moved = db.execute(update(Document).where(Document.id == doc.id, Document.state == doc.state)
                       .values(state=step.target).execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise UserValueError("Văn bản vừa được người khác chuyển trạng thái; hãy tải lại trang.")
    detail = _apply_effect(db, doc, step, behalf or user, data or {}, today)
    if behalf is not None:
        detail["on_behalf_of"] = {"id": behalf.id, "name": behalf.display_name}
    event = WorkflowEvent(document_id=doc.id, transition=step.name, from_state=doc.state, to_state=step.target,
                          actor_id=user.id if user else None, comment=comment, detail=detail)
    db.add(event)
    doc.history.append(event)
    doc.state = step.target
    doc.updated_at = dt.datetime.now(dt.timezone.utc)
    doc.updated_by_id = user.id if user else None
    audit.record(db, "transition", user, doc.id, transition=step.name, to=step.target, **detail)
    versions.record(db, doc, user, "transition")
    return event


def _apply_effect(db: Session, doc: Document, step: Transition, user: User | None, data: dict,
                  today: dt.date) -> dict:
    if step.effect == "number":
        if doc.number:
            return {}
        notation = clean_whitespace(data.get("notation") or doc.notation or "")
        if not notation:
            raise UserValueError("Cần có ký hiệu văn bản (ví dụ «KH-UBND») để cấp số.",
                                 {"notation": "Cần có ký hiệu."})
        if not doc.issued_on:
            doc.issued_on = today
        key, series = outgoing_series(db, doc)
        sequence = next_number(db, key, doc.issued_on.year)
        doc.sequence = sequence
        doc.notation = notation
        doc.number = f"{sequence:02d}/{notation}"
        doc.number_key = number_folded_key(doc.number)
        return {"number": doc.number, "series": series.title}
    if step.effect == "register":
        if doc.arrival_number:
            return {}
        if not doc.arrival_date:
            doc.arrival_date = today
        doc.arrival_number = next_number(db, INCOMING_SERIES, doc.arrival_date.year)
        return {"arrival_number": doc.arrival_number, "arrival_date": doc.arrival_date.isoformat()}
    if step.effect == "assign":
        group = _lead_group(db, data)
        lead = clean_whitespace(data.get("lead_unit") or "") or (group.name if group else "")
        if not lead:
            raise UserValueError("Cần chọn đơn vị chủ trì.", {"lead_group_id": "Cần chọn đơn vị chủ trì."})
        if "deadline" in data:
            deadline = parse_date(data.get("deadline") or "", "Hạn xử lý")
        else:  # a client that says nothing of it gets the default of the urgency
            deadline = default_deadline(doc, db.info.get(DEADLINES_KEY, DEFAULT_DAYS), today)
        arrived = doc.arrival_date or today
        if deadline is not None and deadline < arrived:
            message = (f"Hạn xử lý ({deadline:%d/%m/%Y}) không thể trước ngày văn bản đến ({arrived:%d/%m/%Y}).")
            raise UserValueError(message, {"deadline": message})
        cooperating = _cooperating_units(db, data, lead)
        assignment = doc.assignment or Assignment(document_id=doc.id)
        assignment.lead_unit = lead
        assignment.lead_group_id = group.id if group else None
        if group is not None and doc.unit_id is None:
            doc.unit_id = group.id  # the unit that handles it is the one it belongs to
        assignment.cooperating_units = cooperating
        assignment.deadline = deadline
        assignment.opinion = (data.get("opinion") or "").strip()
        assignment.assigned_by_id = user.id if user else None
        assignment.assigned_at = dt.datetime.now(dt.timezone.utc)
        doc.assignment = assignment
        if deadline:
            doc.due_date = deadline
        return {"lead_unit": lead, "cooperating_units": assignment.cooperating_units,
                "deadline": deadline.isoformat() if deadline else None}
    return {}


def _on_behalf_of(db: Session, step: Transition, doc: Document, raw) -> User:
    """The person a văn thư enters ``step`` for: named, and one who may take it."""
    person = db.get(User, parse_id(raw)) if parse_id(raw) else None
    if person is None:
        message = "Cần chọn lãnh đạo đã cho ý kiến (bút phê) mà bạn nhập thay."
        raise UserValueError(message, {"on_behalf_of": message})
    if not person.active or not allowed(person, step.guard, doc):
        message = f"{person.display_name} không có quyền «{step.title}» văn bản này."
        raise UserValueError(message, {"on_behalf_of": message})
    return person


def _cooperating_units(db: Session, data: dict, lead: str) -> str:
    """The co-operating units: chosen among the units (``cooperating_group_ids``), or named in text by an
    API client (``cooperating_units``); the lead unit is not also a co-operating one."""
    ids = data.get("cooperating_group_ids") or []
    if isinstance(ids, str):
        ids = [ids]
    names = []
    for raw in ids:
        group = db.get(Group, parse_id(raw)) if parse_id(raw) else None
        if group is None:
            raise UserValueError("Không có đơn vị phối hợp này.", {"cooperating_group_ids": "Không có đơn vị này."})
        if group.name != lead and group.name not in names:
            names.append(group.name)
    text = clean_whitespace(data.get("cooperating_units") or "")
    return "; ".join([*names, text] if text else names)


def _lead_group(db: Session, data: dict) -> Group | None:
    """The unit an assignment names: by id ("lead_group_id"), else the lead unit's text matched to a unit's
    name or code (case, tone placement and accents aside). None: a unit docmgr does not know."""
    raw_id = str(data.get("lead_group_id") or "").strip()
    if raw_id:
        group = db.get(Group, parse_id(raw_id)) if parse_id(raw_id) else None
        if group is None:
            raise UserValueError("Không có đơn vị này.", {"lead_group_id": "Không có đơn vị này."})
        return group
    text = clean_whitespace(data.get("lead_unit") or "")
    if not text:
        return None
    key = name_key(text)
    return next((g for g in db.scalars(select(Group))
                 if name_key(g.name) == key or (g.code and g.code.lower() == text.lower())), None)
