"""setup.cfg lists packages by hand (templates/ ships as docmgr.templates): keep it complete."""

import configparser
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_every_package_is_listed_in_setup_cfg():
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg", encoding="utf-8")
    listed = set(parser["options"]["packages"].split())
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "docmgr").rglob("__init__.py")}
    assert found | {"docmgr.templates"} == listed


def test_only_the_search_package_imports_whoosh():
    """Swapping the search engine must stay a one-package change (issue 4)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "docmgr"
    pattern = re.compile(r"^\s*(?:import whoosh|from whoosh\b)", re.MULTILINE)
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "search" not in p.relative_to(root).parts[:1] and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
    assert any(pattern.search(p.read_text(encoding="utf-8")) for p in (root / "search").glob("*.py"))
