"""edXML packages (QCVN 102:2016/BTTTT), as documents travel between agencies' systems: the header's metadata
laid over what the attached document's text says, the attached files kept (the signed PDF as the document, a
Phụ lục as its appendix, the package itself as received), bad packages refused or warned about in Vietnamese."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
import zipfile

import pytest
from lxml import etree
from sqlalchemy import select

from docmgr.documents.models import Document
from docmgr.extraction import ReadError, ReadLimits, extract_bytes
from docmgr.extraction.edxml import NAMESPACE, is_edxml, read_package
from docmgr.intake.reading import read_file
from docmgr.signatures.verify import SignatureSettings
from tests.conftest import seed_path
from tests.test_signatures import CA, sign
from tests.test_stamped_text import HEADER


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"  # packages are about files: SQLite only


HEAD = {
    "From": {"OrganId": "000.00.00.H26", "OrganizationInCharge": "Ủy ban nhân dân Thành phố Hà Nội",
             "OrganName": "Văn phòng Ủy ban nhân dân Thành phố Hà Nội"},
    "To": [{"OrganId": "000.00.12.H26", "OrganName": "Sở Tư pháp"}],
    "Code": {"CodeNumber": "125", "CodeNotation": "TB-UBND"},
    "PromulgationInfo": {"Place": "Hà Nội", "PromulgationDate": "2026/04/29"},
    "DocumentType": {"Type": "1", "TypeName": "Thông báo"},
    "Subject": "Kết luận của Chủ tịch UBND Thành phố tại cuộc họp giao ban",
    "SignerInfo": {"Competence": "TL. CHỦ TỊCH", "Position": "CHÁNH VĂN PHÒNG", "FullName": "Nguyễn Văn A"},
    "DueDate": "2026/05/15",
    "OtherInfo": {"Priority": "1", "PageAmount": "1"},
    "DocumentId": "000.00.00.H26,2026/04/29,125/TB-UBND",
}


def _add(parent, name: str, value, prefix: str):
    if isinstance(value, list):
        for item in value:
            _add(parent, name, item, prefix)
        return
    element = etree.SubElement(parent, f"{prefix}{name}")
    if isinstance(value, dict):
        for key, inner in value.items():
            _add(element, key, inner, prefix)
    else:
        element.text = value


def package(files: list[tuple[str, bytes]], head: dict | None = None, *, namespaced: bool = True,
            envelope: str = "edXMLEnvelope") -> bytes:
    """An edXML package as QCVN 102 lays it out: the envelope (header, manifest) and the files in base64 after it,
    in the namespace with the «edXML:» prefix (or without a namespace, as some systems write)."""
    prefix = f"{{{NAMESPACE}}}" if namespaced else ""
    root = etree.Element(f"{prefix}edXML", nsmap={None: NAMESPACE, "edXML": NAMESPACE} if namespaced else None)
    env = etree.SubElement(root, f"{prefix}{envelope}")
    header = etree.SubElement(env, f"{prefix}edXMLHeader")
    message = etree.SubElement(header, f"{prefix}MessageHeader")
    for key, value in (HEAD if head is None else head).items():
        _add(header if key == "TraceHeaderList" else message, key, value, prefix)
    manifest = etree.SubElement(etree.SubElement(env, f"{prefix}edXMLBody"), f"{prefix}edXMLManifest")
    encoded = etree.SubElement(root, "AttachmentEncoded")
    for number, (name, data) in enumerate(files, start=1):
        _add(manifest, "Reference", {"Description": name, "AttachmentName": name, "ContentId": f"cid:f{number}"},
             prefix)
        _add(encoded, "Attachment", {"ContentId": f"f{number}", "AttachmentName": name,
                                     "ContentTransferEncoded": base64.encodebytes(data).decode()}, "")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


@pytest.fixture(scope="module")
def document() -> bytes:
    """The notice as signed before its number and date are stamped: «Số: /TB-UBND», «ngày tháng năm 2026»."""
    import weasyprint

    return weasyprint.HTML(string=HEADER).write_pdf()


@pytest.fixture(scope="module")
def appendix() -> bytes:
    import weasyprint

    return weasyprint.HTML(string="<p>PHỤ LỤC</p><p>Danh sách các sở, ngành dự họp</p>").write_pdf()


def test_the_header_gives_what_the_signed_file_leaves_blank(document, appendix):
    data = package([("125-TB-UBND.signed.pdf", document), ("Phu luc 01.pdf", appendix)])
    assert is_edxml(data[:1024]) and is_edxml(b"\xef\xbb\xbf\n<!-- VPCP -->\n" + data[data.index(b"<edXML"):][:1024])
    assert not is_edxml(b"# H\xc6\xb0\xe1\xbb\x9bng d\xe1\xba\xabn\n\nG\xc3\xb3i tin: <edXML> ... </edXML>\n")
    got = extract_bytes(data, "thong-bao.edxml")
    meta = got.metadata
    assert (meta.number, meta.notation, meta.sequence) == ("125/TB-UBND", "TB-UBND", 125)
    assert meta.issued_on == dt.date(2026, 4, 29) and meta.place == "Hà Nội"
    assert meta.issuer == "Văn phòng Ủy ban nhân dân Thành phố Hà Nội"
    assert meta.parent_issuer == "Ủy ban nhân dân Thành phố Hà Nội"
    assert (meta.doc_type, meta.doc_type_code) == ("Thông báo", "TB")
    assert (meta.signer, meta.signer_title) == ("Nguyễn Văn A", "TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG")
    assert meta.urgency == "Khẩn"
    # The document's own «Nơi nhận» is kept, not the package's list of agencies it was sent to.
    assert meta.recipients == ["Các sở, ban, ngành Thành phố", "Lưu: VT"]
    # The text is the signed file's; the number and date it left blank are no longer warned about.
    assert "Kết luận của Chủ tịch UBND Thành phố" in got.read.text and got.read.format == "pdf"
    assert "number" not in got.field_warnings and "issued_on" not in got.field_warnings
    pkg = got.read.package
    assert pkg.main.name == "125-TB-UBND.signed.pdf" and pkg.main.data == document
    assert [a.role for a in pkg.attachments] == ["attachment", "appendix"]
    assert pkg.info() == {"format": "edxml", "sender_code": "000.00.00.H26",
                          "document_id": "000.00.00.H26,2026/04/29,125/TB-UBND", "due_on": "2026-05-15",
                          "page_count": 1, "responds_to": []}


def test_a_field_the_header_and_the_document_disagree_on_is_warned_about(document):
    head = {**HEAD, "SignerInfo": {**HEAD["SignerInfo"], "FullName": "Nguyễn Văn B"}}
    got = extract_bytes(package([("tb.pdf", document)], head), "tb.edxml")
    assert got.metadata.signer == "Nguyễn Văn B"
    assert got.field_warnings["signer"] == ("Gói edXML ghi «Nguyễn Văn B», còn tệp «tb.pdf» ghi «Nguyễn Văn A»: "
                                            "đối chiếu với văn bản rồi sửa nếu cần.")
    assert "subject" not in got.field_warnings  # the same subject, in other capitals: no warning


@pytest.mark.parametrize(("code", "expected"), [
    ({"CodeNumber": "65", "CodeNotation": "KH-UBND"}, ("65/KH-UBND", "KH-UBND")),
    ({"CodeNumber": "0", "CodeNotation": "65/KH-UBND"}, ("65/KH-UBND", "KH-UBND")),
    ({"CodeNumber": "12", "CodeNotation": "2024/NĐ-CP"}, ("12/2024/NĐ-CP", "NĐ-CP")),
    ({"CodeNumber": "", "CodeNotation": "KH-UBND"}, (None, "KH-UBND")),
    ({"CodeNumber": "N/A", "CodeNotation": "N/A"}, (None, None)),
])
def test_the_number_as_systems_write_it(code, expected):
    got = extract_bytes(package([], {**HEAD, "Code": code}), "p.edxml").metadata
    assert (got.number, got.notation) == expected


@pytest.mark.parametrize(("competence", "title"), [
    ("KT. CHỦ TỊCH", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"), ("TUQ. BỘ TRƯỞNG", "TUQ. BỘ TRƯỞNG / PHÓ CHỦ TỊCH"),
    ("Ký thay", "PHÓ CHỦ TỊCH"), ("Trực tiếp", "PHÓ CHỦ TỊCH"), ("", "PHÓ CHỦ TỊCH"),
])
def test_a_signer_s_competence_is_a_line_of_the_title_only_as_printed(competence, title):
    head = {**HEAD, "SignerInfo": {"Competence": competence, "Position": "PHÓ CHỦ TỊCH", "FullName": "Lê Văn D"}}
    assert extract_bytes(package([], head), "p.edxml").metadata.signer_title == title


def test_a_letter_without_attachment_takes_the_header_alone():
    head = {**HEAD, "DocumentType": {"TypeName": "Công văn"}, "Subject": "V/v góp ý dự thảo Quy chế",
            "SignerInfo": {"Competence": "Trực tiếp", "Position": "GIÁM ĐỐC", "FullName": "Trần Thị C"},
            "PromulgationInfo": {"Place": "Hà Nội", "PromulgationDate": "29/04/2026"},
            "ToPlaces": {"Place": ["Sở Tư pháp", "Sở Nội vụ"]}, "OtherInfo": {"Priority": "0"}}
    got = extract_bytes(package([], head), "cv.edxml")
    meta = got.metadata
    assert (meta.doc_type, meta.doc_type_code, meta.subject) == ("Công văn", None, "góp ý dự thảo Quy chế")
    assert meta.signer_title == "GIÁM ĐỐC" and meta.urgency is None  # «Trực tiếp» is no line of the title
    assert meta.issued_on == dt.date(2026, 4, 29) and meta.recipients == ["Sở Tư pháp", "Sở Nội vụ"]
    assert "lấy từ nơi nhận ghi trong gói edXML" in got.field_warnings["recipients"]
    assert any("không kèm tệp văn bản nào" in w for w in got.warnings) and got.read.text == ""


def test_a_package_without_namespace_or_in_the_older_envelope(document):
    for data in (package([("tb.pdf", document)], namespaced=False),
                 package([("tb.pdf", document)], envelope="EdXMLEnvelope")):
        got = extract_bytes(data, "goi.xml")
        assert got.metadata.number == "125/TB-UBND" and got.read.package.main.name == "tb.pdf"


def test_bad_packages_are_refused_in_vietnamese_or_warned_about(document):
    whole = package([("tb.pdf", document)])
    with pytest.raises(ReadError, match="không đúng cú pháp XML.*gửi lại"):
        extract_bytes(whole[: len(whole) // 2], "cut.edxml")
    with pytest.raises(ReadError, match="không phải gói văn bản edXML"):
        extract_bytes(b'<?xml version="1.0"?><order><item>1</item></order>', "don-hang.xml")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
              b'<edXML><MessageHeader><Subject>&b;</Subject></MessageHeader></edXML>')
    with pytest.raises(ReadError, match="DTD hoặc thực thể"):
        extract_bytes(laughs, "bom.edxml")
    with pytest.raises(ReadError, match="vượt quá giới hạn"):
        read_package(whole, max_bytes=len(document) - 1)
    broken = whole.replace(base64.encodebytes(document)[:40], b"!!!!" + base64.encodebytes(document)[4:40])
    got = extract_bytes(broken, "hong.edxml")
    assert any("«tb.pdf» trong gói edXML hỏng" in w for w in got.warnings) and got.metadata.number == "125/TB-UBND"
    named = extract_bytes(package([("..\\..\\Windows\\bao cao\u202efdp.exe", document), ("", document)]),
                          "ten.edxml")  # a path, a right-to-left override that would show «exe.pdf»; no name
    assert [a.name for a in named.read.package.attachments] == ["bao caofdp.exe", "tep-dinh-kem-2"]
    program = extract_bytes(package([("tb.pdf", document), ("cai-dat.pdf", b"MZ\x90\x00" + bytes(200))]), "p.edxml")
    assert [a.name for a in program.read.package.attachments] == ["tb.pdf"]
    assert any("«cai-dat.pdf» trong gói edXML là tệp chương trình (Windows .exe/.dll)" in w for w in program.warnings)
    unread = extract_bytes(package([("ho-so.zip", b"PK\x03\x04 not really")]), "zip.edxml")
    assert any("Không có tệp nào docmgr đọc được trong gói edXML («ho-so.zip»)" in w for w in unread.warnings)


def test_a_file_a_sender_zipped_is_taken_out_of_its_zip(document):
    """Some senders' systems zip each file before encoding it: «tb.pdf» carried as a ZIP of that one file is
    read as the PDF. A .docx (a ZIP itself) and a ZIP of two files, or one whose stated size is more than the
    package may hold, stay as they came."""
    def zipped(*files):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files:
                archive.writestr(name, data)
        return out.getvalue()

    got = extract_bytes(package([("tb.pdf", zipped(("tb.pdf", document)))]), "goi.edxml")
    assert got.read.package.main.data == document and got.metadata.recipients == ["Các sở, ban, ngành Thành phố",
                                                                                   "Lưu: VT"]
    two = zipped(("a.pdf", document), ("b.pdf", document))
    kept = extract_bytes(package([("ho-so.pdf", two)]), "goi.edxml").read.package.attachments
    assert [a.data for a in kept] == [two]
    bomb = zipped(("tb.pdf", b"\0" * 3_000_000))
    assert read_package(package([("tb.pdf", bomb)]), max_bytes=1_000_000).attachments[0].data == bomb


def test_a_package_that_revokes_an_earlier_one_says_so_first(document):
    head = {**HEAD, "TraceHeaderList": {"Bussiness": {
        "BussinessDocType": "1", "BussinessDocReason": "Ban hành nhầm đối tượng",
        "ReplacementInfoList": {"ReplacementInfo": {"DocumentId": "000.00.00.H26,2026/04/20,118/TB-UBND",
                                                    "OrganIdList": {"OrganId": "000.00.12.H26"}}}}}}
    got = extract_bytes(package([("tb.pdf", document)], head), "thu-hoi.edxml")
    assert got.warnings[0] == ("Gói edXML này là văn bản thu hồi: bên gửi thu hồi văn bản đã gửi trước (118/TB-UBND); "
                               "lý do: «Ban hành nhầm đối tượng». Tìm văn bản cũ trong kho và xử lý theo đó trước khi "
                               "lưu văn bản này thành văn bản đến mới.")
    new = extract_bytes(package([("tb.pdf", document)], {**HEAD, "TraceHeaderList": {"Bussiness": {
        "BussinessDocType": "0", "BussinessDocReason": "Văn bản mới"}}}), "moi.edxml")
    assert not any("thu hồi" in w for w in new.warnings)


def test_a_reply_links_to_the_document_it_answers(document, tmp_path, app, runner):
    """ResponseFor names the document a package answers: it comes first among the references, and links to it
    in the archive (here the Kế hoạch 65/KH-UBND, imported first)."""
    first = runner.invoke(args=["docmgr", "import", "--json", str(seed_path("001"))])
    [plan] = json.loads(first.output)["documents"]
    head = {**HEAD, "ResponseFor": [{"OrganId": "000.00.00.H35", "Code": "65/KH-UBND",
                                     "PromulgationDate": "2024/03/20",
                                     "DocumentId": "000.00.00.H35,2024/03/20,65/KH-UBND"},
                                    {"Code": {"CodeNumber": "230", "CodeNotation": "KH-UBND"}}]}
    got = extract_bytes(package([("tb.pdf", document)], head), "tra-loi.edxml")
    assert [(r.number, r.issued_on) for r in got.metadata.references[:2]] == [
        ("65/KH-UBND", dt.date(2024, 3, 20)), ("230/KH-UBND", None)]
    path = tmp_path / "tra-loi.edxml"
    path.write_bytes(package([("tb.pdf", document)], head))
    result = runner.invoke(args=["docmgr", "import", "--json", str(path)])
    [reply] = json.loads(result.output)["documents"]
    with app.extensions["docmgr"].sessionmaker() as db:
        refs = db.get(Document, reply["id"]).references
        assert [(r.number, r.target_id) for r in refs[:2]] == [("65/KH-UBND", plan["id"]), ("230/KH-UBND", None)]


def test_a_package_is_received_with_its_signature_files_and_fields(document, appendix, tmp_path, app, client,
                                                                   auth):
    ca = CA(tmp_path)
    roots = tmp_path / "roots"
    roots.mkdir()
    roots.joinpath("ca.pem").write_bytes(ca.root_path.read_bytes())
    app.extensions["docmgr"].signatures = SignatureSettings.from_config({"DOCMGR_TRUST_ROOTS": str(roots)})
    signed = sign(document, ca.signer("Nguyễn Văn A", "UBND Thành phố Hà Nội"), "LanhDao")
    data = package([("125-TB-UBND.signed.pdf", signed), ("Phu luc 01.pdf", appendix)])
    auth.login("clerk")
    form = client.post("/documents/upload", data={"file": (io.BytesIO(data), "thong-bao.edxml"),
                                                  "direction": "incoming"},
                       content_type="multipart/form-data", follow_redirects=True).text
    assert 'value="125/TB-UBND"' in form and 'value="29/04/2026"' in form and 'value="15/05/2026"' in form
    assert "Nguyễn Văn A" in form and "hợp lệ" in form  # the signed PDF's signature, verified
    assert re.search(r"Gói tin edXML \(QCVN 102\) từ mã định danh <strong>000.00.00.H26</strong>.*Kèm theo: "
                     r"125-TB-UBND.signed.pdf \(văn bản chính, [\d.,]+ KB\); Phu luc 01.pdf \(phụ lục", form)
    action = re.search(r'action="(/intakes/(\d+)/confirm)"', form)
    page = client.get(f"/intakes/{action.group(2)}/pages/1.png?w=300")
    assert page.status_code == 200 and page.data[:8] == b"\x89PNG\r\n\x1a\n"  # the signed file's page, not XML
    original = client.get(f"/intakes/{action.group(2)}/original")
    assert original.data == data and original.mimetype == "application/xml"
    original.close()
    fields = dict(re.findall(r'<input name="(\w+)" type="text" value="([^"]*)"', form))
    fields.update(re.findall(r'<input name="(\w+)" placeholder="ngày/tháng/năm" value="([^"]*)"', form))
    fields["subject"] = re.search(r'<textarea name="subject"[^>]*>([^<]*)<', form).group(1)
    saved = client.post(action.group(1), data={**fields, "direction": "incoming"})
    assert saved.status_code == 302, saved.text
    with app.extensions["docmgr"].sessionmaker() as db:
        doc = db.scalars(select(Document)).one()
        assert [(f.role, f.filename) for f in doc.files] == [
            ("main", "125-TB-UBND.signed.pdf"), ("appendix", "Phu luc 01.pdf"), ("package", "thong-bao.edxml")]
        assert doc.files[0].blob.mime_type == "application/pdf" and doc.due_date == dt.date(2026, 5, 15)
        assert [s.signer for s in doc.signatures] == ["Nguyễn Văn A"] and doc.signatures[0].summary == "valid"
        doc_id = doc.id
    shown = client.get(f"/documents/{doc_id}").text
    assert "Gói tin edXML (nguyên gói nhận được)" in shown and "Trang 1" in shown


def test_import_reads_a_package_as_upload_does(document, tmp_path, app, runner):
    path = tmp_path / "goi.edxml"
    path.write_bytes(package([("tb.pdf", document)]))
    result = runner.invoke(args=["docmgr", "import", "--json", str(path)])
    assert result.exit_code == 0, result.output
    [made] = json.loads(result.output)["documents"]
    assert made["number"] == "125/TB-UBND"
    with app.extensions["docmgr"].sessionmaker() as db:
        assert [f.role for f in db.get(Document, made["id"]).files] == ["main", "package"]


def test_read_file_verifies_the_signature_of_the_file_a_package_carries(document, tmp_path):
    ca = CA(tmp_path)
    path = tmp_path / "goi.edxml"
    path.write_bytes(package([("tb.pdf", sign(document, ca.signer("Nguyễn Văn A", "UBND"), "LanhDao"))]))
    got = read_file(path, limits=ReadLimits(), ocr=None, signatures=SignatureSettings(trust_roots=ca.roots()))
    assert [(s.signer, s.summary) for s in got.signatures] == [("Nguyễn Văn A", "valid")]
