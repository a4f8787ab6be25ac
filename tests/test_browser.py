"""End to end in Debian's Chromium: the real app, started with its own commands on a loopback port.

The server is `docmgr run` in a child process on a fresh instance (samples
loaded by `docmgr init --sample`, users made by `docmgr user create`), with
CSRF protection on as in production. A failing test leaves a screenshot in
``test-artifacts/`` (or ``$DOCMGR_TEST_ARTIFACTS``).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.servers import ARTIFACTS, DOCMGR, database_for, free_port, require_chromium


pytestmark = pytest.mark.browser

class LiveServer:
    def __init__(self, root: Path, database_url: str):
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DOCMGR_INSTANCE": str(root / "instance"),
            "DOCMGR_SEARCH_INDEX": str(root / "index"),
            "DOCMGR_DATABASE_URL": database_url,
            "FLASK_DEBUG": "0",
        }
        self.process: subprocess.Popen | None = None

    def command(self, *args: str, input: str | None = None) -> str:
        done = subprocess.run([*DOCMGR, *args], env=self.env, capture_output=True, text=True, input=input,
                              timeout=120)
        assert done.returncode == 0, done.stderr + done.stdout
        return done.stdout

    def start(self) -> None:
        self.command("init", "--sample")
        for name, role in (("clerk", "clerk"), ("reader", "reader"), ("reviewer", "reviewer")):
            self.command("user", "create", name, "--role", role, "--password", PASSWORD,
                         "--full-name", name.title())
        # a handler in one of the agency's units, which the leader assigns documents to
        self.command("user", "create", "handler", "--role", "editor", "--password", PASSWORD,
                     "--full-name", "Chuyên viên Văn hóa", "--group", "Phòng Văn hóa - Thông tin")
        self.log = open(self.root / "server.log", "w")  # noqa: SIM115 — closed in stop()
        self.process = subprocess.Popen([*DOCMGR, "run", "--host", "127.0.0.1", "--port", str(self.port)],
                                        env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/login", timeout=1)  # noqa: S310 — loopback
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("docmgr run did not start:\n" + (self.root / "server.log").read_text())

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.log.close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live_server(request, tmp_path_factory):
    require_chromium()
    root = tmp_path_factory.mktemp("live")
    server = LiveServer(root, database_for(request, root, "live"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                  "--disable-default-apps", "--disable-sync", "--no-first-run", "--disable-domain-reliability",
                  "--metrics-recording-only", "--no-pings"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 800},
                                  accept_downloads=True, locale="vi-VN")
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


def login(page, username="clerk", password=PASSWORD, then: str | None = "/documents"):
    """Log in; then (when the password is right) open ``then``, the list of all documents by default."""
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button:has-text('Đăng nhập')")
    if password == PASSWORD:
        page.wait_for_selector("#sidenav")  # logged in: the home page and its navigation
        if then:
            page.goto(then)


def read_upload(page, file: Path, data: bytes, direction: str = "incoming") -> None:
    """As the clerk: upload ``data`` as ``file`` and let docmgr read it into the confirmation form."""
    file.write_bytes(data)
    login(page)
    page.click("text=+ Tải lên văn bản")
    page.set_input_files("input[type=file]", str(file))
    page.select_option("select[name=direction]", direction)
    page.click("button:has-text('Đọc tệp')")


def test_login_refuses_a_wrong_password_then_shows_the_samples(page):
    login(page, password="sai-mat-khau")
    assert page.locator("text=Tên đăng nhập hoặc mật khẩu không đúng").is_visible()
    login(page)
    rows = page.locator("table.documents tbody tr")
    assert rows.count() == 5
    assert page.locator("table.documents").get_by_text("65/KH-UBND", exact=True).is_visible()
    assert page.locator("table.documents").get_by_text("Ủy ban nhân dân tỉnh Quảng Ngãi").is_visible()


def test_filter_by_direction_and_open_a_document(page):
    login(page)
    page.click("#sidenav a:has-text('Văn bản đi')")
    assert page.locator("table.documents tbody tr").count() == 1
    page.click("table.documents >> text=65/KH-UBND")
    assert page.locator("h1").inner_text() == "Kế hoạch 65/KH-UBND"
    assert page.get_by_text("Trần Hoàng Tuấn").first.is_visible()
    with page.expect_download() as download:
        page.click("a.file-link >> nth=0")
    path = download.value.path()
    assert "65/KH-UBND" in Path(path).read_text(encoding="utf-8")


def test_upload_a_docx_confirm_its_metadata_and_find_it(page, seed_docx, tmp_path):
    read_upload(page, tmp_path / "ke-hoach-65.docx", seed_docx)
    assert page.input_value("input[name=number]") == "65/KH-UBND"
    assert page.input_value("input[name=issued_on]") == "20/03/2024"
    assert page.input_value("input[name=signer]") == "Trần Hoàng Tuấn"
    assert "Thường trực Tỉnh ủy" in page.input_value("textarea[name=recipients]")
    page.fill("input[name=arrival_number]", "123")
    # The samples hold this plan already (as the office's outgoing copy): asked before saving.
    assert page.get_by_text("Có thể đã có trong kho").is_visible()
    page.check("input[name=duplicate_ok]")
    page.click("button:text-is('Lưu')")
    page.wait_for_url(re.compile(r".*/documents/\d+$"))
    assert page.get_by_text("ke-hoach-65.docx").is_visible()
    assert page.get_by_text("123").first.is_visible()


def test_edit_a_document_and_see_the_change(page):
    login(page)
    page.click("table.documents >> text=230/KH-UBND")
    page.click("text=Sửa thông tin")
    page.fill("input[name=sector]", "Lao động - Thương binh và Xã hội")
    page.click("button:has-text('Lưu')")
    page.wait_for_url(re.compile(r".*/documents/\d+$"))
    assert page.locator("dd", has_text="Lao động - Thương binh và Xã hội").is_visible()


def test_reader_sees_documents_but_no_upload_or_edit(page):
    login(page, "reader")
    assert page.locator("table.documents tbody tr").count() >= 5
    assert page.locator("text=+ Tải lên văn bản").count() == 0
    page.click("table.documents >> text=65/KH-UBND")
    assert page.locator("text=Sửa thông tin").count() == 0
    page.goto("/documents/upload")
    assert page.get_by_text("Bạn không có quyền").is_visible()


def test_search_with_and_without_diacritics_then_a_facet(page):
    login(page, "reader")
    page.fill("form.searchbox input[name=q]", "Quảng Ngãi")
    page.press("form.searchbox input[name=q]", "Enter")
    page.wait_for_url("**/search?**")
    accented = page.locator("ol.hits li.hit").count()
    assert accented >= 2 and page.locator("ol.hits mark").first.is_visible()
    page.fill("form.searchbox input[name=q]", "quang ngai")
    page.press("form.searchbox input[name=q]", "Enter")
    page.wait_for_url("**q=quang+ngai**")
    assert page.locator("ol.hits li.hit").count() == accented  # the same documents without diacritics
    facet = page.locator("section.facet[data-facet=doc_type] li a").first
    label, count = facet.inner_text(), int(page.locator("section.facet[data-facet=doc_type] li .count").first.inner_text())
    facet.click()
    page.wait_for_url("**f_doc_type=**")
    assert page.locator("ol.hits li.hit").count() == count
    assert page.locator("section.facet[data-facet=doc_type] li.active").inner_text() == f"✕ {label}"


def test_register_and_assign_an_incoming_document(page, seed_docx, tmp_path):
    """The văn thư uploads and registers an incoming document; the leader assigns it."""
    read_upload(page, tmp_path / "cong-van-den.docx", seed_docx)
    page.fill("textarea[name=subject]", "Công văn đến kiểm thử quy trình")
    page.check("input[name=duplicate_ok]")  # the same plan is among the samples
    page.click("button:text-is('Lưu và vào sổ')")  # saved and registered in one step
    page.wait_for_url(re.compile(r".*/documents/\d+$"))
    url = page.url
    assert page.get_by_text(re.compile(r"Đã lưu và vào sổ văn bản đến: số đến \d+")).is_visible()
    assert page.locator(".state").inner_text() == "Vào sổ"
    assert page.locator("table.history tbody tr").count() == 1
    page.click("text=Đăng xuất")
    login(page, "reviewer")
    page.goto(url)
    form = page.locator("form[data-transition=assign]")
    form.locator("select[name=lead_group_id]").select_option(label="Phòng Văn hóa - Thông tin")
    form.locator("input[name=deadline]").fill("30/04/2027")
    form.locator("textarea[name=opinion]").fill("Giao Phòng Văn hóa chủ trì.")
    form.locator("button").click()
    page.wait_for_url(url)
    assert page.locator(".state").inner_text() == "Phân công"
    assert page.locator("dd", has_text="Phòng Văn hóa - Thông tin").first.is_visible()
    assert page.locator("table.history tbody tr").count() == 2
    assert page.locator("table.history").get_by_text("Reviewer").is_visible()


def test_print_a_distribution_list_and_the_outgoing_register(page):
    """The văn thư downloads printed PDFs from the document page and the register page."""
    from pypdf import PdfReader

    def pdf_text(download) -> str:
        assert download.suggested_filename.endswith(".pdf")
        return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(download.path()).pages))

    login(page)
    page.click("#sidenav a:has-text('Văn bản đi')")
    page.click("table.documents >> text=65/KH-UBND")
    page.click("summary:has-text('In')")  # the print menu offers the forms that apply to an outgoing document
    assert page.locator(".print-menu >> text=Phiếu giải quyết").count() == 0
    with page.expect_download() as download:
        page.click(".print-menu >> text=Danh sách nơi nhận")
    text = pdf_text(download.value)
    assert "DANHSÁCHNƠINHẬN" in text and "Ủybannhândânhuyện" + "LýSơn" in text
    page.click("#sidenav >> text=Sổ và in ấn")
    form = page.locator("form.register-form")
    form.locator("select[name=direction]").select_option("outgoing")
    form.locator("input[name=from]").fill("2024-01-01")
    form.locator("input[name=to]").fill("2024-12-31")
    form.locator("button").click()  # a register is a background print: its page, then its download
    page.wait_for_selector("text=Tải tệp PDF", timeout=30000)
    assert "Sổ đăng ký văn bản đi, 01/01/2024–31/12/2024" in page.inner_text("main")
    with page.expect_download() as download:
        page.click("text=Tải tệp PDF")
    text = pdf_text(download.value)
    assert "SỔĐĂNGKÝVĂNBẢNĐI" in text and "Năm:2024" in text and "65/KH-UBND" in text
