"""``docmgr bench ocr``: scans made from the sample documents, imported through the real pipeline.

Each sample document is printed as its office would print it (Phụ lục I), rendered at 300 dpi and saved as
an image-only PDF: once clean, once degraded (skew, blur, noise, specks, JPEG; docmgr.ocr.scans). Each set is
imported into a fresh instance with ``import_paths`` — limited readers, OCR a page at a time on the
worker processes, searchable PDF, documents, index — and timed. The character error rate compares each
page's OCR text with the printed PDF's own text in the same reading order; the metadata read from the
scans is compared with the samples' expected metadata.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from docmgr.bench.archive import bench_app
from docmgr.documents.importer import import_paths
from docmgr.documents.models import Document
from docmgr.extraction.lines import Line, compose
from docmgr.extraction.sandbox import default_workers
from docmgr.instance import SAMPLES, init_instance
from docmgr.ocr import scans


FIELDS = ("number", "issued_on", "issuer", "doc_type", "signer")


def bench_ocr(limit: int | None = None) -> dict:
    """Figures per kind of scan: pages, pages per minute, seconds per page, CER, metadata fields right."""
    expected = {case["file"]: case for case in json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))}
    seeds = sorted(SAMPLES.glob("0*.txt"))[:limit]
    tmp = Path(tempfile.mkdtemp(prefix="docmgr-bench-ocr-"))
    try:
        printed: dict[str, bytes] = {}
        rows = []
        for kind, how in (("clean", scans.Degradation()), ("degraded", scans.Degradation.degraded())):
            root = tmp / kind
            folder = root / "in"
            folder.mkdir(parents=True)
            app = bench_app(root, None)
            with app.app_context():
                init_instance(app)
                for seed in seeds:
                    if seed.name not in printed:
                        printed[seed.name] = scans.printed_pdf(seed.read_text(encoding="utf-8"))
                    (folder / f"{seed.stem}.pdf").write_bytes(
                        scans.image_only_pdf(scans.scan_pages(printed[seed.name], how, seed=len(seed.stem))))
                state = app.extensions["docmgr"]
                start = time.perf_counter()
                summary = import_paths(state.sessionmaker, state.files, [folder], direction="incoming",
                                       limits=state.read_limits, state=state, ocr=state.ocr)
                seconds = time.perf_counter() - start
                edits = chars = right = fields = 0
                confidences = []
                with state.sessionmaker() as db:
                    for entry in summary.documents:
                        doc = db.get(Document, entry["id"])
                        name = Path(entry["path"]).stem + ".txt"
                        for page in doc.pages:
                            text = compose([Line.from_json(line) for line in page.lines])
                            truth = " ".join(scans.truth_text(printed[name], page.number).split())
                            edits += Levenshtein.distance(" ".join(text.split()), truth)
                            chars += len(truth)
                            confidences.append(page.confidence or 0)
                        for key in FIELDS:
                            value = getattr(doc, key)
                            value = value.isoformat() if hasattr(value, "isoformat") else value
                            right += value == expected[name][key]
                            fields += 1
            pages = summary.ocr_pages
            rows.append({
                "kind": kind, "documents": summary.imported, "failed": len(summary.failed), "pages": pages,
                "seconds": round(seconds, 1), "pages_per_minute": round(pages / seconds * 60, 1),
                "seconds_per_page": round(seconds / max(1, pages), 2),
                "cer_percent": round(100 * edits / max(1, chars), 2),
                "mean_confidence": round(sum(confidences) / max(1, len(confidences)), 1),
                "metadata_fields_right": f"{right}/{fields}",
            })
        return {"workers": app.extensions["docmgr"].read_limits.workers or default_workers(), "rows": rows,
                "targets": {"pages_per_minute_clean": 20, "cer_percent_clean": 2, "cer_percent_degraded": 4}}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
