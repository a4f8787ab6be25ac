"""The permission checks, in one place, with one verb: :func:`allowed` (a document, a case file, the site),
:func:`allowed_somewhere` (the route guard and menus), and as the search index records who may view a
document (:func:`view_principals` against :func:`user_principals`). The SQL form of the same rules, for lists,
is :func:`docmgr.documents.queries.permitted`; the permission table test runs the three against each other.

For a document, the map of its workflow state (:mod:`docmgr.workflow.definitions`) decides view, download,
edit, print and transition, for the roles the user has there: global roles, "owner", "handler" (the lead unit
of an assignment) and local roles granted on its case file or the files above (the Sharing page). Local roles
only ever widen rights on the objects they are granted on.
"""

from __future__ import annotations

from sqlalchemy import and_, false, inspect, or_, select
from sqlalchemy.exc import NoInspectionAvailable
from sqlalchemy.orm import object_session

from docmgr.casefiles.models import CaseFile, LocalRole
from docmgr.documents.models import Assignment, Document
from docmgr.workflow.definitions import (
    CONFIDENTIAL_ROLES,
    HANDLER,
    LOCKED_BY_CLOSED_FILE,
    OWNER,
    ROLE_PERMISSIONS,
    ROLES,
    STATE_PERMISSIONS,
    WORKFLOWS,
    states_for,
)


GLOBAL = "global"  # route scopes (docmgr.auth.guard): the site itself …
CASE_FILE = "casefile"  # … or one case file, which the view checks


LOCAL_ROLES_CACHE = "docmgr_local_roles"  # key in Session.info


