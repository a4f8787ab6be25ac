"""``docmgr extract|eval extract|import|check|transition|workflow``: documents, their files and their workflow."""

from __future__ import annotations

import json
import lzma
import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from docmgr.config import from_environment, instance_path
from docmgr.console import account_named, echo_json, find_document
from docmgr.db import session
from docmgr.documents.consistency import check_store
from docmgr.documents.fields import FIELDS
from docmgr.errors import DocMgrError
from docmgr.extraction import ReadError, ReadLimits
from docmgr.extraction.evaluation import LabelError, Report, load_labels, score_document
from docmgr.instance import queue_import, run_import
from docmgr.intake.reading import read_file
from docmgr.migrations.schema import current_revision
from docmgr.ocr import OcrSettings, scans
from docmgr.printing.layouts import plain_text_pdf
from docmgr.search import commit_and_sync
from docmgr.text import language
from docmgr.workflow.definitions import INCOMING, OUTGOING, PERMISSIONS, ROLE_TITLES, ROLES, STATE_PERMISSIONS
from docmgr.workflow.transitions import available, transition


@click.command("extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="In một đối tượng JSON.")
def extract_command(file: Path, as_json: bool) -> None:
    """Đọc một tệp và in siêu dữ liệu trích được."""
    settings = OcrSettings.from_config(from_environment(os.environ, instance_path()))  # DOCMGR_OCR…, no app
    try:
        # In limited processes, as uploads are; scanned pages by OCR, a page at a time.
        extracted = read_file(file, file.name, ReadLimits(), ocr=settings, progress=None if as_json else _pages)
    except ReadError as exc:
        raise click.ClickException(f"{file}: {exc}") from exc
    data = extracted.as_json()
    if as_json:
        echo_json(data)
        return
    ocr = data.pop("ocr")

    labels = {**FIELDS, "notation": "Ký hiệu", "doc_type_code": "Mã loại"}
    for key, value in data.items():
        if key == "recipients":
            click.echo(f"{labels[key]}:")
            for line in value:
                click.echo(f"  - {line}")
        else:
            click.echo(f"{labels.get(key, key)}: {value if value is not None else '—'}")
    if ocr:
        confidence = "—" if ocr["mean_confidence"] is None else f"{ocr['mean_confidence']:.0f}%"
        click.echo(f"Đọc bằng OCR: {ocr['pages']} trang trong {ocr['seconds']:.1f} giây, độ tin cậy {confidence}")
    for warning in extracted.warnings:
        click.echo(f"Cảnh báo: {warning}")


@click.group("eval")
def eval_group() -> None:
    """Đo độ chính xác (trích xuất siêu dữ liệu) trên tập văn bản đã gán nhãn."""


@eval_group.command("extract")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("expected", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="In một đối tượng JSON.")
@click.option("--worst", default=10, show_default=True, help="Số văn bản sai nhiều nhất được liệt kê.")
def eval_extract_command(folder: Path, expected: Path, as_json: bool, worst: int) -> None:
    """Đọc từng tệp trong FOLDER như khi nhập (OCR cho bản quét) và so với nhãn trong EXPECTED (định dạng
    expected.json của văn bản mẫu): độ chính xác từng trường, điểm chung và các văn bản sai nhiều nhất."""
    try:
        labels = load_labels(expected)
    except LabelError as exc:
        raise click.ClickException(str(exc)) from exc
    settings = OcrSettings.from_config(from_environment(os.environ, instance_path()))
    report = Report()
    for label in labels:
        path = folder / label["file"]
        wanted = {key: value for key, value in label.items() if key != "file"}
        try:
            got = read_file(path, path.name, ReadLimits(), ocr=settings, progress=None).metadata.as_json()
        except (OSError, ReadError) as exc:  # counted as wrong on every field, and said
            report.documents.append(score_document(label["file"], wanted, None, error=str(exc)))
            continue
        report.documents.append(score_document(label["file"], wanted, got))
    if as_json:
        echo_json(report.as_json(worst))
        return
    click.echo(f"{len(report.documents)} văn bản, trường đúng: {report.overall:.3f}")
    for name, value in report.fields.items():
        click.echo(f"  {name:<14} {value:.3f}")
    if report.worst(worst):
        click.echo("Sai nhiều nhất:")
    for document in report.worst(worst):
        click.echo(f"  {document.file} {document.score:.3f}" + (f" — {document.error}" if document.error else ""))
        for name, wrong in document.wrong().items():
            click.echo(f"      {name}: {_short(wrong['got'])} (nhãn: {_short(wrong['expected'])})")


_RENDERINGS = {
    "official": "PDF có lớp chữ, trình bày theo Phụ lục I (tiêu đề và phần kết theo nhãn)",
    "page": "PDF có lớp chữ của chính trang văn bản, in từng dòng như trình duyệt in",
    "scan": "bản quét (PDF chỉ có ảnh) của bản «official», làm xấu như máy quét văn phòng",
    "ocr": "chữ OCR đọc được từ bản «scan» (.txt)",
}


@eval_group.command("render")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("expected", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--as", "kind", type=click.Choice(sorted(_RENDERINGS)), required=True,
              help="; ".join(f"{key}: {value}" for key, value in _RENDERINGS.items()))
@click.option("--paragraphs", type=int, default=None,
              help="Chỉ giữ chừng này đoạn đầu của thân văn bản (official, scan, ocr).")
@click.option("--clean", is_flag=True, help="Bản quét sạch, không làm xấu (scan, ocr).")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Lần quét: mỗi số cho một bản quét khác (độ nghiêng, bụi, nhiễu) của cùng văn bản (scan, ocr).")
@with_appcontext
def eval_render_command(folder: Path, expected: Path, out: Path, kind: str, paragraphs: int | None,
                        clean: bool, seed: int) -> None:
    """Tạo bản PDF, bản quét hoặc chữ OCR của từng văn bản đã gán nhãn trong FOLDER vào OUT, cùng tệp
    OUT/expected.json với cùng nhãn, để «docmgr eval extract OUT OUT/expected.json» đo trên dạng đó."""
    try:
        labels = load_labels(expected)
    except LabelError as exc:
        raise click.ClickException(str(exc)) from exc
    if current_revision(session().get_bind()) is None:  # the print templates read the office's settings
        raise click.ClickException("Thư mục instance chưa được khởi tạo: chạy «docmgr init» trước.")
    out.mkdir(parents=True, exist_ok=True)
    settings = OcrSettings.from_config(from_environment(os.environ, instance_path()))
    how = scans.Degradation() if clean else scans.Degradation.degraded()
    written = []
    for number, label in enumerate(labels, 1):
        text = (folder / label["file"]).read_text(encoding="utf-8")
        wanted = {key: value for key, value in label.items() if key != "file"}
        stem = Path(label["file"]).stem
        if kind == "page":
            name, data = f"{stem}.pdf", plain_text_pdf(text)
        else:
            data = scans.printed_pdf(text, wanted, paragraphs)
            name = f"{stem}.pdf"
            if kind in ("scan", "ocr"):
                data = scans.image_only_pdf(scans.scan_pages(data, how, seed=seed * 100_000 + number))
            if kind == "ocr":
                (out / name).write_bytes(data)
                try:
                    data = read_file(out / name, name, ReadLimits(), ocr=settings, progress=None).read.text.encode()
                finally:
                    (out / name).unlink()
                name = f"{stem}.txt"
        (out / name).write_bytes(data)
        written.append({"file": name, **wanted})
        click.echo(f"\r{number}/{len(labels)} {name}", nl=number == len(labels), err=True)
    (out / "expected.json").write_text(json.dumps(written, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(f"Đã tạo {len(written)} tệp ({kind}) trong {out}")


@eval_group.command("tone-model")
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--leave-out", "labelled", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Tệp expected.json (hoặc thư mục chứa chúng): bỏ các trang đã gán nhãn và mọi trang trích số "
                   "hiệu của chúng ra khỏi mô hình (lặp lại được).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=language.MODEL_PATH,
              show_default=True, help="Tệp mô hình được ghi.")
def eval_tone_model_command(corpus: Path, labelled: tuple[Path, ...], out: Path) -> None:
    """Đếm âm tiết và cặp âm tiết trong CORPUS (JSON Lines, mỗi dòng {"name", "text"}; nén .xz được) thành
    mô hình docmgr dùng để sửa dấu thanh OCR đọc sai."""
    names, numbers = set(), set()
    for path in labelled:
        for expected in sorted(path.rglob("expected.json")) if path.is_dir() else [path]:
            try:
                labels = load_labels(expected)
            except LabelError as exc:
                raise click.ClickException(str(exc)) from exc
            names |= {label["file"] for label in labels}
            numbers |= {label["number"] for label in labels if label.get("number")}
    read, left_out = 0, 0

    def texts():
        nonlocal read, left_out
        opener = lzma.open if corpus.suffix == ".xz" else open
        with opener(corpus, "rt", encoding="utf-8") as fh:
            for line in fh:
                page = json.loads(line)
                read += 1
                if page.get("name") in names or any(number in page["text"] for number in numbers):
                    left_out += 1
                    continue
                yield page["text"]

    try:
        model = language.count_syllables(texts())
    except (OSError, EOFError, lzma.LZMAError, ValueError, KeyError, TypeError) as exc:
        raise click.ClickException(f"Không đọc được kho văn bản {corpus}: {exc}") from exc
    model = language.SyllableModel(model.syllables, model.pairs,
                                   f"{corpus.name}: {read - left_out} trang ({left_out} trang đã gán nhãn hoặc trích "
                                   f"số hiệu của chúng bị bỏ); âm tiết xuất hiện ≥ {language.MIN_SYLLABLE_COUNT} "
                                   f"lần, cặp ≥ {language.MIN_PAIR_COUNT} lần")
    language.write_model(model, out)
    click.echo(f"{len(model.syllables)} âm tiết, {len(model.pairs)} cặp âm tiết từ {read - left_out} trang "
               f"({left_out} trang bị bỏ) → {out}")


def _short(value) -> str:
    text = "—" if value is None or value == [] else str(value)
    return text if len(text) <= 110 else text[:107] + "…"


def _pages(done: int, total: int) -> None:
    click.echo(f"\rĐọc bằng OCR: trang {done}/{total}", nl=done == total, err=True)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--direction", type=click.Choice(["incoming", "outgoing", "internal"]), default=None,
              help="Văn bản đến (incoming), đi (outgoing) hay nội bộ (internal).")
@click.option("--json", "as_json", is_flag=True, help="In bản tóm tắt dạng JSON.")
@click.option("--user", "username", default=None, help="Ghi nhận người nhập (tên đăng nhập).")
@click.option("--background", is_flag=True,
              help="Chỉ lưu tệp và xếp việc đọc vào hàng đợi; bộ xử lý nền (docmgr worker) tạo văn bản.")
@with_appcontext
def import_command(paths, direction, as_json, username, background) -> None:
    """Nhập các tệp và thư mục: trích siêu dữ liệu (bản quét đọc bằng OCR), lưu bản gốc, tạo văn bản."""
    if background:
        summary = queue_import(current_app, paths, direction=direction, username=username)
    else:
        summary = run_import(current_app, paths, direction=direction, username=username, progress=not as_json)
    if as_json:
        echo_json(summary.as_json())
    else:
        if background:
            click.echo(f"Đã xếp hàng đợi: {summary.queued} tệp (docmgr worker sẽ đọc và tạo văn bản) · "
                       f"Bỏ qua (đã có): {summary.skipped} · Lỗi: {len(summary.failed)}")
            if summary.queue_warning:
                click.echo(f"Cảnh báo: {summary.queue_warning}")
        else:
            click.echo(f"Đã nhập: {summary.imported} · Bỏ qua (đã có): {summary.skipped} · Lỗi: {len(summary.failed)}")
        for failure in summary.failed:
            click.echo(f"  Lỗi {failure['path']}: {failure['error']}")
        for dup in summary.duplicates:
            click.echo(f"  Cảnh báo {dup['path']} (#{dup['document_id']}): {dup['warning']}")
        if summary.index_error:
            click.echo(f"Cảnh báo: {summary.index_error}")
    if summary.failed or summary.index_error:
        sys.exit(1)


@click.command("check")
@click.option("--repair", is_flag=True, help="Sửa những gì sửa được an toàn (tệp mồ côi chuyển vào lost+found/).")
@click.option("--verify", is_flag=True, help="Đọc lại mọi tệp gốc và so mã băm SHA-256.")
@click.option("--grace-hours", type=float, default=24, show_default=True,
              help="Tệp mồ côi mới hơn chừng này giờ được để yên (có thể đang chờ xác nhận tải lên).")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def check_command(repair, verify, grace_hours, as_json) -> None:
    """Kiểm tra cơ sở dữ liệu và kho tệp gốc có khớp nhau không."""
    state = current_app.extensions["docmgr"]
    with state.sessionmaker() as db:
        report = check_store(db, state.files, repair=repair, verify=verify, grace_hours=grace_hours,
                             private=_private_instance_files())
    if as_json:
        echo_json(report.as_json())
    else:
        click.echo(f"Tệp gốc trong cơ sở dữ liệu: {report.blobs} · trong kho: {report.files}")
        labels = (("missing", "Thiếu tệp (cần khôi phục từ bản sao lưu)"), ("damaged", "Tệp bị hỏng (mã băm sai)"),
                  ("orphans", "Tệp mồ côi (không văn bản nào dùng)"), ("temporary", "Tệp ghi dở"),
                  ("modes", "Tệp người khác trên máy đọc được (cần chỉ chủ sở hữu: chmod 600)"))
        for key, label in labels:
            items = getattr(report, key)
            if items:
                click.echo(f"{label}: {len(items)}")
                for item in items[:20]:
                    click.echo(f"  {item}")
        if report.repaired.get("modes_fixed"):
            click.echo(f"Đã sửa quyền truy cập của {report.repaired['modes_fixed']} tệp/thư mục (chỉ chủ sở hữu).")
        if report.repaired:
            click.echo(f"Đã sửa: chuyển {report.repaired['orphans_quarantined']} tệp mồ côi vào lost+found/, "
                       f"xóa {report.repaired['temporary_deleted']} tệp ghi dở.")
        click.echo("Nhất quán." if report.ok else "Có vấn đề (xem trên).")
    if not report.ok:
        sys.exit(1)


def _private_instance_files() -> list[Path]:
    """The instance's own secrets: the SQLite database and job queue (and their WAL files), the secret key,
    the admin password file."""
    instance = Path(current_app.instance_path)
    out = [instance / "secret_key", instance / "admin-password.txt"]
    for key in ("DOCMGR_DATABASE_URL", "DOCMGR_JOBS_URL"):  # the database, and the job queue's file
        url = make_url(current_app.config[key]) if current_app.config[key].startswith("sqlite") else None
        if url is not None and url.database and url.database != ":memory:":
            out += [Path(url.database + suffix) for suffix in ("", "-wal", "-shm")]
    return out


@click.command("transition")
@click.argument("document")
@click.argument("name", required=False)
@click.option("--user", "username", default=None,
              help="Thực hiện với quyền của tài khoản này (mặc định: hệ thống, không kiểm tra quyền).")
@click.option("--comment", default="", help="Ý kiến / lý do (bắt buộc với trả lại, thu hồi).")
@click.option("--set", "values", multiple=True, metavar="KEY=VALUE",
              help="Dữ liệu của thao tác: notation=KH-UBND (ban hành), lead_unit=…, cooperating_units=…, "
                   "deadline=dd/mm/yyyy, opinion=… (phân công).")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def transition_command(document, name, username, comment, values, as_json) -> None:
    """Chuyển trạng thái văn bản DOCUMENT (số #id hoặc số, ký hiệu); không có NAME thì liệt kê các thao tác."""
    state = current_app.extensions["docmgr"]
    data = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep:
            raise click.BadParameter(f"«{value}» phải có dạng KEY=VALUE.", param_hint="--set")
        data[key.strip()] = text
    with state.sessionmaker() as db:
        user = account_named(db, username) if username else None
        doc = find_document(db, document)
        if not name:
            steps = available(doc, user)
            if as_json:
                echo_json({"id": doc.id, "state": doc.state, "transitions": [t.name for t in steps]})
            else:
                click.echo(f"#{doc.id} {doc.title}: {doc.state_title} ({doc.state})")
                for step in steps:
                    click.echo(f"  {step.name:10} {step.title}" + (" — cần --comment" if step.needs_comment else ""))
            return
        try:
            event = transition(db, doc, name, user, comment, data)
            commit_and_sync(db, state)
        except DocMgrError as exc:
            db.rollback()
            raise click.ClickException(str(exc)) from exc
        if as_json:
            echo_json({"id": doc.id, "state": doc.state, "number": doc.number,
                        "arrival_number": doc.arrival_number, "detail": event.detail})
        else:
            click.echo(f"#{doc.id} → {doc.state_title} ({doc.state})"
                       + "".join(f" · {k}: {v}" for k, v in event.detail.items() if v))


@click.command("workflow")
@click.option("--json", "as_json", is_flag=True)
def workflow_command(as_json) -> None:
    """In các quy trình: trạng thái, quyền của từng vai trò ở mỗi trạng thái, các thao tác chuyển."""
    titles = {**ROLES, **ROLE_TITLES}
    order = list(titles)
    if as_json:
        echo_json({w.name: {
            "states": {s.name: {"title": s.title, "permissions": {p: sorted(s.roles_with(p)) for p in STATE_PERMISSIONS}}
                       for s in w.states.values()},
            "transitions": {t.name: {"title": t.title, "from": list(t.sources), "to": t.target, "guard": t.guard}
                            for t in w.transitions.values()}} for w in (OUTGOING, INCOMING)})
        return
    for workflow in (OUTGOING, INCOMING):
        click.echo(f"== {workflow.title} ==")
        for state in workflow.states.values():
            click.echo(f"{state.title} ({state.name})")
            for permission in STATE_PERMISSIONS:
                roles = ", ".join(titles[r] for r in sorted(state.roles_with(permission), key=order.index)) or "—"
                click.echo(f"    {PERMISSIONS[permission]:18} {roles}")
        for step in workflow.transitions.values():
            sources = ", ".join(workflow.states[s].title for s in step.sources)
            click.echo(f"  {step.title}: {sources} → {workflow.states[step.target].title} "
                       f"(quyền «{PERMISSIONS[step.guard]}»)")
        click.echo()
