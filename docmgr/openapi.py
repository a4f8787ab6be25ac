"""The JSON API described as OpenAPI 3.1, served at ``/api/openapi.json``.

Every ``/api`` route is described here by hand — what it takes, what it answers, its errors — and the tests
check the document against the URL map (no route left out, none invented) and against the OpenAPI schema
(openapi-spec-validator). Two ways to authenticate: the session cookie of a browser login (with the
``X-CSRFToken`` header on writes), or an API token (``Authorization: Bearer …``, ``docmgr user token``).
"""

from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify

from docmgr.auth.guard import PUBLIC, requires


bp = Blueprint("openapi", __name__)

_ERROR = {"$ref": "#/components/schemas/Error"}
_ERRORS = {
    "400": "Yêu cầu không hợp lệ (lý do trong «error», từng trường trong «fields»).",
    "401": "Chưa đăng nhập, hoặc mã API không hợp lệ.",
    "403": "Không có quyền.",
    "404": "Không có (hoặc không được biết là có).",
}


def _json(schema: dict | str, description: str = "Thành công.") -> dict:
    if isinstance(schema, str):
        schema = {"$ref": f"#/components/schemas/{schema}"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _file(media: str, description: str) -> dict:
    return {"description": description, "content": {media: {"schema": {"type": "string", "format": "binary"}}}}


def _body(schema: dict | str, media: str = "application/json", required: bool = True) -> dict:
    if isinstance(schema, str):
        schema = {"$ref": f"#/components/schemas/{schema}"}
    return {"required": required, "content": {media: {"schema": schema}}}


def _query(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


_OBJECT = {"type": "object", "additionalProperties": True}
_PAGE = _query("page", "Trang (từ 1).", {"type": "integer", "minimum": 1})
_PER_PAGE = _query("per_page", "Số mục mỗi trang (1–200).", {"type": "integer", "minimum": 1, "maximum": 200})
_FORM_FIELDS = {"type": "object", "description": "Các trường siêu dữ liệu (number, doc_type, subject, issued_on "
                "dd/mm/yyyy hoặc YYYY-MM-DD, issuer, signer, recipients, …).", "additionalProperties": True}

# (method, path, operation): path parameters are added from the path itself.
OPERATIONS: list[tuple[str, str, dict]] = [
    ("get", "/documents", {
        "summary": "Danh sách văn bản người dùng được xem", "tags": ["documents"],
        "parameters": [_query("direction", "incoming | outgoing | internal"),
                       _query("queue", "Việc đang chờ: to_register | to_assign | to_handle | to_submit | to_sign | "
                                       "to_issue | to_dispatch | my_unit | due_soon | overdue"),
                       _query("doc_type", "Tên loại (đúng tên)"), _query("state", "Trạng thái (mã)"),
                       _query("lead_unit", "Đơn vị xử lý (đúng tên)"),
                       _query("number", "Số, ký hiệu chứa…"), _query("issuer", "Cơ quan ban hành chứa…"),
                       _query("subject", "Trích yếu chứa…"), _query("signer", "Người ký chứa…"),
                       _query("recipients", "Nơi nhận chứa…"), _query("arrival", "Số đến", {"type": "integer"}),
                       _query("issued_on_from", "Ngày văn bản từ (dd/mm/yyyy hoặc yyyy-mm-dd); cũng "
                                                "arrival_date_from/_to, due_date_from/_to, issued_on_to"),
                       _query("year", "Năm ban hành", {"type": "integer"}),
                       _query("sort", "Cột sắp xếp, «-» trước để giảm dần: arrival, arrival_date, number, issued_on, "
                                      "issuer, subject, doc_type, signer, recipients, lead_unit, due_date, state, "
                                      "created (mặc định: -arrival cho văn bản đến, -issued_on cho văn bản khác)"),
                       _PAGE, _PER_PAGE],
        "responses": {"200": _json("DocumentPage")}}),
    ("post", "/documents", {
        "summary": "Tải lên một văn bản (tệp gốc được lưu, siêu dữ liệu đọc tự động, trường gửi kèm ghi đè)",
        "tags": ["documents"],
        "requestBody": _body({"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"},
            "direction": {"type": "string", "enum": ["incoming", "outgoing", "internal"]}},
            "additionalProperties": True}, "multipart/form-data"),
        "responses": {"201": _json("Document", "Đọc xong ngay (tệp có lớp chữ): văn bản đã tạo."),
                      "202": _json({"type": "object", "properties": {
                          "intake": {"$ref": "#/components/schemas/Intake"},
                          "warning": {"type": ["string", "null"]}}},
                          "Bản quét: tệp đã lưu, đang chờ đọc bằng OCR ở chế độ nền; văn bản được tạo khi đọc xong "
                          "(theo dõi «status_url»).")}}),
    ("get", "/intakes", {
        "summary": "Các tệp chờ xử lý (đang đọc, chờ xác nhận, không đọc được): văn thư thấy tất cả, người khác "
                   "thấy tệp mình gửi", "tags": ["documents"],
        "responses": {"200": _json({"type": "object", "properties": {
            "intakes": {"type": "array", "items": {"$ref": "#/components/schemas/Intake"}}}})}}),
    ("get", "/intakes/{intake_id}", {
        "summary": "Một tệp chờ xử lý: trạng thái, tiến độ đọc (trang k/n), lỗi, văn bản khi đã tạo",
        "tags": ["documents"], "responses": {"200": _json("Intake")}}),
    ("get", "/documents/{doc_id}", {"summary": "Một văn bản, đầy đủ", "tags": ["documents"],
                                    "responses": {"200": _json("Document")}}),
    ("patch", "/documents/{doc_id}", {
        "summary": "Sửa siêu dữ liệu (các trường quy trình quản lý không sửa được)", "tags": ["documents"],
        "requestBody": _body(_FORM_FIELDS),
        "responses": {"200": _json("Document"), "409": _json("Error", "Người khác đang giữ quyền sửa.")}}),
    ("post", "/documents/{doc_id}/transitions", {
        "summary": "Chuyển trạng thái (trình ký, ký duyệt, ban hành, vào sổ, phân công, …)", "tags": ["workflow"],
        "requestBody": _body({"type": "object", "required": ["transition"], "properties": {
            "transition": {"type": "string"}, "comment": {"type": "string"}, "notation": {"type": "string"},
            "lead_unit": {"type": "string"}, "lead_group_id": {"type": "integer"},
            "cooperating_units": {"type": "string"}, "deadline": {"type": "string"},
            "opinion": {"type": "string"}}}),
        "responses": {"200": _json("Document")}}),
    ("get", "/documents/{doc_id}/versions", {
        "summary": "Các phiên bản; ?a=&b= thêm phần khác nhau", "tags": ["documents"],
        "parameters": [_query("a", "Phiên bản thứ nhất", {"type": "integer"}),
                       _query("b", "Phiên bản thứ hai", {"type": "integer"})],
        "responses": {"200": _json(_OBJECT)}}),
    ("get", "/documents/{doc_id}/versions/{number}", {"summary": "Một phiên bản", "tags": ["documents"],
                                                      "responses": {"200": _json(_OBJECT)}}),
    ("post", "/documents/{doc_id}/versions/{number}/revert", {
        "summary": "Khôi phục một phiên bản (siêu dữ liệu, nơi nhận, văn bản)", "tags": ["documents"],
        "responses": {"200": _json("Document"), "409": _json("Error", "Người khác đang giữ quyền sửa.")}}),
    ("post", "/documents/{doc_id}/file", {
        "summary": "Đưa văn bản vào hồ sơ (null: bỏ khỏi hồ sơ)", "tags": ["casefiles"],
        "requestBody": _body({"type": "object", "properties": {"case_file_id": {"type": ["integer", "null"]}}}),
        "responses": {"200": _json({"type": "object", "properties": {"id": {"type": "integer"},
                                                                     "case_file_id": {"type": ["integer", "null"]}}})}}),
    ("get", "/documents/{doc_id}/recipients", {
        "summary": "Từng dòng «Nơi nhận» và mục danh bạ khớp với nó", "tags": ["addressbook"],
        "responses": {"200": _json(_OBJECT)}}),
    ("get", "/documents/{doc_id}/print/{form}", {
        "summary": "In một mẫu của văn bản: processing-slip | recipients | envelopes | document", "tags": ["printing"],
        "parameters": [_query("size", "Cỡ bì: DL | C5 | C4")],
        "responses": {"200": _file("application/pdf", "Tệp PDF.")}}),
    ("post", "/documents/{doc_id}/print/slip", {
        "summary": "Phiếu chuyển (cấp số phiếu)", "tags": ["printing"],
        "requestBody": _body({"type": "object", "properties": {
            "to": {"type": "string"}, "purpose": {"type": "string"},
            "also": {"type": "array", "items": {"type": "integer"}, "maxItems": 49}}}),
        "responses": {"200": _file("application/pdf", "Tệp PDF.")}}),
    ("get", "/print/envelopes", {
        "summary": "Bì văn bản của nhiều văn bản, hoặc của một ngày phát hành", "tags": ["printing"],
        "parameters": [_query("ids", "Số #id, cách nhau bằng dấu phẩy"), _query("date", "YYYY-MM-DD"),
                       _query("size", "DL | C5 | C4")],
        "responses": {"200": _file("application/pdf", "Tệp PDF.")}}),
    ("get", "/registers/{direction}.pdf", {
        "summary": "Sổ đăng ký văn bản đi / đến / gửi bưu điện: một bản in lớn, dàn trang ở chế độ nền",
        "tags": ["printing"],
        "parameters": [_query("from", "YYYY-MM-DD"), _query("to", "YYYY-MM-DD")],
        "responses": {"202": _json("PrintJob", "Việc in đã nhận (hoặc bản in đang giữ, nếu không có gì thay đổi): "
                                               "theo dõi «status_url», tải tệp ở «pdf_url» khi xong.")}}),
    ("get", "/prints/{job_id}", {
        "summary": "Một bản in lớn của bạn: trạng thái, số trang đã dàn / ước tính, lỗi, đường dẫn tải khi xong",
        "tags": ["printing"], "responses": {"200": _json("PrintJob")}}),
    ("get", "/prints/{job_id}/pdf", {
        "summary": "Tệp PDF của bản in lớn, trong thời gian được giữ (DOCMGR_PRINT_KEEP_HOURS)", "tags": ["printing"],
        "responses": {"200": _file("application/pdf", "Tệp PDF.")}}),
    ("get", "/search", {
        "summary": "Tìm kiếm toàn văn (có hoặc không dấu, \"cụm từ\", OR, -từ, so:, loai:, coquan:, nam:, …)",
        "tags": ["search"],
        "parameters": [_query("q", "Câu tìm kiếm"), _query("sort", "relevance | date_desc | date_asc | number"),
                       _PAGE, _PER_PAGE, _query("f_doc_type", "Lọc theo loại"), _query("f_issuer", "Lọc theo cơ quan"),
                       _query("f_year", "Lọc theo năm"), _query("f_signer", "Lọc theo người ký"),
                       _query("f_sector", "Lọc theo lĩnh vực")],
        "responses": {"200": _json("SearchResults")}}),
    ("get", "/worklist", {"summary": "Việc của tôi theo việc đang chờ (groups: key, title, count, documents); "
                                     "review (chờ duyệt) và mine (việc khác) như trước",
                          "tags": ["workflow"],
                          "parameters": [_query("limit", "Số văn bản mỗi nhóm (1–500, mặc định 100)",
                                                {"type": "integer", "minimum": 1, "maximum": 500})],
                          "responses": {"200": _json(_OBJECT)}}),
    ("get", "/casefiles", {"summary": "Cây hồ sơ và các hồ sơ đến hạn nộp lưu", "tags": ["casefiles"],
                           "responses": {"200": _json(_OBJECT)}}),
    ("post", "/casefiles", {
        "summary": "Mở hồ sơ", "tags": ["casefiles"],
        "requestBody": _body({"type": "object", "required": ["code", "title"], "properties": {
            "code": {"type": "string"}, "title": {"type": "string"}, "year": {"type": "integer"},
            "retention": {"type": "string"}, "parent_id": {"type": "integer"}, "unit_id": {"type": "integer"},
            "inherit_roles": {"type": "boolean"}, "note": {"type": "string"}}}),
        "responses": {"201": _json("CaseFile", "Đã mở.")}}),
    ("get", "/casefiles/{case_file_id}", {"summary": "Một hồ sơ, hồ sơ con và văn bản người dùng được xem",
                                          "tags": ["casefiles"], "responses": {"200": _json("CaseFile")}}),
    ("post", "/casefiles/{case_file_id}/close", {"summary": "Kết thúc hồ sơ (khóa văn bản, lưu mục lục)",
                                                 "tags": ["casefiles"], "responses": {"200": _json("CaseFile")}}),
    ("post", "/casefiles/{case_file_id}/reopen", {"summary": "Mở lại hồ sơ", "tags": ["casefiles"],
                                                  "responses": {"200": _json("CaseFile")}}),
    ("post", "/casefiles/{case_file_id}/archive", {"summary": "Ghi nhận nộp lưu", "tags": ["casefiles"],
                                                   "responses": {"200": _json("CaseFile")}}),
    ("get", "/casefiles/{case_file_id}/contents.pdf", {
        "summary": "Mục lục văn bản của hồ sơ", "tags": ["casefiles"],
        "responses": {"200": _file("application/pdf", "Tệp PDF.")}}),
    ("get", "/casefiles/{case_file_id}/sharing", {"summary": "Chia sẻ: vai trò cục bộ", "tags": ["casefiles"],
                                                  "responses": {"200": _json("Sharing")}}),
    ("post", "/casefiles/{case_file_id}/sharing", {
        "summary": "Đặt vai trò cục bộ của một người dùng hoặc đơn vị; bật/tắt thừa hưởng", "tags": ["casefiles"],
        "requestBody": _body({"type": "object", "properties": {
            "principal": {"type": "string", "description": "user:N hoặc group:N"},
            "roles": {"type": "array", "items": {"type": "string"}}, "inherit_roles": {"type": "boolean"}}}),
        "responses": {"200": _json("Sharing")}}),
    ("get", "/addressbook", {"summary": "Danh bạ: cơ quan, đơn vị, nhóm", "tags": ["addressbook"],
                             "responses": {"200": _json(_OBJECT)}}),
    ("post", "/addressbook", {"summary": "Thêm một cơ quan", "tags": ["addressbook"],
                              "requestBody": _body(_OBJECT), "responses": {"201": _json(_OBJECT, "Đã thêm.")}}),
    ("post", "/addressbook/import", {
        "summary": "Nhập danh bạ từ CSV (tất cả hoặc không)", "tags": ["addressbook"],
        "requestBody": _body({"type": "object", "required": ["file"],
                              "properties": {"file": {"type": "string", "format": "binary"}}}, "multipart/form-data"),
        "responses": {"200": _json({"type": "object", "properties": {"created": {"type": "integer"},
                                                                     "updated": {"type": "integer"}}})}}),
    ("get", "/addressbook/export.csv", {"summary": "Xuất danh bạ ra CSV", "tags": ["addressbook"],
                                        "responses": {"200": _file("text/csv", "Tệp CSV (UTF-8).")}}),
    ("get", "/audit", {
        "summary": "Nhật ký thao tác (quản trị)", "tags": ["audit"],
        "parameters": [_query("user", "Tên đăng nhập"), _query("action", "Thao tác"),
                       _query("document", "Số #id văn bản"), _query("from", "Từ ngày"), _query("to", "Đến ngày"),
                       _PAGE],
        "responses": {"200": _json(_OBJECT)}}),
    ("get", "/openapi.json", {"summary": "Tài liệu này", "tags": ["meta"], "security": [],
                              "responses": {"200": _json(_OBJECT)}}),
]

