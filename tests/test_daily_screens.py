"""The clerk's daily screens: the home page's counters per role, the registers as lists (columns, filters in
the headings, sorting, page sizes, «Xuất Excel»), Việc của tôi grouped by the action waiting, PDFs shown in
the browser."""

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from werkzeug.datastructures import MultiDict

from docmgr import clock
from docmgr.auth.operations import create_user
from docmgr.documents.queries import Filters, list_documents
from docmgr.text.syllables import is_syllable, sentence_case
from tests.conftest import PASSWORD
from tests.test_workflow import move, new_doc


@pytest.fixture
def office(app, monkeypatch):
    """A văn thư (clerk), a leader (reviewer), a handler in Phòng Kế hoạch (editor) and a reader; an archive of
    incoming documents at each step and outgoing ones waiting to be signed and dispatched."""
    state = app.extensions["docmgr"]
    create_user(app, "leader", PASSWORD, {"reviewer"}, full_name="Lãnh Đạo")
    unit_id = create_user(app, "handler", PASSWORD, {"editor"}, full_name="Chuyên Viên",
                          groups=["Phòng Kế hoạch"]).groups[0].id
    create_user(app, "author", PASSWORD, {"contributor"}, full_name="Người soạn")
    ids = {}
    ids["received"] = new_doc(state, direction="incoming", author="clerk", subject="CÔNG VĂN VỀ VIỆC BÁO CÁO "
                              "TÌNH HÌNH THỰC HIỆN NGHỊ QUYẾT CỦA HĐND TỈNH", issuer="Sở Tài chính tỉnh Quảng Ngãi")
    ids["registered"] = new_doc(state, direction="incoming", author="clerk", subject="Giấy mời họp giao ban",
                                issuer="Ủy ban nhân dân tỉnh Đồng Nai", issued_on="05/03/2024")
    move(state, ids["registered"], "register")
    ids["assigned"] = new_doc(state, direction="incoming", author="clerk", subject="Kế hoạch kiểm tra công vụ",
                              issuer="Bộ Nội vụ", issued_on="10/03/2024")
    move(state, ids["assigned"], "register")
    move(state, ids["assigned"], "assign", lead_group_id=str(unit_id), deadline="01/01/2030")
    ids["late"] = new_doc(state, direction="incoming", author="clerk", subject="Báo cáo quá hạn",
                          issuer="Bộ Nội vụ")
    with monkeypatch.context() as past:  # it arrived in 2020
        past.setattr(clock, "today", lambda: dt.date(2020, 12, 1))
        move(state, ids["late"], "register")
    move(state, ids["late"], "assign", lead_group_id=str(unit_id), deadline="01/01/2021")
    ids["submitted"] = new_doc(state, subject="Tờ trình xin ý kiến")
    move(state, ids["submitted"], "submit")
    ids["dispatched"] = new_doc(state, subject="Quyết định đã phát hành", recipients=["Sở Nội vụ", "Lưu: VT."])
    move(state, ids["dispatched"], "submit", "sign", "issue", "dispatch", notation="QĐ-UBND")
    ids["secret"] = new_doc(state, direction="incoming", author="clerk", subject="Văn bản mật",
                            issuer="Cơ quan Bí Mật", confidentiality="Mật")
    move(state, ids["secret"], "register")
    return ids


def counters(html):
    return {key: int(n) for key, n in re.findall(r'data-queue="(\w+)"[^>]*><strong>(\d+)</strong>', html)}


