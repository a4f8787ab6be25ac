"""The docmgr command: init, extract, import, user."""

import json

import pytest
from sqlalchemy import func, select

from docmgr.documents.models import Blob, Document
from tests.conftest import SAMPLES, cli_runner, seed_path


def test_init_is_idempotent(runner):
    for _ in range(2):
        result = runner.invoke(args=["docmgr", "init", "--admin"])
        assert result.exit_code == 0, result.output
    assert "admin đã có" in result.output


def test_extract_json_has_exactly_the_keys(runner):
    result = runner.invoke(args=["docmgr", "extract", str(seed_path("001")), "--json"])
    data = json.loads(result.output)
    assert data["number"] == "65/KH-UBND" and data["issued_on"] == "2024-03-20"
    assert list(data) == ["number", "notation", "doc_type", "doc_type_code", "subject", "issued_on", "place",
                          "issuer", "parent_issuer", "signer", "signer_title", "recipients", "urgency",
                          "confidentiality", "ocr", "signatures"]
    assert data["ocr"] is None and data["signatures"] == []  # a text file: no OCR, no signature
    readable = runner.invoke(args=["docmgr", "extract", str(seed_path("001"))])
    assert "Người ký: Trần Hoàng Tuấn" in readable.output


def test_import_twice_imports_nothing_new(app, runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in SAMPLES.glob("*.txt"):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "hong.pdf").write_bytes(b"%PDF-1.4 not really")
    (folder / "bo-qua.xlsx").write_bytes(b"ignored: not a supported type")
    first = runner.invoke(args=["docmgr", "import", str(folder), "--json"])
    assert first.exit_code == 1  # one file failed
    summary = json.loads(first.output)
    assert summary["imported"] == 5 and summary["skipped"] == 0
    assert [f["path"].endswith("hong.pdf") for f in summary["failed"]] == [True]
    second = json.loads(runner.invoke(args=["docmgr", "import", str(folder), "--json"]).output)
    assert (second["imported"], second["skipped"]) == (0, 5)
    with app.app_context():
        from docmgr.db import session

        assert session().scalar(select(func.count()).select_from(Document)) == 5
        assert session().scalar(select(func.count()).select_from(Blob)) == 5  # nothing half-made


def test_duplicate_number_is_flagged_not_merged(runner, tmp_path):
    original = seed_path("001").read_text(encoding="utf-8")
    copy = tmp_path / "ban-sao.txt"
    copy.write_text(original + "\n(bản chụp lại)\n", encoding="utf-8")
    runner.invoke(args=["docmgr", "import", str(seed_path("001"))])
    result = json.loads(runner.invoke(args=["docmgr", "import", str(copy), "--json"]).output)
    assert result["imported"] == 1 and "Trùng số" in result["duplicates"][0]["warning"]


def test_user_create_and_token(runner):
    result = runner.invoke(args=["docmgr", "user", "create", "vanthu1", "--role", "clerk", "--password", "12345678"])
    assert result.exit_code == 0 and "Văn thư" in result.output
    again = runner.invoke(args=["docmgr", "user", "create", "vanthu1", "--role", "clerk", "--password", "12345678"])
    assert again.exit_code != 0 and "đã có" in again.output
    token = runner.invoke(args=["docmgr", "user", "token", "vanthu1"])
    assert token.exit_code == 0 and len(token.output.strip()) > 30