_SCHEMAS = {
    "Error": {"type": "object", "required": ["error"], "properties": {
        "error": {"type": "string", "description": "Lý do, bằng tiếng Việt"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}}}},
    "DocumentSummary": {"type": "object", "properties": {
        "id": {"type": "integer"}, "direction": {"type": "string"}, "number": {"type": ["string", "null"]},
        "notation": {"type": ["string", "null"]}, "doc_type": {"type": ["string", "null"]},
        "subject": {"type": ["string", "null"]}, "issued_on": {"type": ["string", "null"], "format": "date"},
        "issuer": {"type": ["string", "null"]}, "signer": {"type": ["string", "null"]},
        "state": {"type": "string"}, "state_title": {"type": "string"}, "url": {"type": "string"}}},
    "Document": {"allOf": [{"$ref": "#/components/schemas/DocumentSummary"}, {"type": "object", "properties": {
        "recipients": {"type": "array", "items": {"type": "string"}},
        "arrival_number": {"type": ["integer", "null"]}, "files": {"type": "array", "items": _OBJECT},
        "signatures": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "signer": {"type": ["string", "null"]},
            "organization": {"type": ["string", "null"]}, "signed_at": {"type": ["string", "null"], "format": "date-time"},
            "intact": {"type": "boolean"}, "covers_whole_file": {"type": "boolean"},
            "modified_after": {"enum": ["none", "later_signatures", "form_filling", "content"]},
            "trusted": {"type": "boolean"}, "summary": {"enum": ["valid", "untrusted", "expired", "modified", "unreadable"]},
            "error": {"type": ["string", "null"]}}}},
        "references": {"type": "array", "items": _OBJECT}, "history": {"type": "array", "items": _OBJECT},
        "warnings": {"type": "array", "items": {"type": "string"}}, "text": {"type": ["string", "null"]}},
        "additionalProperties": True}]},
    "DocumentPage": {"type": "object", "properties": {
        "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
        "pages": {"type": "integer"}, "items": {"type": "array", "items": {"$ref": "#/components/schemas/DocumentSummary"}}}},
    "Intake": {"type": "object", "description": "Một tệp đã nhận, chưa thành văn bản.", "properties": {
        "id": {"type": "integer"}, "filename": {"type": "string"}, "size": {"type": "integer"},
        "state": {"enum": ["reading", "read", "failed", "done", "discarded"]}, "state_title": {"type": "string"},
        "direction": {"type": "string"}, "error": {"type": ["string", "null"]},
        "document_id": {"type": ["integer", "null"]}, "created_at": {"type": ["string", "null"], "format": "date-time"},
        "url": {"type": "string"}, "status_url": {"type": "string"}, "document_url": {"type": ["string", "null"]},
        "job": {"type": ["object", "null"], "properties": {
            "id": {"type": "integer"}, "kind": {"type": "string"},
            "state": {"enum": ["queued", "running", "done", "failed"]}, "state_title": {"type": "string"},
            "attempts": {"type": "integer"}, "max_attempts": {"type": "integer"},
            "progress": {"type": "object", "properties": {"done": {"type": "integer"}, "total": {"type": "integer"},
                                                          "unit": {"type": "string"}}},
            "error": {"type": ["string", "null"]}}}}},
    "PrintJob": {"type": "object", "description": "Một bản in lớn (sổ, danh sách dài, nhiều bì) dàn trang ở chế độ nền.",
                 "properties": {
        "id": {"type": "integer"}, "kind": {"type": "string"}, "title": {"type": "string"},
        "state": {"enum": ["queued", "running", "done", "failed"]}, "state_title": {"type": "string"},
        "attempts": {"type": "integer"}, "max_attempts": {"type": "integer"},
        "progress": {"type": "object", "description": "Trang đã dàn / ước tính tổng số trang.", "properties": {
            "done": {"type": "integer"}, "total": {"type": "integer"}, "unit": {"type": "string"}}},
        "error": {"type": ["string", "null"]}, "url": {"type": "string"}, "status_url": {"type": "string"},
        "pdf_url": {"type": ["string", "null"]}, "expired": {"type": "boolean"}}},
    "SearchResults": {"type": "object", "properties": {
        "total": {"type": "integer"}, "hits": {"type": "array", "items": _OBJECT}, "facets": _OBJECT,
        "suggestion": {"type": ["string", "null"]}}, "additionalProperties": True},
    "CaseFile": {"type": "object", "properties": {
        "id": {"type": "integer"}, "code": {"type": "string"}, "title": {"type": "string"}, "year": {"type": "integer"},
        "status": {"type": "string"}, "parent_id": {"type": ["integer", "null"]}}, "additionalProperties": True},
    "Sharing": {"type": "object", "properties": {
        "inherit_roles": {"type": "boolean"}, "local_roles": {"type": "array", "items": _OBJECT},
        "inherited": {"type": "array", "items": _OBJECT}}},
}


