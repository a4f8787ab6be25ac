"""Roles, named permissions, and the guard every route declares.

The role → permission map is data, in one place. Workflow states and local
roles on case files refine it later; the names stay the same.
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
    "manage": "Quản trị hệ thống",
}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "reader": frozenset({"view", "download"}),
    "contributor": frozenset({"view", "download", "add"}),
    "editor": frozenset({"view", "download", "add", "edit", "print"}),
    "reviewer": frozenset({"view", "download", "print", "transition"}),
    "clerk": frozenset({"view", "download", "add", "edit", "print", "transition"}),
    "manager": frozenset(PERMISSIONS),
}
PUBLIC = "public"  # the marker for routes anyone may reach (login page, static files)


def permissions_of(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset().union(*(ROLE_PERMISSIONS.get(r, frozenset()) for r in user.roles))


def can(user, permission: str) -> bool:
    return permission in permissions_of(user)


def view_principals(_doc) -> list[str]:
    """Who may view a document, as the search index records it ("role:reader", "user:7").

    Today every role with "view" sees every document; local roles and workflow
    states (case files, confidential series) will narrow this per document.
    """
    return sorted(f"role:{role}" for role, perms in ROLE_PERMISSIONS.items() if "view" in perms)


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
                if permission != "login" and not can(current_user, permission):
                    abort(403)
            return view(*args, **kwargs)

        guarded.required_permission = permission
        return guarded

    return decorate
