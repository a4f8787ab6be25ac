"""One CPU policy for heavy work: never more busy processes than the machine has cores, whoever started them —
the web's file readers, a worker's OCR pages, the reindex processes, print pieces.

A heavy step holds one of ``count`` slots while it runs: a lock file in a folder local to the machine
(``DOCMGR_CPU_SLOTS_DIR``, default ``<instance>/cpu-slots``), taken with ``flock``. The kernel gives a lock back
when its process ends, however it ends (SIGKILL included), so a crash never leaves a slot taken. A step that
finds every slot held waits (sleeping, using no CPU) for one to free.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def default_slots() -> int:
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class CpuSlots:
    folder: str  # "" for none: the step runs at once
    count: int = 0  # 0: the machine's cores

    @classmethod
    def from_config(cls, config, instance: str | Path) -> CpuSlots:
        folder = config.get("DOCMGR_CPU_SLOTS_DIR") or str(Path(instance) / "cpu-slots")
        return cls(str(folder), int(config.get("DOCMGR_CPU_SLOTS") or 0))

    @property
    def size(self) -> int:
        return self.count or default_slots()

    @contextmanager
    def hold(self, poll: float = 0.05):
        """Run the ``with`` block holding one slot (waiting for one if all are held)."""
        if not self.folder:
            yield None
            return
        folder = Path(self.folder)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        while True:
            for n in range(self.size):
                fd = os.open(folder / f"slot-{n}.lock", os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                    continue
                try:
                    yield n
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                    os.close(fd)
                return
            time.sleep(poll)

    def busy(self) -> int:
        """How many slots are held now (for reports and tests)."""
        if not self.folder or not Path(self.folder).is_dir():
            return 0
        held = 0
        for n in range(self.size):
            fd = os.open(Path(self.folder) / f"slot-{n}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(fd, fcntl.LOCK_UN)
            except BlockingIOError:
                held += 1
            finally:
                os.close(fd)
        return held
