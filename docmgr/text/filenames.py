"""A file's name as a sender gave it (an upload's, an edXML package's attachment's), made safe to keep."""

from __future__ import annotations

from pathlib import PurePath


def safe_filename(name: str, default: str = "tep-tai-len") -> str:
    """The last component of a name someone else supplied, without control characters; ``default`` if none."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(c for c in base if c.isprintable() and c not in "/\\").strip(". ")
    return base[:200] or default
