"""Workflows as data: the states of a document, who may do what in each, and the transitions.

Shaped by Nghị định 30/2020 (Điều 14–19 for outgoing documents, 20–24 for
incoming ones). Each state maps a permission to the roles that have it there;
"owner" is the person who created the document. Permissions a state does not
list (``add``, ``manage``) are global: :data:`ROLE_PERMISSIONS` below.
Each transition is guarded by a permission, checked in the document's current
state. This module is the one place to read or change these rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field


OWNER = "owner"
HANDLER = "handler"  # a member of the lead unit an incoming document was assigned to (its đơn vị chủ trì)
ROLE_TITLES = {OWNER: "Người tạo", HANDLER: "Đơn vị chủ trì"}  # the roles a user has from the document
# On a confidential document (độ mật set) these global roles keep their rights; the others count only for
# members of the document's unit. The owner, the handler and local roles on its case file always count.
CONFIDENTIAL_ROLES = frozenset({"reviewer", "clerk", "manager"})
# Permissions a closed case file takes away from the documents in it (reopening gives them back).
LOCKED_BY_CLOSED_FILE = frozenset({"edit", "transition"})
STAFF = frozenset({"contributor", "editor", "reviewer", "clerk", "manager"})
EVERYONE = STAFF | {"reader"}
STATE_PERMISSIONS = ("view", "download", "edit", "print", "transition")

# The global roles, the permissions, and which permissions each role has everywhere (a state's map decides the
# STATE_PERMISSIONS on a document; "add", "addresses" and "manage" are global).
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


def _roles(*names: str | frozenset) -> frozenset[str]:
    out: set[str] = set()
    for name in names:
        out |= {name} if isinstance(name, str) else set(name)
    return frozenset(out)


@dataclass(frozen=True)
class State:
    name: str
    title: str
    permissions: dict[str, frozenset[str]]  # permission → roles (with "owner")
    review: bool = False  # waits for a leader's decision (the "chờ duyệt" worklist)

    def roles_with(self, permission: str) -> frozenset[str]:
        return self.permissions.get(permission, frozenset())


@dataclass(frozen=True)
class Transition:
    name: str
    title: str
    sources: tuple[str, ...]
    target: str
    guard: str = "transition"
    needs_comment: bool = False
    effect: str | None = None  # "number" (outgoing, at issue), "register" (số đến), "assign"
    # Roles that may record this transition on behalf of someone who may take it (the văn thư entering a
    # leader's handwritten bút phê): they name that person, and the history says who entered it for whom.
    on_behalf: tuple[str, ...] = ()


@dataclass(frozen=True)
class Workflow:
    name: str
    title: str
    states: dict[str, State]
    transitions: dict[str, Transition] = field(default_factory=dict)

    def state(self, name: str) -> State:
        return self.states[name]

    def transitions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]


def _state(name: str, title: str, *, view, edit=(), transition=(), print_=None, download=None,
           review: bool = False) -> State:
    view = _roles(*view)
    return State(name, title, review=review, permissions={
        "view": view,
        "download": _roles(*download) if download is not None else view,
        "edit": _roles(*edit),
        "print": _roles(*print_) if print_ is not None else view - {"reader", OWNER, "contributor"},
        "transition": _roles(*transition),
    })


_WRITERS = (OWNER, "editor", "reviewer", "clerk", "manager")  # who follows a draft

OUTGOING = Workflow("outgoing", "Văn bản đi", {s.name: s for s in (
    _state("draft", "Dự thảo", view=_WRITERS, edit=(OWNER, "editor", "clerk", "manager"),
           transition=(OWNER, "editor", "manager")),
    _state("submitted", "Trình ký", view=_WRITERS, edit=("reviewer", "manager"),
           transition=("reviewer", "manager"), review=True),
    _state("signed", "Đã ký", view=_WRITERS, edit=("clerk", "manager"), transition=("clerk", "manager")),
    _state("issued", "Ban hành", view=(EVERYONE, OWNER), edit=("clerk", "manager"),
           transition=("clerk", "manager")),
    _state("dispatched", "Đã phát hành", view=(EVERYONE, OWNER), edit=("manager",),
           transition=("clerk", "manager")),
    _state("filed", "Lưu", view=(EVERYONE, OWNER), transition=("manager",)),
    _state("recalled", "Thu hồi", view=("editor", "reviewer", "clerk", "manager")),
)}, {t.name: t for t in (
    Transition("submit", "Trình ký", ("draft",), "submitted"),
    Transition("sign", "Ký duyệt", ("submitted",), "signed"),
    Transition("return", "Trả lại để sửa", ("submitted", "signed"), "draft", needs_comment=True),
    Transition("issue", "Ban hành (cấp số, vào sổ)", ("signed",), "issued", effect="number"),
    Transition("dispatch", "Phát hành", ("issued",), "dispatched"),
    Transition("file", "Lưu hồ sơ", ("dispatched",), "filed"),
    Transition("recall", "Thu hồi", ("issued", "dispatched", "filed"), "recalled", guard="manage",
               needs_comment=True),
)})

INCOMING = Workflow("incoming", "Văn bản đến", {s.name: s for s in (
    _state("received", "Đã nhận", view=("clerk", "manager"), edit=("clerk", "manager"),
           transition=("clerk", "manager")),
    _state("registered", "Vào sổ", view=(EVERYONE,), edit=("clerk", "manager"),
           transition=("reviewer", "manager"), review=True),  # the leader assigns it (or returns it)
    # Once assigned, the lead unit's members (the handler) move it on; editors too when the unit named
    # is not one of the agency's units in docmgr.
    _state("assigned", "Phân công", view=(EVERYONE, HANDLER), edit=("clerk", "manager"),
           transition=(HANDLER, "manager")),
    _state("in_progress", "Đang xử lý", view=(EVERYONE, HANDLER), edit=(HANDLER, "clerk", "manager"),
           transition=(HANDLER, "manager")),
    _state("done", "Hoàn thành", view=(EVERYONE, HANDLER), edit=("manager",), transition=("manager",)),
    _state("recalled", "Thu hồi", view=("reviewer", "clerk", "manager")),
)}, {t.name: t for t in (
    Transition("register", "Vào sổ (cấp số đến)", ("received",), "registered", effect="register"),
    Transition("assign", "Phân công xử lý", ("registered",), "assigned", effect="assign", on_behalf=("clerk",)),
    Transition("start", "Bắt đầu xử lý", ("assigned",), "in_progress"),
    Transition("complete", "Hoàn thành", ("in_progress",), "done"),
    Transition("return", "Trả lại văn thư", ("registered", "assigned"), "received", needs_comment=True),
    Transition("recall", "Thu hồi", ("registered", "assigned", "in_progress", "done"), "recalled", guard="manage",
               needs_comment=True),
)})

WORKFLOWS = {"outgoing": OUTGOING, "internal": OUTGOING, "incoming": INCOMING}


def workflow_for(direction: str) -> Workflow:
    return WORKFLOWS.get(direction, OUTGOING)


def state_title(code: str) -> str:
    """A state's name in Vietnamese, whichever workflow has it."""
    return next((w.states[code].title for w in WORKFLOWS.values() if code in w.states), code)


