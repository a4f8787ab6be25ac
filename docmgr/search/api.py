"""``GET /api/search``: the search results as JSON (the same query language and filters as the page)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user

from docmgr import search
from docmgr.auth.guard import requires
from docmgr.errors import UserValueError
from docmgr.search.views import search_args


bp = Blueprint("search_api", __name__)


@bp.get("/search")
@requires("view")
def search_api():
    """``GET /api/search?q=…&page=&sort=&per_page=&f_doc_type=…`` → {total, hits, facets, suggestion}."""
    args = search_args(request.args)
    try:
        per_page = min(200, max(1, int(request.args.get("per_page", 20))))
    except ValueError as exc:
        raise UserValueError("per_page phải là số nguyên.") from exc
    results = search.search(current_app.extensions["docmgr"], args["text"], user=current_user, page=args["page"],
                            sort=args["sort"], filters=args["filters"], per_page=per_page)
    return jsonify(results.as_json())
