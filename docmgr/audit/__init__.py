"""The audit log (Phụ lục VI): who viewed, downloaded, changed or moved what, and when.

``audit.record(db, action, user, document_id, **detail)`` adds an entry in the caller's transaction;
:mod:`docmgr.audit.views` is the page and API for managers.
"""

from docmgr.audit.models import ACTIONS, AuditEntry, record


__all__ = ["ACTIONS", "AuditEntry", "record"]