def permissions_of(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset().union(*(ROLE_PERMISSIONS.get(r, frozenset()) for r in user.roles))


def _globally(user, permission: str) -> bool:
    """By the global role map alone (the site's own permissions: add, addresses, manage)."""
    return permission in permissions_of(user)


def group_ids(user) -> frozenset[int]:
    return frozenset(getattr(user, "group_ids", ()) or ())


def user_principal_set(user) -> set[str]:
    """The principals local roles may name for ``user``: themselves and their units."""
    return {f"user:{user.id}", *(f"group:{g}" for g in group_ids(user))}


def local_roles(user, case_file) -> set[str]:
    """Roles granted to ``user`` (or one of their units) on ``case_file``, or above it while it inherits."""
    if case_file is None or not getattr(user, "is_authenticated", False):
        return set()
    principals = user_principal_set(user)
    return {grant.role for grant in grants_reaching(case_file) if grant.principal in principals}


def grants_reaching(case_file):
    """The local roles that apply in ``case_file``: its own, then those of each file above for as long as
    the files on the way inherit."""
    node, seen = case_file, set()
    while node is not None and node.id not in seen:
        seen.add(node.id)
        yield from node.local_roles
        if not node.inherit_roles:
            break
        node = node.parent


def local_roles_anywhere(user) -> set[str] | None:
    """Every role ``user`` holds locally on some case file, looked up once per database session (a
    request's; the sharing operations clear it). None when it cannot be known: the user is not attached
    to a session."""
    try:
        inspect(user)
    except NoInspectionAvailable:  # a stand-in user (tests, benchmarks): no local roles
        return set()
    db = object_session(user)
    if db is None:
        return None
    cache = db.info.setdefault(LOCAL_ROLES_CACHE, {})
    if user.id not in cache:
        cache[user.id] = set(db.scalars(select(LocalRole.role).distinct()
                                        .where(LocalRole.principal.in_(sorted(user_principal_set(user))))))
    return cache[user.id]


def _on_case_file(user, permission: str, case_file) -> bool:
    """On a case file: by a global role or a local role on it (or above); its keeper (người lập) may edit it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if permission == "edit" and case_file.creator_id is not None and case_file.creator_id == user.id:
        return True
    roles = set(user.roles) | local_roles(user, case_file)
    return any(permission in ROLE_PERMISSIONS.get(r, ()) for r in roles)


def allowed_somewhere(user, permission: str, scope: str = GLOBAL) -> bool:
    """May ``user`` have ``permission`` somewhere (the route guard; the object is checked after)?

    For the permissions workflow states govern, that is: one of the user's roles —
    global, held locally on some case file, or as owner (if they may add documents)
    or handler (member of a unit) — has it in some state; the view then checks the
    document. For the others (add, addresses, manage) only the global roles count,
    unless the route acts on one case file (``scope=CASE_FILE``) and checks it.
    """

    if not getattr(user, "is_authenticated", False):
        return False
    if permission not in STATE_PERMISSIONS:
        if _globally(user, permission):
            return True
        return scope == CASE_FILE and any(permission in ROLE_PERMISSIONS.get(r, ())
                                          for r in local_roles_anywhere(user) or ())
    roles = roles_anywhere(user)
    return any(state.roles_with(permission) & roles
               for workflow in WORKFLOWS.values() for state in workflow.states.values())


def roles_anywhere(user) -> set[str]:
    """Every role ``user`` may hold on some document: global, local on some case file, owner (if they may
    add documents), handler (if they belong to a unit, or edit)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    local = local_roles_anywhere(user) or set()
    roles = set(user.roles) | local | ({OWNER} if _globally(user, "add") else set())
    if group_ids(user) or "editor" in user.roles:
        roles.add(HANDLER)
    return roles


def _global_roles(user, doc) -> set[str]:
    """The user's global roles that count on ``doc``: on a confidential document, only the roles that
    keep their rights there (:data:`CONFIDENTIAL_ROLES`) unless the user belongs to its unit."""

    roles = set(user.roles)
    if getattr(doc, "confidentiality", None) and getattr(doc, "unit_id", None) not in group_ids(user):
        roles &= CONFIDENTIAL_ROLES
    return roles


def is_handler(user, doc, global_roles: set[str] | None = None) -> bool:
    """Is ``user`` in the lead unit the document was assigned to? (Editors, when that unit is not a known one.)"""
    assignment = getattr(doc, "assignment", None)
    if assignment is None:
        return False
    if assignment.lead_group_id is None:
        return "editor" in (global_roles if global_roles is not None else _global_roles(user, doc))
    return assignment.lead_group_id in group_ids(user)


def roles_on(user, doc) -> set[str]:
    """The user's roles where ``doc`` is concerned.

    Global roles (narrowed on confidential documents), "owner" if they created it,
    "handler" if their unit leads its handling, and the local roles granted on its
    case file and the files above.
    """

    if not getattr(user, "is_authenticated", False):
        return set()
    if doc is None:
        return set(user.roles)
    roles = _global_roles(user, doc)
    if getattr(doc, "created_by_id", None) is not None and doc.created_by_id == user.id:
        roles.add(OWNER)
    if is_handler(user, doc, roles):
        roles.add(HANDLER)
    return roles | local_roles(user, getattr(doc, "case_file", None))


def allowed(user, permission: str, doc=None) -> bool:
    """May ``user`` do ``permission`` — on ``doc`` (a document, in its workflow state; or a case file), or
    with no object, on the site? The one check of docmgr; :func:`allowed_somewhere` is the route guard's.

    On a document, the permissions a state governs (view, download, edit, print, transition) come from the
    state's map in :mod:`docmgr.workflow.definitions`; the others (add, manage) from the global role map. A
    document in a closed case file is locked: no edit, no transition (a manager's recall is guarded by
    "manage"). On a case file, global roles and the local roles granted on it or above count, and its keeper
    may edit it. None as the user is the system, which may do everything.
    """

    if user is None:
        return True  # the system (command line, set-up): as permitted(None) and the index's None
    if isinstance(doc, CaseFile):
        return _on_case_file(user, permission, doc)
    if doc is None or permission not in STATE_PERMISSIONS:
        return _globally(user, permission)
    states = doc.workflow.states
    if doc.state not in states:
        return False
    case_file = getattr(doc, "case_file", None)
    if permission in LOCKED_BY_CLOSED_FILE and case_file is not None and case_file.is_closed:
        return False
    return bool(states[doc.state].roles_with(permission) & roles_on(user, doc))


def _global_principal(doc, role: str) -> str | None:

    if not getattr(doc, "confidentiality", None) or role in CONFIDENTIAL_ROLES:
        return f"role:{role}"
    unit = getattr(doc, "unit_id", None)
    return f"unitrole:{unit}:{role}" if unit is not None else None


def view_principals(doc) -> list[str]:
    """Who may view a document, as the search index records it.

    "role:R" for the global roles with view in its state — "unitrole:G:R" instead
    when it is confidential and R counts only in its unit G; "user:N" for its
    creator where the owner may view; "group:G" for the lead unit where the
    handler may; and the principals of the local roles on its case file (and the
    files above) whose role may view. Must agree with :func:`roles_on`.
    """

    states = doc.workflow.states
    roles = states[doc.state].roles_with("view") if doc.state in states else frozenset()
    out: set[str | None] = set()
    for role in roles:
        if role == OWNER:
            if getattr(doc, "created_by_id", None) is not None:
                out.add(f"user:{doc.created_by_id}")
        elif role == HANDLER:
            assignment = getattr(doc, "assignment", None)
            if assignment is not None:
                out.add(f"group:{assignment.lead_group_id}" if assignment.lead_group_id is not None
                        else _global_principal(doc, "editor"))
        else:
            out.add(_global_principal(doc, role))
    out |= {grant.principal for grant in grants_reaching(getattr(doc, "case_file", None)) if grant.role in roles}
    return sorted(p for p in out if p)


def user_principals(user) -> list[str]:
    """What a user is, for matching against :func:`view_principals`."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles = sorted(user.roles)
    groups = sorted(group_ids(user))
    return [f"user:{user.id}", *(f"role:{r}" for r in roles), *(f"group:{g}" for g in groups),
            *(f"unitrole:{g}:{r}" for g in groups for r in roles)]


# -- the same rules in SQL, for lists -------------------------------------------------------


def _local_grants(user):
    """A recursive CTE of (case_file_id, role): the local roles ``user`` holds on each case file, granted
    there or inherited from a file above (as long as each file on the way inherits)."""
    grants = (select(LocalRole.case_file_id.label("case_file_id"), LocalRole.role.label("role"))
              .where(LocalRole.principal.in_(sorted(user_principal_set(user))))
              .cte("grants", recursive=True))
    below = (select(CaseFile.id, grants.c.role)
             .join(grants, CaseFile.parent_id == grants.c.case_file_id)
             .where(CaseFile.inherit_roles.is_(True)))
    return grants.union(below)


def permitted(user, permission: str = "view", states=None):
    """The SQL condition for documents on which ``user`` has ``permission`` in their state.

    The same rules as :func:`docmgr.workflow.permissions.allowed`, for lists: each
    global role in the states where it has the permission (on confidential
    documents only within the user's units, unless the role keeps its rights
    there), the owner on their own documents, the handler on documents assigned
    to their unit, and each local role on the documents under the case files
    where it was granted. ``states`` ({direction: names}) narrows the states
    considered. None as the user means the system: no condition.
    """
    if user is None:
        return None
    if not getattr(user, "is_authenticated", False):
        return false()
    roles, groups = set(user.roles), sorted(group_ids(user))
    not_confidential = or_(Document.confidentiality.is_(None), Document.confidentiality == "")
    in_my_unit = Document.unit_id.in_(groups) if groups else false()
    conditions = []

    def grant(role: str, *extra) -> None:
        for direction, names in states_for(permission, {role}).items():
            if states is not None:
                names = names & states.get(direction, set())
            if names:
                conditions.append(and_(Document.direction == direction, Document.state.in_(sorted(names)), *extra))

    for role in sorted(roles):
        grant(role, *(() if role in CONFIDENTIAL_ROLES else (or_(not_confidential, in_my_unit),)))
    grant(OWNER, Document.created_by_id == user.id)
    # The subqueries name only assignments (a condition on the document inside one would make it correlated:
    # run again for every document).
    handled = (Document.id.in_(select(Assignment.document_id).where(Assignment.lead_group_id.in_(groups)))
               if groups else false())
    if "editor" in roles:  # editors handle what was assigned to a unit docmgr does not know
        unknown_unit = select(Assignment.document_id).where(Assignment.lead_group_id.is_(None))
        handled = or_(handled, and_(Document.id.in_(unknown_unit), or_(not_confidential, in_my_unit)))
    grant(HANDLER, handled)
    local = local_roles_anywhere(user)
    local = set(ROLES) if local is None else local & set(ROLES)
    grants = _local_grants(user) if local else None
    for role in sorted(local):
        grant(role, Document.case_file_id.in_(select(grants.c.case_file_id).where(grants.c.role == role)))
    condition = or_(*conditions) if conditions else false()
    if permission in LOCKED_BY_CLOSED_FILE:
        closed = select(CaseFile.id).where(CaseFile.status != "open")
        condition = and_(condition, or_(Document.case_file_id.is_(None), Document.case_file_id.not_in(closed)))
    return condition


def visible_to(user):
    """The SQL condition for documents ``user`` may view in their state (None: everything, for the system)."""
    return permitted(user, "view")
