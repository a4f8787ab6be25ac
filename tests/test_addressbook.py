"""The address book: matching recipient lines (exact, fuzzy, groups, "Như trên", internal), CSV, pages, API."""

from __future__ import annotations

import io
import unicodedata

import pytest
from sqlalchemy import func, select

from docmgr.addressbook.csvio import export_csv, import_csv
from docmgr.addressbook.matching import AddressBook, kinh_gui, name_key, resolve
from docmgr.addressbook.models import AddressGroup, Organization
from docmgr.addressbook.operations import save_group, save_organization
from docmgr.documents.models import Document, Recipient
from docmgr.errors import UserValueError
from docmgr.instance import load_samples


DISTRICTS = ["Ủy ban nhân dân thành phố Quảng Ngãi", "Ủy ban nhân dân thị xã Đức Phổ", "Ủy ban nhân dân huyện Bình Sơn",
             "Ủy ban nhân dân huyện Sơn Tịnh", "Ủy ban nhân dân huyện Tư Nghĩa", "Ủy ban nhân dân huyện Nghĩa Hành",
             "Ủy ban nhân dân huyện Mộ Đức", "Ủy ban nhân dân huyện Ba Tơ", "Ủy ban nhân dân huyện Minh Long",
             "Ủy ban nhân dân huyện Sơn Hà", "Ủy ban nhân dân huyện Sơn Tây", "Ủy ban nhân dân huyện Trà Bồng",
             "Ủy ban nhân dân huyện Lý Sơn"]


@pytest.fixture
def samples(app):
    with app.app_context():
        load_samples(app)
    return app


def _db(app):
    return app.extensions["docmgr"].sessionmaker()


def test_keys_spell_out_abbreviations_and_ignore_case_tone_and_punctuation():
    assert name_key("- Bộ Lao động- TB&XH") == name_key("Bộ Lao động - Thương binh và Xã hội")
    assert name_key("UBND các huyện, thị xã, thành phố") == name_key("Ủy ban nhân dân các huyện, thị xã, thành phố")
    assert name_key("Sở GD&ĐT") == name_key("sở giáo dục và đào tạo")
    assert name_key("Uỷ ban nhân dân") == name_key("ỦY BAN NHÂN DÂN")  # tone placement and case
    assert name_key("Sở Tài chính") != name_key("Sở Tư pháp")


def test_seed_001_lines_match_the_sample_book(samples):
    with _db(samples) as db:
        doc = db.get(Document, 1)
        lines = {line.text: line for line in resolve(db, doc).lines}
        group = lines["UBND các huyện, thị xã, thành phố"]
        assert group.kind == "group" and [a.name for a in group.addressees] == DISTRICTS
        assert lines["Bộ Lao động- TB&XH (b/cáo)"].kind == "org"
        assert lines["Bộ Lao động- TB&XH (b/cáo)"].note == "b/cáo"
        assert lines["Lưu: VT, KGVXmy135"].kind == "internal" and not lines["Lưu: VT, KGVXmy135"].addressees
        fuzzy = lines["Đoàn Đại biểu Quốc hội tỉnh"]
        assert fuzzy.kind == "unmatched" and fuzzy.flagged and fuzzy.how == "fuzzy"
        assert fuzzy.suggestion.name == "Đoàn Đại biểu Quốc hội tỉnh Quảng Ngãi" and 0.82 <= fuzzy.score < 1
        assert fuzzy.addressees[0].organization is None and fuzzy.addressees[0].name == "Đoàn Đại biểu Quốc hội tỉnh"
        resolution = resolve(db, doc)
        names = [a.name for a in resolution.addressees]
        assert len(names) == len(set(names)) == 1 + 1 + 1 + 1 + 1 + 1 + 1 + 10 + 5 + 1 + 13 + 1
        # internal units (hand delivery) get no envelope
        assert len(resolution.external) == len(names) - 2


def test_same_as_above_takes_the_addressees_after_kinh_gui(samples):
    text = "ỦY BAN NHÂN DÂN\nSố: 5/UBND-VX\nKính gửi:\n- Sở Nội vụ;\n- Sở Tài chính;\n- Huyện đội X.\n\nNội dung."
    assert kinh_gui(text) == ["Sở Nội vụ", "Sở Tài chính", "Huyện đội X"]
    assert kinh_gui("Kính gửi: Ủy ban nhân dân huyện Ba Tơ\nNội dung") == ["Ủy ban nhân dân huyện Ba Tơ"]
    with _db(samples) as db:
        doc = Document(direction="outgoing", text=text, recipients=[
            Recipient(position=0, text="Như trên"), Recipient(position=1, text="Lưu: VT")])
        line = resolve(db, doc).lines[0]
        assert line.kind == "same_as_above"
        assert [(a.name, a.organization is not None) for a in line.addressees] == [
            ("Sở Nội vụ tỉnh Quảng Ngãi", True), ("Sở Tài chính tỉnh Quảng Ngãi", True), ("Huyện đội X", False)]
        lonely = Document(direction="outgoing", text="Không có kính gửi", recipients=[Recipient(position=0, text="Như trên")])
        assert resolve(db, lonely).lines[0].flagged


def test_unrelated_lines_stay_unmatched_without_a_suggestion(samples):
    with _db(samples) as db:
        line = AddressBook(db).match_line("Công ty TNHH Một thành viên Xổ số kiến thiết")
        assert line.kind == "unmatched" and line.suggestion is None and line.addressees[0].name.startswith("Công ty")


