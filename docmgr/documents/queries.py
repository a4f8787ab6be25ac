"""Read-side queries for document lists (filters, sorting, pagination)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import and_, extract, false, func, nulls_last, or_, select, true
from sqlalchemy.orm import Session

from docmgr.documents.models import DIRECTIONS, Document

SORTS = {
    "date_desc": ("Ngày ban hành (mới nhất)", [nulls_last(Document.issued_on.desc()), Document.id.desc()]),
    "date_asc": ("Ngày ban hành (cũ nhất)", [nulls_last(Document.issued_on.asc()), Document.id.asc()]),
    "number_asc": ("Số (tăng dần)", [nulls_last(Document.sequence.asc()), Document.number.asc(), Document.id]),
    "number_desc": ("Số (giảm dần)", [nulls_last(Document.sequence.desc()), Document.number.desc(), Document.id]),
    "created_desc": ("Mới nhập", [Document.created_at.desc(), Document.id.desc()]),
}


@dataclass
class Filters:
    direction: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    year: int | None = None
    sort: str = "date_desc"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> Filters:
        year = args.get("year", "")
        from docmgr.web import page_number

        page = page_number(args.get("page"))
        sort = args.get("sort", "date_desc")
        return cls(
            direction=args.get("direction") if args.get("direction") in DIRECTIONS else None,
            doc_type=args.get("doc_type") or None,
            issuer=args.get("issuer") or None,
            year=int(year) if year.isdigit() else None,
            sort=sort if sort in SORTS else "date_desc",
            page=page,
        )

    def as_args(self, **override) -> dict:
        data = {"direction": self.direction, "doc_type": self.doc_type, "issuer": self.issuer,
                "year": self.year, "sort": self.sort, "page": self.page, **override}
        return {k: v for k, v in data.items() if v not in (None, "")}


@dataclass
class Page:
    items: list[Document]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _local_grants(user):
    """A recursive CTE of (case_file_id, role): the local roles ``user`` holds on each case file, granted
    there or inherited from a file above (as long as each file on the way inherits)."""
    from docmgr.workflow.permissions import user_principal_set
    from docmgr.casefiles.models import CaseFile, LocalRole

    grants = (select(LocalRole.case_file_id.label("case_file_id"), LocalRole.role.label("role"))
              .where(LocalRole.principal.in_(sorted(user_principal_set(user))))
              .cte("grants", recursive=True))
    below = (select(CaseFile.id, grants.c.role)
             .join(grants, CaseFile.parent_id == grants.c.case_file_id)
             .where(CaseFile.inherit_roles.is_(True)))
    return grants.union(below)


def permitted(user, permission: str = "view", states=None):
    """The SQL condition for documents on which ``user`` has ``permission`` in their state.

    The same rules as :func:`docmgr.workflow.permissions.allowed`, for lists: each
    global role in the states where it has the permission (on confidential
    documents only within the user's units, unless the role keeps its rights
    there), the owner on their own documents, the handler on documents assigned
    to their unit, and each local role on the documents under the case files
    where it was granted. ``states`` ({direction: names}) narrows the states
    considered. None as the user means the system: no condition.
    """
    from docmgr.workflow.definitions import ROLES
    from docmgr.workflow.permissions import group_ids, local_roles_anywhere
    from docmgr.casefiles.models import CaseFile
    from docmgr.documents.models import Assignment
    from docmgr.workflow.definitions import CONFIDENTIAL_ROLES, HANDLER, LOCKED_BY_CLOSED_FILE, OWNER, states_for

    if user is None:
        return None
    if not getattr(user, "is_authenticated", False):
        return false()
    roles, groups = set(user.roles), sorted(group_ids(user))
    not_confidential = or_(Document.confidentiality.is_(None), Document.confidentiality == "")
    in_my_unit = Document.unit_id.in_(groups) if groups else false()
    conditions = []

    def grant(role: str, *extra) -> None:
        for direction, names in states_for(permission, {role}).items():
            if states is not None:
                names = names & states.get(direction, set())
            if names:
                conditions.append(and_(Document.direction == direction, Document.state.in_(sorted(names)), *extra))

    for role in sorted(roles):
        grant(role, *(() if role in CONFIDENTIAL_ROLES else (or_(not_confidential, in_my_unit),)))
    grant(OWNER, Document.created_by_id == user.id)
    handled = Assignment.lead_group_id.in_(groups) if groups else false()
    if "editor" in roles:  # editors handle what was assigned to a unit docmgr does not know
        handled = or_(handled, and_(Assignment.lead_group_id.is_(None), or_(not_confidential, in_my_unit)))
    grant(HANDLER, Document.id.in_(select(Assignment.document_id).where(handled)))
    local = local_roles_anywhere(user)
    local = set(ROLES) if local is None else local & set(ROLES)
    grants = _local_grants(user) if local else None
    for role in sorted(local):
        grant(role, Document.case_file_id.in_(select(grants.c.case_file_id).where(grants.c.role == role)))
    condition = or_(*conditions) if conditions else false()
    if permission in LOCKED_BY_CLOSED_FILE:
        closed = select(CaseFile.id).where(CaseFile.status != "open")
        condition = and_(condition, or_(Document.case_file_id.is_(None), Document.case_file_id.not_in(closed)))
    return condition


def visible_to(user):
    """The SQL condition for documents ``user`` may view in their state (None: everything, for the system)."""
    return permitted(user, "view")


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
    from docmgr.workflow.definitions import WORKFLOWS, open_states

    states = {direction: open_states(workflow) for direction, workflow in WORKFLOWS.items()}
    condition = permitted(user, "transition", states)
    docs = db.scalars(select(Document).where(condition)
                      .order_by(nulls_last(Document.due_date.asc()), Document.updated_at.asc(), Document.id)
                      .limit(limit)).all()
    review = [d for d in docs if d.workflow.states[d.state].review]
    return Worklist(review, [d for d in docs if not d.workflow.states[d.state].review], today or dt.date.today())


def list_documents(db: Session, filters: Filters, per_page: int, user=None) -> Page:
    query = select(Document)
    condition = visible_to(user)
    if condition is not None:
        query = query.where(condition)
    if filters.direction:
        query = query.where(Document.direction == filters.direction)
    if filters.doc_type:
        query = query.where(Document.doc_type == filters.doc_type)
    if filters.issuer:
        query = query.where(Document.issuer == filters.issuer)
    if filters.year:
        query = query.where(extract("year", Document.issued_on) == filters.year)
    total = db.scalar(select(func.count()).select_from(query.subquery()))
    items = db.scalars(
        query.order_by(*SORTS[filters.sort][1]).limit(per_page).offset((filters.page - 1) * per_page)
    ).all()
    return Page(list(items), total or 0, filters.page, per_page)


def filter_choices(db: Session, user) -> dict[str, list]:
    """Values present among the documents ``user`` may view (None: all), for the list page's filter menus:
    a menu must not tell of a hidden document's issuer, type or year."""
    seen = visible_to(user) if user is not None else true()
    years = db.scalars(select(extract("year", Document.issued_on))
                       .where(Document.issued_on.isnot(None), seen).distinct())
    return {
        "doc_types": sorted(t for t in db.scalars(select(Document.doc_type).where(seen).distinct()) if t),
        "issuers": sorted(i for i in db.scalars(select(Document.issuer).where(seen).distinct()) if i),
        "years": sorted((int(y) for y in years if y), reverse=True),
    }
