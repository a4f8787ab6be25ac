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

