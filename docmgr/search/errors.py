"""What search raises when it cannot answer, whatever the engine: the message says why and what to do."""

from __future__ import annotations

from docmgr.errors import DocMgrError


class SearchError(DocMgrError):
    """Search cannot answer; the message says why and what to do."""

    status = 503


class IndexMissingError(SearchError):
    pass


class IndexCorruptError(SearchError):
    pass


class IndexBusyError(SearchError):
    pass


FIX = "Chạy lệnh «docmgr reindex» để dựng lại chỉ mục từ cơ sở dữ liệu."
