"""The Whoosh side of search: index folders, the write lock, writing, reading, checking.

Layout of the index root (``DOCMGR_SEARCH_INDEX``)::

    CURRENT          name of the live generation, replaced atomically on a swap
    gen-000003/      a complete Whoosh index, plus MANIFEST.json (file sizes)
    gen-000004.tmp/  a reindex being built (removed if the build dies)
    write.lock       held (fcntl) by the one process writing at a time

Readers open ``CURRENT``'s generation; a reindex builds a new generation beside
it and swaps ``CURRENT`` only once complete, so search keeps working and a crash
leaves the old index as it was.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import datetime as dt
import errno
import fcntl
import gc
import json
import multiprocessing
import os
import pickle
import queue as queue_module
import shutil
import struct
import threading
import time
import traceback
import zlib
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from docmgr.cpu import CpuSlots
from docmgr.search.engine import Hits
from docmgr.search.errors import FIX, IndexBusyError, IndexCorruptError, IndexMissingError, SearchError
from docmgr.search.query import Query
from docmgr.search.whoosh_engine import searching
from docmgr.search.whoosh_engine.evaluate import SegmentArrays, View
from docmgr.search.whoosh_engine.schema import make_schema
from docmgr.search.whoosh_engine.writer import BulkWriter, live_files


# What reading a damaged index file raises (truncated or altered postings, table of contents, pickled
# blocks): these, and only these, are reported as a damaged index; anything else is a bug and propagates.
DAMAGE_ERRORS = (OSError, EOFError, ValueError, KeyError, IndexError, TypeError, struct.error, zlib.error,
                 pickle.UnpicklingError, whoosh_index.IndexError)


def _abandon(writer) -> None:
    """Cancel a writer that failed, releasing Whoosh's own lock even if cancelling fails too.

    Otherwise this process would keep that lock until it exits, and every later
    write here or elsewhere would fail with Whoosh's LockError.
    """
    with contextlib.suppress(Exception):
        writer.cancel()
    with contextlib.suppress(Exception):
        if writer.writelock is not None:
            writer.writelock.release()


@contextlib.contextmanager
def _no_cyclic_gc():
    """Pause the cyclic garbage collector while a build fills its posting pool.

    The pool holds hundreds of thousands of small objects, and every collection
    walks them all again: with the collector on, analysis and pooling took 1.8×
    as long. Building creates no reference cycles worth collecting meanwhile.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _return_freed_memory() -> None:
    """Make glibc give large freed blocks back to the system at once (other C libraries: nothing done).

    glibc serves big allocations with their own mappings, but raises that
    threshold each time one is freed, up to 32 MB: after the first segment every
    numpy temporary of a flush came from the heap, which is not given back, and
    a build's memory grew with each segment (about 100 MB more per process).
    Setting the threshold fixes it at its default of 128 KiB.
    """
    name = ctypes.util.find_library("c")
    if not name:
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(name).mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD


def _next_writer(done: BulkWriter, ix, **kwargs) -> BulkWriter:
    """A writer for the next segment, once the last one's memory is given back.

    A finished writer is held in reference cycles (with its codec's writers),
    which only the cyclic collector frees, and it is paused while building.
    """
    done.release_memory()
    gc.collect()
    return BulkWriter(ix, **kwargs)


def _build_serial(building: Path, batches, on_batch, max_buffered: int, prepare) -> None:
    _return_freed_memory()
    ix = whoosh_index.open_dir(str(building))
    writer = BulkWriter(ix)
    try:
        with _no_cyclic_gc():
            for batch in batches:
                for item in batch:
                    writer.add_document(**(prepare(item) if prepare else item))
                if writer.buffered >= max_buffered:
                    writer.commit(merge=False)
                    writer = _next_writer(writer, ix)
                if on_batch:
                    on_batch(len(batch))
            writer.commit(merge=False)
    except BaseException:
        _abandon(writer)
        raise


