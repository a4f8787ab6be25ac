"""The search engine boundary: docmgr talks to the index through docmgr.search.engine.SearchEngine only,
and only the whoosh_engine package imports Whoosh."""

from __future__ import annotations

import ast
from pathlib import Path

from docmgr.search.engine import SearchEngine
from docmgr.search.whoosh_engine import WhooshEngine


PACKAGE = Path(__file__).parent.parent / "docmgr"
WHOOSH_PACKAGE = PACKAGE / "search" / "whoosh_engine"


def _protocol_members() -> set[str]:
    return {name for name in dir(SearchEngine) if not name.startswith("_")} | set(
        SearchEngine.__annotations__)


def _outside_engine():
    for path in sorted(PACKAGE.rglob("*.py")):
        if WHOOSH_PACKAGE not in path.parents:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_the_whoosh_engine_implements_the_protocol(tmp_path):
    engine = WhooshEngine(tmp_path / "index")
    assert isinstance(engine, SearchEngine)
    for name in _protocol_members():
        assert hasattr(engine, name), name


def test_only_the_engine_package_imports_whoosh():
    offenders = []
    for path, tree in _outside_engine():
        for node in ast.walk(tree):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            if any(n == "whoosh" or n.startswith("whoosh.") for n in names):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_the_rest_of_docmgr_calls_the_engine_through_the_protocol_only():
    """Every ``….search.<name>`` used outside the engine package (the app state's engine) is a member of
    SearchEngine: nothing reaches past the interface into Whoosh's searcher or files."""
    members = _protocol_members()
    used = {}
    for path, tree in _outside_engine():
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                    and node.value.attr == "search" and isinstance(node.value.value, ast.Name)
                    and node.value.value.id in {"state", "docmgr_state"}):
                used.setdefault(node.attr, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert used, "the check found no use of the engine: it no longer looks where the code is"
    assert {name: where for name, where in used.items() if name not in members} == {}


def test_the_check_catches_a_reach_past_the_interface():
    tree = ast.parse("def f(state):\n    return state.search.searcher()\n")
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "searcher")
    assert node.attr not in _protocol_members()
