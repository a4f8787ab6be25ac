"""A day at the office, in Debian's Chromium at desktop (1366 px) and phone (390 px) sizes, on the real app
started with its own commands: the văn thư uploads (a bad file refused, a duplicate caught), saves and
registers in one step and sends a draft for signature; the leader assigns from the home page's counter; the
handler finds the document in a grouped worklist; the văn thư records a leader's bút phê; on a phone the
leader reads, assigns and signs without scrolling sideways.

Screenshots of each step are kept in ``test-artifacts/day/`` to be looked at.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD
from tests.servers import ARTIFACTS, require_chromium
from tests.test_browser import LiveServer, browser  # noqa: F401 — the module's Chromium


pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "day"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 800}


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The app on SQLite (nothing here is about the database), samples loaded, the users of a day."""
    require_chromium()
    root = tmp_path_factory.mktemp("day")
    server = LiveServer(root, f"sqlite:///{root / 'day.sqlite3'}")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def open_page(browser, office):  # noqa: F811
    contexts = []

    def make(size=DESKTOP):
        context = browser.new_context(base_url=office.url, viewport=size, accept_downloads=True, locale="vi-VN",
                                      is_mobile=size is PHONE, has_touch=size is PHONE)
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def login(page, username: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Đăng nhập')")
    page.wait_for_selector("#sidenav", state="attached")  # folded away on a phone


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_sideways_scroll(page) -> None:
    page.wait_for_load_state("load")  # after a click the new page may not have its style sheet yet
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url}: {width} px wide"


def counter(page, queue: str) -> int:
    return int(page.locator(f"a.counter[data-queue={queue}] strong").inner_text())


def upload(page, path, direction="incoming") -> None:
    page.click("text=+ Tải lên văn bản")
    page.set_input_files("input[type=file]", str(path))
    page.select_option("select[name=direction]", direction)
    page.click("button:has-text('Đọc tệp')")


def test_the_clerk_the_leader_and_the_handler(open_page, seed_docx, tmp_path):
    page = open_page()
    login(page, "clerk")
    assert page.locator("a.counter[data-queue=to_register]").is_visible()
    box = page.locator("a.upload-button").bounding_box()
    assert box["height"] < 45  # "+ Tải lên văn bản" on one line at 1366 px
    shot(page, "1-clerk-home")
    # A program named like a PDF: refused on the form, with the reason.
    bad = tmp_path / "cong-van.pdf"
    bad.write_bytes(b"MZ\x90\x00" + bytes(300))
    upload(page, bad)
    assert page.get_by_text(re.compile("tệp chương trình")).is_visible() and page.locator("input[type=file]").count()
    shot(page, "2-refused")
    # The plan the samples already hold: caught before saving, then saved and registered in one step.
    docx = tmp_path / "cong-van-den.docx"
    docx.write_bytes(seed_docx)
    upload(page, docx)
    page.fill("textarea[name=subject]", "Công văn đến kiểm thử một ngày làm việc")
    assert page.get_by_text("Có thể đã có trong kho").is_visible()
    page.click("button:text-is('Lưu và vào sổ')")
    assert page.locator(".has-error, .error").first.is_visible()  # not saved without saying «Vẫn lưu»
    shot(page, "3-duplicate")
    page.check("input[name=duplicate_ok]")
    page.click("button:text-is('Lưu và vào sổ')")
    page.wait_for_url(re.compile(r".*/documents/\d+$"))
    document_url = page.url
    assert page.locator(".state").first.inner_text() == "Vào sổ"
    shot(page, "4-registered")
    page.click("text=Đăng xuất")

    login(page, "reviewer")  # the leader lands on what waits for them
    waiting = counter(page, "to_assign")
    assert waiting >= 1
    shot(page, "5-leader-home")
    page.click("a.counter[data-queue=to_assign]")
    row = page.locator("table.register tbody tr", has_text="Công văn đến kiểm thử một ngày làm việc")
    row.locator("a").first.click()
    page.wait_for_url(document_url)
    form = page.locator("form[data-transition=assign]")
    assert form.locator("input[name=deadline]").input_value()  # the default deadline of its urgency
    form.locator("select[name=lead_group_id]").select_option(label="Phòng Văn hóa - Thông tin")
    form.locator("textarea[name=opinion]").fill("Giao Phòng Văn hóa chủ trì, báo cáo trước hạn.")
    shot(page, "6-assign")
    form.locator("button").click()
    page.wait_for_url(document_url)
    assert page.locator(".state").first.inner_text() == "Phân công"
    page.goto("/")
    assert counter(page, "to_assign") == waiting - 1
    page.click("text=Đăng xuất")

    login(page, "handler")  # the handler finds it in the grouped worklist
    page.click("#sidenav >> text=Việc của tôi")
    group = page.locator("section#to_handle")
    assert group.locator("h2").inner_text().startswith("Cần xử lý")
    shot(page, "7-handler-worklist")
    group.get_by_text("Công văn đến kiểm thử một ngày làm việc").click()
    page.wait_for_url(re.compile(r".*/documents/\d+$"))
    page.click("button:text-is('Bắt đầu xử lý')")
    assert page.locator(".state").first.inner_text() == "Đang xử lý"
    page.click("text=Đăng xuất")

    login(page, "clerk")  # a leader's handwritten instruction on a paper slip, entered by the văn thư
    page.goto("/documents?queue=to_assign")
    assert page.locator("h1").inner_text().startswith("Văn bản đến: chờ phân công")
    page.goto("/documents?direction=incoming&state=registered")
    page.locator("table.register tbody tr a").first.click()
    form = page.locator("form[data-transition=assign]")
    form.locator("select[name=on_behalf_of]").select_option(label="Reviewer")
    form.locator("select[name=lead_group_id]").select_option(label="Phòng Văn hóa - Thông tin")
    form.locator("textarea[name=opinion]").fill("Đồng ý. Giao Phòng Văn hóa.")
    form.locator("button").click()
    assert page.locator("table.history").get_by_text("(nhập thay Reviewer)").is_visible()
    shot(page, "8-on-behalf")


