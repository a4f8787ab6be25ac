"""Workflows: the permission table, both flows end to end through the web client, numbering, search filter."""

import datetime as dt
import os
import re
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import select

from docmgr import clock, search
from docmgr.auth.groups import save_group
from docmgr.auth.models import User
from docmgr.auth.operations import create_user
from docmgr.documents.models import Document
from docmgr.documents.operations import create_document
from docmgr.search import commit_and_sync
from docmgr.workflow.permissions import allowed
from docmgr.workflow.transitions import available, transition
from tests.conftest import PASSWORD


ROLES = ("reader", "contributor", "editor", "reviewer", "clerk", "manager")


@pytest.fixture
def users(app):
    for role in ("contributor", "editor", "reviewer"):
        create_user(app, role, PASSWORD, {role}, full_name=role.title())
    create_user(app, "author", PASSWORD, {"contributor"}, full_name="Người soạn")
    return app


def user(state, name):
    with state.sessionmaker() as db:
        found = db.scalar(select(User).where(User.username == name))
        db.expunge(found)
        return found


def new_doc(state, direction="outgoing", author="author", **fields):
    with state.sessionmaker() as db:
        doc = create_document(db, direction=direction, user=user(state, author),
                              fields={"subject": "Kế hoạch tổ chức Ngày hội văn hóa", "issuer": "UBND tỉnh Quảng Ngãi",
                                      "doc_type": "Kế hoạch", **fields},
                              text="Kế hoạch tổ chức Ngày hội văn hóa các dân tộc năm 2024.")
        commit_and_sync(db, state)
        return doc.id


def move(state, doc_id, *names, actor=None, **data):
    with state.sessionmaker() as db:
        doc = db.get(Document, doc_id)
        for name in names:
            transition(db, doc, name, user(state, actor) if actor else None, data.pop("comment", "") or "lý do", data)
        commit_and_sync(db, state)


def in_state(state, doc_id):
    with state.sessionmaker() as db:
        return db.get(Document, doc_id).state


# The rules, as a records office states them (Nghị định 30, Điều 14–24): state × role × action → allowed.
# "owner" is the contributor who wrote the draft; transitions are checked by name.
RULES = [
    # outgoing draft: its author and editors work on it; readers do not see it
    ("outgoing", "draft", "reader", "view", False),
    ("outgoing", "draft", "contributor", "view", False),  # another contributor's draft
    ("outgoing", "draft", "owner", "view", True),
    ("outgoing", "draft", "owner", "edit", True),
    ("outgoing", "draft", "owner", "submit", True),
    ("outgoing", "draft", "editor", "edit", True),
    ("outgoing", "draft", "reviewer", "edit", False),
    ("outgoing", "draft", "clerk", "issue", False),
    # submitted: the leader (reviewer) signs or returns it; the author can no longer edit
    ("outgoing", "submitted", "owner", "edit", False),
    ("outgoing", "submitted", "reviewer", "sign", True),
    ("outgoing", "submitted", "reviewer", "return", True),
    ("outgoing", "submitted", "clerk", "sign", False),
    ("outgoing", "submitted", "editor", "sign", False),
    # signed: the văn thư numbers and registers it
    ("outgoing", "signed", "clerk", "issue", True),
    ("outgoing", "signed", "reviewer", "issue", False),
    ("outgoing", "signed", "reader", "view", False),
    # issued: everyone sees it; only a manager recalls it
    ("outgoing", "issued", "reader", "view", True),
    ("outgoing", "issued", "reader", "download", True),
    ("outgoing", "issued", "reader", "edit", False),
    ("outgoing", "issued", "reader", "print", False),
    ("outgoing", "issued", "clerk", "print", True),
    ("outgoing", "issued", "clerk", "dispatch", True),
    ("outgoing", "issued", "clerk", "recall", False),
    ("outgoing", "issued", "manager", "recall", True),
    ("outgoing", "dispatched", "clerk", "file", True),
    ("outgoing", "filed", "clerk", "edit", False),  # filed documents are closed
    ("outgoing", "filed", "manager", "edit", False),
    ("outgoing", "recalled", "reader", "view", False),
    # incoming: received only by the văn thư until registered
    ("incoming", "received", "reader", "view", False),
    ("incoming", "received", "reviewer", "view", False),
    ("incoming", "received", "clerk", "register", True),
    ("incoming", "received", "reviewer", "register", False),
    ("incoming", "registered", "reader", "view", True),
    ("incoming", "registered", "reviewer", "assign", True),
    ("incoming", "registered", "editor", "assign", False),
    ("incoming", "registered", "clerk", "edit", True),
    # assigned to a unit: its members (the handler) move it on; an editor of another unit does not
    ("incoming", "assigned", "handler", "start", True),
    ("incoming", "assigned", "handler", "edit", False),
    ("incoming", "assigned", "editor", "start", False),
    ("incoming", "assigned", "reader", "start", False),
    ("incoming", "in_progress", "handler", "complete", True),
    ("incoming", "in_progress", "handler", "edit", True),
    ("incoming", "in_progress", "editor", "complete", False),
    ("incoming", "in_progress", "contributor", "complete", False),
    ("incoming", "done", "editor", "edit", False),
    ("incoming", "done", "manager", "recall", True),
]


