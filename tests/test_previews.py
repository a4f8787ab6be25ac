"""Pages as images beside the metadata: drawn in a limited worker, kept in one size-limited cache."""

from __future__ import annotations

import io
import os
import time

import pytest
from PIL import Image
from sqlalchemy import select

from docmgr.documents.models import Document
from docmgr.pages.cache import PageCache


@pytest.fixture
def database_url(tmp_path):
    """Previews are about files: SQLite only."""
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


def test_the_cache_keeps_the_recently_used_pages_within_its_size(tmp_path):
    cache = PageCache(tmp_path / "cache", max_bytes=3000)
    for n in range(3):
        cache.put(f"trang-{n}", bytes([n]) * 1000)
        os.utime(cache._path(f"trang-{n}"), (time.time() - 100 + n, time.time() - 100 + n))
    assert cache.get("trang-0") == b"\x00" * 1000  # used now: the newest
    cache.put("trang-3", b"\x03" * 1000)  # past the size: the least recently used goes
    assert cache.get("trang-1") is None and cache.get("trang-0") is not None and cache.size() <= 3000
    assert cache.get_or_make("trang-4", lambda: b"moi") == b"moi" and cache.get("trang-4") == b"moi"
    with pytest.raises(ValueError):
        cache.get("../../etc/passwd")


def _png_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        return image.size


def test_the_confirm_form_shows_the_pages_of_the_file_and_the_document_page_too(app, client, auth, seed_pdf):
    auth.login("clerk")
    form = client.post("/documents/upload", data={"file": (io.BytesIO(seed_pdf), "kh.pdf")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert 'class="card page-preview"' in form.text and "/intakes/1/pages/1.png?w=900" in form.text
    page = client.get("/intakes/1/pages/1.png?w=900")
    assert page.status_code == 200 and _png_size(page.data)[0] == pytest.approx(900, abs=2)
    assert page.headers["Cache-Control"] == "private, max-age=3600"
    cache = app.extensions["docmgr"].pages
    assert len(cache.entries()) == 1
    assert client.get("/intakes/1/pages/1.png?w=880").data == page.data  # the nearest size, from the cache
    assert len(cache.entries()) == 1
    assert client.get("/intakes/1/pages/99.png").status_code == 404
    auth.logout()
    auth.login("reader")
    assert client.get("/intakes/1/pages/1.png").status_code == 403  # a reader sends no files
    auth.logout()

    auth.login("clerk")
    saved = client.post("/intakes/1/confirm", data={"direction": "incoming", "doc_type": "Kế hoạch",
                                                    "issuer": "Sở Khoa học và Công nghệ", "subject": "Thi đua"})
    doc_id = int(saved.location.rsplit("/", 1)[1])
    with app.app_context():
        from docmgr.db import session

        main = session().scalars(select(Document).where(Document.id == doc_id)).one().files[0]
    detail = client.get(f"/documents/{doc_id}").text
    assert f"/documents/{doc_id}/files/{main.id}/pages/1.png?w=400" in detail
    thumb = client.get(f"/documents/{doc_id}/files/{main.id}/pages/1.png?w=400")
    assert thumb.status_code == 200 and _png_size(thumb.data)[0] == pytest.approx(400, abs=2)


def test_a_text_file_is_shown_as_its_text_not_as_page_images(app, client, auth):
    auth.login("clerk")
    form = client.post("/documents/upload", data={"file": (io.BytesIO("KẾ HOẠCH\nThử".encode()), "a.txt")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert 'class="doc-text preview-text">KẾ HOẠCH' in form.text  # shown as its text, beside the fields
    assert "<img" not in form.text.split("page-preview")[1]
    assert client.get("/intakes/1/pages/1.png").status_code == 404
