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


def bench_import(corpus: Path | None = None, limit: int | None = None) -> dict:
    """Extraction alone over the corpus, then a full import (store + database) of a sample."""
    from docmgr.extraction import extract_bytes

    corpus = corpus or DEFAULT_CORPUS
    if not corpus.exists():
        raise SystemExit(f"Không thấy kho ngữ liệu {corpus}; chỉ định bằng --corpus.")
    pages = list(iter_corpus(corpus, limit))
    total_bytes = sum(len(p["text"].encode()) for p in pages)
    start = time.perf_counter()
    for page in pages:
        extract_bytes(page["text"].encode(), page["name"])
    extract_s = time.perf_counter() - start
    import_n = min(len(pages), 2000)
    import_s = _bench_full_import(pages[:import_n])
    return {
        "pages": len(pages),
        "megabytes": round(total_bytes / 1e6, 1),
        "extract_docs_per_s": round(len(pages) / extract_s, 1),
        "extract_mb_per_s": round(total_bytes / 1e6 / extract_s, 2),
        "import_docs": import_n,
        "import_docs_per_s": round(import_n / import_s, 1),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def _bench_full_import(pages: list[dict]) -> float:
    from docmgr import create_app
    from docmgr.setup import init_instance, run_import

    tmp = Path(tempfile.mkdtemp(prefix="docmgr-bench-"))
    try:
        folder = tmp / "in"
        folder.mkdir()
        for page in pages:
            (folder / page["name"]).write_text(page["text"], encoding="utf-8")
        app = create_app({
            "SECRET_KEY": "bench", "DOCMGR_DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "DOCMGR_FILES": str(tmp / "files"), "DOCMGR_SEARCH_INDEX": str(tmp / "index"),
        })
        with app.app_context():
            init_instance(app)
            start = time.perf_counter()
            run_import(app, [folder], direction="incoming")
            return time.perf_counter() - start
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
