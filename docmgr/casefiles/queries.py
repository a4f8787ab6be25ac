"""Read-side queries of case files."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from docmgr.casefiles.models import CaseFile
from docmgr.documents.models import Document


def documents_in(db: Session, case_file: CaseFile, condition=None) -> list[Document]:
    """The file's documents in the order of the Mục lục: by date, then number."""
    order = [func.coalesce(Document.issued_on, Document.arrival_date), Document.sequence, Document.id]
    query = select(Document).where(Document.case_file_id == case_file.id)
    if condition is not None:
        query = query.where(condition)
    return list(db.scalars(query.order_by(*order)))
