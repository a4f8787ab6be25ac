"""What a list of documents loads: the columns its rows show and the relations its cells read, never the text,
the history or the files (a list of 100 rows reads 100 short rows, not 100 documents)."""

from __future__ import annotations

from sqlalchemy.orm import lazyload, load_only, selectinload

from docmgr.documents.models import Document


LIST_COLUMNS = (Document.id, Document.direction, Document.number, Document.notation, Document.sequence,
                Document.doc_type, Document.doc_type_code, Document.subject, Document.issued_on, Document.issuer,
                Document.signer, Document.state, Document.due_date, Document.arrival_number,
                Document.arrival_date, Document.warnings, Document.confidentiality, Document.urgency,
                Document.created_by_id, Document.unit_id, Document.case_file_id, Document.created_at,
                Document.updated_at)


def list_options(direction: str | None = None, recipients: bool = False) -> list:
    """Loader options of a list of ``direction`` (None: all): the assignment for incoming documents, the
    recipients for outgoing ones (or when ``recipients``), the signatures for the «chữ ký số» badge."""
    with_recipients = recipients or direction in ("outgoing", "internal")
    return [load_only(*LIST_COLUMNS), selectinload(Document.signatures), lazyload(Document.unit),
            lazyload(Document.case_file), lazyload(Document.files), lazyload(Document.history),
            selectinload(Document.assignment) if direction in ("incoming", None) else lazyload(Document.assignment),
            selectinload(Document.recipients) if with_recipients else lazyload(Document.recipients)]
