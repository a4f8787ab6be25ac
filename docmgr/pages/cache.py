"""Rendered pages kept for a while: one size-limited cache in the instance folder (``DOCMGR_PAGE_CACHE_MB``,
default 200 MB, in ``<instance>/page-cache``). A page is drawn once from its file (in a limited worker) and
then served from here; the least recently used pages go when the cache grows past its size. Every entry can
be dropped at any time (the folder may be deleted): it is drawn again when asked for.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from pathlib import Path


_KEY_RE = re.compile(r"^[0-9a-z][0-9a-z._-]{0,150}$")


class PageCache:
    def __init__(self, folder: str | Path, max_bytes: int):
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()

    def _path(self, key: str) -> Path:
        if not _KEY_RE.match(key):
            raise ValueError(f"not a cache key: {key!r}")
        return self.folder / key[:2] / key

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            os.utime(path)  # used now: the last to be evicted
        except FileNotFoundError:
            pass
        return data

    def put(self, key: str, data: bytes) -> None:
        if self.max_bytes <= 0 or len(data) > self.max_bytes:
            return
        path = self._path(key)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.trim()

    def entries(self) -> list[tuple[float, int, Path]]:
        out = []
        for path in self.folder.glob("*/*"):
            if path.name.startswith(".part-"):
                continue
            try:
                info = path.stat()
            except FileNotFoundError:
                continue
            out.append((info.st_mtime, info.st_size, path))
        return out

    def size(self) -> int:
        return sum(size for _, size, _ in self.entries())

    def trim(self) -> int:
        """Remove the least recently used pages until the cache fits its size; return how many went."""
        with self._lock:
            entries = self.entries()
            total = sum(size for _, size, _ in entries)
            removed = 0
            for _, size, path in sorted(entries):
                if total <= self.max_bytes:
                    break
                path.unlink(missing_ok=True)
                total -= size
                removed += 1
            return removed

    def get_or_make(self, key: str, make) -> bytes:
        """The cached bytes of ``key``, or ``make()``'s, kept for next time."""
        found = self.get(key)
        if found is None:
            found = make()
            self.put(key, found)
        return found