def test_home_page_counts_what_waits_for_each_role(office, client, auth):
    auth.login("clerk")
    home = client.get("/").text
    assert counters(home) == {"to_register": 1, "to_submit": 0, "to_issue": 0, "to_dispatch": 0, "due_soon": 0, "overdue": 0,
                              "intakes": 0}
    assert 'href="/documents?queue=to_register"' in home and "Việc gấp nhất" in home
    listed = client.get("/documents?queue=to_register").text
    assert "Chờ vào sổ" in listed and "Công văn về việc báo cáo tình hình" in listed  # sentence case in lists
    auth.logout()
    auth.login("leader")
    home = client.get("/").text
    assert counters(home)["to_assign"] == 2 and counters(home)["to_sign"] == 1  # the secret one counts for him
    assert "to_register" not in counters(home)  # a queue a leader never has is not shown as a zero
    auth.logout()
    auth.login("handler")
    home = client.get("/").text
    numbers = counters(home)
    assert numbers["to_handle"] == 2 and numbers["my_unit"] == 2 and numbers["overdue"] == 1
    overdue = client.get("/documents?queue=overdue&sort=due_date").text
    assert "Báo cáo quá hạn" in overdue and "Kế hoạch kiểm tra công vụ" not in overdue
    nav = re.search(r'<nav id="sidenav".*?</nav>', home, re.S).group(0)
    assert re.search(r"Việc của tôi <span class=\"count\">2</span>", nav)
    auth.logout()
    auth.login("reader")
    home = client.get("/").text
    assert counters(home) == {} and "Văn bản mới nhập" in home and "Văn bản mật" not in home


def test_incoming_register_columns_filters_sorting_and_choices(office, client, auth):
    auth.login("leader")
    page = client.get("/documents?direction=incoming").text
    headings = re.findall(r'<th scope="col"[^>]*><a [^>]*>([^<]+)<', page)
    assert headings == ["Số đến", "Ngày đến", "Số, ký hiệu", "Ngày văn bản", "Nơi gửi", "Trích yếu",
                        "Đơn vị xử lý", "Hạn xử lý", "Trạng thái"]
    rows = re.findall(r'<td class="num card-hide">(\d+)</td>', page)
    assert rows == sorted(rows, key=int, reverse=True)  # the newest số đến first
    assert "Văn bản mật" in page  # a leader sees confidential documents
    # a text filter in the heading, case-insensitive with Vietnamese capitals
    found = client.get("/documents?direction=incoming&issuer=ỦY BAN").text
    assert "Giấy mời họp giao ban" in found and "Kế hoạch kiểm tra công vụ" not in found
    # a date range typed as dd/mm/yyyy
    ranged = client.get("/documents?direction=incoming&issued_on_from=07/03/2024&issued_on_to=31/03/2024").text
    assert "Kế hoạch kiểm tra công vụ" in ranged and "Giấy mời họp giao ban" not in ranged
    assert 'value="07/03/2024"' in ranged
    bad = client.get("/documents?direction=incoming&issued_on_from=31/02/2024")
    assert bad.status_code == 200 and "không" in bad.text.lower()  # told, not a 500
    # select filters, their choices only from what the user may see
    assigned = client.get("/documents?direction=incoming&state=assigned&sort=due_date").text
    assert assigned.index("Báo cáo quá hạn") < assigned.index("Kế hoạch kiểm tra công vụ")
    assert "Giấy mời họp giao ban" not in assigned
    assert '<option value="Phòng Kế hoạch"' in assigned
    auth.logout()
    auth.login("reader")
    page = client.get("/documents?direction=incoming&per_page=50").text
    assert "Văn bản mật" not in page and "Cơ quan Bí Mật" not in page  # nor in a filter's choices
    assert '<option selected>50</option>' in page
    outgoing = client.get("/documents?direction=outgoing").text
    assert re.findall(r'<th scope="col"[^>]*><a [^>]*>([^<]+)<', outgoing) == [
        "Số, ký hiệu", "Ngày", "Trích yếu", "Người ký", "Nơi nhận", "Trạng thái"]
    assert "Sở Nội vụ; Lưu: VT." in outgoing