def _path_parameters(path: str) -> list[dict]:
    return [{"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
            if name.endswith("_id") or name == "number" else
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in re.findall(r"\{(\w+)\}", path)]


def document(prefix: str = "") -> dict:
    """The OpenAPI document, with the app's URL prefix in its server URL."""
    paths: dict[str, dict] = {}
    for method, path, operation in OPERATIONS:
        op = {**operation, "operationId": f"{method}_{path.strip('/').replace('/', '_').replace('{', '').replace('}', '').replace('.', '_')}"}
        op["parameters"] = _path_parameters(path) + op.get("parameters", [])
        responses = dict(op["responses"])
        for code, text in _ERRORS.items():
            if code != "401" or op.get("security") != []:
                responses.setdefault(code, _json(_ERROR, text))
        op["responses"] = responses
        paths.setdefault(path, {})[method] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "docmgr API", "version": "1",
                 "description": "Văn bản đến, văn bản đi, hồ sơ, tìm kiếm, in ấn và danh bạ của văn thư. Lỗi trả về "
                                "{\"error\": \"…\"} bằng tiếng Việt."},
        "servers": [{"url": f"{prefix.rstrip('/')}/api"}],
        "security": [{"session": []}, {"bearer": []}],
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "session",
                            "description": "Phiên đăng nhập của trình duyệt; các lệnh ghi gửi kèm tiêu đề X-CSRFToken."},
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "Mã API do «docmgr user token» hoặc trang Quản trị cấp."}},
            "schemas": _SCHEMAS},
        "paths": paths,
    }


@bp.get("/openapi.json")
@requires(PUBLIC)
def openapi_json():
    return jsonify(document(current_app.config.get("DOCMGR_URL_PREFIX", "")))