LEAD_UNIT, OTHER_UNIT = 7, 8


class _User:
    """"owner" wrote the document; "handler" is a contributor in the lead unit; the others are in another unit."""

    is_authenticated = True

    def __init__(self, role, groups=None):
        self.id = 1 if role == "owner" else 2
        self.roles = {"contributor"} if role in ("owner", "handler") else {role}
        self.group_ids = frozenset(groups if groups is not None else
                                   {LEAD_UNIT if role == "handler" else OTHER_UNIT})


class _Doc:
    def __init__(self, direction, state, lead_group_id=LEAD_UNIT, confidentiality=None, unit_id=None):
        from types import SimpleNamespace

        from docmgr.workflow.definitions import workflow_for

        self.direction, self.state, self.created_by_id = direction, state, 1
        self.workflow = workflow_for(direction)
        self.confidentiality, self.unit_id, self.case_file = confidentiality, unit_id, None
        assigned = direction == "incoming" and state not in ("received", "registered")
        self.assignment = SimpleNamespace(lead_group_id=lead_group_id) if assigned else None


@pytest.mark.parametrize("direction, state, role, action, expected", RULES,
                         ids=["-".join(map(str, r[:4])) for r in RULES])
def test_permission_table(direction, state, role, action, expected):
    who, doc = _User(role), _Doc(direction, state)
    if action in doc.workflow.transitions:
        assert (action in {t.name for t in available(doc, who)}) is expected
    else:
        assert allowed(who, action, doc) is expected


def test_editors_handle_what_was_assigned_to_a_unit_docmgr_does_not_know():
    doc = _Doc("incoming", "assigned", lead_group_id=None)
    assert "start" in {t.name for t in available(doc, _User("editor"))}
    assert not available(doc, _User("contributor"))
    assert "start" in {t.name for t in available(_Doc("incoming", "assigned"), _User("handler"))}


@pytest.mark.parametrize("role, groups, expected", [
    ("reader", {OTHER_UNIT}, False),  # another unit's reader
    ("editor", {OTHER_UNIT}, False),
    ("reader", {LEAD_UNIT}, True),  # a reader of the document's unit
    ("reviewer", set(), True),  # leaders, the văn thư and managers keep their rights
    ("clerk", set(), True),
    ("manager", set(), True),
])
def test_confidential_documents_are_seen_in_their_unit_only(role, groups, expected):
    doc = _Doc("outgoing", "issued", confidentiality="Mật", unit_id=LEAD_UNIT)
    assert allowed(_User(role, groups), "view", doc) is expected
    assert allowed(_User(role, groups), "view", _Doc("outgoing", "issued")) is True  # not confidential