class _WorkerStorage(FileStorage):
    """The index folder, with scratch folders of this process's own.

    Whoosh names a writer's scratch folder after the index ("MAIN.tmp") and
    deletes it when the writer finishes: with several workers writing into one
    folder, the first to finish a segment removed the others' scratch files.
    """

    def temp_storage(self, name=None):
        return super().temp_storage(f"{name or 'scratch'}.{os.getpid()}")


def _build_worker(folder: str, prepare, max_buffered: int, jobs, results, slots: CpuSlots) -> None:
    """A worker of a parallel build: batches in, finished segments (not yet listed in a TOC) out. It holds one
    of the machine's CPU slots while it works (:mod:`docmgr.cpu`)."""
    with slots.hold():
        _build_segments(folder, prepare, max_buffered, jobs, results)


def _build_segments(folder: str, prepare, max_buffered: int, jobs, results) -> None:
    gc.disable()  # see _no_cyclic_gc; this process only builds
    _return_freed_memory()
    try:
        ix = _WorkerStorage(folder).open_index()
        segments = []
        writer = BulkWriter(ix, _lk=False)  # the parent holds the index for the whole build
        while True:
            batch = jobs.get()
            if batch is None:
                break
            for item in batch:
                writer.add_document(**(prepare(item) if prepare else item))
            if writer.buffered >= max_buffered:
                segments.append(writer._finalize_segment())
                writer._finish()
                writer = _next_writer(writer, ix, _lk=False)
            results.put(("progress", len(batch)))
        if writer._added:
            segments.append(writer._finalize_segment())
        writer._finish()
        results.put(("segments", segments))
    except BaseException as exc:  # the parent re-raises it
        results.put(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))


def _build_parallel(building: Path, batches, on_batch, max_buffered: int, prepare, procs: int,
                    slots: CpuSlots) -> None:
    _return_freed_memory()
    context = multiprocessing.get_context("spawn")  # no inherited locks, threads or connections
    jobs = context.Queue(maxsize=procs * 2)  # bounded: the parent never reads far ahead
    results = context.Queue()
    workers = [context.Process(target=_build_worker, args=(str(building), prepare, max_buffered, jobs, results, slots),
                               daemon=True) for _ in range(procs)]
    for worker in workers:
        worker.start()
    segments: list = []
    finished = 0

    def handle(message) -> None:
        nonlocal finished
        kind, payload = message
        if kind == "progress":
            if on_batch:
                on_batch(payload)
        elif kind == "segments":
            segments.extend(payload)
            finished += 1
        else:
            raise SearchError(f"Lập chỉ mục thất bại trong một tiến trình con: {payload}")

    died = "Một tiến trình lập chỉ mục đã dừng bất thường."

    def drain() -> None:
        """Handle every message waiting (a worker's error is raised here)."""
        while True:
            try:
                handle(results.get_nowait())
            except queue_module.Empty:
                return

    def wait_for_message() -> None:
        while True:
            try:
                return handle(results.get(timeout=1.0))
            except queue_module.Empty:
                if not any(w.is_alive() for w in workers) and results.empty():
                    raise SearchError(died) from None

    ix = whoosh_index.open_dir(str(building))
    lock = ix.lock("WRITELOCK")  # the lock Whoosh's own writers take
    if not lock.acquire():
        raise IndexBusyError(f"Chỉ mục đang dựng {building} bị khóa.")
    try:
        for batch in batches:
            while True:
                try:
                    jobs.put(batch, timeout=1.0)
                    break
                except queue_module.Full:
                    all_alive = all(w.is_alive() for w in workers)
                    drain()  # raises the error a dead worker left
                    if not all_alive:
                        raise SearchError(died) from None
            drain()
        for _ in workers:
            jobs.put(None)
        while finished < len(workers):
            wait_for_message()
        for worker in workers:
            worker.join()
        generation = ix.latest_generation() + 1
        TOC(ix.schema, ix._segments() + segments, generation).write(ix.storage, ix.indexname)
    finally:
        lock.release()
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
        for worker in workers:
            worker.join(timeout=5)


