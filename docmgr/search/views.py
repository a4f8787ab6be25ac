"""The search page (tìm kiếm): the query box, hits with snippets, facets, pages and "Có phải bạn muốn tìm…".
The JSON is :mod:`docmgr.search.api`; the engine is this package's public API (:mod:`docmgr.search`)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from docmgr import search
from docmgr.auth.guard import requires
from docmgr.doctypes import ALL_TYPES
from docmgr.web import page_number


bp = Blueprint("search", __name__)


SORT_TITLES = {"relevance": "Phù hợp nhất", "date_desc": "Ngày ban hành (mới nhất)",
               "date_asc": "Ngày ban hành (cũ nhất)", "number": "Số văn bản"}
FACET_TITLES = {"doc_type": "Loại văn bản", "issuer": "Cơ quan ban hành", "year": "Năm",
                "signer": "Người ký", "sector": "Lĩnh vực"}


def search_args(args) -> dict:
    """Query, page, sort and facet filters (f_doc_type=QĐ …) from a request's arguments."""
    page = page_number(args.get("page"))
    sort = args.get("sort", "relevance")
    return {"text": args.get("q", ""), "page": page, "sort": sort if sort in SORT_TITLES else "relevance",
            "filters": {name: args.get(f"f_{name}") for name in FACET_TITLES if args.get(f"f_{name}")}}


@bp.get("/search")
@requires("view")
def search_view():
    args = search_args(request.args)
    state = current_app.extensions["docmgr"]
    results, error, status = None, None, 200
    if args["text"].strip() or args["filters"]:
        try:
            results = search.search(state, args["text"], user=current_user, page=args["page"], sort=args["sort"],
                                    filters=args["filters"], per_page=current_app.config["DOCMGR_PAGE_SIZE"])
        except search.QueryError as exc:
            error, status = str(exc), 400
        except search.SearchError as exc:
            error, status = str(exc), exc.status
    return render_template("documents/search.html", args=args, results=results, error=error,
                           sort_titles=SORT_TITLES, facet_titles=FACET_TITLES, type_names=_type_names()), status


def _type_names() -> dict[str, str]:
    return {t.code: t.name for t in ALL_TYPES}