def transition_title(code: str) -> str:
    """A transition's name in Vietnamese, whichever workflow has it."""
    return next((w.transitions[code].title for w in WORKFLOWS.values() if code in w.transitions), code)


def initial_state(direction: str, number: str | None, arrival_number: int | None) -> str:
    """Where a new document starts.

    A document archived with its number already given (an issued document, or
    an incoming one registered elsewhere) starts where that number puts it;
    a new outgoing text starts as a draft, a new incoming one as received.
    Only someone who may give that number may archive a document so
    (:func:`numbering_roles`); the caller drops the number otherwise.
    """
    if workflow_for(direction) is INCOMING:
        return "registered" if arrival_number else "received"
    return "issued" if number else "draft"


def start_state(direction: str) -> str:
    """The first state of a direction's workflow (a draft, or received): where a document whose direction
    is corrected goes, never further."""
    return initial_state(direction, None, None)


# The fields a workflow owns: they change only through its transitions (the state always; the number an
# outgoing document is given at issuing; the số đến and ngày đến given at registering, which no document
# carries but from registering), never by an edit.
OWNED_FIELDS = {"outgoing": ("number", "arrival_number", "arrival_date"), "incoming": ("arrival_number", "arrival_date")}


def numbering_roles(workflow: Workflow) -> frozenset[str]:
    """The roles that may take the transition that numbers a document (issuing; registering): only they may
    archive a document with that number already given."""
    out: set[str] = set()
    for step in workflow.transitions.values():
        if step.effect in ("number", "register"):
            for source in step.sources:
                out |= workflow.states[source].roles_with(step.guard)
    return frozenset(out)


def open_states(workflow: Workflow) -> set[str]:
    """States with work left: some transition out of them is not a manager's recall."""
    return {name for name in workflow.states
            if any(t.guard != "manage" for t in workflow.transitions_from(name))}


def states_for(permission: str, roles: set[str]) -> dict[str, set[str]]:
    """{direction: states in which one of ``roles`` has ``permission``} (for filtering lists in SQL)."""
    out: dict[str, set[str]] = {}
    for direction, workflow in WORKFLOWS.items():
        out[direction] = {name for name, state in workflow.states.items() if state.roles_with(permission) & roles}
    return out


def permission_table() -> list[tuple[str, str, str, str, bool]]:
    """Every (workflow, state, role, permission, allowed): the rules as rows, for people and tests."""
    rows = []
    for workflow in (OUTGOING, INCOMING):
        for state in workflow.states.values():
            for role in (*ROLES, OWNER, HANDLER):
                for permission in STATE_PERMISSIONS:
                    rows.append((workflow.name, state.name, role, permission, role in state.roles_with(permission)))
    return rows
