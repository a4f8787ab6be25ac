"""``docmgr bench …``: benchmarks that print figures (never timed tests).

The benchmarks' modules are imported inside each command, on purpose: they pull in the corpus reader, SQLite
FTS5 and the printing machinery (0.4 s), which every other ``docmgr`` command would otherwise pay at start.
"""

from __future__ import annotations

from pathlib import Path

import click

from docmgr.console import echo_json


@click.group("bench")
def bench_group() -> None:
    """Đo hiệu năng (in số liệu)."""


@bench_group.command("read-limits")
@click.option("--json", "as_json", is_flag=True)
def bench_read_limits(as_json) -> None:
    """Đọc các tệp «độc» (DOCX rỗng hàng triệu đoạn, PDF chung một luồng nội dung, HTML punycode…) qua
    tiến trình giới hạn: thời gian, kết quả, bộ nhớ."""
    from docmgr.bench.archive import bench_read_limits as run

    figures = run()
    if as_json:
        echo_json(figures)
        return
    click.echo("Giới hạn: " + ", ".join(f"{k}={v}" for k, v in figures["limits"].items()))
    for row in figures["files"]:
        click.echo(f"{row['what']:<58} {row['seconds']:>7.2f} s  {row['worker_peak_rss_mb']:>7.1f} MB  "
                   f"{row['outcome']}: {row['detail'][:90]}")
    click.echo(f"Tiến trình chính tăng: {figures['parent_rss_growth_mb']} MB")


@bench_group.command("import")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Tệp .jsonl.xz (mặc định ../shared/corpus/vn-pages.jsonl.xz).")
@click.option("--limit", type=int, default=None, help="Số trang tối đa để trích xuất.")
@click.option("--import-limit", type=int, default=2000, show_default=True,
              help="Số trang nhập thật (lưu tệp và cơ sở dữ liệu).")
@click.option("--json", "as_json", is_flag=True)
def bench_import(corpus, limit, import_limit, as_json) -> None:
    """Tốc độ trích xuất và nhập văn bản từ kho ngữ liệu."""
    from docmgr.bench.archive import bench_import as run

    result = run(corpus, limit, import_limit)
    if as_json:
        echo_json(result)
    else:
        for key, value in result.items():
            click.echo(f"{key:28} {value}")


@bench_group.command("search")
@click.option("--docs", type=click.IntRange(min=100), default=100_000, show_default=True,
              help="Số văn bản (các trang của kho ngữ liệu được lặp lại với siêu dữ liệu khác).")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Tệp .jsonl.xz (mặc định ../shared/corpus/vn-pages.jsonl.xz).")
@click.option("--procs", type=click.IntRange(min=1), default=None,
              help="Số tiến trình lập chỉ mục (mặc định DOCMGR_INDEX_PROCS).")
@click.option("--json", "as_json", is_flag=True)
def bench_search(docs, corpus, procs, as_json) -> None:
    """Tốc độ lập chỉ mục và tìm kiếm của docmgr so với SQLite FTS5, trong cùng một lần chạy.

    Lệnh «docmgr reindex» chạy như một tiến trình riêng; bộ nhớ đo là của nó và các tiến trình con.
    """
    from docmgr.bench.archive import bench_search as run

    result = run(docs, corpus, show_progress=not as_json, procs=procs)
    if as_json:
        echo_json(result)
        return
    rows = result.pop("per_query")
    click.echo(f"{'loại':11} {'câu tìm kiếm':44} {'docmgr ms':>10} {'kết quả':>8} {'FTS5 ms':>9} {'kết quả':>8}")
    for row in rows:
        click.echo(f"{row['kind']:11} {row['query'][:44]:44} {row['docmgr_ms']:10.2f} {row['docmgr_hits']:8} "
                   f"{row['fts5_ms']:9.2f} {row['fts5_hits']:8}")
    click.echo()
    for key, value in result.items():
        click.echo(f"{key:28} {value}")


@bench_group.command("web")
@click.option("--docs", type=click.IntRange(min=200), default=100_000, show_default=True,
              help="Số văn bản của kho đo (các trang của kho ngữ liệu, siêu dữ liệu và trạng thái khác nhau).")
@click.option("--clients", type=click.IntRange(min=1), default=50, show_default=True,
              help="Số người dùng cùng lúc ở lượt đo tải.")
