"""A file read whole: the text its readers find, then its scanned pages read by OCR, page by page in the
limited worker processes (never more at once than the pool's workers: the cores, at most 2), with
progress; the metadata parsed from the whole text; a searchable PDF made of it. Every step runs on the
untrusted file in a limited worker (:mod:`docmgr.extraction.sandbox`); the original is never changed.
"""

from __future__ import annotations

import dataclasses
import functools
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from docmgr.extraction import Extracted, extract_metadata, with_package
from docmgr.extraction.readers import ReadError, ReadLimits
from docmgr.extraction.sandbox import extract_path, run_limited, submit
from docmgr.ocr import (
    POOR_CONFIDENCE,
    OcrPage,
    OcrSettings,
    OcrUnavailable,
    check_installed,
    ocr_page,
    searchable_pdf,
    summarize,
)
from docmgr.signatures import SignatureInfo
from docmgr.signatures.verify import SignatureSettings, verify_pdf
from docmgr.text import clean_lines


Progress = Callable[[int, int], None]  # (pages done, pages to read)


def read_file(path: str | Path, filename: str = "", limits: ReadLimits | None = None,
              ocr: OcrSettings | None = OcrSettings(), progress: Progress | None = None,
              signatures: SignatureSettings | None = SignatureSettings()) -> Extracted:
    """Read and parse the file at ``path`` (named ``filename`` by its sender): scanned pages by OCR, a PDF's
    digital signatures verified."""
    limits = limits or ReadLimits()
    return complete(extract_path(path, filename or Path(path).name, limits), path, limits, ocr, progress,
                    signatures)


@functools.lru_cache(maxsize=4)
def _ocr_problem(language: str) -> str | None:
    try:
        check_installed(language)
    except OcrUnavailable as exc:
        return str(exc)
    return None


def _page_at(path: str, fmt: str, number: int, settings: OcrSettings) -> OcrPage:
    with open(path, "rb") as fh:
        return ocr_page(fh.read(), fmt, number, settings)


def _searchable_at(path: str, fmt: str, page_count: int, pages: list[OcrPage]) -> bytes:
    with open(path, "rb") as fh:
        return searchable_pdf(fh.read(), fmt, page_count, pages)


def _signatures_at(path: str, roots: tuple[bytes, ...], online: bool) -> list[SignatureInfo]:
    with open(path, "rb") as fh:
        return verify_pdf(fh.read(), roots, online)


def complete(extracted: Extracted, path: str | Path, limits: ReadLimits, ocr: OcrSettings | None,
             progress: Progress | None = None, signatures: SignatureSettings | None = SignatureSettings()) -> Extracted:
    """``extracted`` (what the readers found) with its scanned pages read by OCR and, for a PDF, its digital
    signatures verified (``signatures`` None: not looked at). For an edXML package, that is done on the
    document it carries (written to a temporary file the limited workers read)."""
    package = extracted.read.package
    if package is None or package.main is None:
        return _completed(extracted, path, limits, ocr, progress, signatures)
    with tempfile.TemporaryDirectory(prefix="docmgr-edxml-") as tmp:
        main = Path(tmp) / "main"
        main.write_bytes(package.main.data)
        return _completed(extracted, main, limits, ocr, progress, signatures)


def _completed(extracted: Extracted, path: str | Path, limits: ReadLimits, ocr: OcrSettings | None,
               progress: Progress | None, signatures: SignatureSettings | None) -> Extracted:
    extracted = _with_ocr(extracted, path, limits, ocr, progress)
    if extracted.read.format != "pdf" or signatures is None:
        return extracted
    try:
        found = run_limited(_signatures_at, str(path), signatures.trust_roots, signatures.online, limits=limits)
    except ReadError as exc:
        return dataclasses.replace(extracted, read=dataclasses.replace(
            extracted.read, warnings=[*extracted.read.warnings, f"Không kiểm tra được chữ ký số: {exc}"]))
    warnings = [f"Chữ ký số «{s.field}» ({s.signer or 'không rõ người ký'}): {s.summary_title}."
                for s in found if s.summary in ("modified", "expired", "unreadable")]
    metadata = extracted.metadata
    person = next((s for s in reversed(found) if s.is_person and s.summary != "unreadable"), None)
    if not metadata.signer and person is not None:
        metadata = dataclasses.replace(metadata, signer=person.signer)
        warnings.append(f"Người ký «{person.signer}» lấy từ chữ ký số (văn bản không ghi tên người ký): "
                        "kiểm tra lại.")
    return dataclasses.replace(extracted, metadata=metadata, signatures=found, read=dataclasses.replace(
        extracted.read, warnings=[*extracted.read.warnings, *warnings]))


