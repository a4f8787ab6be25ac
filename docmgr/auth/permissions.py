"""Roles, named permissions, and the guard every route declares.

The role → permission map is data, in one place; for a document, the map of
its workflow state (:mod:`docmgr.workflow`) decides view, download, edit, print
and transition. Local roles on case files will refine it; the names stay the same.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

ROLES = {
    "reader": "Người xem",
    "contributor": "Người soạn thảo",
    "editor": "Biên tập viên",
    "reviewer": "Người duyệt",
    "clerk": "Văn thư",
    "manager": "Quản trị",
}
PERMISSIONS = {
    "view": "Xem văn bản",
    "add": "Thêm văn bản",
    "edit": "Sửa văn bản",
    "download": "Tải tệp gốc",
    "print": "In",
    "transition": "Chuyển trạng thái",
    "addresses": "Quản lý danh bạ",
    "manage": "Quản trị hệ thống",
}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "reader": frozenset({"view", "download"}),
    "contributor": frozenset({"view", "download", "add"}),
    "editor": frozenset({"view", "download", "add", "edit", "print"}),
    "reviewer": frozenset({"view", "download", "print", "transition"}),
    "clerk": frozenset({"view", "download", "add", "edit", "print", "transition", "addresses"}),
    "manager": frozenset(PERMISSIONS),
}
PUBLIC = "public"  # the marker for routes anyone may reach (login page, static files)


def permissions_of(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset().union(*(ROLE_PERMISSIONS.get(r, frozenset()) for r in user.roles))


def can(user, permission: str) -> bool:
    return permission in permissions_of(user)


def could(user, permission: str) -> bool:
    """May ``user`` have ``permission`` on some document (the route guard; the document is checked after)?

    For the permissions workflow states govern, that is: one of the user's roles
    has it in some state — or the owner does and the user may add documents.
    """
    from docmgr.workflow import OWNER, STATE_PERMISSIONS, WORKFLOWS

    if permission not in STATE_PERMISSIONS:
        return can(user, permission)
    if not getattr(user, "is_authenticated", False):
        return False
    roles = set(user.roles) | ({OWNER} if can(user, "add") else set())
    return any(state.roles_with(permission) & roles
               for workflow in WORKFLOWS.values() for state in workflow.states.values())


def roles_on(user, doc) -> set[str]:
    """The user's roles where ``doc`` is concerned: global roles, plus "owner" if they created it."""
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = set(user.roles)
    if doc is not None and doc.created_by_id is not None and doc.created_by_id == user.id:
        roles.add("owner")
    return roles


def allowed(user, permission: str, doc=None) -> bool:
    """May ``user`` do ``permission`` (on ``doc``, in its workflow state)?

    Permissions a state governs (view, download, edit, print, transition) come
    from the state's map in :mod:`docmgr.workflow`; the others (add, manage)
    from the global role map.
    """
    from docmgr.workflow import STATE_PERMISSIONS

    if doc is None or permission not in STATE_PERMISSIONS:
        return can(user, permission)
    states = doc.workflow.states
    if doc.state not in states:
        return False
    return bool(states[doc.state].roles_with(permission) & roles_on(user, doc))


def view_principals(doc) -> list[str]:
    """Who may view a document, as the search index records it ("role:reader", "user:7").

    The roles with "view" in the document's workflow state, and its creator
    ("user:N") where the state gives the owner that right.
    """
    states = doc.workflow.states
    roles = states[doc.state].roles_with("view") if doc.state in states else frozenset()
    out = {f"role:{role}" for role in roles if role != "owner"}
    if "owner" in roles and getattr(doc, "created_by_id", None) is not None:
        out.add(f"user:{doc.created_by_id}")
    return sorted(out)


def user_principals(user) -> list[str]:
    """What a user is, for matching against :func:`view_principals`."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [f"user:{user.id}", *(f"role:{r}" for r in sorted(user.roles))]


def requires(permission: str):
    """Guard a view: anonymous users get 401 (the login page), others need ``permission``.

    The permission is kept on the view function as ``required_permission`` so
    that tests can walk the URL map and check that every route declares one.
    """
    if permission != PUBLIC and permission not in PERMISSIONS and permission != "login":
        raise ValueError(f"unknown permission {permission!r}")

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if permission != PUBLIC:
                if not current_user.is_authenticated:
                    abort(401)
                if permission != "login" and not could(current_user, permission):
                    abort(403)
            return view(*args, **kwargs)

        guarded.required_permission = permission
        return guarded

    return decorate
