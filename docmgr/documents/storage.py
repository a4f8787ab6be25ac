"""Original files, kept byte for byte and addressed by their SHA-256.

A file lives at ``<root>/ab/cd/abcd…`` (the hash). Writes go to a temporary
file in the same folder, are flushed to disk, then renamed: a crash never
leaves half a file under a hash name. Storing the same bytes twice is free.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


class FileStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        """Where a blob lives. Refuses anything but a hex digest, so no path can escape the store."""
        if not _SHA_RE.match(sha256 or ""):
            raise ValueError(f"not a SHA-256 digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, data: bytes) -> str:
        """Store ``data``; return its SHA-256."""
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if target.is_file() and target.stat().st_size == len(data):
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha256

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def all_hashes(self):
        """Every stored blob's hash (for consistency checks)."""
        for path in self.root.glob("??/??/*"):
            if _SHA_RE.match(path.name):
                yield path.name
