"""Reading a file is bounded in time, memory, pages and characters, whatever its size on disk (security
finding 2): the worst file of each kind the attack used, at a smaller scale, with limits to match."""

from __future__ import annotations

import io
import time

import pytest

from docmgr.extraction import ReadError, ReadLimits, hostile, read_bytes
from docmgr.extraction.sandbox import LimitExceeded, extract_path, run_limited


def _burn_cpu():
    while True:
        pass


def _eat_memory(megabytes):
    return len(bytearray(megabytes * 1024 * 1024))


def _worker_pid():
    import os

    return os.getpid()


def test_a_reader_past_its_cpu_time_is_stopped_and_the_pool_goes_on():
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match="quá 1 giây"):
        run_limited(_burn_cpu, limits=ReadLimits(cpu_seconds=1))
    assert time.monotonic() - started < 20
    assert run_limited(_worker_pid) > 0  # a new worker took the stopped one's place


def test_a_reader_past_its_memory_is_refused():
    with pytest.raises(LimitExceeded, match="bộ nhớ"):
        run_limited(_eat_memory, 600, limits=ReadLimits(memory_bytes=300 * 1024 * 1024))
    assert run_limited(_eat_memory, 50, limits=ReadLimits(memory_bytes=300 * 1024 * 1024)) == 50 * 1024 * 1024


def test_a_docx_of_millions_of_empty_paragraphs_is_refused_quickly(tmp_path):
    path = tmp_path / "rong.docx"
    path.write_bytes(hostile.docx_of_empty_paragraphs(3))  # ~500,000 empty paragraphs
    started = time.monotonic()
    with pytest.raises(ReadError, match="phần tử XML"):
        extract_path(path, limits=ReadLimits(max_xml_elements=100_000))
    assert time.monotonic() - started < 10


def test_an_odt_of_millions_of_empty_paragraphs_is_refused(tmp_path):
    path = tmp_path / "rong.odt"
    path.write_bytes(hostile.odt_of_empty_paragraphs(3))
    with pytest.raises(ReadError, match="ODT bất thường: hơn 100.000 phần tử XML"):
        extract_path(path, limits=ReadLimits(max_xml_elements=100_000))


def test_pages_sharing_one_content_stream_are_read_once():
    data = hostile.pdf_of_one_shared_stream(pages=60, operators=5000)
    started = time.monotonic()
    result = read_bytes(data, "chung.pdf")
    assert time.monotonic() - started < 5  # one page's work, not sixty
    assert result.page_count == 60 and result.text.count("a") >= 60 * 5000


def test_past_the_page_and_character_caps_the_text_so_far_is_kept_with_a_warning():
    data = hostile.pdf_of_one_shared_stream(pages=30, operators=100)
    result = read_bytes(data, "nhieu-trang.pdf", limits=ReadLimits(max_pages=10))
    assert result.page_count == 30 and "chỉ đọc 10 trang đầu" in " ".join(result.warnings)
    result = read_bytes(hostile.long_text(2), "dai.txt", limits=ReadLimits(max_chars=100_000))
    assert len(result.text) <= 100_000 and "Văn bản quá dài" in " ".join(result.warnings)


def test_a_pdf_whose_content_inflates_past_the_cap_is_refused():
    data = hostile.pdf_of_one_shared_stream(pages=2, operators=200_000)  # ~1.4 MB of operators, 2 KB packed
    with pytest.raises(ReadError, match="giải nén"):
        read_bytes(data, "phong.pdf", limits=ReadLimits(max_decompressed=512 * 1024))


@pytest.mark.parametrize("charset", ["punycode", "idna", "undefined", "x-no-such-codec", "utf-7"])
def test_html_charsets_outside_the_allow_list_are_read_as_utf8_with_a_warning(charset):
    data = hostile.html_with_charset(charset, kilobytes=300)
    started = time.monotonic()
    result = read_bytes(data, "trang.html")
    assert time.monotonic() - started < 2  # punycode of 300 KB took minutes before
    assert "Uy ban nhan dan" in result.text and "không dùng cho văn bản" in " ".join(result.warnings)


def test_windows_1258_html_still_reads():
    import unicodedata

    text = "<html><head><meta charset='windows-1258'></head><body><p>Hà Nam</p></body></html>"
    data = unicodedata.normalize("NFD", text).encode("cp1258")  # Windows-1258 writes tones as combining marks
    assert "Hà Nam" in read_bytes(data, "cu.html").text


def test_a_hostile_upload_is_kept_and_the_reason_shown(app, client, auth):
    app.extensions["docmgr"].read_limits = ReadLimits(max_xml_elements=100_000)
    auth.login("clerk")
    data = hostile.docx_of_empty_paragraphs(3)
    response = client.post("/documents/upload", data={"direction": "incoming", "file": (io.BytesIO(data), "rong.docx")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "phần tử XML" in response.text  # refused on the form, with the reason
    import hashlib

    assert app.extensions["docmgr"].files.exists(hashlib.sha256(data).hexdigest())  # the original is kept
    empty = client.post("/documents/upload", data={"direction": "incoming", "file": (io.BytesIO(b""), "rong.txt")},
                        content_type="multipart/form-data")
    assert empty.status_code == 400 and "Tệp rỗng" in empty.text


def test_a_batch_reads_each_file_and_a_bad_one_spoils_none_of_the_others(tmp_path):
    from docmgr.extraction.sandbox import submit_extract_batch

    names = {"a.txt": "KẾ HOẠCH\nTổ chức hội nghị".encode(), "gia.pdf": b"not a pdf at all",
             "b.txt": "THÔNG BÁO\nLịch họp".encode()}
    for name, data in names.items():
        (tmp_path / name).write_bytes(data)
    handles = submit_extract_batch([tmp_path / n for n in names])
    assert "hội nghị" in handles[0].result().read.text
    with pytest.raises(ReadError):
        handles[1].result()
    assert "Lịch họp" in handles[2].result().read.text
    # A batch that goes past a limit is read again file by file: each gets its own verdict.
    # 40 MB: well past what a worker may hold freed but still mapped from earlier files (glibc keeps up to
    # 32 MB), which the allowance, counted on top of what the worker holds, would let an 8 MB file use.
    (tmp_path / "lon.txt").write_bytes(hostile.long_text(40))
    starved = submit_extract_batch([tmp_path / "lon.txt"], ReadLimits(memory_bytes=1024 * 1024))
    with pytest.raises(LimitExceeded, match="bộ nhớ"):
        starved[0].result()


def test_an_import_keeps_going_past_a_hostile_file(app, runner, tmp_path):
    app.extensions["docmgr"].read_limits = ReadLimits(max_xml_elements=100_000)
    folder = tmp_path / "den"
    folder.mkdir()
    (folder / "1.txt").write_text("CÔNG VĂN\nV/v tổ chức hội nghị", encoding="utf-8")
    (folder / "2.docx").write_bytes(hostile.docx_of_empty_paragraphs(3))
    (folder / "3.txt").write_text("THÔNG BÁO\nLịch họp giao ban", encoding="utf-8")
    from docmgr.instance import run_import

    with app.app_context():
        summary = run_import(app, [folder], direction="incoming")
    assert summary.imported == 2 and len(summary.failed) == 1
    assert summary.failed[0]["path"].endswith("2.docx") and "phần tử XML" in summary.failed[0]["error"]