def test_export_is_a_real_workbook_of_the_filtered_list_and_says_when_cut(office, client, auth, monkeypatch):
    auth.login("clerk")
    response = client.get("/documents/export.xlsx?direction=incoming&sort=-arrival")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:3] == ("Số đến", "Ngày đến", "Số, ký hiệu")
    subjects = [r[5] for r in rows[3:]]
    assert len(subjects) == 5 and "Báo cáo quá hạn" in subjects
    numbers = [r[0] for r in rows[3:] if r[0] is not None]
    assert numbers == sorted(numbers, reverse=True)
    assert hasattr(rows[3][1], "year")  # dates are dates, not text
    monkeypatch.setattr("docmgr.documents.queries.EXPORT_LIMIT", 2)
    cut = load_workbook(io.BytesIO(client.get("/documents/export.xlsx?direction=incoming").data)).active
    rows = list(cut.iter_rows(values_only=True))
    assert len(rows) == 3 + 2 and "chỉ xuất 2 trên 5 văn bản" in rows[1][0]


def test_worklist_groups_by_action_and_keeps_review_and_mine(office, client, auth):
    auth.login("clerk")
    data = client.get("/api/worklist").get_json()
    groups = {g["key"]: g["count"] for g in data["groups"]}
    assert groups == {"to_register": 1, "to_submit": 0, "to_issue": 0, "to_dispatch": 0}  # dispatched documents do not flood it
    assert [d["id"] for d in data["mine"]] == [office["received"]] and data["review"] == []
    html = client.get("/worklist").text
    assert 'id="to_register"' in html and "Chờ vào sổ" in html and "Quyết định đã phát hành" not in html
    auth.logout()
    auth.login("leader")
    data = client.get("/api/worklist?limit=1").get_json()
    assigning = next(g for g in data["groups"] if g["key"] == "to_assign")
    assert assigning["count"] == 2 and len(assigning["documents"]) == 1
    assert {d["id"] for d in data["review"]} >= {office["submitted"]}
    assert client.get("/api/worklist?limit=0").status_code == 400


def test_pdf_opens_in_the_browser_with_a_download_beside(app, client, auth):
    from weasyprint import HTML

    pdf = HTML(string="<p>ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI</p><p>Số: 12/UBND-VX</p>"
                      "<p>V/v báo cáo tình hình thực hiện kế hoạch năm 2024</p>").write_pdf()
    auth.login("clerk")
    created = client.post("/api/documents", data={"file": (io.BytesIO(pdf), "van-ban.pdf"), "direction": "incoming"})
    assert created.status_code == 201, created.get_json()
    doc = created.get_json()
    page = client.get(f"/documents/{doc['id']}").text
    file_id = re.search(rf'/documents/{doc["id"]}/files/(\d+)\?inline=1', page).group(1)
    shown = client.get(f"/documents/{doc['id']}/files/{file_id}?inline=1")
    assert shown.headers["Content-Disposition"].startswith("inline") and shown.mimetype == "application/pdf"
    assert "object-src 'self'" in shown.headers["Content-Security-Policy"]
    shown.close()
    saved = client.get(f"/documents/{doc['id']}/files/{file_id}")
    assert saved.headers["Content-Disposition"].startswith("attachment")
    saved.close()
    assert "Tải về" in page


def test_sentence_case_keeps_abbreviations_and_numerals():
    assert sentence_case("KẾ HOẠCH THỰC HIỆN NGHỊ QUYẾT 42-NQ/TW CỦA HĐND TỈNH KHÓA XIII VỀ UBND") == (
        "Kế hoạch thực hiện nghị quyết 42-NQ/TW của HĐND tỉnh khóa XIII về UBND")
    assert sentence_case("Về việc tăng cường công tác PCCC") == "Về việc tăng cường công tác PCCC"
    assert is_syllable("NGHIÊNG") and is_syllable("quyết") and not is_syllable("TP") and not is_syllable("BHXH")


