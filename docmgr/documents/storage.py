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
import time
from pathlib import Path

from docmgr.errors import UserValueError


_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_TEMP_PREFIX = ".incoming-"
_TEMP_RE = re.compile(r"^\.incoming-(\d+)-")
STALE_TEMP_SECONDS = 3600


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, belongs to someone else
    return True


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
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f"{_TEMP_PREFIX}{os.getpid()}-")
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

    def put_stream(self, stream, max_bytes: int | None = None) -> tuple[str, int]:
        """Store what ``stream`` holds, a megabyte at a time (never all of it in memory); return its
        SHA-256 and size. Refuses an empty stream, or one past ``max_bytes`` (nothing is kept then)."""
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=f"{_TEMP_PREFIX}{os.getpid()}-")
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in iter(lambda: stream.read(1 << 20), b""):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise UserValueError(f"Tệp quá lớn; giới hạn là {max_bytes / 1048576:.0f} MB.")
                    digest.update(chunk)
                    fh.write(chunk)
                if size == 0:
                    raise UserValueError("Tệp rỗng (0 byte), không có nội dung.")
                fh.flush()
                os.fsync(fh.fileno())
            sha256 = digest.hexdigest()
            target = self.path(sha256)
            if target.is_file() and target.stat().st_size == size:
                Path(tmp).unlink(missing_ok=True)
                return sha256, size
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha256, size

    def put_file(self, path: str | Path, max_bytes: int | None = None) -> tuple[str, int]:
        with open(path, "rb") as fh:
            return self.put_stream(fh, max_bytes)

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    @staticmethod
    def is_temporary(path: Path) -> bool:
        """Is this a file being written (or half-written by a writer that died), not a stored blob?"""
        return path.name.startswith(_TEMP_PREFIX)

    def stale_temp_files(self) -> list[Path]:
        """Half-written files left by a writer that died (its process is gone, or it is an hour old)."""
        stale = []
        now = time.time()
        for path in [*self.root.glob(f"{_TEMP_PREFIX}*"), *self.root.glob(f"??/??/{_TEMP_PREFIX}*")]:
            match = _TEMP_RE.match(path.name)
            try:
                old = now - path.stat().st_mtime > STALE_TEMP_SECONDS
            except FileNotFoundError:
                continue  # finished (renamed) meanwhile
            if old or not match or not _alive(int(match.group(1))):
                stale.append(path)
        return stale

    def sweep_temp(self) -> int:
        """Delete :meth:`stale_temp_files`; return how many went."""
        removed = 0
        for path in self.stale_temp_files():
            path.unlink(missing_ok=True)
            removed += 1
        return removed

    def quarantine(self, sha256: str) -> Path:
        """Move a blob nothing refers to into ``lost+found/`` (kept, never deleted)."""
        target = self.root / "lost+found" / sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.path(sha256), target)
        return target

    def verify(self, sha256: str) -> bool:
        """Do the stored bytes still hash to their name?"""
        digest = hashlib.sha256()
        with self.path(sha256).open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest() == sha256

    def all_hashes(self):
        """Every stored blob's hash (for consistency checks)."""
        for path in self.root.glob("??/??/*"):
            if _SHA_RE.match(path.name):
                yield path.name
