"""HTML → PDF with WeasyPrint, offline: the only resources are the fonts shipped in docmgr/static/fonts.

Templates link the fonts as ``docmgr-font:<file>``; :class:`OfflineFetcher` serves
those from memory and refuses every other URL (``file:``, ``http:``, ``data:``…),
so nothing a document's text could smuggle in is ever fetched. Text reaches the
templates through Jinja's autoescaping, as in the web pages.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path


FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT_SCHEME = "docmgr-font:"
FONT_FAMILY = "DocMgr Serif"
FONT_FILES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
    ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
}


@lru_cache(maxsize=None)
def _font_bytes(name: str) -> bytes:
    return (FONT_DIR / name).read_bytes()


def font_faces() -> str:
    """The @font-face rules of the shipped font (Liberation Serif, metric-compatible with Times New Roman)."""
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{FONT_SCHEME}{name}"); }}'
        for (weight, style), name in FONT_FILES.items())


# WeasyPrint is imported on the first print, not with the module: it loads Pango, HarfBuzz and fontconfig
# (0.5 s and ~40 MB) into every process that imports docmgr, most of which never print.
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OfflineFetcher(URLFetcher):
        """Serves the shipped fonts; refuses everything else (WeasyPrint then leaves the resource out)."""

        def __init__(self):
            super().__init__(allowed_protocols=())
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            name = url[len(FONT_SCHEME):] if url.startswith(FONT_SCHEME) else None
            if name in FONT_FILES.values():
                return URLFetcherResponse(url, _font_bytes(name), {"Content-Type": "font/ttf"})
            self.refused.append(url)
            raise ValueError(f"docmgr in không tải tài nguyên ngoài: {url[:200]}")

    return OfflineFetcher


def fetcher():
    return _fetcher_class()()


def render_document(html: str, url_fetcher=None):
    """Lay out ``html``: a WeasyPrint Document (its pages, anchors; ``write_pdf``)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=FONT_SCHEME, url_fetcher=url_fetcher or fetcher()).render()


def html_to_pdf(html: str) -> bytes:
    return render_document(html).write_pdf()


@lru_cache(maxsize=None)
def layout_version() -> str:
    """What else than the HTML decides a layout: WeasyPrint's version and the shipped fonts."""
    fonts = hashlib.sha256(b"".join(_font_bytes(name) for name in sorted(FONT_FILES.values()))).hexdigest()[:16]
    return f"weasyprint {version('weasyprint')}, fonts {fonts}"
