"""One page image → Tesseract → words with their boxes and confidences, and a PDF page of invisible text.

Tesseract is run as its command-line program: one run gives both outputs (``tsv`` for the words, ``pdf``
with ``textonly_pdf=1`` for the text layer laid over the page). ``OMP_THREAD_LIMIT=1``: pages are read in
parallel by the worker processes, and Tesseract's own threads on top of that cost 4–7× on two cores.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from docmgr.extraction.readers import ReadError


LANGUAGE = "vie"


class OcrUnavailable(ReadError):
    """Tesseract or its Vietnamese data is not installed; the message says what to install."""


@dataclass
class Word:
    text: str
    confidence: float  # 0–100
    left: int  # pixels, from the top-left corner of the image
    top: int
    width: int
    height: int
    block: int
    paragraph: int
    line: int


def tesseract_path() -> str:
    path = shutil.which("tesseract")
    if path is None:
        raise OcrUnavailable("Máy chủ chưa cài Tesseract để đọc bản quét (gói Debian tesseract-ocr và "
                             "tesseract-ocr-vie); báo quản trị. Tệp gốc vẫn được lưu.")
    return path


def available_languages() -> set[str]:
    try:
        out = subprocess.run([tesseract_path(), "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return set()
    return {line.strip() for line in out.stdout.splitlines()[1:] if line.strip()}


def check_installed(language: str = LANGUAGE) -> None:
    """Raise :class:`OcrUnavailable` unless Tesseract and ``language`` are installed."""
    if language not in available_languages():
        raise OcrUnavailable(f"Tesseract chưa có dữ liệu tiếng Việt («{language}»; gói Debian tesseract-ocr-vie); "
                             "báo quản trị. Tệp gốc vẫn được lưu.")


def recognize(image: Image.Image, dpi: float, language: str = LANGUAGE, timeout: float = 300,
              layout: int = 3, text_layer: bool = True) -> tuple[list[Word], bytes]:
    """Read ``image`` (drawn at ``dpi``): its words, and a one-page PDF of their invisible text whose page is
    the image's size at that resolution (``b""`` when ``text_layer`` is off). ``layout`` is Tesseract's page
    segmentation mode: 3, a page of columns and blocks; 6, one block of text."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory(prefix="docmgr-ocr-") as tmp:
        source = Path(tmp) / "page.png"
        image.save(source, format="PNG", dpi=(dpi, dpi), compress_level=1)
        base = Path(tmp) / "out"
        command = [tesseract_path(), str(source), str(base), "-l", language, "--psm", str(layout),
                   "--dpi", str(round(dpi))] + (["-c", "textonly_pdf=1", "pdf", "tsv"] if text_layer else ["tsv"])
        try:
            run = subprocess.run(command, capture_output=True, env=env, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ReadError(f"Đọc chữ (OCR) một trang mất quá {timeout:g} giây: trang bất thường.") from None
        if run.returncode != 0:
            message = run.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
            raise ReadError(f"Tesseract không đọc được trang ({message[0][:200]}).")
        words = parse_tsv((base.with_suffix(".tsv")).read_text(encoding="utf-8"))
        return words, base.with_suffix(".pdf").read_bytes() if text_layer else b""


def parse_tsv(text: str) -> list[Word]:
    """Tesseract's TSV: one row per word (level 5), with its block, paragraph and line numbers."""
    words = []
    for row in csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5":
            continue
        word = (row.get("text") or "").strip()
        if not word:
            continue
        words.append(Word(word, max(0.0, float(row["conf"])), int(row["left"]), int(row["top"]),
                          int(row["width"]), int(row["height"]), int(row["block_num"]), int(row["par_num"]),
                          int(row["line_num"])))
    return words
