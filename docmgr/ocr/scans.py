"""Realistic scans made from real text, for the tests and ``docmgr bench ocr``.

A document's text (a seed, a corpus page) is laid out as the office would print it (Phụ lục I, through
docmgr's own printing), rendered at 300 dpi as a scanner sees it, then degraded the way paper and scanners
degrade it: a slight skew, blur, noise and specks, JPEG compression. The truth the OCR is measured
against is the printed PDF's own text, composed in the same reading order (:func:`truth_text`).
Needs an app context (the printing templates).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter
from rapidfuzz.distance import Levenshtein

from docmgr.documents.models import Document, Recipient
from docmgr.extraction import extract_metadata
from docmgr.extraction.lines import compose
from docmgr.extraction.pdftext import pdf_lines
from docmgr.pages import RENDER_DPI, pdf_page, pdf_page_count
from docmgr.printing.layouts import document_pdf


@dataclass(frozen=True)
class Degradation:
    """How a page is spoiled: all zero is a clean scan."""

    skew_degrees: float = 0.0
    blur_radius: float = 0.0
    noise_sigma: float = 0.0  # grey levels
    specks: int = 0  # dark dots a page
    jpeg_quality: int | None = None

    @classmethod
    def degraded(cls) -> Degradation:
        """An office scanner on a photocopy: 1.2° of skew, soft focus, grain, dust, JPEG at 55."""
        return cls(skew_degrees=1.2, blur_radius=0.9, noise_sigma=14.0, specks=400, jpeg_quality=55)


def printed_pdf(text: str, label: dict | None = None, paragraphs: int | None = None) -> bytes:
    """``text`` (an official document) printed per Phụ lục I, as the issuing office's PDF.

    The header and the closing show ``label`` (in the format of ``expected.json``) when it is given, else what
    extraction reads from ``text``; ``paragraphs`` keeps only that many of the body's first paragraphs."""
    fields = label if label is not None else extract_metadata(text).as_json()
    issued_on = fields.get("issued_on")
    doc = Document(direction="incoming", text=text, subject=fields.get("subject"), number=fields.get("number"),
                   notation=fields.get("notation"), doc_type=fields.get("doc_type"),
                   issued_on=dt.date.fromisoformat(issued_on) if issued_on else None, place=fields.get("place"),
                   issuer=fields.get("issuer"), parent_issuer=fields.get("parent_issuer"),
                   signer=fields.get("signer"), signer_title=fields.get("signer_title"))
    doc.recipients = [Recipient(position=i, text=line) for i, line in enumerate(fields.get("recipients") or [])]
    return document_pdf(None, doc, paragraphs)


def truth_text(pdf: bytes, number: int) -> str:
    """Page ``number`` of a born-digital PDF as text, in the reading order OCR's text is composed in."""
    return compose(pdf_lines(pdf, number))


def degrade(image: Image.Image, how: Degradation, seed: int = 0) -> Image.Image:
    """A grayscale page spoiled as ``how`` says (deterministic for a ``seed``)."""
    rng = random.Random(seed)
    page = image.convert("L")
    if how.skew_degrees:
        page = page.rotate(how.skew_degrees * (1 if rng.random() < 0.5 else -1), resample=Image.BICUBIC,
                           expand=False, fillcolor=255)
    if how.blur_radius:
        page = page.filter(ImageFilter.GaussianBlur(how.blur_radius))
    if how.noise_sigma or how.specks:
        pixels = np.asarray(page, dtype=np.float32)
        generator = np.random.default_rng(seed)
        if how.noise_sigma:
            pixels = pixels + generator.normal(0, how.noise_sigma, pixels.shape)
        for _ in range(how.specks):
            y, x = generator.integers(0, pixels.shape[0] - 3), generator.integers(0, pixels.shape[1] - 3)
            pixels[y:y + generator.integers(1, 4), x:x + generator.integers(1, 4)] = generator.integers(0, 90)
        page = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
    if how.jpeg_quality:
        out = io.BytesIO()
        page.save(out, format="JPEG", quality=how.jpeg_quality)
        page = Image.open(io.BytesIO(out.getvalue())).convert("L")
        page.info = {}  # the JPEG's own fields, which a TIFF writer would take for tags
    return page


def scan_pages(pdf: bytes, how: Degradation = Degradation(), dpi: int = RENDER_DPI, seed: int = 0,
               pages: list[int] | None = None) -> list[Image.Image]:
    """The pages of ``pdf`` (``pages``, 1-based: all by default) as a scanner's images."""
    numbers = pages or range(1, pdf_page_count(pdf) + 1)
    return [degrade(pdf_page(pdf, n, dpi).image, how, seed + n) for n in numbers]


def image_only_pdf(pages: list[Image.Image], dpi: int = RENDER_DPI) -> bytes:
    """The pages as a PDF of images only (no text layer), as a scanner's "scan to PDF" writes it."""
    out = io.BytesIO()
    pages = [page.copy() for page in pages]  # Pillow leaves a save's options on the appended images
    pages[0].save(out, format="PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return out.getvalue()


def tiff(pages: list[Image.Image], dpi: int = RENDER_DPI) -> bytes:
    """The pages as one multi-page TIFF."""
    out = io.BytesIO()
    pages = [page.copy() for page in pages]  # Pillow leaves a save's options on the appended images
    pages[0].save(out, format="TIFF", dpi=(dpi, dpi), save_all=True, append_images=pages[1:],
                  compression="tiff_lzw")
    return out.getvalue()


def character_error_rate(read: str, truth: str) -> float:
    """Edits (insertions, deletions, substitutions) to turn ``read`` into ``truth``, per character of the
    truth; white space counted as one space."""
    read, truth = " ".join(read.split()), " ".join(truth.split())
    return Levenshtein.distance(read, truth) / max(1, len(truth))
