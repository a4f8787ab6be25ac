"""The `docmgr` command: the domains' command groups (documents, search, auth, casefiles, printing,
addressbook, bench — each a ``commands.py`` of plain click commands), assembled here with ``init``.

Every command runs inside the app that create_app() builds, so it honours DOCMGR_INSTANCE, the DOCMGR_*
settings of the environment and instance/config.py.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup
from flask.cli import run_command as flask_run_command
from flask.cli import with_appcontext

from docmgr import create_app, office
from docmgr.addressbook.commands import addressbook_group
from docmgr.auth.commands import user_group
from docmgr.bench.commands import bench_group
from docmgr.casefiles.commands import casefile_group
from docmgr.documents.commands import (
    check_command,
    eval_group,
    extract_command,
    import_command,
    transition_command,
    workflow_command,
)
from docmgr.errors import DocMgrError
from docmgr.instance import create_admin, init_instance, load_samples
from docmgr.jobs.commands import worker_command
from docmgr.printing.commands import print_group
from docmgr.search.commands import index_group, reindex_command, search_command


def _create_app(*_args):
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True, add_version_option=False)
def main() -> None:
    """docmgr — quản lý văn bản cho văn thư cơ quan."""


@click.command("init")
@click.option("--sample/--no-sample", default=False, help="Nạp các văn bản mẫu (lần đầu).")
@click.option("--admin/--no-admin", default=False, help="Tạo tài khoản admin nếu chưa có.")
@click.option("--organization", default=None, help="Tên cơ quan (in ở đầu mọi mẫu, hiện ở đầu trang).")
@click.option("--parent-organization", default=None, help="Cơ quan chủ quản (in phía trên tên cơ quan).")
@click.option("--place", default=None, help="Địa danh trên dòng «…, ngày … tháng … năm …».")
@click.option("--input/--no-input", "ask", default=True,
              help="Hỏi tên cơ quan và địa danh khi chưa đặt — chỉ khi chạy ở cửa sổ lệnh (mặc định có).")
@with_appcontext
def init_command(sample: bool, admin: bool, organization, parent_organization, place, ask: bool) -> None:
    """Tạo hoặc nâng cấp cơ sở dữ liệu và các thư mục (chạy lại nhiều lần không sao)."""
    revision = init_instance(current_app)
    click.echo(f"Cơ sở dữ liệu ở phiên bản {revision}.")
    _name_the_office({"organization": organization, "parent_organization": parent_organization, "place": place},
                     ask and sys.stdin.isatty())
    if admin:
        password = create_admin(current_app)
        if password:
            click.echo(f"Đã tạo tài khoản quản trị: admin / {password}")
            click.echo(f"(mật khẩu cũng được ghi vào {Path(current_app.instance_path) / 'admin-password.txt'})")
        else:
            click.echo("Tài khoản admin đã có; đổi mật khẩu bằng: docmgr user password admin")
    if sample:
        summary = load_samples(current_app)
        click.echo(f"Văn bản mẫu: nhập {summary.imported}, bỏ qua {summary.skipped} (đã có).")
        if summary.index_error:
            click.echo(f"Cảnh báo: {summary.index_error}")


def _name_the_office(given: dict, ask: bool) -> None:
    """Save the office's name and place given on the command line, or ask for them at a terminal when they
    were never set (never in a script or ``make run``: they stay editable on the «Thông tin cơ quan» page)."""
    given = {key: value for key, value in given.items() if value is not None}
    with current_app.extensions["docmgr"].sessionmaker() as db:
        if not given and ask and not office.is_set(db):
            current = office.settings(db)
            given["organization"] = click.prompt("Tên cơ quan (in ở đầu mọi mẫu)", default=current["organization"])
            given["place"] = click.prompt("Địa danh (dòng ngày tháng)", default=current["place"], show_default=bool(current["place"]))
        if not given:
            return
        try:
            office.save(db, given)
        except DocMgrError as exc:
            raise click.ClickException(str(exc)) from exc
        db.commit()
        found = office.settings(db)
    click.echo(f"Cơ quan: {found['organization']}" + (f" · {found['place']}" if found["place"] else ""))


def _die_with_parent() -> None:
    """In the worker ``docmgr run`` starts: be sent SIGTERM when ``docmgr run`` ends, however it ends (Linux)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere: the worker is stopped in run_command's finally


@click.command("run", params=[*flask_run_command.params, click.Option(
    ["--worker/--no-worker"], default=True, help="Chạy kèm một bộ xử lý nền (docmgr worker) — mặc định có.")])
@click.pass_context
def run_command(ctx: click.Context, worker: bool, **options) -> None:
    """Chạy máy chủ phát triển, kèm một bộ xử lý nền đọc bản quét bằng OCR."""
    process = None
    if worker and not os.environ.get("WERKZEUG_RUN_MAIN"):  # not again in the reloader's child
        process = subprocess.Popen([sys.executable, "-m", "docmgr.cli", "worker"], preexec_fn=_die_with_parent)
        # SIGTERM (a service manager, a test) ends the server through the finally below, which stops the worker.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        ctx.invoke(flask_run_command, **options)
    finally:
        if process is not None:
            process.terminate()  # the job it was running is taken again at the next start
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


COMMANDS = (init_command, extract_command, eval_group, import_command, check_command, search_command, transition_command,
            workflow_command, reindex_command, index_group, user_group, bench_group, print_group,
            addressbook_group, casefile_group, worker_command)
for _command in COMMANDS:
    main.add_command(_command)
main.add_command(run_command)  # in place of Flask's own: the dev server and a worker beside it

# ``flask --app yourapp docmgr …`` in a host app: Flask finds this group through the ``flask.commands``
# entry point (setup.cfg), so the extension itself never imports the commands (which build apps).
docmgr_group = click.Group("docmgr", help="Lệnh của docmgr.")
for _command in COMMANDS:
    docmgr_group.add_command(_command)


if __name__ == "__main__":  # python -m docmgr.cli
    main()
