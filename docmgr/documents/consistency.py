"""Does the database agree with the file store? ``docmgr check`` reports, ``--repair`` fixes what it safely can.

- missing: a file the database refers to is not in the store (cannot be repaired here: restore it
  from a backup);
- damaged: (with ``verify``) a stored file no longer hashes to its name;
- orphans: a file in the store that no document refers to — left by a crash between storing and
  committing, or by an upload the clerk did not confirm. Files younger than the grace period are left
  alone (an upload may be waiting for confirmation); repair moves older ones to ``lost+found/``, never
  deletes them;
- temporary: half-written files of a writer that died; repair deletes them;
- modes: files of the instance that others on the machine could read (the SQLite database holds password
  hashes and confidential text; the secret key, the stored originals): repair makes them the owner's only
  (0600).
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from docmgr.documents.models import Blob
from docmgr.documents.storage import FileStore


@dataclass
class StoreReport:
    blobs: int = 0
    files: int = 0
    missing: list[str] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    temporary: list[str] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)  # "path (0644)": readable by others
    repaired: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.damaged or self.orphans or self.temporary or self.modes)

    def as_json(self) -> dict:
        return {"ok": self.ok, "blobs": self.blobs, "files": self.files, "missing": self.missing,
                "damaged": self.damaged, "orphans": self.orphans, "temporary": self.temporary,
                "modes": self.modes, "repaired": self.repaired}


def open_to_others(paths) -> list[Path]:
    """Of ``paths`` (files, and the files in folders), those that the group or others may read or write."""
    out: list[Path] = []
    for root in paths:
        root = Path(root)
        if not root.exists():
            continue
        walk = [root] if root.is_file() else root.rglob("*")
        out += [p for p in walk if p.is_file() and not p.is_symlink() and stat.S_IMODE(p.stat().st_mode) & 0o077]
    return out


def _private(path: Path) -> None:
    os.chmod(path, 0o600)


def check_store(db: Session, store: FileStore, *, repair: bool = False, verify: bool = False,
                grace_hours: float = 24, private: tuple = ()) -> StoreReport:
    """``private``: more files and folders that only the owner may read (the instance's database, secret
    key, admin password file), checked with the store."""
    known = set(db.scalars(select(Blob.sha256)))
    on_disk = set(store.all_hashes())
    report = StoreReport(blobs=len(known), files=len(on_disk))
    report.missing = sorted(known - on_disk)
    if verify:
        report.damaged = sorted(sha for sha in known & on_disk if not store.verify(sha))
    cutoff = time.time() - grace_hours * 3600
    report.orphans = sorted(sha for sha in on_disk - known if store.path(sha).stat().st_mtime < cutoff)
    report.temporary = sorted(str(p.relative_to(store.root)) for p in store.stale_temp_files())
    # Half-written files are reported (and removed) as temporary, not as modes.
    exposed = [p for p in open_to_others([store.root, *private]) if not store.is_temporary(p)]
    report.modes = [f"{p} ({stat.S_IMODE(p.stat().st_mode):04o})" for p in exposed]
    if repair:
        for path in exposed:
            _private(path)
        if exposed:
            report.repaired["modes_fixed"] = len(exposed)
        report.modes = []
        for sha in report.orphans:
            store.quarantine(sha)
        report.repaired.update({"orphans_quarantined": len(report.orphans), "temporary_deleted": store.sweep_temp()})
        report.orphans, report.temporary = [], []
    return report