@click.option("--backend", type=click.Choice(["sqlite", "postgresql"]), default="sqlite", show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Tiến trình gunicorn.")
@click.option("--threads", type=click.IntRange(min=1), default=4, show_default=True,
              help="Luồng mỗi tiến trình gunicorn.")
@click.option("--seconds", type=click.FloatRange(min=1), default=30.0, show_default=True,
              help="Thời gian lượt đo tải.")
@click.option("--samples", type=click.IntRange(min=2), default=20, show_default=True,
              help="Số lần mở mỗi trang ở lượt một người dùng.")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Tệp .jsonl.xz (mặc định ../shared/corpus/vn-pages.jsonl.xz).")
@click.option("--instance", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Giữ kho đo ở thư mục này; lần sau dùng lại kho đã lập (đo lại sau một thay đổi).")
@click.option("--json", "as_json", is_flag=True)
def bench_web_command(docs, clients, backend, workers, threads, seconds, samples, corpus, instance,
                      as_json) -> None:
    """Thời gian người dùng chờ từng trang (trang chủ, danh sách, việc của tôi, văn bản, tìm kiếm, sổ) trên
    gunicorn với kho DOCS văn bản: một người dùng, rồi CLIENTS người cùng lúc; trang kết quả tìm kiếm so với
    SQLite FTS5 có snippet() trên cùng các câu tìm."""
    from docmgr.bench.web import bench_web

    result = bench_web(docs, clients, backend, corpus, workers=workers, threads=threads, seconds=seconds,
                       samples=samples, show_progress=not as_json, instance=instance)
    if as_json:
        echo_json(result)
        return
    click.echo(f"{'trang':28} {'p50 ms':>9} {'p95 ms':>9} {'lỗi':>5}")
    for name, row in result.pop("routes").items():
        click.echo(f"{name:28} {row['p50_ms']:9.1f} {row['p95_ms']:9.1f} {row['errors']:5}")
    click.echo()
    for key, value in result.items():
        click.echo(f"{key:28} {value}")


@bench_group.command("print")
@click.option("--runs", type=click.IntRange(1, 50), default=5, show_default=True, help="Số lần đo phiếu và mức sàn.")
@click.option("--json", "as_json", is_flag=True)
def bench_print_command(runs, as_json) -> None:
    """Thời gian in mỗi trang (phiếu, danh sách 1.000 nơi nhận, 500 phong bì, sổ 5.000 dòng) so với mức sàn:
    WeasyPrint in một trang trống với cùng phông chữ, đo trong cùng lần chạy."""
    from docmgr.bench.printing import bench_print

    result = bench_print(runs)
    if as_json:
        echo_json(result)
        return
    click.echo(f"{'mẫu':10} {'trang':>6} {'giây':>8} {'giây/trang':>11} {'× mức sàn':>10}")
    click.echo(f"{'mức sàn':10} {1:6} {result['floor_s_per_page']:8.3f} {result['floor_s_per_page']:11.4f} {1:10.2f}")
    click.echo(f"{'(văn bản)':10} {result['text_pages']:6} {result['text_pages'] * result['text_s_per_page']:8.2f} "
               f"{result['text_s_per_page']:11.4f} {result['text_ratio']:10.2f}")
    for name in ("slip", "list", "envelopes", "register"):
        seconds = result["register_first_s"] if name == "register" else result[name + "_seconds"]
        click.echo(f"{name:10} {result[name + '_pages']:6} {seconds:8.2f} "
                   f"{result[name + '_s_per_page']:11.4f} {result[name + '_ratio']:10.2f}")
    click.echo(f"Sổ {result['register_lines']} dòng: in lần đầu {result['register_first_s']} giây "
               f"({result['register_pieces']} phần, {result['register_workers']} tiến trình), in lại sau khi sửa "
               f"một dòng {result['register_reprint_s']} giây (× {result['register_reprint_ratio']}); "
               f"bộ nhớ đỉnh {result['register_peak_rss_mb']} MB")
    click.echo(f"Giây mỗi 100 dòng so với mức sàn mỗi trang: sổ {result['register_rows_ratio']}, "
               f"danh sách nơi nhận {result['list_rows_ratio']}")


@bench_group.command("ocr")
@click.option("--limit", type=int, default=None, help="Số văn bản mẫu (mặc định: cả 5).")
@click.option("--json", "as_json", is_flag=True)
def bench_ocr(limit, as_json) -> None:
    """Đọc bản quét (OCR): văn bản mẫu in ra, quét 300 dpi sạch và xấu, nhập qua quy trình thật; số trang
    một phút, giây một trang, tỉ lệ lỗi ký tự (CER) so với văn bản gốc."""
    from docmgr.bench.ocr import bench_ocr as run

    figures = run(limit)
    if as_json:
        echo_json(figures)
        return
    click.echo(f"Tiến trình đọc: {figures['workers']}")
    click.echo(f"{'loại':<10}{'văn bản':>8}{'trang':>7}{'giây':>8}{'trang/phút':>12}{'giây/trang':>12}"
               f"{'CER %':>8}{'tin cậy':>9}{'trường đúng':>13}")
    for row in figures["rows"]:
        click.echo(f"{row['kind']:<10}{row['documents']:>8}{row['pages']:>7}{row['seconds']:>8}"
                   f"{row['pages_per_minute']:>12}{row['seconds_per_page']:>12}{row['cer_percent']:>8}"
                   f"{row['mean_confidence']:>9}{row['metadata_fields_right']:>13}")
