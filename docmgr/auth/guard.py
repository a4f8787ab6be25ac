"""The guard every route declares: who may reach it (the object it acts on is checked by the view).

Local roles (the Sharing of a case file) only ever widen rights on the objects they are granted on: a route
guard counts them only when the route checks that object itself afterwards. Global administration (units,
users, the audit log, the address book, uploads) needs the global role.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from docmgr.workflow.definitions import PERMISSIONS
from docmgr.workflow.permissions import CASE_FILE, GLOBAL, allowed_somewhere


PUBLIC = "public"  # the marker for routes anyone may reach (login page, static files)
# What a route acts on, which decides whether local roles count in its guard: GLOBAL, the site itself (global
# roles only, besides "owner"/"handler" for the permissions states govern); CASE_FILE, one case file the view
# checks with allowed(user, permission, case_file) (local roles count).
SCOPES = (GLOBAL, CASE_FILE)


def requires(permission: str, scope: str = GLOBAL):
    """Guard a view: anonymous users get 401 (the login page), others need ``permission``.

    ``scope=CASE_FILE`` declares that the view acts on one case file and checks the
    user's rights on it (local roles included); see :func:`allowed_somewhere`. The permission and
    scope are kept on the view function (``required_permission``, ``required_scope``)
    so that tests can walk the URL map and check every route.
    """
    if permission != PUBLIC and permission not in PERMISSIONS and permission != "login":
        raise ValueError(f"unknown permission {permission!r}")
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if permission != PUBLIC:
                if not current_user.is_authenticated:
                    abort(401)
                if permission != "login" and not allowed_somewhere(current_user, permission, scope):
                    abort(403)
            return view(*args, **kwargs)

        guarded.required_permission = permission
        guarded.required_scope = scope
        return guarded

    return decorate
