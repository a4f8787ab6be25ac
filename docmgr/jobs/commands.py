"""``docmgr worker``: run the background jobs (reading scans by OCR, …) queued at ``DOCMGR_JOBS_URL``."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from docmgr.extraction.sandbox import default_workers


def describe(url: str) -> str:
    """The queue's address without its password, to print."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]


@click.command("worker")
@click.option("--workers", type=int, default=None,
              help="Số việc chạy cùng lúc (mặc định DOCMGR_JOBS_WORKERS, hoặc số lõi CPU, tối đa 2).")
@with_appcontext
def worker_command(workers: int | None) -> None:
    """Chạy bộ xử lý nền: đọc bản quét bằng OCR và các việc dài khác. Chạy được nhiều bộ trên nhiều máy
    (DOCMGR_JOBS_URL trỏ tới Redis hoặc PostgreSQL). Ctrl-C: dừng sau khi xong việc đang làm."""
    state = current_app.extensions["docmgr"]
    if state.jobs.immediate:
        raise click.ClickException("DOCMGR_JOBS_IMMEDIATE đang bật: các việc chạy ngay khi được gửi, không cần bộ "
                                   "xử lý nền.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    # Huey's own lines for every task and every minute's recovery are noise: docmgr.jobs says what each job did.
    logging.getLogger("huey").setLevel(logging.WARNING)
    logging.getLogger("huey.consumer").setLevel(logging.INFO)  # its start and stop
    logging.getLogger("huey.consumer.Scheduler").setLevel(logging.WARNING)
    count = workers or int(current_app.config["DOCMGR_JOBS_WORKERS"] or 0) or default_workers()
    recovered = state.jobs.recover()
    click.echo(f"Bộ xử lý nền: {count} việc cùng lúc, hàng đợi {describe(state.jobs.url)}"
               + (f"; chạy lại {len(recovered['requeued'])} việc bị dừng giữa chừng" if recovered["requeued"] else "")
               + ".", err=True)
    state.jobs.consumer(count).run()