def test_outgoing_flow_through_the_web_client(users, client, auth):
    state = users.extensions["docmgr"]
    doc_id = new_doc(state)  # the author's draft, no number yet
    page = f"/documents/{doc_id}"

    auth.login("reader")
    assert client.get(page).status_code == 404  # hidden: answered like a missing one
    assert doc_id not in [d["id"] for d in client.get("/api/documents").get_json()["items"]]
    auth.logout()

    auth.login("author")
    html = client.get(page).get_data(as_text=True)
    assert "Dự thảo" in html and 'data-transition="submit"' in html and 'data-transition="sign"' not in html
    assert client.post(f"{page}/transition", data={"transition": "submit", "comment": "Kính trình"}).status_code == 302
    assert in_state(state, doc_id) == "submitted"
    assert client.get(f"{page}/edit").status_code == 403  # no longer the author's to edit
    auth.logout()

    auth.login("reviewer")
    response = client.post(f"{page}/transition", data={"transition": "return"}, follow_redirects=True)
    assert "cần ghi lý do" in response.get_data(as_text=True)  # return needs a reason
    assert in_state(state, doc_id) == "submitted"
    client.post(f"{page}/transition", data={"transition": "sign", "comment": "Đồng ý"})
    auth.logout()

    auth.login("clerk")
    before = clock.today()
    response = client.post(f"{page}/transition", data={"transition": "issue", "notation": "KH-UBND"},
                           follow_redirects=True)
    assert "Số: 01/KH-UBND" in response.get_data(as_text=True)
    client.post(f"{page}/transition", data={"transition": "dispatch"})
    client.post(f"{page}/transition", data={"transition": "file"})
    data = client.get(f"/api/documents/{doc_id}").get_json()
    assert data["state"] == "filed" and data["number"] == "01/KH-UBND"
    assert data["issued_on"] in {before.isoformat(), clock.today().isoformat()}  # midnight may fall between
    assert [(h["transition"], h["actor"]) for h in data["history"]] == [
        ("submit", "author"), ("sign", "reviewer"), ("issue", "clerk"), ("dispatch", "clerk"), ("file", "clerk")]
    assert data["history"][0]["comment"] == "Kính trình"
    html = client.get(page).get_data(as_text=True)
    assert "Lịch sử xử lý" in html and "Người Soạn" not in html and "Author" not in html  # display names
    assert html.count("<tr><td>") == 5
    auth.logout()

    auth.login("reader")
    assert client.get(page).status_code == 200  # issued documents are the office's
    assert client.post(f"{page}/transition", data={"transition": "recall", "comment": "x"}).status_code == 403


def test_incoming_flow_registers_and_assigns(users, client, auth):
    state = users.extensions["docmgr"]
    doc_id = new_doc(state, direction="incoming", author="clerk", number="65/KH-UBND")
    assert in_state(state, doc_id) == "received"
    page = f"/documents/{doc_id}"
    auth.login("reviewer")
    assert client.get(page).status_code == 404  # not yet registered: hidden, answered like a missing one
    auth.logout()

    auth.login("clerk")
    before = clock.today()
    client.post(f"{page}/transition", data={"transition": "register"})
    due = before + dt.timedelta(days=30)
    auth.logout()
    auth.login("reviewer")
    response = client.post(f"{page}/transition", data={"transition": "assign"}, follow_redirects=True)
    assert "Cần chọn đơn vị chủ trì" in response.get_data(as_text=True)
    with state.sessionmaker() as db:  # the lead unit is one of the agency's units: its members handle it
        unit = save_group(db, "Phòng Văn hóa và Thông tin", "VHTT", [user(state, "editor").id])
        commit_and_sync(db, state)
        unit_id = unit.id
    create_user(users, "editor2", PASSWORD, {"editor"}, full_name="Biên tập phòng khác")
    client.post(f"{page}/transition", data={
        "transition": "assign", "lead_unit": "phòng văn hoá và thông tin",  # case and tone placement aside
        "cooperating_units": "Phòng Tài chính", "deadline": due.strftime("%d/%m/%Y"),
        "opinion": "Giao chủ trì tham mưu."})
    auth.logout()
    auth.login("editor2")  # an editor of another unit may not move it on
    response = client.post(f"{page}/transition", data={"transition": "start"}, follow_redirects=True)
    assert "không có quyền" in response.get_data(as_text=True) and in_state(state, doc_id) == "assigned"
    auth.logout()
    auth.login("editor")
    client.post(f"{page}/transition", data={"transition": "start"})
    client.post(f"{page}/transition", data={"transition": "complete", "comment": "Đã báo cáo"})
    data = client.get(f"/api/documents/{doc_id}").get_json()
    assert data["state"] == "done" and data["arrival_number"] == 1
    assert data["arrival_date"] in {before.isoformat(), clock.today().isoformat()}  # midnight may fall between
    assert data["assignment"] == {"lead_unit": "phòng văn hoá và thông tin", "lead_unit_id": unit_id,
                                  "cooperating_units": "Phòng Tài chính", "deadline": due.isoformat(),
                                  "opinion": "Giao chủ trì tham mưu."}
    assert data["unit"]["id"] == unit_id  # the document now belongs to the unit that handles it
    assert data["due_date"] == due.isoformat()
    assert [h["transition"] for h in data["history"]] == ["register", "assign", "start", "complete"]