def test_assignment_from_units_with_deadlines_by_urgency(office, client, auth, app):
    state = app.extensions["docmgr"]
    with state.sessionmaker() as db:
        from docmgr.auth.groups import save_group
        from docmgr.documents.models import Document

        finance = save_group(db, "Phòng Tài chính", "PTC", []).id
        db.get(Document, office["registered"]).urgency = "Khẩn"
        db.commit()
        arrived = db.get(Document, office["registered"]).arrival_date
        unit_id = db.get(Document, office["assigned"]).assignment.lead_group_id
    auth.login("leader")
    page = client.get(f"/documents/{office['registered']}").text
    form = re.search(r'data-transition="assign".*?</form>', page, re.S).group(0)
    assert '<select name="lead_group_id" required>' in form and 'name="cooperating_group_ids"' in form
    default = arrived + dt.timedelta(days=5)  # «Khẩn»: 5 calendar days by default
    assert f'name="deadline" value="{default:%d/%m/%Y}"' in form and "Không trước ngày đến" in form
    refused = client.post(f"/documents/{office['registered']}/transition", follow_redirects=True, data={
        "transition": "assign", "lead_group_id": unit_id, "deadline": f"{arrived - dt.timedelta(days=1):%d/%m/%Y}"})
    assert "không thể trước ngày văn bản đến" in refused.text
    client.post(f"/documents/{office['registered']}/transition", data={
        "transition": "assign", "lead_group_id": unit_id, "cooperating_group_ids": [finance, unit_id],
        "deadline": f"{default:%d/%m/%Y}", "opinion": "Giao PKH chủ trì."})
    data = client.get(f"/api/documents/{office['registered']}").get_json()
    assert data["assignment"]["lead_unit"] == "Phòng Kế hoạch"
    assert data["assignment"]["cooperating_units"] == "Phòng Tài chính"  # the lead unit is not also co-operating
    assert data["due_date"] == default.isoformat()
    # An API client that says nothing of the deadline gets the default of the urgency (Thường: 10 days).
    response = client.post(f"/api/documents/{office['secret']}/transitions",
                           json={"transition": "assign", "lead_group_id": unit_id})
    assert response.status_code == 200
    with state.sessionmaker() as db:
        doc = db.get(Document, office["secret"])
        assert doc.due_date == doc.arrival_date + dt.timedelta(days=10)


def test_the_clerk_enters_a_leaders_instruction_on_their_behalf(office, client, auth, app):
    auth.login("clerk")
    page = client.get(f"/documents/{office['registered']}").text
    form = re.search(r'data-transition="assign".*?</form>', page, re.S).group(0)
    leaders = re.findall(r'<option value="(\d+)">([^<]+)</option>', re.search(
        r'name="on_behalf_of".*?</select>', form, re.S).group(0))
    assert [name for _, name in leaders] == ["Admin", "Lãnh Đạo"]  # those who may assign; not the clerk
    leader_id = next(i for i, name in leaders if name == "Lãnh Đạo")
    unit_id = re.search(r'<option value="(\d+)">Phòng Kế hoạch', form).group(1)
    client.post(f"/documents/{office['registered']}/transition", data={
        "transition": "assign", "on_behalf_of": leader_id, "lead_group_id": unit_id, "deadline": "",
        "opinion": "Đồng ý, giao PKH."})
    page = client.get(f"/documents/{office['registered']}").text
    assert "Phân công" in page and "(nhập thay Lãnh Đạo)" in page
    auth.logout()
    auth.login("admin")
    audit = client.get("/audit").text
    assert "Nhập thay" in audit and "Lãnh Đạo" in audit


def test_a_list_filtered_by_words_counts_its_rows_in_the_same_pass(office, app):
    state = app.extensions["docmgr"]
    with app.test_request_context(), state.sessionmaker() as db:
        def listed(**args):
            page = list_documents(db, Filters.from_args(MultiDict(args)), per_page=1)
            return page.total, [doc.subject for doc in page.items]

        # the newest số đến first: the late one arrived in 2020
        assert listed(direction="incoming", issuer="BỘ NỘI") == (2, ["Kế hoạch kiểm tra công vụ"])  # one scan
        assert listed(direction="incoming", issuer="bộ nội", page="2") == (2, ["Báo cáo quá hạn"])
        assert listed(direction="incoming", issuer="bộ nội", page="3") == (2, [])  # past the end: counted again
        assert listed(direction="incoming", state="assigned") == (2, ["Kế hoạch kiểm tra công vụ"])  # two reads
