"""Benchmarks: commands that print figures (never timed tests)."""

from __future__ import annotations

import json
import lzma
import resource
import shutil
import tempfile
import time
from pathlib import Path

from docmgr.config import PROJECT_ROOT

DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus" / "vn-pages.jsonl.xz"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def iter_corpus(path: Path, limit: int | None = None):
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                return
            yield json.loads(line)


def bench_import(corpus: Path | None = None, limit: int | None = None, import_limit: int = 2000) -> dict:
    """Extraction alone over the corpus, then a full import (store + database) of a sample.

    Pages are streamed, never all held at once, so the peak memory reported
    is that of extracting and importing, not of the benchmark's own list.
    """
    from docmgr.extraction import extract_bytes

    corpus = corpus or DEFAULT_CORPUS
    if not corpus.exists():
        raise SystemExit(f"Không thấy kho ngữ liệu {corpus}; chỉ định bằng --corpus.")
    pages = total_bytes = 0
    extract_s = 0.0
    for page in iter_corpus(corpus, limit):
        data = page["text"].encode()
        start = time.perf_counter()
        extract_bytes(data, page["name"])
        extract_s += time.perf_counter() - start
        pages += 1
        total_bytes += len(data)
    extract_rss = _peak_rss_mb()
    import_n, import_s = _bench_full_import(corpus, min(pages, import_limit))
    return {
        "pages": pages,
        "megabytes": round(total_bytes / 1e6, 1),
        "extract_docs_per_s": round(pages / extract_s, 1),
        "extract_mb_per_s": round(total_bytes / 1e6 / extract_s, 2),
        "extract_peak_rss_mb": round(extract_rss, 1),
        "import_docs": import_n,
        "import_docs_per_s": round(import_n / import_s, 1),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def _bench_full_import(corpus: Path, count: int) -> tuple[int, float]:
    """Import ``count`` corpus pages written out as .md files; (documents, seconds)."""
    from docmgr import create_app
    from docmgr.setup import init_instance, run_import

    tmp = Path(tempfile.mkdtemp(prefix="docmgr-bench-"))
    try:
        folder = tmp / "in"
        folder.mkdir()
        for page in iter_corpus(corpus, count):
            (folder / page["name"]).write_text(page["text"], encoding="utf-8")
        app = create_app({
            "SECRET_KEY": "bench", "DOCMGR_DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "DOCMGR_FILES": str(tmp / "files"), "DOCMGR_SEARCH_INDEX": str(tmp / "index"),
        })
        with app.app_context():
            init_instance(app)
            start = time.perf_counter()
            summary = run_import(app, [folder], direction="incoming")
            elapsed = time.perf_counter() - start
        return summary.imported, elapsed
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