def test_transition_api_and_errors(users, client, auth):
    state = users.extensions["docmgr"]
    doc_id = new_doc(state, direction="incoming", author="clerk")
    auth.login("clerk")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"/documents/{doc_id}").get_data(as_text=True))
    headers = {"X-CSRFToken": token.group(1)}
    url = f"/api/documents/{doc_id}/transitions"
    assert client.post(url, json={"transition": "complete"}, headers=headers).status_code == 400
    assert "Không thể «Hoàn thành»" in client.post(url, json={"transition": "complete"},
                                                   headers=headers).get_json()["error"]
    assert client.post(url, json={}, headers=headers).status_code == 400
    response = client.post(url, json={"transition": "register", "comment": "Vào sổ"}, headers=headers)
    assert response.status_code == 200 and response.get_json()["state"] == "registered"
    # The văn thư assigns only as the record of a leader's bút phê: naming the leader, who must be one who may.
    response = client.post(url, json={"transition": "assign", "lead_unit": "Phòng A"}, headers=headers)
    assert response.status_code == 400 and "lãnh đạo" in response.get_json()["error"]
    clerk_id = user(state, "clerk").id
    response = client.post(url, json={"transition": "assign", "lead_unit": "Phòng A", "on_behalf_of": clerk_id},
                           headers=headers)
    assert response.status_code == 400 and "không có quyền «Phân công xử lý»" in response.get_json()["error"]
    leader = user(state, "reviewer")
    response = client.post(url, json={"transition": "assign", "lead_unit": "Phòng A", "on_behalf_of": leader.id,
                                      "opinion": "Giao Phòng A."}, headers=headers)
    assert response.status_code == 200 and response.get_json()["state"] == "assigned"
    data = client.get(f"/api/documents/{doc_id}").get_json()
    event = data["history"][-1]
    assert event["actor"] == "clerk" and event["detail"]["on_behalf_of"] == {"id": leader.id, "name": "Reviewer"}
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "(nhập thay Reviewer)" in page


def test_arrival_numbers_and_outgoing_series(users):
    state = users.extensions["docmgr"]
    ids = [new_doc(state, direction="incoming", author="clerk") for _ in range(3)]
    for doc_id in ids:
        move(state, doc_id, "register")
    with state.sessionmaker() as db:
        assert [db.get(Document, i).arrival_number for i in ids] == [1, 2, 3]
    a = new_doc(state)
    b = new_doc(state, confidentiality="Mật")  # confidential documents have their own series
    c = new_doc(state, issuer="Sở Văn hóa, Thể thao và Du lịch")  # another issuer, another series
    d = new_doc(state)
    for doc_id in (a, b, c, d):
        move(state, doc_id, "submit", "sign", "issue", notation="KH-UBND")
    with state.sessionmaker() as db:
        assert [db.get(Document, i).number for i in (a, b, c, d)] == ["01/KH-UBND", "01/KH-UBND", "01/KH-UBND",
                                                                      "02/KH-UBND"]


