"""Bad input: random and damaged files, hostile names, oversized uploads. A clear error, nothing half-made."""

from __future__ import annotations

import io
import json
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from docmgr.documents.models import Document, DocumentFile
from docmgr.extraction import ReadError, extract_bytes
from docmgr.extraction import metadata as metadata_module
from docmgr.extraction import read_bytes
from docmgr.extraction.readers import ReadLimits
from tests.conftest import PASSWORD, make_app, seed_path


EXTENSIONS = ["txt", "md", "html", "htm", "docx", "odt", "doc", "pdf", "bin", ""]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(
    st.binary(max_size=4096),
    st.binary(max_size=512).map(lambda b: b"%PDF-1.4\n" + b),
    st.binary(max_size=512).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=2048).map(lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b),  # an OLE file's head
    st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
), extension=st.sampled_from(EXTENSIONS))
def test_any_bytes_give_text_or_a_read_error(data, extension):
    try:
        extracted = extract_bytes(data, f"tep.{extension}")
    except ReadError as exc:
        assert str(exc) and str(exc) == str(exc).strip()
    else:
        assert isinstance(extracted.read.text, str)


def test_truncated_pdf_and_docx_give_clear_errors(seed_pdf, seed_docx):
    for data, name in ((seed_pdf[: len(seed_pdf) // 3], "cut.pdf"), (seed_docx[: len(seed_docx) // 2], "cut.docx")):
        try:
            read_bytes(data, name)
        except ReadError as exc:
            assert any(word in str(exc) for word in ("PDF", "DOCX", "hỏng", "đọc")), str(exc)
        # a PDF cut after its first pages may still give text: that is fine too


def test_huge_text_is_parsed_only_at_its_start(monkeypatch):
    monkeypatch.setattr(metadata_module, "SCAN_CHARS", 20000)
    text = seed_path("001").read_text(encoding="utf-8") + "\nNội dung thêm.\n" * 5000
    extracted = extract_bytes(text.encode(), "dai.txt")
    assert extracted.metadata.number == "65/KH-UBND"
    assert any("rất dài" in w for w in extracted.warnings)
    assert len(extracted.read.text) > 20000  # the whole text is kept


def _bad_folder(root, seed_pdf, seed_docx):
    folder = root / "xau"
    folder.mkdir()
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w/>" + b"0" * (ReadLimits().max_decompressed + 10))
    files = {
        "rong.txt": b"",
        "ngau-nhien.pdf": b"%PDF-1.5\n" + bytes(range(256)) * 8,
        "cat-doi.docx": seed_docx[: len(seed_docx) // 2],
        "bom.docx": bomb.getvalue(),
        "gia-pdf.pdf": "KẾ HOẠCH\nthật ra là văn bản".encode(),  # claims to be a PDF: refused
        "pdf-that.txt": seed_pdf,  # a real PDF under a wrong extension: sniffed and read
        "script.html": b"<html><script>alert(1)</script><p>K\xe1\xba\xbe HO\xe1\xba\xa0CH</p></html>",
        "ma-cu.txt": "Céng hßa x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\n".encode(),
        "that.pdf": seed_pdf + b"\n% another copy",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def test_a_folder_of_bad_files_imports_the_good_ones_and_reports_the_rest(app, runner, tmp_path, seed_pdf,
                                                                          seed_docx):
    folder = _bad_folder(tmp_path, seed_pdf, seed_docx)
    result = runner.invoke(args=["docmgr", "import", str(folder), "--json"])
    summary = json.loads(result.output)
    failed = {f["path"].rsplit("/", 1)[1]: f["error"] for f in summary["failed"]}
    assert set(failed) == {"rong.txt", "ngau-nhien.pdf", "cat-doi.docx", "bom.docx", "gia-pdf.pdf"}, failed
    assert "rỗng" in failed["rong.txt"] and "zip bomb" in failed["bom.docx"]
    assert "định dạng" in failed["gia-pdf.pdf"]
    assert summary["imported"] == 4
    with app.app_context():
        from docmgr.db import session

        assert session().scalar(select(func.count()).select_from(Document)) == 4
        legacy = session().scalars(
            select(Document).join(DocumentFile).where(DocumentFile.filename == "ma-cu.txt")).one()
        assert any("bảng mã cũ" in w for w in legacy.warnings)
        assert legacy.text.startswith("Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc")  # converted
    check = runner.invoke(args=["docmgr", "check", "--json", "--grace-hours", "0"])
    assert json.loads(check.output)["ok"], check.output  # failed files left nothing in the store
    assert len(list(folder.iterdir())) == 9  # the source files are all still there


BOUNDARY = "docmgr-test-boundary"


def _multipart(filename: str, data: bytes) -> bytes:
    """A multipart body as bytes (the test client would spool a large one to a temporary file)."""
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"direction\"\r\n\r\nincoming\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: text/plain\r\n\r\n").encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def test_uploads_above_the_configured_limit_are_refused_with_a_message(tmp_path, database_url):
    app = make_app(tmp_path, database_url, DOCMGR_MAX_UPLOAD_MB=1)
    from docmgr.auth.operations import create_user

    create_user(app, "clerk", PASSWORD, {"clerk"})
    client = app.test_client()
    client.post("/login", data={"username": "clerk", "password": PASSWORD})
    for url in ("/documents/upload", "/api/documents"):
        response = client.post(url, data=_multipart("lon.txt", b"a" * (2 * 1024 * 1024)),
                               content_type=f"multipart/form-data; boundary={BOUNDARY}")
        assert response.status_code == 413
        message = response.json["error"] if "/api/" in url else response.text
        assert "vượt quá dung lượng cho phép (tối đa 1 MB)" in message
    assert not list((tmp_path / "files").glob("??/??/*"))  # nothing stored
    app.extensions["docmgr"].engine.dispose()
