"""Versions: every change kept; list, diff and revert through the web client and the API."""

from docmgr.instance import load_samples
from docmgr.search import commit_and_sync
from tests.test_edit_locks import form_data


def test_versions_diff_and_revert(app, client, auth):
    with app.app_context():
        load_samples(app)
    auth.login("clerk")
    original = client.get("/api/documents/2").get_json()
    assert [v["action"] for v in client.get("/api/documents/2/versions").get_json()["versions"]] == [
        "import", "transition"]  # imported, then registered
    client.post("/documents/2/edit", data=form_data(client, 2, sector="Khoa học - Công nghệ",
                                                     subject="Trích yếu đã sửa <b>đậm</b>"))
    client.post("/documents/2/edit", data=form_data(client, 2, signer="Lê Văn Sửa"))
    listed = client.get("/api/documents/2/versions").get_json()["versions"]
    assert [(v["number"], v["action"], v["user"]) for v in listed] == [
        (1, "import", None), (2, "transition", None), (3, "update", "clerk"), (4, "update", "clerk")]

    change = client.get("/api/documents/2/versions?a=2&b=4").get_json()["diff"]
    fields = {f["field"]: (f["a"], f["b"]) for f in change["fields"]}
    assert fields["Lĩnh vực"] == (original["sector"], "Khoa học - Công nghệ")
    assert fields["Người ký"] == (original["signer"], "Lê Văn Sửa")
    assert "Trạng thái" not in fields and change["text"] == []
    html = client.get("/documents/2/versions?a=2&b=4").get_data(as_text=True)
    assert "Khác nhau giữa phiên bản 2 và 4" in html and "&lt;b&gt;đậm&lt;/b&gt;" in html and "<b>đậm" not in html

    reverted = client.post("/api/documents/2/versions/2/revert", headers={"X-CSRFToken": _csrf(client)})
    assert reverted.status_code == 200, reverted.get_json()
    now = reverted.get_json()
    assert (now["sector"], now["signer"], now["subject"]) == (original["sector"], original["signer"],
                                                              original["subject"])
    assert sorted(now["changed"]) == ["sector", "signer", "subject"]
    assert client.get("/api/documents/2/versions").get_json()["versions"][-1]["action"] == "revert"
    assert client.get("/api/documents/2/versions/99").status_code == 404
    auth.logout()
    auth.login("reader")
    assert client.get("/documents/2/versions").status_code == 200  # readers see the history …
    assert "Khôi phục</button>" not in client.get("/documents/2/versions").get_data(as_text=True)
    assert client.post("/documents/2/versions/3/revert").status_code in (400, 403)  # … but cannot revert


def test_web_revert_puts_the_text_back(app, client, auth):
    with app.app_context():
        load_samples(app)
    state = app.extensions["docmgr"]
    from docmgr.documents.models import Document
    from docmgr.documents.versions import record

    with state.sessionmaker() as db:
        doc = db.get(Document, 3)
        before = doc.text
        doc.text = before + "\nĐoạn thêm sau."
        record(db, doc, None, "update")
        commit_and_sync(db, state)
    auth.login("clerk")
    change = client.get("/api/documents/3/versions?a=2&b=3").get_json()["diff"]
    assert "+Đoạn thêm sau." in change["text"]
    versions = client.get("/api/documents/3/versions").get_json()["versions"]
    response = client.post(f"/documents/3/versions/{versions[-2]['number']}/revert", follow_redirects=True)
    assert "Đã khôi phục phiên bản" in response.get_data(as_text=True)
    assert client.get("/api/documents/3").get_json()["text"] == before


def _csrf(client):
    import re

    page = client.get("/documents/2").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_comparison_page_speaks_words_and_its_get_carries_no_token(app, client, auth):
    with app.app_context():
        load_samples(app)
    auth.login("clerk")
    client.post("/documents/2/edit", data=form_data(client, 2, language="en", issued_on="05/07/2024"))
    html = client.get("/documents/2/versions").get_data(as_text=True)
    compare_form = html.split('<form method="get"')[1].split("</form>")[0]
    assert "csrf_token" not in compare_form  # a GET: the token would end in the URL, the logs, the Referer
    assert 'form="revert-1"' in html and 'id="revert-1"' in html  # restoring posts its own form
    page = client.get("/documents/2/versions?a=2&b=3").get_data(as_text=True)
    assert "Tiếng Anh" in page and "Tiếng Việt" in page and "05/07/2024" in page and ">en<" not in page