def test_search_follows_the_state(users):
    """A draft is found by its author and editors, not by a reader — by words, number or facet."""
    state = users.extensions["docmgr"]
    doc_id = new_doc(state, subject="Kế hoạch bảo tồn cồng chiêng Tây Nguyên")
    reader, author, other = user(state, "reader"), user(state, "author"), user(state, "contributor")

    def found(who, q="cồng chiêng"):
        return [h["id"] for h in search.search(state, q, user=who).hits]

    assert found(author) == [doc_id] and found(user(state, "editor")) == [doc_id]
    assert found(reader) == [] and found(other) == []
    def issuer_count(who):
        facets = dict(map(tuple, search.search(state, "kế hoạch", user=who).facets.get("issuer", [])))
        return facets.get("UBND tỉnh Quảng Ngãi", 0)

    hidden = issuer_count(reader)
    assert issuer_count(author) == hidden + 1  # the draft is counted for its author only
    move(state, doc_id, "submit", "sign", "issue", notation="KH-UBND")
    assert found(reader) == [doc_id]
    assert found(reader, "01/KH-UBND") == [doc_id]
    assert issuer_count(reader) == hidden + 1


ISSUER = textwrap.dedent("""
    import sys
    from docmgr import create_app
    from docmgr.documents.models import Document
    from docmgr.search import commit_and_sync
    from docmgr.workflow.transitions import transition
    app = create_app()
    state = app.extensions["docmgr"]
    for doc_id in map(int, sys.argv[1].split(",")):
        with state.sessionmaker() as db:
            doc = db.get(Document, doc_id)
            transition(db, doc, "issue" if doc.direction == "outgoing" else "register", None, "", {"notation": "CV-UBND"})
            commit_and_sync(db, state)
""")


def test_numbers_never_repeat_or_skip_under_parallel_processes(users):
    """4 processes issue outgoing documents and register incoming ones at the same time."""
    state = users.extensions["docmgr"]
    outgoing = [new_doc(state) for _ in range(24)]
    incoming = [new_doc(state, direction="incoming", author="clerk") for _ in range(24)]
    for doc_id in outgoing:
        move(state, doc_id, "submit", "sign")
    env = {**os.environ, "DOCMGR_DATABASE_URL": users.config["DOCMGR_DATABASE_URL"],
           "DOCMGR_SEARCH_INDEX": users.config["DOCMGR_SEARCH_INDEX"], "DOCMGR_FILES": users.config["DOCMGR_FILES"],
           "SECRET_KEY": "test"}
    mixed = [d for pair in zip(outgoing, incoming) for d in pair]
    procs = [subprocess.Popen([sys.executable, "-c", ISSUER, ",".join(map(str, mixed[w::4]))], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for w in range(4)]
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-4000:]
    with state.sessionmaker() as db:
        numbers = sorted(db.get(Document, i).sequence for i in outgoing)
        arrivals = sorted(db.get(Document, i).arrival_number for i in incoming)
        assert {db.get(Document, i).state for i in outgoing} == {"issued"}
    assert numbers == list(range(1, 25)) and arrivals == list(range(1, 25))


def test_a_transition_taken_twice_at_once_happens_once(users):
    state = users.extensions["docmgr"]
    doc_id = new_doc(state)
    move(state, doc_id, "submit", "sign")
    with state.sessionmaker() as first, state.sessionmaker() as second:
        a, b = first.get(Document, doc_id), second.get(Document, doc_id)  # both read "signed"
        transition(first, a, "issue", None, data={"notation": "KH-UBND"})
        first.commit()
        with pytest.raises(Exception, match="người khác chuyển trạng thái"):
            transition(second, b, "issue", None, data={"notation": "KH-UBND"})
        second.rollback()
    with state.sessionmaker() as db:
        doc = db.get(Document, doc_id)
        assert doc.number == "01/KH-UBND" and len(doc.history) == 3


