"""Everything that changes case files, their contents and their sharing; audited, the caller commits.

Who may do what on a case file (a global role, or a local role on it or above):

- open a file: "add" (at the top level, or under a file one may add to); under a shared file (one that
  local roles reach) a file that inherits them is a way to share, so it needs "manage" there or a local
  role of the sharing that allows adding;
- edit its record, file documents into it, close it: "edit", or being the person who keeps it (người lập);
  filing a document also needs "edit" on the document, and filing it where the sharing would let more
  people see it needs "manage" on that file (the right to share it); closing needs "edit" on every
  document the closing locks;
- reopen it, hand it to the archive (nộp lưu), delete an empty one, change its Sharing: "manage".
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from docmgr import audit, clock
from docmgr.auth.models import Group, User
from docmgr.casefiles.models import PERMANENT, CaseFile, LocalRole
from docmgr.casefiles.queries import documents_in
from docmgr.documents.models import Assignment, Blob, Document
from docmgr.errors import NotFoundError, PermissionDeniedError, UserValueError
from docmgr.printing.layouts import case_file_contents_pdf
from docmgr.search import commit_and_sync, queue_documents
from docmgr.text import clean_whitespace, nfc
from docmgr.web import parse_id
from docmgr.workflow.definitions import ROLE_PERMISSIONS, ROLES
from docmgr.workflow.permissions import LOCAL_ROLES_CACHE, allowed, grants_reaching, local_roles, view_principals


CODE_RE = re.compile(r"^[0-9A-Za-zÀ-ỹĐđ][0-9A-Za-zÀ-ỹĐđ.\-/_ ]{0,39}$")


def get(db: Session, case_file_id: int) -> CaseFile:
    found = db.get(CaseFile, case_file_id)
    if found is None:
        raise NotFoundError(f"Không có hồ sơ #{case_file_id}.")
    return found


def require(user: User | None, action: str, case_file: CaseFile | None, what: str) -> None:
    """Raise "Bạn không có quyền <what>." unless ``user`` is allowed ``action`` on ``case_file`` (None: a new
    file at the top level, by the global roles)."""
    if not allowed(user, action, case_file):
        raise PermissionDeniedError(f"Bạn không có quyền {what}.")


def parse_retention(value) -> int | None:
    """ "Vĩnh viễn" (or empty) → None; "10", "10 năm" → 10."""
    text = clean_whitespace(nfc(str(value or ""))).lower()
    if text in ("", "vĩnh viễn", "vinh vien", "vv"):
        return None
    number = text.removesuffix("năm").removesuffix("nam").strip()
    if not number.isdigit() or not 1 <= int(number) <= 100:
        raise UserValueError(f"Thời hạn bảo quản: ghi số năm (1–100) hoặc «{PERMANENT}».",
                             {"retention": "Số năm hoặc «Vĩnh viễn»."})
    return int(number)


def _int_or_none(value, label: str) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    if parse_id(text) is None:
        raise UserValueError(f"{label}: chưa hợp lệ.")
    return int(text)


def subtree_ids(db: Session, case_file: CaseFile) -> list[int]:
    """The file and every file below it."""
    children: dict[int | None, list[int]] = {}
    for file_id, parent_id in db.execute(select(CaseFile.id, CaseFile.parent_id)):
        children.setdefault(parent_id, []).append(file_id)
    out, todo = [], [case_file.id]
    while todo:
        current = todo.pop()
        if current in out:
            continue
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def reindex_security(db: Session, case_file_ids: list[int]) -> int:
    """Who may see the documents in these files changed: re-index them (see :func:`reindex_documents`)."""
    if not case_file_ids:
        return 0
    return reindex_documents(db, list(db.scalars(select(Document.id).where(Document.case_file_id.in_(case_file_ids)))))


def reindex_documents(db: Session, ids: list[int]) -> int:
    """Who may see these documents changed though they did not: bump their security revision (part of the
    index stamp) and queue them for the index, in this transaction like any change. Returns how many."""
    if not ids:
        return 0
    db.execute(update(Document).where(Document.id.in_(ids)).values(security_rev=Document.security_rev + 1)
               .execution_options(synchronize_session=False))
    queue_documents(db, ids)
    wanted = set(ids)
    for obj in list(db.identity_map.values()):
        if isinstance(obj, Document) and obj.id in wanted:
            db.expire(obj, ["security_rev"])
    return len(ids)


def save_case_file(db: Session, values: dict, user: User | None, case_file: CaseFile | None = None,
                   today: dt.date | None = None) -> CaseFile:
    """Open a case file (``case_file`` None) or change its record. ``values``: code, title, year, retention,
    parent_id, unit_id, creator_id, note, inherit_roles (form strings are fine)."""
    today = today or clock.today()
    errors: dict[str, str] = {}
    code = clean_whitespace(nfc(str(values.get("code") or "")))
    title = clean_whitespace(nfc(str(values.get("title") or "")))
    if not code:
        errors["code"] = "Cần ghi số và ký hiệu hồ sơ."
    elif not CODE_RE.match(code):
        errors["code"] = "Số và ký hiệu hồ sơ: tối đa 40 ký tự, chữ, số và . - / _ (ví dụ «01.TCCB»)."
    if not title:
        errors["title"] = "Cần ghi tiêu đề hồ sơ."
    year_text = str(values.get("year") or today.year).strip()
    year = int(year_text) if year_text.isdigit() else 0
    if not 1900 <= year <= 2200:
        errors["year"] = "Năm chưa hợp lệ."
    if errors:
        raise UserValueError("Thông tin hồ sơ chưa hợp lệ: " + "; ".join(errors.values()), errors)
    retention = parse_retention(values.get("retention"))
    parent_id = _int_or_none(values.get("parent_id"), "Hồ sơ cha")
    parent = get(db, parent_id) if parent_id else None
    unit_id = _int_or_none(values.get("unit_id"), "Đơn vị")
    if unit_id is not None and db.get(Group, unit_id) is None:
        raise UserValueError("Không có đơn vị này.", {"unit_id": "Không có đơn vị này."})
    creator_id = _int_or_none(values.get("creator_id"), "Người lập hồ sơ")
    if creator_id is not None and db.get(User, creator_id) is None:
        raise UserValueError("Không có người dùng này.", {"creator_id": "Không có người dùng này."})
    inherit = values.get("inherit_roles", True) not in (False, "", "0", "off", "false", None)

    if case_file is None:
        require(user, "add", parent, "mở hồ sơ ở đây")
        if parent is not None and inherit:
            require_sharing_rights(user, parent, "mở hồ sơ con kế thừa chia sẻ của hồ sơ này")
        case_file = CaseFile(opened_on=today, creator_id=creator_id or (user.id if user else None))
        action = "casefile_create"
    else:
        require(user, "edit", case_file, "sửa hồ sơ này")
        if case_file.is_closed:
            raise UserValueError("Hồ sơ đã kết thúc: mở lại hồ sơ trước khi sửa.")
        if creator_id is not None:
            case_file.creator_id = creator_id
        action = "casefile_update"
    if parent is not None:
        if parent.is_closed:
            raise UserValueError(f"Hồ sơ «{parent.code}» đã kết thúc, không thêm hồ sơ con được.")
        if case_file.id is not None and (parent.id == case_file.id or case_file in parent.ancestors()):
            raise UserValueError("Không thể đặt hồ sơ vào chính nó hoặc hồ sơ con của nó.",
                                 {"parent_id": "Chọn hồ sơ cha khác."})
        if parent.id != case_file.parent_id and action == "casefile_update":
            require(user, "add", parent, "chuyển hồ sơ vào hồ sơ cha này")
            if inherit:
                require_sharing_rights(user, parent, "chuyển hồ sơ vào hồ sơ cha đang được chia sẻ")
    with db.no_autoflush:
        clash = db.scalar(select(CaseFile).where(CaseFile.year == year, func.lower(CaseFile.code) == code.lower(),
                                                 CaseFile.id != (case_file.id or 0)))
    if clash is not None:
        raise UserValueError(f"Năm {year} đã có hồ sơ số «{clash.code}»: {clash.title}.",
                             {"code": "Số và ký hiệu hồ sơ đã dùng trong năm này."})
    security_changed = case_file.id is not None and (case_file.parent_id != (parent.id if parent else None)
                                                     or case_file.inherit_roles != inherit)
    case_file.code, case_file.title, case_file.year = code, title, year
    case_file.retention_years = retention
    case_file.parent = parent
    case_file.unit_id = unit_id
    case_file.inherit_roles = inherit
    case_file.note = (values.get("note") or "").strip()
    db.add(case_file)
    db.flush()
    if security_changed:
        reindex_security(db, subtree_ids(db, case_file))
    audit.record(db, action, user, None, case_file=case_file.id, code=code, title=title)
    return case_file


def contents_filename(case_file: CaseFile) -> str:
    return f"muc-luc-ho-so-{case_file.year}-{case_file.code}".replace("/", "-").replace(" ", "-") + ".pdf"


def contents_for(db: Session, case_file: CaseFile, user: User | None, store) -> bytes:
    """The Mục lục văn bản as ``user`` may print it: the one kept at closing, or (open file) as it stands now;
    the "print" audit entry is written (the caller commits)."""
    require(user, "print", case_file, "in mục lục hồ sơ này")
    if user is not None and any(not allowed(user, "view", d) for d in documents_in(db, case_file)):
        raise PermissionDeniedError("Hồ sơ có văn bản bạn không được xem; bạn không in được mục lục của nó.")
    if case_file.is_closed and case_file.contents_sha256:
        pdf = store.read(case_file.contents_sha256)
    else:
        pdf = case_file_contents_pdf(db, case_file)
    audit.record(db, "print", user, None, form="case-file-contents", case_file=case_file.id, code=case_file.code)
    return pdf


def require_sharing_rights(user: User | None, case_file: CaseFile, what: str) -> None:
    """Under a shared file, what inherits its sharing shares too: that takes "manage" on the file (the
    right to change its Sharing), or a local role of the sharing itself that allows adding there."""
    if user is None or not any(True for _ in grants_reaching(case_file)):
        return
    if allowed(user, "manage", case_file):
        return
    if any("add" in ROLE_PERMISSIONS.get(r, ()) for r in local_roles(user, case_file)):
        return
    raise PermissionDeniedError(f"Bạn không có quyền {what}: hồ sơ đang được chia sẻ, cần quyền chia sẻ hồ sơ.")


def widened_viewers(doc: Document, case_file: CaseFile) -> set[str]:
    """Who would newly see ``doc`` were it filed in ``case_file``: the principals of the local roles
    reaching that file whose role may view it in its state, that may not view it now."""
    states = doc.workflow.states
    roles = states[doc.state].roles_with("view") if doc.state in states else frozenset()
    return {g.principal for g in grants_reaching(case_file) if g.role in roles} - set(view_principals(doc))


def file_document(db: Session, doc: Document, case_file: CaseFile | None, user: User | None) -> None:
    """Put ``doc`` into ``case_file`` (None: take it out of its file). Needs "edit" on the document and on
    both files, and "manage" on the target where its sharing would show the document to more people."""
    current = doc.case_file
    if (current.id if current else None) == (case_file.id if case_file else None):
        return
    if user is not None and not allowed(user, "view", doc):
        raise PermissionDeniedError("Bạn không có quyền với văn bản này.")
    for where in (current, case_file):
        if where is not None and where.is_closed:
            raise UserValueError(f"Hồ sơ «{where.code}» đã kết thúc: không thêm hay bớt văn bản được.")
    if user is not None and not allowed(user, "edit", doc):
        raise PermissionDeniedError(f"Bạn không có quyền sửa văn bản này ở trạng thái «{doc.state_title}», "
                                    "nên không sắp xếp nó vào hồ sơ được.")
    for where in (current, case_file):
        if where is None:
            continue
        require(user, "edit", where, f"sắp xếp văn bản trong hồ sơ «{where.code}»")
    if case_file is not None and user is not None and widened_viewers(doc, case_file) \
            and not allowed(user, "manage", case_file):
        raise PermissionDeniedError(f"Hồ sơ «{case_file.code}» được chia sẻ với người không xem được văn bản "
                                    "này: cần quyền chia sẻ hồ sơ để đưa văn bản vào.")
    doc.case_file = case_file
    doc.updated_by_id = user.id if user else None
    doc.updated_at = dt.datetime.now(dt.timezone.utc)
    audit.record(db, "file", user, doc.id, case_file=case_file.id if case_file else None,
                 code=case_file.code if case_file else None, previous=current.code if current else None)


def file_by_id(db: Session, doc_id: int, case_file_id, user: User | None) -> CaseFile | None:
    """File document ``doc_id`` into the case file a form or a JSON body names (empty: take it out), and
    commit. The document must be one the user may view (else "no such document")."""
    doc = db.get(Document, doc_id)
    if doc is None or (user is not None and not allowed(user, "view", doc)):
        raise NotFoundError(f"Không có văn bản số #{doc_id}.")
    raw = str(case_file_id or "").strip()
    target = get(db, parse_id(raw)) if parse_id(raw) else None
    if raw and target is None:
        raise UserValueError("Chọn một hồ sơ.")
    file_document(db, doc, target, user)
    commit_and_sync(db)
    return target


def take_action(db: Session, store, case_file_id: int, action: str, user: User | None) -> CaseFile:
    """Close, reopen or hand to the archive (nộp lưu) a case file, and commit (roll back on refusal)."""
    case_file = get(db, case_file_id)
    try:
        if action == "close":
            close_case_file(db, store, case_file, user)
        elif action == "reopen":
            reopen_case_file(db, case_file, user)
        elif action == "archive":
            archive_case_file(db, case_file, user)
        else:
            raise UserValueError(f"Không có thao tác «{action}» với hồ sơ.")
        commit_and_sync(db)
    except (UserValueError, PermissionDeniedError):
        db.rollback()
        raise
    return case_file


def close_case_file(db: Session, store, case_file: CaseFile, user: User | None,
                    today: dt.date | None = None) -> CaseFile:
    """Kết thúc hồ sơ: lock it and its documents, and keep its Mục lục văn bản (PDF) with the file."""
    require(user, "edit", case_file, "kết thúc hồ sơ này")
    if case_file.is_closed:
        raise UserValueError(f"Hồ sơ «{case_file.code}» đã kết thúc.")
    still_open = [c.code for c in case_file.children if not c.is_closed]
    if still_open:
        raise UserValueError("Hãy kết thúc các hồ sơ con trước: " + ", ".join(still_open) + ".")
    if user is not None:
        # Closing locks its documents (no edit, no transition): only for someone who could edit each of them.
        beyond = [d for d in documents_in(db, case_file) if not allowed(user, "edit", d)]
        if beyond:
            names = ", ".join(d.number or f"#{d.id}" for d in beyond[:5]) + (" …" if len(beyond) > 5 else "")
            raise PermissionDeniedError(f"Bạn không có quyền sửa {len(beyond)} văn bản trong hồ sơ ({names}), nên "
                                        "không kết thúc hồ sơ được; hãy nhờ văn thư hoặc quản trị.")
    case_file.status = "closed"
    case_file.closed_on = today or clock.today()
    case_file.closed_by_id = user.id if user else None
    pdf = case_file_contents_pdf(db, case_file)
    sha256 = store.put(pdf)  # before the commit: a crash leaves an unreferenced blob, never a missing file
    if db.get(Blob, sha256) is None:
        db.add(Blob(sha256=sha256, size=len(pdf), mime_type="application/pdf"))
    case_file.contents_sha256 = sha256
    db.flush()
    audit.record(db, "casefile_close", user, None, case_file=case_file.id, code=case_file.code,
                 documents=len(documents_in(db, case_file)))
    return case_file


def reopen_case_file(db: Session, case_file: CaseFile, user: User | None) -> CaseFile:
    require(user, "manage", case_file, "mở lại hồ sơ")
    if case_file.status == "archived":
        raise UserValueError("Hồ sơ đã nộp lưu vào Lưu trữ cơ quan, không mở lại được.")
    if not case_file.is_closed:
        raise UserValueError("Hồ sơ đang mở.")
    if case_file.parent is not None and case_file.parent.is_closed:
        raise UserValueError(f"Hồ sơ cha «{case_file.parent.code}» đã kết thúc: mở lại hồ sơ cha trước.")
    case_file.status, case_file.closed_on, case_file.closed_by_id = "open", None, None
    case_file.contents_sha256 = None
    audit.record(db, "casefile_reopen", user, None, case_file=case_file.id, code=case_file.code)
    return case_file


def archive_case_file(db: Session, case_file: CaseFile, user: User | None, today: dt.date | None = None) -> CaseFile:
    """Nộp lưu: the closed file was handed to the agency archive."""
    require(user, "manage", case_file, "ghi nhận nộp lưu hồ sơ")
    if case_file.status != "closed":
        raise UserValueError("Chỉ hồ sơ đã kết thúc mới nộp lưu được.")
    case_file.status, case_file.archived_on = "archived", today or clock.today()
    audit.record(db, "casefile_archive", user, None, case_file=case_file.id, code=case_file.code)
    return case_file


def delete_case_file(db: Session, case_file: CaseFile, user: User | None) -> None:
    require(user, "manage", case_file, "xóa hồ sơ")
    if case_file.children or db.scalar(select(func.count()).where(Document.case_file_id == case_file.id)):
        raise UserValueError("Hồ sơ còn văn bản hoặc hồ sơ con: chuyển chúng đi trước khi xóa.")
    audit.record(db, "casefile_delete", user, None, case_file=case_file.id, code=case_file.code)
    db.delete(case_file)


def principal_title(db: Session, principal: str) -> str:
    kind, _, key = principal.partition(":")
    found = db.get(User if kind == "user" else Group, parse_id(key)) if parse_id(key) else None
    if found is None:
        return principal
    return (f"{found.display_name} ({found.username})" if kind == "user" else f"Đơn vị: {found.name}")


def set_local_roles(db: Session, case_file: CaseFile, principal: str, roles: set[str], user: User | None) -> None:
    """Make ``roles`` exactly the local roles of ``principal`` ("user:N" or "group:N") on ``case_file``."""
    require(user, "manage", case_file, "chia sẻ hồ sơ này")
    kind, _, key = principal.partition(":")
    if kind not in ("user", "group") or not parse_id(key) or db.get(User if kind == "user" else Group, parse_id(key)) is None:
        raise UserValueError("Chọn một người dùng hoặc một đơn vị.")
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise UserValueError("Vai trò không hợp lệ: " + ", ".join(sorted(unknown)) + ".")
    before = {g.role for g in case_file.local_roles if g.principal == principal}
    if before == set(roles):
        return
    case_file.local_roles = [g for g in case_file.local_roles if g.principal != principal] + [
        LocalRole(principal=principal, role=role, granted_by_id=user.id if user else None) for role in sorted(roles)]
    db.flush()
    db.info.pop(LOCAL_ROLES_CACHE, None)
    reindex_security(db, subtree_ids(db, case_file))
    audit.record(db, "casefile_share", user, None, case_file=case_file.id, code=case_file.code, principal=principal,
                 roles=sorted(roles), before=sorted(before))


def set_inherit(db: Session, case_file: CaseFile, inherit: bool, user: User | None) -> None:
    require(user, "manage", case_file, "chia sẻ hồ sơ này")
    if case_file.inherit_roles == inherit:
        return
    case_file.inherit_roles = inherit
    db.flush()
    db.info.pop(LOCAL_ROLES_CACHE, None)
    reindex_security(db, subtree_ids(db, case_file))
    audit.record(db, "casefile_share", user, None, case_file=case_file.id, code=case_file.code, inherit=inherit)


def inherited_roles(case_file: CaseFile) -> list[tuple[CaseFile, LocalRole]]:
    """The local roles that reach this file from the files above (the inheritance rule is
    :func:`docmgr.workflow.permissions.grants_reaching`), each with the file it was granted on."""
    above = {f.id: f for f in case_file.ancestors()}
    return [(above[g.case_file_id], g) for g in grants_reaching(case_file) if g.case_file_id in above]


def delete_unit(db: Session, group: Group, user: User | None) -> None:
    """Delete a unit: its local roles go, and the documents whose unit, lead unit or sharing it was are
    re-indexed (the database forgets the unit in them without changing the documents)."""
    grants = db.scalars(select(LocalRole).where(LocalRole.principal == group.principal)).all()
    touched = {g.case_file_id for g in grants}
    for grant in grants:
        db.delete(grant)
    db.flush()
    db.info.pop(LOCAL_ROLES_CACHE, None)
    ids = set(db.scalars(select(Document.id).where(Document.unit_id == group.id)))
    ids |= set(db.scalars(select(Assignment.document_id).where(Assignment.lead_group_id == group.id)))
    files = {f for case_file_id in touched for f in subtree_ids(db, get(db, case_file_id))}
    if files:
        ids |= set(db.scalars(select(Document.id).where(Document.case_file_id.in_(files))))
    reindex_documents(db, sorted(ids))
    audit.record(db, "unit_delete", user, None, unit=group.id, name=group.name)
    db.delete(group)


def tree(db: Session, year: int | None = None) -> list[tuple[int, CaseFile]]:
    """Every case file (of ``year``) as (depth, file), parents before children, by code."""
    query = select(CaseFile).order_by(CaseFile.year.desc(), CaseFile.code)
    files = list(db.scalars(query))
    by_parent: dict[int | None, list[CaseFile]] = {}
    ids = {f.id for f in files}
    for f in files:
        by_parent.setdefault(f.parent_id if f.parent_id in ids else None, []).append(f)
    out: list[tuple[int, CaseFile]] = []

    def walk(parent_id, depth):
        for f in by_parent.get(parent_id, []):
            if year is None or f.year == year or depth:
                out.append((depth, f))
                walk(f.id, depth + 1)

    walk(None, 0)
    return out


def due_for_archive(db: Session, today: dt.date | None = None) -> list[CaseFile]:
    """Closed files to hand to the agency archive within 30 days (or already late), soonest first."""
    today = today or clock.today()
    closed = db.scalars(select(CaseFile).where(CaseFile.status == "closed")).all()
    return sorted((f for f in closed if f.archive_warning(today)), key=lambda f: f.archive_due)