class WhooshEngine:
    """docmgr's :class:`~docmgr.search.engine.SearchEngine` on Whoosh (see the module for the folders)."""

    def __init__(self, root: Path, lock_timeout: float = 30.0, index_procs: int = 1,
                 cpu_slots: CpuSlots = CpuSlots("")):
        self.root = Path(root)
        self.lock_timeout = lock_timeout
        self.index_procs = index_procs  # worker processes of a full build (reindex)
        self.cpu_slots = cpu_slots  # each of them holds one of the machine's CPU slots
        self._searcher = None
        self._searcher_gen: str | None = None
        self._view = None
        self._segment_arrays = SegmentArrays()  # columns read per segment, kept across searchers
        self.read_lock = threading.RLock()

    # -- generations -------------------------------------------------------

    def current_name(self) -> str | None:
        try:
            name = (self.root / "CURRENT").read_text().strip()
        except FileNotFoundError:
            return None
        return name or None

    def current_dir(self) -> Path:
        name = self.current_name()
        if name is None:
            raise IndexMissingError(f"Chưa có chỉ mục tìm kiếm trong {self.root}. {FIX}")
        path = self.root / name
        if not path.is_dir():
            raise IndexCorruptError(f"Chỉ mục tìm kiếm {path} không còn (tệp CURRENT trỏ tới thư mục đã mất). {FIX}")
        return path

    def exists(self) -> bool:
        return self.current_name() is not None

    def _new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.name[4:10]) for p in self.root.glob("gen-*") if p.name[4:10].isdigit()]
        path = self.root / f"gen-{max(numbers, default=0) + 1:06d}.tmp"
        path.mkdir()
        whoosh_index.create_in(str(path), make_schema())
        return path

    def _publish(self, building: Path) -> Path:
        """Rename a finished build and point CURRENT at it; keep the previous generation."""
        final = building.with_name(building.name.removesuffix(".tmp"))
        building.rename(final)
        self._write_manifest(final)
        tmp = self.root / f"CURRENT.{os.getpid()}"
        tmp.write_text(final.name + "\n")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / "CURRENT")
        self._remove_old(keep={final.name, *self._previous(final.name)})
        return final

    def _previous(self, name: str) -> list[str]:
        older = sorted(p.name for p in self.root.glob("gen-*") if not p.name.endswith(".tmp") and p.name < name)
        return older[-1:]  # readers in other processes may still have it open

    def _remove_old(self, keep: set[str]) -> None:
        for path in self.root.glob("gen-*"):
            if path.name not in keep and not path.name.endswith(".tmp"):
                shutil.rmtree(path, ignore_errors=True)

    def remove_stale_builds(self) -> list[str]:
        """Builds left by a reindex that died (call with the write lock held)."""
        removed = []
        for path in self.root.glob("gen-*.tmp"):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
        return removed

    def create_empty(self) -> Path:
        """A new, empty live index (for a new instance); never over an existing one."""
        with self.locked():
            if self.exists():
                return self.current_dir()
            return self._publish(self._new_generation())

    # -- the write lock ----------------------------------------------------

    @contextlib.contextmanager
    def locked(self, timeout: float | None = None):
        """Hold the cross-process write lock; IndexBusyError after ``timeout`` seconds of retries."""
        self.root.mkdir(parents=True, exist_ok=True)
        timeout = self.lock_timeout if timeout is None else timeout
        fd = os.open(self.root / "write.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + timeout
            delay = 0.01
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        raise IndexBusyError(
                            f"Chỉ mục tìm kiếm đang bận (một tiến trình khác đang ghi) quá {timeout:g} giây. "
                            "Thay đổi đã được lưu và xếp hàng; chỉ mục sẽ được cập nhật ở lần ghi sau "
                            "hoặc bằng «docmgr index check --repair»."
                        ) from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.25)
            yield
        finally:
            os.close(fd)  # releases the flock

    # -- writing -----------------------------------------------------------

    def open_index(self, path: Path | None = None):
        path = path or self.current_dir()
        try:
            return whoosh_index.open_dir(str(path))
        except DAMAGE_ERRORS as exc:  # whoosh raises several kinds for a damaged TOC
            raise IndexCorruptError(f"Không mở được chỉ mục tìm kiếm {path}: {exc}. {FIX}") from exc

    def write(self, add: list[dict], delete: list[str], building: Path | None = None) -> None:
        """Delete then add documents by id, in one commit. Call with the lock held.

        Writes the live generation, or ``building`` (a reindex not yet published).
        """
        path = building or self.current_dir()
        if building is None:
            self.verify_files(path)
        writer = BulkWriter(self.open_index(path))
        try:
            for doc_id in delete:
                writer.delete_by_term("id", doc_id)
            for fields in add:
                writer.add_document(**fields)
            writer.commit(merge=building is None)
        except BaseException:
            _abandon(writer)
            raise
        if building is None:
            self._write_manifest(path)

    def build(self, batches, on_batch=None, max_buffered: int = 6_000_000, prepare=None,
              procs: int = 1) -> Path:
        """Write a new generation from batches of documents; returns the unpublished folder.

        ``prepare`` turns an item of a batch into the field dict (items are field
        dicts when it is None). With ``procs`` > 1 that work and the segment
        writing run in as many worker processes (``prepare`` and the items must
        pickle), each writing its own segments; the parent only reads the batches
        and finally writes the table of contents listing every segment.

        A segment is committed each time ``max_buffered`` words of text and
        postings of other fields are buffered (per process), which bounds memory
        whatever the archive's size.
        """
        building = self._new_generation()
        try:
            if procs > 1:
                _build_parallel(building, batches, on_batch, max_buffered, prepare, procs, self.cpu_slots)
            else:
                _build_serial(building, batches, on_batch, max_buffered, prepare)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        return building

    def publish(self, building: Path) -> Path:
        path = self._publish(building)
        self._drop_searcher()
        return path

    # -- integrity ---------------------------------------------------------

    @staticmethod
    def _files(path: Path) -> dict[str, int]:
        """Sizes of the files the live TOC uses (old segments awaiting deletion are left out)."""
        storage = FileStorage(str(path))
        generation = whoosh_index.TOC._latest_generation(storage, "MAIN")
        toc = whoosh_index.TOC.read(storage, "MAIN", gen=generation)
        live = live_files("MAIN", generation, toc.segments)
        prefixes = tuple(live)
        return {p.name: p.stat().st_size for p in path.iterdir()
                if p.is_file() and (p.name in live or p.name.startswith(prefixes))}

    def _write_manifest(self, path: Path) -> None:
        data = {"written_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "files": self._files(path)}
        tmp = path / f"MANIFEST.json.{os.getpid()}"
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
        os.replace(tmp, path / "MANIFEST.json")

    def verify_files(self, path: Path | None = None) -> None:
        """Raise IndexCorruptError if a file of the index is missing or has another size than written."""
        path = path or self.current_dir()
        try:
            manifest = json.loads((path / "MANIFEST.json").read_text())["files"]
        except FileNotFoundError:
            raise IndexCorruptError(f"Chỉ mục tìm kiếm {path} thiếu tệp MANIFEST.json. {FIX}") from None
        except (ValueError, KeyError) as exc:
            raise IndexCorruptError(f"Tệp MANIFEST.json của chỉ mục {path} bị hỏng ({exc}). {FIX}") from None
        # Each file named is checked itself (not against the live set): a writer
        # may commit between our reading the manifest and listing the folder, and
        # files it replaces are kept for a grace period (writer.sweep_unused).
        missing, changed = [], []
        for name, size in sorted(manifest.items()):
            try:
                if (path / name).stat().st_size != size:
                    changed.append(name)
            except FileNotFoundError:
                missing.append(name)
        if missing or changed:
            parts = []
            if missing:
                parts.append("thiếu tệp " + ", ".join(missing))
            if changed:
                parts.append("tệp bị cắt hoặc bị sửa: " + ", ".join(changed))
            raise IndexCorruptError(f"Chỉ mục tìm kiếm {path} bị hỏng ({'; '.join(parts)}). {FIX}")

    def status(self) -> tuple[str, str]:
        """("ok" | "missing" | "corrupt", message): what start-up and ``index check`` report."""
        try:
            path = self.current_dir()
            self.verify_files(path)
            with self.open_index(path).searcher() as searcher:
                searcher.doc_count()
        except IndexMissingError as exc:
            return "missing", str(exc)
        except SearchError as exc:
            return "corrupt", str(exc)
        except DAMAGE_ERRORS as exc:
            return "corrupt", f"Chỉ mục tìm kiếm bị hỏng: {exc}. {FIX}"
        return "ok", f"Chỉ mục tìm kiếm {path.name}: tốt."

    # -- reading -----------------------------------------------------------

    def searcher(self):
        """A searcher over the live generation, kept open and refreshed when the index changes."""
        name = self.current_name()
        if name is None:
            self.current_dir()  # raises IndexMissingError
        if self._searcher is not None and self._searcher_gen == name and self._searcher.up_to_date():
            return self._searcher
        # Reopened, never Searcher.refresh(): whoosh-reloaded's reader reuse adds the old reader's segments to
        # the new list, so segments merged away or rewritten with deletions came back as live documents
        # (an edited document was found once per version).
        self._drop_searcher()
        path = self.current_dir()
        self.verify_files(path)
        self._searcher = self.open_index(path).searcher()
        self._searcher_gen = name
        return self._searcher

    def _drop_searcher(self) -> None:
        if self._searcher is not None:
            with contextlib.suppress(Exception):
                self._searcher.close()
        self._searcher = None
        self._searcher_gen = None
        self._view = None

    def view(self):
        """The arrays of the live searcher (field lengths, facet codes…), rebuilt when it changes."""
        searcher = self.searcher()
        if self._view is None or self._view.searcher is not searcher:
            self._view = View(searcher, self._segment_arrays)
        return self._view

    def warm(self) -> None:
        """Read the columns every search uses, so that the first search of a process does not wait for them
        (``wsgi.py`` calls it in the background when a server starts)."""
        if self.current_name() is None:
            return
        with self.read_lock:
            self.view().warm()

    def stamps(self, path: Path | None = None) -> dict[str, bytes]:
        """{document id: stamp} of every live document in the index."""
        ix = self.open_index(path) if path else self.open_index()
        with ix.searcher() as searcher:
            reader = searcher.reader()
            if not reader.doc_count_all():
                return {}  # a new, empty index has no columns to read
            stamp_col = reader.column_reader("stamp")
            out = {}
            for docnum, stored in reader.iter_docs():
                out[stored["id"]] = stamp_col[docnum]
            return out

    def run(self, query: Query, *, principals, exact_filters=None, sort="relevance", offset=0, limit=20,
            facets=True) -> Hits:
        for attempt in (1, 2):
            try:
                return searching.run(self, query, principals=principals, exact_filters=exact_filters, sort=sort,
                                     offset=offset, limit=limit, facets=facets)
            except SearchError:
                raise
            except DAMAGE_ERRORS as exc:  # a damaged file surfaces while reading postings
                self.close()  # once more with a fresh searcher, then report
                if attempt == 2:
                    raise IndexCorruptError(f"Chỉ mục tìm kiếm bị hỏng ({type(exc).__name__}: {exc}). {FIX}") from exc
        raise AssertionError("unreachable")

    def suggest(self, query: Query, principals=None) -> str | None:
        return searching.suggest(self, query, principals)

    def related(self, doc_id: str, folded_terms: list[str], principals, limit: int = 5) -> list[int]:
        return searching.related(self, doc_id, folded_terms, principals, limit)

    def close(self) -> None:
        self._drop_searcher()

    def __del__(self):
        # An app dropped without close() (tests, a host app's reload): the searcher's column files are
        # closed here rather than left to the garbage collector one file at a time.
        with contextlib.suppress(Exception):
            self._drop_searcher()
