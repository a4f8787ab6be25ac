"""The printed forms: text read back from each PDF, fonts, pages, safety, and every way to print."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import shutil

import pytest
from pypdf import PdfReader
from test_addressbook import DISTRICTS

from docmgr.addressbook.operations import save_organization
from docmgr.audit import AuditEntry
from docmgr.documents.models import Assignment, Document, Recipient
from docmgr.extraction.pdftext import pdf_lines
from docmgr.instance import load_samples
from docmgr.printing import jobs as printing_jobs
from docmgr.printing import layouts, paging, pieces, print_form, print_register
from docmgr.printing import views as printing_views
from docmgr.printing.pdf import fetcher, html_to_pdf, render_document


@pytest.fixture
def samples(app):
    with app.app_context():
        load_samples(app)
    return app


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Text without line breaks or spaces, to find strings that wrapped."""
    return re.sub(r"\s+", "", text)


def page_numbers(pdf: bytes) -> list[str]:
    """The text printed in each page's top margin (above 20 mm): the page number, or nothing."""
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        top = float(page.mediabox.top) - 20 / 25.4 * 72
        found: list[str] = []
        page.extract_text(visitor_text=lambda text, cm, tm, *_: found.append(text)
                          if text.strip() and tm[5] * cm[3] + cm[5] > top else None)
        out.append("".join(found).strip())
    return out


def fonts(pdf: bytes) -> set[str]:
    out = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            out.add(font["/BaseFont"].split("+")[-1])
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
    return out


def test_distribution_list_and_envelopes_of_seed_001(samples):
    with samples.app_context():
        db = samples.extensions["docmgr"].sessionmaker()
        doc = db.get(Document, 1)
        pdf = layouts.distribution_list_pdf(db, doc)
        text = "\n".join(pages_text(pdf))
        assert "DANH SÁCH NƠI NHẬN" in text and "Kế hoạch số 65/KH-UBND ngày 20/03/2024" in text
        for name in [*DISTRICTS, "Bộ Lao động - Thương binh và Xã hội", "Bảo hiểm xã hội tỉnh Quảng Ngãi"]:
            assert flat(name) in flat(text), name
        # the group line's members under one heading row, which comes right before the first of them
        heading = flat("Nhóm «UBND các huyện, thị xã, thành phố»: 13 nơi nhận")
        assert flat(text).count(heading) == 1
        assert flat(text).index(heading) < flat(text).index(flat(DISTRICTS[0])) < flat(text).index(heading) + 80
        assert flat("Đoàn Đại biểu Quốc hội tỉnh* chưa có trong danh bạ") in flat(text)  # flagged, as written
        assert "Lưu nội bộ (không gửi):" in text and "- Lưu: VT, KGVXmy135" in text
        assert "Tổng số: 37 nơi nhận" in text
        assert fonts(pdf) <= {"DocMgr-Serif", "DocMgr-Serif-Bold", "DocMgr-Serif-Italic", "DocMgr-Serif-Bold-Italic"}
        # page numbers from page 2, and the table header repeated there
        later = pages_text(pdf)[1]
        assert page_numbers(pdf)[:2] == ["", "2"] and "STT Nơi nhận Địa chỉ" in later

        envelopes = layouts.envelopes_pdf(db, [doc, db.get(Document, 1)], "DL")
        pages = pages_text(envelopes)
        assert len(pages) == 2 * 35  # two internal units are delivered by hand
        box = PdfReader(io.BytesIO(envelopes)).pages[0].mediabox
        assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (220, 110)
        first = pages[0]
        assert "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" in first and "52 Hùng Vương" in first
        assert "Số/ký hiệu văn bản: 65/KH-UBND" in first and "Kính gửi:" in first
        assert "Bộ Lao động - Thương binh và Xã hội" in first and "12 Ngô Quyền" in first
        assert any(flat("Ủy ban nhân dân huyện Lý Sơn") in flat(p) and "Huyện Lý Sơn, tỉnh Quảng Ngãi" in p for p in pages)
        box = PdfReader(io.BytesIO(layouts.envelopes_pdf(db, [doc], "C4"))).pages[0].mediabox
        assert round(float(box.width) / 72 * 25.4) == 324