def test_bench_import_prints_figures_for_a_small_corpus(runner, tmp_path):
    import lzma

    corpus = tmp_path / "pages.jsonl.xz"
    with lzma.open(corpus, "wt", encoding="utf-8") as out:
        for path in sorted(SAMPLES.glob("*.txt")):
            out.write(json.dumps({"name": path.stem + ".md", "text": path.read_text(encoding="utf-8")}) + "\n")
    result = runner.invoke(args=["docmgr", "bench", "import", "--corpus", str(corpus), "--import-limit", "3",
                                 "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["pages"] == 5 and figures["import_docs"] == 3
    assert figures["extract_docs_per_s"] > 0 and figures["peak_rss_mb"] > 0


def test_bench_print_prints_every_figure_for_small_forms(tmp_path, monkeypatch):
    """The bench at a small size: each figure is there and consistent (pages counted from the PDFs).

    The bench builds its own SQLite instance, so this runs once, not once per database."""
    from docmgr.bench import printing as bench
    from tests.conftest import make_app

    runner = cli_runner(make_app(tmp_path, f"sqlite:///{tmp_path / 'cli.sqlite3'}"))

    monkeypatch.setattr(bench, "REGISTER_LINES", 40)
    monkeypatch.setattr(bench, "LIST_RECIPIENTS", 30)
    monkeypatch.setattr(bench, "ENVELOPES", 12)
    result = runner.invoke(args=["docmgr", "bench", "print", "--runs", "1", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["envelopes_pages"] == 12 and figures["register_lines"] == 40
    assert figures["slip_pages"] == 1 and figures["list_pages"] >= 2 and figures["register_pages"] >= 10
    assert figures["text_pages"] >= 2
    assert figures["register_reprint_pieces_laid_out"] == 1 and figures["register_pieces"] >= 1
    assert figures["register_rows_ratio"] * figures["floor_s_per_page"] * 0.4 == pytest.approx(
        figures["register_first_s"], rel=0.05)  # seconds per 100 rows (40 rows) over the floor
    for name in ("slip", "list", "envelopes", "register", "text"):
        # the ratio is seconds per page over the floor's (both printed rounded to 0.1 ms)
        assert figures[f"{name}_ratio"] * figures["floor_s_per_page"] == pytest.approx(
            figures[f"{name}_s_per_page"], rel=0.02, abs=2e-4)
    assert 0 < figures["register_peak_rss_mb"] < 1024
    table = runner.invoke(args=["docmgr", "bench", "print", "--runs", "1"])
    assert table.exit_code == 0 and "mức sàn" in table.output and "(văn bản)" in table.output


def test_check_finds_and_repairs_store_problems(app, runner):
    store = app.extensions["docmgr"].files
    assert runner.invoke(args=["docmgr", "init", "--sample"]).exit_code == 0
    clean = runner.invoke(args=["docmgr", "check", "--json", "--verify", "--grace-hours", "0"])
    assert clean.exit_code == 0 and json.loads(clean.output)["ok"]

    orphan = store.put(b"an upload nobody confirmed")
    stale = store.path(orphan).parent / ".incoming-999999999-abc"  # its writer (no such pid) is gone
    stale.write_bytes(b"half")
    with app.app_context():
        from docmgr.db import session

        victim, damaged = session().scalars(select(Blob.sha256).limit(2)).all()
    store.path(victim).unlink()
    store.path(damaged).write_bytes(b"changed on disk")

    young = json.loads(runner.invoke(args=["docmgr", "check", "--json"]).output)
    assert young["orphans"] == []  # a fresh upload may still be waiting for confirmation
    result = runner.invoke(args=["docmgr", "check", "--json", "--verify", "--grace-hours", "0"])
    report = json.loads(result.output)
    assert result.exit_code == 1
    assert report["missing"] == [victim] and report["damaged"] == [damaged] and report["orphans"] == [orphan]
    assert report["temporary"] and stale.exists()

    repaired = json.loads(runner.invoke(args=["docmgr", "check", "--json", "--repair", "--grace-hours", "0"]).output)
    assert repaired["repaired"] == {"orphans_quarantined": 1, "temporary_deleted": 1}
    assert (store.root / "lost+found" / orphan).read_bytes() == b"an upload nobody confirmed"
    assert not stale.exists()
    assert repaired["missing"] == [victim]  # cannot be repaired here: restore from a backup


def test_bench_web_prints_every_figure_for_a_small_archive(tmp_path):
    """The web bench at a small size, on the real gunicorn: every route answers every role without an error,
    and each figure the issue names is there (the figures themselves are read from the real run, not here)."""
    import lzma

    from docmgr.bench.web import bench_web

    corpus = tmp_path / "pages.jsonl.xz"
    with lzma.open(corpus, "wt", encoding="utf-8") as out:
        for path in sorted(SAMPLES.glob("*.txt")):
            out.write(json.dumps({"name": path.stem + ".md", "text": path.read_text(encoding="utf-8")}) + "\n")
    figures = bench_web(docs=300, clients=3, corpus=corpus, seconds=2, samples=2, workers=1, threads=2,
                        instance=tmp_path / "bench")
    assert figures["docs"] == 300 and figures["load"]["clients"] == 3
    assert all(route["errors"] == 0 for route in figures["routes"].values()), figures["routes"]
    assert figures["load"]["errors"] == 0 and figures["load"]["rps"] > 0, figures["load"]
    assert {"search_page", "search_api", "home", "worklist", "list_incoming_deep_page"} <= set(figures["routes"])
    for key in ("search_page_p95_ms", "fts5_snippet_p95_ms", "server_peak_rss_mb"):
        assert figures[key] > 0