def test_cli_lists_and_takes_transitions(users, runner):
    state = users.extensions["docmgr"]
    doc_id = new_doc(state, direction="incoming", author="clerk", number="12/TB-STC")
    result = runner.invoke(args=["docmgr", "transition", str(doc_id)])
    assert result.exit_code == 0 and "register" in result.output and "Đã nhận" in result.output
    result = runner.invoke(args=["docmgr", "transition", "12/tb-stc", "register", "--user", "reader"])
    assert result.exit_code != 0 and "không có quyền «Vào sổ (cấp số đến)»" in result.output
    result = runner.invoke(args=["docmgr", "transition", "12/TB-STC", "register", "--user", "clerk", "--json"])
    assert result.exit_code == 0, result.output
    assert '"arrival_number": 1' in result.output and in_state(state, doc_id) == "registered"
    result = runner.invoke(args=["docmgr", "transition", str(doc_id), "assign", "--user", "reviewer",
                                 "--set", "lead_unit=Phòng Kế hoạch", "--set", "deadline=31/12/2026"])
    assert result.exit_code == 0, result.output
    assert "lead_unit: Phòng Kế hoạch" in result.output
    result = runner.invoke(args=["docmgr", "workflow"])
    assert "Trình ký (submitted)" in result.output and "Vào sổ (cấp số đến)" in result.output


def test_upgrade_gives_existing_documents_their_state(tmp_path):
    """Migration 0004 on an archive made before workflows: nothing visible before is hidden after."""
    from alembic import command
    from sqlalchemy import text

    from docmgr.db import make_engine
    from docmgr.migrations import schema

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    cfg = schema.alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0003")
        for i, (direction, number) in enumerate([("incoming", "65/KH-UBND"), ("incoming", None),
                                                 ("outgoing", "12/QĐ-UBND"), ("outgoing", None)], 1):
            connection.execute(text("INSERT INTO documents (id, direction, number, text, warnings, created_at, "
                                    "updated_at) VALUES (:i, :d, :n, '', '[]', '2024-01-01', '2024-01-01')"),
                               {"i": i, "d": direction, "n": number})
    assert schema.upgrade(engine) == schema.head_revision()
    with engine.connect() as connection:
        states = connection.execute(text("SELECT id, state FROM documents ORDER BY id")).all()
    assert [s for _, s in states] == ["registered", "registered", "issued", "draft"]
    engine.dispose()


def test_worklists_waiting_for_review_mine_and_overdue(users, client, auth, monkeypatch):
    state = users.extensions["docmgr"]
    draft = new_doc(state, subject="Dự thảo của tôi")
    submitted = new_doc(state, subject="Tờ trình chờ ký")
    move(state, submitted, "submit")
    late = new_doc(state, direction="incoming", author="clerk", subject="Công văn quá hạn trả lời")
    with monkeypatch.context() as past:  # it arrived in 2019
        past.setattr(clock, "today", lambda: dt.date(2019, 12, 2))
        move(state, late, "register")
    move(state, late, "assign", lead_unit="Phòng A", deadline="01/01/2020")
    registered = new_doc(state, direction="incoming", author="clerk", subject="Công văn chờ phân công")
    move(state, registered, "register")

    def lists(name):
        auth.login(name)
        data = client.get("/api/worklist").get_json()
        auth.logout()
        return ([d["id"] for d in data["review"]], [d["id"] for d in data["mine"]],
                {d["id"] for d in data["review"] + data["mine"] if d["overdue"]})

    assert lists("reviewer") == ([submitted, registered], [], set())  # the leader signs and assigns
    assert lists("author") == ([], [draft], set())  # the author's own draft to submit
    assert lists("editor") == ([], [late, draft], {late})  # assigned work, earliest deadline first
    assert lists("clerk") == ([], [], set())
    auth.login("reader")
    assert client.get("/api/worklist").status_code == 403
    assert "Việc của tôi" not in client.get("/documents").get_data(as_text=True)
    auth.logout()
    auth.login("editor")
    html = client.get("/worklist").get_data(as_text=True)
    assert "Quá hạn" in html and 'class="overdue"' in html and "Công văn quá hạn trả lời" in html