@pytest.mark.parametrize("subject, expected", [
    ("tăng cường công tác văn thư", "về tăng cường công tác văn thư"),  # "V/v" dropped, as extracted
    ("Về việc tăng cường công tác văn thư", "về việc tăng cường công tác văn thư"),
    ("V/v: tăng cường công tác văn thư", "về việc tăng cường công tác văn thư"),
    ("VỀ VIỆC TĂNG CƯỜNG", "về việc TĂNG CƯỜNG"),
    ("Vệ sinh môi trường", "về Vệ sinh môi trường"),
])
def test_a_cong_van_is_described_with_one_ve_viec(subject, expected):
    doc = Document(doc_type="Công văn", number="12/UBND-VX", issuer="Sở Nội vụ", subject=subject)
    assert layouts.describe(doc) == f"Công văn số 12/UBND-VX của Sở Nội vụ {expected}"


def test_processing_slip_blank_and_filled(samples):
    with samples.app_context():
        db = samples.extensions["docmgr"].sessionmaker()
        doc = db.get(Document, 3)
        text = pages_text(layouts.processing_slip_pdf(db, doc))[0]
        assert "PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "1. Ý kiến của lãnh đạo cơ quan, tổ chức" in text and "3. Ý kiến đề xuất của người giải quyết" in text
        assert f"Số đến: {doc.arrival_number}" in text.replace(":\n", ": ") or f"Số đến:{doc.arrival_number}" in flat(text)
        assert flat("230/KH-UBND ngày 02/07/2024 của Ủy ban nhân dân tỉnh Đồng Nai") in flat(text)
        assert "Giao đơn vị, cá nhân chủ trì:" in text and "Phòng" not in text
        doc.assignment = Assignment(lead_unit="Phòng Lao động - Thương binh và Xã hội", cooperating_units="Phòng Tài chính",
                                    deadline=dt.date(2024, 8, 15), opinion="Tham mưu kế hoạch triển khai.",
                                    assigned_at=dt.datetime(2024, 7, 5, 9, 0, tzinfo=dt.timezone.utc))
        text = pages_text(layouts.processing_slip_pdf(db, doc))[0]
        assert flat("Giao đơn vị, cá nhân chủ trì: Phòng Lao động - Thương binh và Xã hội") in flat(text)
        assert flat("phối hợp: Phòng Tài chính") in flat(text) and "15/08/2024" in text
        assert "ngày 05 tháng 7 năm 2024" in text and "Tham mưu kế hoạch triển khai." in text
        db.rollback()


