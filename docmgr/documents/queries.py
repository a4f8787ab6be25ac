"""Read-side queries for document lists (filters, sorting, pagination)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import extract, func, nulls_last, select, true
from sqlalchemy.orm import Session

from docmgr.documents.models import DIRECTIONS, Document
from docmgr.web import page_number
from docmgr.workflow.permissions import visible_to  # the SQL form of the permission rules


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
