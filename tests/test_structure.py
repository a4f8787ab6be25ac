"""The shape of the code: no import cycle between docmgr's modules, counting imports inside functions."""

from __future__ import annotations

import ast
from pathlib import Path


PACKAGE = Path(__file__).parent.parent / "docmgr"


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        if "versions" in path.relative_to(PACKAGE).parts[:2] and "migrations" in path.parts:
            continue  # Alembic revisions are loaded by Alembic, not imported
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def import_graph() -> dict[str, set[str]]:
    """{module: the docmgr modules it imports}, at the top or inside a function."""
    modules = _modules()

    def owner(name: str) -> str | None:  # the module a dotted name lives in
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("docmgr"):
                targets = {owner(f"{node.module}.{alias.name}") for alias in node.names}
            elif isinstance(node, ast.Import):
                targets = {owner(alias.name) for alias in node.names if alias.name.startswith("docmgr")}
            else:
                continue
            graph[name] |= {t for t in targets if t and t != name}
    # Importing docmgr.a.b runs docmgr.a's __init__ first: an edge too, unless the importer is inside docmgr.a
    # (its package is already being imported). The root package is left out: its imports are inside
    # functions (init_app) on purpose, so that importing any submodule does not load the whole app.
    for name, targets in graph.items():
        for target in list(targets):
            parts = target.split(".")
            for i in range(2, len(parts)):
                parent = ".".join(parts[:i])
                if parent in modules and parent != name and not name.startswith(parent + "."):
                    targets.add(parent)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_between_modules():
    graph = import_graph()
    assert len(graph) > 80 and "docmgr.workflow.permissions" in graph["docmgr.auth.guard"]
    assert cycles(graph) == []


def test_imports_sit_at_the_top_of_modules():
    """Imports inside functions are kept only where a reason is written down: the root package (importing a
    submodule must not load the app), the benchmarks (their machinery at every command's start), WeasyPrint
    (loaded on the first print), psycopg in the throw-away PostgreSQL of the benchmarks (an optional extra)."""
    allowed = {"docmgr/__init__.py", "docmgr/bench/commands.py", "docmgr/printing/pdf.py", "docmgr/bench/postgres.py"}
    inside = {}
    for path in PACKAGE.rglob("*.py"):
        if "versions" in path.parts:
            continue
        for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(fn):
                    if isinstance(node, (ast.Import, ast.ImportFrom)):
                        inside.setdefault(str(path.relative_to(PACKAGE.parent)), set()).add(node.lineno)
    assert set(inside) <= allowed, sorted(set(inside) - allowed)
    assert sum(len(lines) for lines in inside.values()) <= 43  # «bench web»'s machinery, psycopg, job handlers