def test_outgoing_register_for_2024(samples):
    with samples.app_context():
        db = samples.extensions["docmgr"].sessionmaker()
        pages = pages_text(layouts.register_pdf(db, "outgoing", dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
        cover, table = pages[0], "\n".join(pages[1:])
        assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in cover and "Năm: 2024" in cover
        assert "Từ ngày 01/01/2024 đến ngày 31/12/2024" in cover and "Từ số 65/KH-UBND đến số 65/KH-UBND" in cover
        assert flat("Số, ký hiệu văn bản") in flat(table) and "(10)" in table
        assert flat("65/KH-UBND 20/03/2024") in flat(table) and flat("Trần Hoàng Tuấn") in flat(table)
        assert flat("VT, KGVXmy135") in flat(table)
        box = PdfReader(io.BytesIO(layouts.register_pdf(db, "incoming"))).pages[0].mediabox
        assert box.width > box.height  # A4 landscape
        assert fonts(layouts.register_pdf(db, "outgoing")) <= {"DocMgr-Serif", "DocMgr-Serif-Bold",
                                                                "DocMgr-Serif-Italic"}
        db.rollback()


def varied_rows(count: int, seed: int = 7) -> list[dict]:
    """Register rows of every height: one line to more than a page, runs of rows alike among them."""
    words = ("về việc triển khai thực hiện kế hoạch phát triển kinh tế xã hội năm của tỉnh Quảng Ngãi "
             "Ủy ban nhân dân huyện Bình Sơn các sở ban ngành").split()
    rnd = random.Random(seed)
    rows = []
    for i in range(1, count + 1):
        length = rnd.choice([2, 3, 8, 12, 20, 30, 45, 60, 90, 150, 400]) if i % 40 >= 12 else 9  # 12 alike in 40
        rows.append({"id": i, "cells": [
            f"{i}/KH-UBND", "30/11/2024", "Kế hoạch: " + " ".join(rnd.choice(words) for _ in range(length)),
            "Trần Hoàng Tuấn", "; ".join(["Các Sở, ban ngành tỉnh"] * rnd.choice([1, 2, 3, 6])), "VT", "3", "", "",
            ""]})
    return rows


def in_pieces(table: layouts.Table) -> tuple[bytes, pieces.PieceRun]:
    """The table printed in pieces, and what the run did."""
    run = pieces.PieceRun()
    token = pieces.RUN.set(run)
    try:
        return layouts.table_pdf(table), run
    finally:
        pieces.RUN.reset(token)


def one_go(table: layouts.Table) -> list[str]:
    """The text of each page of the table laid out in one go, numbered as the pieces stitched are."""
    return pages_text(pieces.stitch([html_to_pdf(table.one_go_html())], None, table.numbering))


def test_long_tables_in_pieces_have_the_pages_of_one_go(samples, monkeypatch):
    """300 rows of every height in pieces of 30 to 60: cut where pages start anyway, joined where their pages
    meet; stitched, page for page the text of the table laid out in one go, numbered 2, 3, … after the cover."""
    monkeypatch.setattr(layouts, "PIECE_ROWS", (30, 60))
    monkeypatch.setattr(layouts, "PIECE_EVERY", 45)
    rows = varied_rows(300)
    with samples.app_context(), samples.test_request_context():
        db = samples.extensions["docmgr"].sessionmaker()
        table = layouts.register_table(db, "outgoing", dt.date(2024, 1, 1), dt.date(2024, 12, 31), rows=rows)
        plan = table.plan()
        assert len(plan.starts) >= 4 and all(30 <= b - a <= 80 for a, b in zip(plan.starts, plan.starts[1:]))
        assert plan.tall and len(plan.tall) < len(rows) // 2  # some rows go on over the next page, most do not
        stitched, run = in_pieces(table)
        assert len(pages_text(stitched)) > 40 and pages_text(stitched) == one_go(table)
        assert run.pieces == len(plan.starts) and run.missed == 0
        numbers = page_numbers(stitched)
        assert numbers == [""] + [str(n) for n in range(2, len(numbers) + 1)]
        found = re.findall(r"\b(\d+)/KH-UBND\b", "\n".join(pages_text(stitched)[1:]))
        assert sorted(map(int, set(found))) == list(range(1, 301))  # every row
        assert fonts(stitched) <= {"DocMgr-Serif", "DocMgr-Serif-Bold", "DocMgr-Serif-Italic"}  # numbers too
        db.rollback()


def test_pages_foreseen_are_the_pages_laid_out(samples):
    """printing.paging foresees where WeasyPrint starts a page with a whole row, from the font's widths and
    one measured page: on 300 rows of every height, every such page, and no other."""
    with samples.app_context(), samples.test_request_context():
        db = samples.extensions["docmgr"].sessionmaker()
        table = layouts.register_table(db, "outgoing", dt.date(2024, 1, 1), dt.date(2024, 12, 31),
                                       rows=varied_rows(300, seed=11))
        units = table.units()
        foreseen = paging.foresee(units, table.geometry(units), table.tall(units))
        document = render_document(table.html(0, len(table.rows), cover=True, final=True, tall=table.tall(),
                                              ids=True))
        top = render_document(table.html(0, 3, cover=False, final=False, ids=True)).pages[0].anchors["row-0"][1]
        seen, starts = set(), []
        for page in document.pages:
            rows = {int(name[4:]): box for name, box in page.anchors.items() if name.startswith("row-")}
            first = min(rows, default=None)
            if first not in seen and first and abs(rows[first][1] - top) < 0.5:  # a whole row at the top
                starts.append(first)
            seen |= set(rows)
        assert len(document.pages) > 40 and len(starts) > 20
        assert foreseen == starts
        db.rollback()


def test_pieces_that_do_not_meet_are_laid_out_as_one(samples, monkeypatch):
    """Pages foreseen wrong (here: every foreseen start moved one row on): the pieces do not meet where they
    should, and are laid out again as one; the pages are still those of one go."""
    monkeypatch.setattr(layouts, "PIECE_ROWS", (30, 60))
    monkeypatch.setattr(layouts, "PIECE_EVERY", 45)
    monkeypatch.setattr(layouts, "JOIN_PAGES", 0)
    wrong = paging.foresee
    monkeypatch.setattr(paging, "foresee", lambda *args: [start + 1 for start in wrong(*args)])
    with samples.app_context(), samples.test_request_context():
        db = samples.extensions["docmgr"].sessionmaker()
        table = layouts.register_table(db, "outgoing", dt.date(2024, 1, 1), dt.date(2024, 12, 31),
                                       rows=varied_rows(150, seed=3))
        stitched, run = in_pieces(table)
        assert run.missed >= 1 and pages_text(stitched) == one_go(table)
        db.rollback()


def test_register_pages_are_full_with_the_heads_on_every_page_and_dates_whole(samples):
    """Rows of every height: a page ends when its next row does not fit (a tall one goes on over the next page,
    the column heads above its continuation), so no page is left short by more than a row; no date wraps
    ("30/11/202" / "6")."""
    with samples.app_context(), samples.test_request_context():
        db = samples.extensions["docmgr"].sessionmaker()
        rows = [{"id": i, "cells": [f"{i}/QĐ-UBND", "30/11/2026", "Quyết định: Về việc phê duyệt kế hoạch " * (i % 4 + 1),
                                    "Trần Hoàng Tuấn", "; ".join(f"UBND xã Số {k} huyện Bình Sơn"
                                                                 for k in range(60 if i % 7 == 3 else i % 3 + 1)),
                                    "VT", "3", "30/11/2026", "", ""]} for i in range(41)]
        table = layouts.register_table(db, "outgoing", dt.date(2026, 1, 1), dt.date(2026, 12, 31), rows=rows)
        pdf = layouts.register_pdf(db, "outgoing", dt.date(2026, 1, 1), dt.date(2026, 12, 31), rows=rows)
        pages = PdfReader(io.BytesIO(pdf)).pages
        for number in range(1, len(pages)):
            lines = pdf_lines(pdf, number + 1)
            heads = " ".join(line.text for line in lines[:60])
            assert "Người ký" in heads and "(1)" in heads and "(10)" in heads, number + 1
            assert not any(line.text.rstrip().endswith(("/202", "/20")) for line in lines), number + 1
        assert flat(" ".join(pages_text(pdf))).count("30/11/2026") == 2 * 41
        # Full pages: where a page ends short, the row that starts the next did not fit in what was left.
        document = render_document(table.html(0, len(rows), cover=True, final=True, tall=table.tall(), ids=True))
        assert len(document.pages) == len(pages) and table.tall()
        bottom = document.pages[1].height - layouts.REGISTER_NUMBERING.bottom_mm * paging.PX_PER_MM
        boxes = [{int(name[4:]): box for name, box in page.anchors.items() if name.startswith("row-")}
                 for page in document.pages]
        for here, there in zip(boxes[1:], boxes[2:]):
            first = min(there)
            if first not in here:  # the next page starts with a whole row
                x0, y0, x1, y1 = there[first]
                assert max(box[3] for box in here.values()) + (y1 - y0) > bottom, (first, here, there)
        db.rollback()


def test_a_reprint_lays_out_only_the_piece_that_changed(samples, monkeypatch):
    monkeypatch.setattr(layouts, "PIECE_ROWS", (20, 40))
    monkeypatch.setattr(layouts, "PIECE_EVERY", 30)
    rows = [{"id": i, "cells": [f"{i}/KH", "01/01/2024", f"Kế hoạch số {i} về việc triển khai " * 3, "Người ký",
                                "Nơi nhận", "VT", "1", "", "", ""]} for i in range(1, 201)]
    with samples.app_context(), samples.test_request_context():
        db = samples.extensions["docmgr"].sessionmaker()

        def printed() -> tuple[bytes, pieces.PieceRun]:
            return in_pieces(layouts.register_table(db, "outgoing", dt.date(2024, 1, 1), dt.date(2024, 12, 31),
                                                    rows=rows))

        first, run = printed()
        assert run.pieces >= 4 and run.laid_out == run.pieces and run.cached == 0
        rows[-3]["cells"][2] += " (bổ sung)"  # one line of December changes
        second, run = printed()
        table = layouts.register_table(db, "outgoing", dt.date(2024, 1, 1), dt.date(2024, 12, 31), rows=rows)
        holding = sum("(bổ sung)" in html for html in table.htmls(table.plan()))  # the last, and the one into it
        assert holding in (1, 2) and (run.laid_out, run.cached) == (holding, run.pieces - holding)
        changed = [n for n, page in enumerate(pages_text(second)) if flat("(bổ sung)") in flat(page)]
        assert changed and changed[0] >= len(pages_text(second)) - 2
        assert pages_text(second)[:changed[0]] == pages_text(first)[:changed[0]]
        cache = samples.extensions["docmgr"].print_pieces
        assert cache.size() > 0 and cache.folder.is_relative_to(samples.instance_path)
        shutil.rmtree(cache.folder)  # the cache may be dropped at any time
        third, run = printed()
        assert run.laid_out == run.pieces and pages_text(third) == pages_text(second)


def test_long_distribution_list_in_pieces_keeps_group_headings(samples, monkeypatch):
    from docmgr.addressbook.operations import save_group

    with samples.app_context(), samples.test_request_context():
        db = samples.extensions["docmgr"].sessionmaker()
        members = {}
        for group in ("Các xã miền núi", "Các xã đồng bằng"):
            ids = [save_organization(db, {"name": f"Ủy ban nhân dân xã {n} ({group[7:]})",
                                          "address": f"Thôn {n}, tỉnh Quảng Ngãi"}).id for n in range(1, 31)]
            members[group] = ids
            save_group(db, group, ids)
        doc = Document(direction="outgoing", number="9/CV-X", text="", recipients=[
            Recipient(position=0, text="Các xã miền núi;"), Recipient(position=1, text="Sở Nội vụ;"),
            Recipient(position=2, text="Các xã đồng bằng;"), Recipient(position=3, text="Lưu: VT.")])
        day = dt.date(2024, 3, 20)
        monkeypatch.setattr(layouts, "PIECE_ROWS", (8, 16))  # a page or so a piece
        monkeypatch.setattr(layouts, "PIECE_EVERY", 12)
        table = layouts.distribution_list_table(db, doc, today=day)
        starts = table.plan().starts
        stitched = pages_text(layouts.table_pdf(table))
        assert len(starts) >= 3 and len(stitched) > 3 and stitched == one_go(table)
        text = flat("\n".join(stitched))
        for group in members:
            assert text.count(flat(f"Nhóm «{group}»: 30 nơi nhận")) == 1
        assert "Tổng số: 61 nơi nhận" in stitched[-1] and "ngày 20 tháng 3 năm 2024" in stitched[0]
        for page in stitched:  # a heading is never the last row of a page: a member follows it
            for tail in page.split("Nhóm «")[1:]:
                assert "Ủy ban nhân dân xã" in tail, page
        db.rollback()


def test_document_layout_and_long_names_wrap(samples):
    with samples.app_context():
        db = samples.extensions["docmgr"].sessionmaker()
        text = "\n".join(pages_text(layouts.document_pdf(db, db.get(Document, 1))))
        assert "ỦY BAN NHÂN DÂN TỈNH" in text and "Số: 65/KH-UBND" in text and "Độc lập - Tự do - Hạnh phúc" in text
        assert "Quảng Ngãi, ngày 20 tháng 3 năm 2024" in text and "KẾ HOẠCH" in text
        assert flat("Thực hiện Nghị quyết số 42-NQ/TW ngày 24/11/2023 của Hội nghị lần thứ tám") in flat(text)
        assert "Nơi nhận:" in text and "KT. CHỦ TỊCH" in text and "Trần Hoàng Tuấn" in text
        long_name = ("Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp, giao thông, "
                     "nông nghiệp và phát triển nông thôn tỉnh Quảng Ngãi — Chi nhánh khu vực miền núi phía Tây")
        save_organization(db, {"name": long_name, "address": "Thị trấn Di Lăng, huyện Sơn Hà, tỉnh Quảng Ngãi"})
        doc = Document(direction="outgoing", number="9/CV-X", text="", recipients=[Recipient(position=0, text=long_name)])
        for pdf in (layouts.envelopes_pdf(db, [doc], "DL"), layouts.distribution_list_pdf(db, doc)):
            assert flat(long_name) in flat("\n".join(pages_text(pdf)))
        db.rollback()


HOSTILE = '<img src="file:///etc/passwd"><link rel=stylesheet href="http://198.51.100.1/x.css"> & <b>đậm</b>'


def test_text_is_escaped_and_nothing_is_fetched(samples):
    with samples.app_context():
        db = samples.extensions["docmgr"].sessionmaker()
        doc = db.get(Document, 1)
        doc.subject = HOSTILE
        doc.recipients = [Recipient(position=0, text=HOSTILE)]
        for pdf in (layouts.document_pdf(db, doc), layouts.distribution_list_pdf(db, doc), layouts.envelopes_pdf(db, [doc])):
            assert flat('<img src="file:///etc/passwd">') in flat("\n".join(pages_text(pdf)))
        db.rollback()
    refused = fetcher()
    pdf = html_to_pdf('<p>x</p>')
    assert pdf.startswith(b"%PDF")
    for url in ("file:///etc/passwd", "http://198.51.100.1/x.css", "data:text/css,p{}", "docmgr-font:../../x"):
        with pytest.raises(ValueError):
            refused.fetch(url)
    assert len(refused.refused) == 4
    assert refused.fetch("docmgr-font:LiberationSerif-Regular.ttf").read()[:4] == b"\x00\x01\x00\x00"


def test_print_buttons_api_cli_permissions_and_audit(samples, client, auth, runner, tmp_path):
    auth.login("reader")
    assert client.get("/documents/1/print/recipients").status_code == 403
    assert client.get("/registers/print?direction=outgoing").status_code == 403
    auth.logout()
    auth.login("clerk")
    page = client.get("/documents/1")
    assert "Danh sách nơi nhận" in page.text and "/documents/1/print/envelopes?size=DL" in page.text
    assert "processing-slip" not in page.text  # an outgoing document has no phiếu giải quyết
    incoming = client.get("/documents/2").text  # only the forms that apply: no envelopes, no list to send
    assert "/documents/2/print/processing-slip" in incoming and "In phiếu chuyển" in incoming
    assert "envelopes" not in incoming and "/documents/2/print/recipients" not in incoming
    response = client.get("/documents/1/print/recipients")
    assert response.mimetype == "application/pdf" and "attachment" in response.headers["Content-Disposition"]
    assert "DANH SÁCH NƠI NHẬN" in pages_text(response.data)[0]
    assert client.get("/documents/2/print/processing-slip").mimetype == "application/pdf"
    assert client.get("/documents/1/print/processing-slip").status_code == 400  # outgoing: no processing slip
    assert client.get("/documents/1/print/nothing").status_code == 404
    first = client.post("/documents/2/print/slip", data={"to": "Phòng Văn hóa - Xã hội", "also": "3"})
    second = client.post("/api/documents/2/print/slip", json={"to": "Phòng Tư pháp"})
    assert "Số: 01/PC-VT" in pages_text(first.data)[0] and "Số: 02/PC-VT" in pages_text(second.data)[0]
    assert "Kính gửi: Phòng Văn hóa - Xã hội" in pages_text(first.data)[0]
    assert client.post("/documents/2/print/slip", data={"to": ""}).status_code == 400
    register = client.get("/registers/print?direction=outgoing&from=2024-01-01&to=2024-12-31", follow_redirects=True)
    link = re.search(r'href="([^"]+/pdf)"', register.text).group(1)
    assert "65/KH-UBND" in "".join(pages_text(client.get(link).data))
    assert client.get("/api/registers/incoming.pdf?from=31/12/2024&to=01/01/2024").status_code == 400
    assert client.get("/api/documents/1/print/envelopes?size=A3").status_code == 400
    day = client.get("/print/envelopes?date=2024-03-20&size=C5")
    assert day.mimetype == "application/pdf" and len(pages_text(day.data)) == 35
    assert "In sổ" in client.get("/registers").text
    with samples.app_context():
        from sqlalchemy import select

        db = samples.extensions["docmgr"].sessionmaker()
        entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "print")).all()
        assert {e.detail["form"] for e in entries} >= {"recipients", "processing-slip", "slip", "register-outgoing",
                                                        "envelopes"}
        assert any(e.detail.get("number") == "02/PC-VT" for e in entries)
    out = tmp_path / "list.pdf"
    result = runner.invoke(args=["docmgr", "print", "recipients", "65/kh-ubnd", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert flat("Ủy ban nhân dân huyện Lý Sơn") in flat("".join(pages_text(out.read_bytes())))
    result = runner.invoke(args=["docmgr", "print", "register", "--direction", "outgoing", "--year", "2024",
                                 "-o", str(out)])
    assert result.exit_code == 0 and "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in pages_text(out.read_bytes())[0]
    result = runner.invoke(args=["docmgr", "print", "processing-slip", "4", "-o", str(out), "--user", "reader"])
    assert result.exit_code != 0 and "không có quyền" in result.output
    result = runner.invoke(args=["docmgr", "print", "envelopes", "1", "999", "-o", str(out)])
    assert result.exit_code != 0 and "Không có văn bản «999»" in result.output
    # A day's dispatch from the CLI: the same 35 envelopes as the web page's date=2024-03-20, C5.
    result = runner.invoke(args=["docmgr", "print", "envelopes", "--day", "2024-03-20", "--size", "C5", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert pages_text(out.read_bytes()) == pages_text(day.data)
    box = PdfReader(io.BytesIO(out.read_bytes())).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (229, 162)
    result = runner.invoke(args=["docmgr", "print", "envelopes", "1", "--day", "2024-03-20", "-o", str(out)])
    assert result.exit_code == 0 and len(pages_text(out.read_bytes())) == 35  # document 1 is that day's: once
    result = runner.invoke(args=["docmgr", "print", "envelopes", "--day", "2023-01-02", "-o", str(out)])
    assert result.exit_code != 0 and "Không có văn bản đi nào phát hành ngày 02/01/2023" in result.output
    result = runner.invoke(args=["docmgr", "print", "envelopes", "-o", str(out)])
    assert result.exit_code != 0 and "--day" in result.output


def test_print_functions_refuse_what_cannot_be_printed(samples):
    with samples.app_context():
        db = samples.extensions["docmgr"].sessionmaker()
        doc = db.get(Document, 1)
        with pytest.raises(Exception, match="một văn bản mỗi lần"):
            print_form(db, "recipients", [doc, doc])
        with pytest.raises(Exception, match="Không có mẫu in"):
            print_form(db, "letter", [doc])
        with pytest.raises(Exception, match="Sổ «x»"):
            print_register(db, "x")
        doc.recipients = [Recipient(position=0, text="Lưu: VT")]
        with pytest.raises(Exception, match="phong bì"):
            layouts.envelopes_pdf(db, [doc])
        db.rollback()


def test_the_office_is_found_in_the_address_book_by_name_or_alias(samples):
    with samples.app_context():  # no request: the office's settings are read afresh after each change below
        db = samples.extensions["docmgr"].sessionmaker()
        samples.config["DOCMGR_ORGANIZATION"] = "UBND tỉnh Quảng Ngãi"  # the book holds it spelled out
        save_organization(db, {"name": "Trung tâm Lưu trữ lịch sử tỉnh Quảng Ngãi", "aliases": "Lưu trữ lịch sử tỉnh",
                               "address": "Số 3 Hùng Vương"})
        found = layouts.office(db)
        assert found.entry is not None and found.entry.name == "Ủy ban nhân dân tỉnh Quảng Ngãi"
        samples.config["DOCMGR_ORGANIZATION"] = "LƯU TRỮ LỊCH SỬ Tỉnh"
        assert layouts.office(db).address == "Số 3 Hùng Vương"
        samples.config["DOCMGR_ORGANIZATION"] = "Văn thư cơ quan"
        assert layouts.office(db).entry is None and layouts.office(db).address == ""
        db.rollback()


def test_big_prints_are_jobs_with_a_progress_page_and_a_kept_pdf(samples, client, auth, monkeypatch):
    """A register answers at once with its job's page; the PDF is downloaded from there, kept for a while, and
    the same print asked again while nothing changed is the same job. A list of over 100 addressees (here 10)
    is a job too; a short one prints at once."""
    auth.login("clerk")
    asked = client.get("/registers/print?direction=outgoing&from=2024-01-01&to=2024-12-31")
    assert asked.status_code == 302 and "/prints/" in asked.location
    page = client.get(asked.location)
    assert "Sổ đăng ký văn bản đi, 01/01/2024–31/12/2024" in page.text and "Tải tệp PDF" in page.text
    pdf_url = re.search(r'href="([^"]+/pdf)"', page.text).group(1)
    download = client.get(pdf_url)
    assert download.mimetype == "application/pdf" and "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in pages_text(download.data)[0]
    again = client.get("/registers/print?direction=outgoing&from=2024-01-01&to=2024-12-31")
    assert again.location == asked.location  # kept: the same job, nothing laid out again
    api = client.get("/api/registers/outgoing.pdf?from=2024-01-01&to=2024-12-31")
    assert api.status_code == 202 and api.json["state"] == "done" and api.json["pdf_url"] == pdf_url
    status = client.get(api.json["status_url"]).json
    assert status["progress"]["done"] == status["progress"]["total"] == len(pages_text(download.data))
    client.post("/documents/1/transition", data={"transition": "recall"})  # the data changed: a new print
    monkeypatch.setattr(printing_jobs, "BIG_LIST", 10)
    monkeypatch.setattr(printing_views, "BIG_LIST", 10)
    listed = client.get("/documents/1/print/recipients")
    assert listed.status_code == 302 and "/prints/" in listed.location
    listing = client.get(listed.location)
    assert "Danh sách nơi nhận của văn bản #1" in listing.text
    text = "".join(pages_text(client.get(re.search(r'href="([^"]+/pdf)"', listing.text).group(1)).data))
    assert "Tổng số: 37 nơi nhận" in text
    auth.logout()
    auth.login("admin")  # another user's print answers as missing
    assert client.get(asked.location).status_code == 404 and client.get(pdf_url).status_code == 404
    auth.logout()
    auth.login("clerk")
    samples.config["DOCMGR_PRINT_KEEP_HOURS"] = 0  # past its keeping time: gone, and the page says so
    assert client.get(pdf_url).status_code == 404 and "hết thời gian lưu" in client.get(asked.location).text