def needs_ocr(extracted: Extracted, ocr: OcrSettings | None) -> bool:
    """Has the file pages with no text that OCR would read (enabled and installed)? Such a file takes
    seconds a page: it is read in the background."""
    return bool(extracted.read.ocr_pages) and ocr is not None and ocr.enabled and not _ocr_problem(ocr.language)


def _with_ocr(extracted: Extracted, path: str | Path, limits: ReadLimits, ocr: OcrSettings | None,
              progress: Progress | None) -> Extracted:
    """The scanned pages read by OCR; unchanged when there are none. A page OCR cannot read is reported and
    the others are kept; without Tesseract the file is kept with a warning that says what to install."""
    read = extracted.read
    if not read.ocr_pages:
        return extracted
    no_text = not read.text.strip()
    if ocr is None or not ocr.enabled or _ocr_problem(ocr.language):
        reason = "đọc chữ từ ảnh (OCR) đang tắt" if ocr is None or not ocr.enabled else _ocr_problem(ocr.language)
        pages = ", ".join(map(str, read.ocr_pages))
        return dataclasses.replace(extracted, read=dataclasses.replace(read, warnings=[*read.warnings, (
            f"Trang {pages} của tệp cần đọc bằng OCR (bản quét, hoặc lớp chữ không dùng được) nhưng {reason}: "
            + ("cần nhập siêu dữ liệu bằng tay." if no_text else "các trang đó chưa được đọc."))]))
    start = time.perf_counter()
    fmt = read.format
    warnings: list[str] = []
    wanted = read.ocr_pages[:ocr.max_pages]
    if len(read.ocr_pages) > len(wanted):
        warnings.append(f"Bản quét có {len(read.ocr_pages)} trang không có lớp chữ: chỉ đọc bằng OCR "
                        f"{len(wanted)} trang đầu (DOCMGR_OCR_MAX_PAGES); tệp gốc vẫn được lưu nguyên vẹn.")
    pending = [(n, submit(_page_at, str(path), fmt, n, ocr, limits=limits)) for n in wanted]
    if progress:
        progress(0, len(pending))
    pages: list[OcrPage] = []
    for done, (number, task) in enumerate(pending, start=1):
        try:
            pages.append(task.result())
        except ReadError as exc:
            warnings.append(f"Trang {number} không đọc được bằng OCR: {exc}")
        if progress:
            progress(done, len(pending))
    texts = list(read.page_texts or [""] * (read.page_count or 0))
    for page in pages:
        if page.number <= len(texts):
            texts[page.number - 1] = page.text
    text = clean_lines("\n".join(texts))
    summary = summarize(pages, time.perf_counter() - start)
    if summary.poor_pages:
        listed = ", ".join(f"{n} ({summary.page_confidence[n] or 0:.0f}%)" for n in summary.poor_pages)
        warnings.append(f"Bản quét đọc kém ở trang {listed}, dưới {POOR_CONFIDENCE:.0f}% độ tin cậy: "
                        "kiểm tra lại siêu dữ liệu và nội dung với bản gốc.")
    searchable = None
    if pages:
        try:
            searchable = run_limited(_searchable_at, str(path), fmt, read.page_count or len(texts), pages,
                                     limits=limits)
        except ReadError as exc:
            warnings.append(str(exc))
    read = dataclasses.replace(read, text=text, page_texts=texts, warnings=[*read.warnings, *warnings])
    metadata = with_package(read, run_limited(extract_metadata, text, limits=limits))
    return Extracted(read, metadata, ocr=summary, searchable_pdf=searchable,
                     lines=[line for page in pages for line in page.lines], signatures=extracted.signatures)
