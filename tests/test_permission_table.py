"""The permission rules have three implementations — one document in Python (``allowed``), the search index
(``view_principals`` against ``user_principals``) and the SQL filter of lists (``permitted``) — and one source,
the data of docmgr.workflow.definitions. Every state of both workflows, every way of holding a role (global,
on another unit's confidential document, owner, handler, local role on the case file), every permission the
states govern: the three agree with each other and with the data."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from docmgr.auth.models import Group, User
from docmgr.casefiles.models import CaseFile, LocalRole
from docmgr.documents.models import Assignment, Document
from docmgr.search import commit_and_sync
from docmgr.workflow.definitions import (
    CONFIDENTIAL_ROLES,
    HANDLER,
    INCOMING,
    OUTGOING,
    OWNER,
    ROLES,
    STATE_PERMISSIONS,
)
from docmgr.workflow.permissions import allowed, permitted, user_principals, view_principals


def _user(db, name: str, roles=(), groups=()) -> User:
    user = User(username=name, password_hash="x")
    user.set_roles(set(roles))
    user.groups = list(groups)
    db.add(user)
    return user


def test_allowed_the_index_and_the_sql_filter_agree_with_the_data(app):
    state = app.extensions["docmgr"]
    with state.sessionmaker() as db:
        unit, other = Group(name="Văn phòng", code="VP"), Group(name="Phòng Tư pháp", code="TP")
        db.add_all([unit, other])
        author = _user(db, "tac-gia")
        # (label, user, expected role in the state's map, how the document is made for it)
        cases = [(f"global:{r}", _user(db, f"g-{r}", {r}, [unit]), r, "plain") for r in ROLES]
        cases += [(f"confidential:{r}", _user(db, f"c-{r}", {r}, [unit]), r, "confidential") for r in ROLES]
        cases += [("owner", _user(db, "chu"), OWNER, "own"), ("handler", _user(db, "xu-ly", (), [unit]), HANDLER,
                                                                             "assigned")]
        cases += [(f"local:{r}", _user(db, f"l-{r}"), r, "shared") for r in ROLES]
        db.flush()
        made = []
        for workflow in (OUTGOING, INCOMING):
            for state_name, wf_state in workflow.states.items():
                for label, user, role, how in cases:
                    doc = Document(direction=workflow.name, state=state_name, subject=f"{label} {state_name}",
                                   created_by_id=(user.id if how == "own" else author.id), unit_id=unit.id)
                    if how == "confidential":
                        doc.confidentiality, doc.unit_id = "Mật", other.id
                    if how == "shared":
                        case_file = CaseFile(code=f"{workflow.name}-{state_name}-{label}", title="Hồ sơ", year=2024,
                                             opened_on=dt.date(2024, 1, 1))
                        case_file.local_roles = [LocalRole(principal=f"user:{user.id}", role=role)]
                        doc.case_file = case_file
                    db.add(doc)
                    db.flush()
                    if how == "assigned":
                        db.add(Assignment(document_id=doc.id, lead_unit=unit.name, lead_group_id=unit.id))
                    made.append((workflow.name, state_name, wf_state, label, user, role, how, doc.id))
        commit_and_sync(db, state)

    checked = 0
    with state.sessionmaker() as db:
        for workflow_name, state_name, wf_state, label, user_ref, role, how, doc_id in made:
            user, doc = db.get(User, user_ref.id), db.get(Document, doc_id)
            for permission in STATE_PERMISSIONS:
                expected = role in wf_state.roles_with(permission)
                if how == "confidential":
                    expected = expected and role in CONFIDENTIAL_ROLES
                where = (workflow_name, state_name, label, permission)
                assert allowed(user, permission, doc) is expected, where
                in_sql = db.scalar(select(Document.id).where(Document.id == doc_id, permitted(user, permission)))
                assert (in_sql is not None) is expected, where
                if permission == "view":
                    indexed = bool(set(view_principals(doc)) & set(user_principals(user)))
                    assert indexed is expected, where
                checked += 1
    states = len(OUTGOING.states) + len(INCOMING.states)
    assert checked == states * len(cases) * len(STATE_PERMISSIONS)