def test_the_leader_on_a_phone(open_page, tmp_path):
    clerk = open_page()
    login(clerk, "clerk")  # a draft the leader is to sign
    draft = tmp_path / "du-thao.txt"
    draft.write_text("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n\nKẾ HOẠCH\nTổ chức hội nghị tổng kết công tác văn thư "
                     "năm 2026\n\nNội dung kế hoạch.\n", encoding="utf-8")
    upload(clerk, draft, direction="outgoing")
    clerk.fill("input[name=doc_type]", "Kế hoạch")
    clerk.fill("textarea[name=subject]", "Tổ chức hội nghị tổng kết công tác văn thư năm 2026")
    clerk.fill("input[name=number]", "")
    if clerk.locator("input[name=duplicate_ok]").count():
        clerk.check("input[name=duplicate_ok]")
    clerk.click("button:text-is('Lưu')")
    clerk.wait_for_url(re.compile(r".*/documents/\d+$"))
    clerk.click("button:text-is('Trình ký')")
    assert clerk.locator(".state").first.inner_text() == "Trình ký"

    page = open_page(PHONE)
    login(page, "reviewer")
    assert not page.locator("#sidenav").is_visible()  # the menu is folded away…
    page.click("button.nav-toggle")
    assert page.locator("#sidenav").is_visible()  # …and opens
    shot(page, "p1-phone-menu")
    page.click("button.nav-toggle")
    no_sideways_scroll(page)
    shot(page, "p2-phone-home")
    page.click("a.counter[data-queue=to_sign]")
    no_sideways_scroll(page)
    card = page.locator("table.register tbody tr", has_text="hội nghị tổng kết công tác văn thư")
    assert card.is_visible()
    shot(page, "p3-phone-cards")
    card.locator("a").first.click()
    no_sideways_scroll(page)
    sign = page.locator("form[data-transition=sign] button")
    assert sign.is_visible() and sign.bounding_box()["x"] + sign.bounding_box()["width"] <= PHONE["width"]
    shot(page, "p4-phone-document")
    sign.click()
    assert page.locator(".state").first.inner_text() == "Đã ký"
    # and assigns an incoming document, still on the phone
    page.goto("/documents?queue=to_assign")
    page.locator("table.register tbody tr a").first.click()
    form = page.locator("form[data-transition=assign]")
    form.locator("select[name=lead_group_id]").select_option(label="Phòng Văn hóa - Thông tin")
    no_sideways_scroll(page)
    form.locator("button").click()
    assert page.locator(".state").first.inner_text() == "Phân công"
    no_sideways_scroll(page)
    shot(page, "p5-phone-assigned")