def test_saving_checks_the_values(app):
    with _db(app) as db:
        with pytest.raises(UserValueError, match="35"):
            save_organization(db, {"name": "Sở A", "code": "x" * 36})
        with pytest.raises(UserValueError, match="Thư điện tử"):
            save_organization(db, {"name": "Sở A", "email": "không-phải-email"})
        with pytest.raises(UserValueError, match="Loại"):
            save_organization(db, {"name": "Sở A", "kind": "person"})
        save_organization(db, {"name": "Ủy ban nhân dân huyện A", "code": "000.00.00.H49"})
        with pytest.raises(UserValueError, match="đã có"):
            save_organization(db, {"name": "UBND huyện A"})  # the same name once normalized
        with pytest.raises(UserValueError, match="#999"):
            save_group(db, "Nhóm", [999])


def test_csv_round_trip_and_all_or_nothing_import(samples, tmp_path):
    with _db(samples) as db:
        exported = export_csv(db)
        count = db.scalar(select(func.count()).select_from(Organization))
    assert exported.splitlines()[0] == "kind,name,short_name,code,address,phone,email,aliases,members"
    from conftest import make_app

    other = make_app(tmp_path / "other", f"sqlite:///{tmp_path / 'other.sqlite3'}")
    with _db(other) as db:
        assert import_csv(db, exported.encode("utf-8-sig")) == {"created": count + 3, "updated": 0}
        db.commit()
        assert export_csv(db) == exported
        broken = exported + "group,Nhóm lạ,,,,,,,Cơ quan không có\r\n"
        before = db.scalar(select(func.count()).select_from(AddressGroup))
        with pytest.raises(UserValueError, match=r"Dòng \d+: .*Cơ quan không có"):
            import_csv(db, broken.encode())
        db.rollback()
        assert db.scalar(select(func.count()).select_from(AddressGroup)) == before
        with pytest.raises(UserValueError, match="UTF-8"):
            import_csv(db, unicodedata.normalize("NFD", "kind,name\norg,Sở Nội vụ").encode("cp1258", "ignore") + b"\xff")
        with pytest.raises(UserValueError, match="name"):
            import_csv(db, b"ten,dia chi\nA,B\n")
        # semicolons (Excel in Vietnamese locale) and an update
        assert import_csv(db, "name;address\nSở Nội vụ tỉnh Quảng Ngãi;Số 1 đường A".encode()) == {
            "created": 0, "updated": 1}
    other.extensions["docmgr"].engine.dispose()


def test_pages_api_and_confirming_a_suggestion(samples, client, auth):
    auth.login("reader")
    page = client.get("/addressbook?q=duc pho")
    assert page.status_code == 200 and "Ủy ban nhân dân thị xã Đức Phổ" in page.text and "Bình Sơn" not in page.text
    assert client.post("/addressbook/new", data={"name": "Sở Mới"}).status_code == 403
    lines = client.get("/api/documents/1/recipients").get_json()["lines"]
    fuzzy = next(line for line in lines if line["text"] == "Đoàn Đại biểu Quốc hội tỉnh")
    assert fuzzy["flagged"] and fuzzy["suggestion"]["name"] == "Đoàn Đại biểu Quốc hội tỉnh Quảng Ngãi"
    auth.logout()
    auth.login("clerk")
    page = client.get("/documents/1/recipients")
    assert "Gần giống" in page.text and "cần xác nhận" in page.text
    entry = f"org:{fuzzy['suggestion']['id']}"
    position = [line["text"] for line in lines].index("Đoàn Đại biểu Quốc hội tỉnh")
    response = client.post("/documents/1/recipients/confirm", data={"line": position, "entry": entry})
    assert response.status_code == 302
    lines = client.get("/api/documents/1/recipients").get_json()["lines"]
    assert lines[position]["kind"] == "org" and lines[position]["how"] == "exact"
    # a new organization and a group from the pages
    response = client.post("/addressbook/new", data={"kind": "org", "name": "Công an tỉnh Quảng Ngãi",
                                                     "code": "000.00.00.H49", "aliases": "Công an tỉnh"})
    assert response.status_code == 302
    bad = client.post("/addressbook/new", data={"kind": "org", "name": "Công an tỉnh Quảng Ngãi"})
    assert bad.status_code == 400 and "đã có" in bad.text
    orgs = {o["name"]: o["id"] for o in client.get("/api/addressbook").get_json()["organizations"]}
    response = client.post("/addressbook/groups/new", data={
        "name": "Lực lượng vũ trang tỉnh", "members": [orgs["Công an tỉnh Quảng Ngãi"]]})
    assert response.status_code == 302
    groups = client.get("/api/addressbook").get_json()["groups"]
    assert any(g["name"] == "Lực lượng vũ trang tỉnh" and g["members"] == [orgs["Công an tỉnh Quảng Ngãi"]]
               for g in groups)
    csv_response = client.get("/addressbook/export.csv")
    assert csv_response.mimetype == "text/csv" and "Công an tỉnh Quảng Ngãi" in csv_response.text
    upload = client.post("/addressbook/import", data={"file": (io.BytesIO(b"\xff\xfe bad"), "x.csv")},
                         content_type="multipart/form-data", follow_redirects=True)
    assert "Không nhập được" in upload.text and "UTF-8" in upload.text
