"""The limited runner: every file docmgr reads is read in a child process with CPU and memory limits.

A file is small on disk and can still cost minutes of a core and gigabytes of memory to read (a DOCX of
millions of empty paragraphs, a PDF whose pages share one huge content stream, HTML declaring a charset
that decodes in quadratic time). The web process never reads a file itself: it hands the path to a
small pool of worker processes (Pebble's ``ProcessPool``, started with ``forkserver`` so no lock of a
threaded server is inherited). Each task runs under ``RLIMIT_CPU`` and ``RLIMIT_AS``; past them the
kernel stops the worker (or Python raises MemoryError), the pool replaces it, and the file is refused
with the reason — never a hang, and the server never grows. The readers bound the rest
(:class:`docmgr.extraction.readers.ReadLimits`): decompressed size, XML elements, pages, characters.

Use :func:`extract_path` for a file (:func:`submit_extract` to read ahead), :func:`run_limited` for any
other pure reading function (OCR will run through it too). The pool keeps ``DOCMGR_READ_WORKERS`` processes (default: the cores, at most 2),
each recycled after a number of files so that memory held by one never stays.
"""

from __future__ import annotations

import atexit
import math
import multiprocessing
import os
import resource
import signal
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from docmgr.cpu import CpuSlots
from docmgr.extraction import extract_bytes
from docmgr.extraction.readers import ReadError, ReadLimits, check_size


TASKS_PER_WORKER = 100  # a worker is replaced after this many files (memory a reader kept is given back)


class LimitExceeded(ReadError):
    """Reading a file went past a limit of time or memory; the message says which, in Vietnamese."""


_pool = None
_pool_workers = 0
_pool_lock = threading.Lock()


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def _get_pool(workers: int):
    global _pool, _pool_workers

    with _pool_lock:
        if _pool is not None and (not _pool.active or _pool_workers != workers):
            _pool.stop()
            _pool.join()
            _pool = None
        if _pool is None:
            _pool = ProcessPool(max_workers=workers, max_tasks=TASKS_PER_WORKER,
                                initializer=_worker_start, context=multiprocessing.get_context("forkserver"))
            _pool_workers = workers
        return _pool


def shutdown() -> None:
    """Stop the pool (at exit; tests may call it to start afresh)."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.stop()
            _pool.join()
            _pool = None


atexit.register(shutdown)


def _worker_start() -> None:
    # Numerical libraries would start a thread per core in each worker: one is plenty for reading a file.
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _limit(kind: int, soft: int) -> None:
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(kind, (soft, hard))


def _address_space() -> int:
    """This process's address space now, in bytes (Linux; 0 where /proc is not there)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _call(function, args: tuple, cpu_seconds: int, memory_bytes: int, slots: CpuSlots):
    """In the worker: run ``function(*args)`` with at most ``cpu_seconds`` more of CPU and
    ``memory_bytes`` more of address space — more than the worker holds already, as for the CPU: a worker
    that has loaded the PDF, OCR and signature libraries (≈ 200 MB) leaves each file its whole allowance.
    It runs holding one of the machine's CPU slots (:mod:`docmgr.cpu`), so that the web's readers, the
    workers' OCR pages and a reindex are never more busy processes than cores."""
    with slots.hold():
        return _limited(function, args, cpu_seconds, memory_bytes)


def _limited(function, args: tuple, cpu_seconds: int, memory_bytes: int):
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _limit(resource.RLIMIT_CPU, math.ceil(usage.ru_utime + usage.ru_stime) + cpu_seconds)
    _limit(resource.RLIMIT_AS, _address_space() + memory_bytes)
    try:
        return function(*args)
    except MemoryError:
        raise LimitExceeded(_memory_message(memory_bytes)) from None
    finally:
        _limit(resource.RLIMIT_AS, resource.RLIM_INFINITY)


def _memory_message(memory_bytes: int) -> str:
    return (f"Đọc tệp cần quá {memory_bytes / 1048576:.0f} MB bộ nhớ (giới hạn cho mỗi tệp): tệp bất thường, "
            "không trích được nội dung. Tệp gốc vẫn được lưu.")


def _time_message(cpu_seconds: int) -> str:
    return (f"Đọc tệp mất quá {cpu_seconds} giây (giới hạn cho mỗi tệp): tệp bất thường, không trích được "
            "nội dung. Tệp gốc vẫn được lưu.")


class Pending:
    """A reading under way in the pool: :meth:`result` waits for it (and raises as :func:`run_limited`)."""

    def __init__(self, future, limits: ReadLimits):
        self.future, self.limits = future, limits

    def cancel(self) -> None:
        self.future.cancel()

    def result(self):
        limits = self.limits
        try:
            return self.future.result()
        except FutureTimeout:
            raise LimitExceeded(_time_message(limits.cpu_seconds)) from None
        except ProcessExpired as exc:
            if exc.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
                # SIGXCPU: the CPU limit; SIGKILL: the hard CPU limit, or the kernel out of memory.
                raise LimitExceeded(_time_message(limits.cpu_seconds) if exc.exitcode == -signal.SIGXCPU
                                    else _memory_message(limits.memory_bytes)) from None
            raise ReadError(f"Tiến trình đọc tệp dừng bất thường (mã {exc.exitcode}); tệp có thể bị hỏng. "
                            "Tệp gốc vẫn được lưu.") from None


def submit(function, *args, limits: ReadLimits | None = None) -> Pending:
    """Start ``function(*args)`` (pure, picklable) in a worker process under ``limits``; see :class:`Pending`."""
    limits = limits or ReadLimits()
    pool = _get_pool(limits.workers or default_workers())
    # The CPU limit stops a busy reader; the wall-clock one (well above it) one that waits on something.
    future = pool.schedule(_call, args=(function, args, limits.cpu_seconds, limits.memory_bytes, limits.cpu_slots),
                           timeout=limits.cpu_seconds * 2 + 30)
    return Pending(future, limits)


def run_limited(function, *args, limits: ReadLimits | None = None):
    """Run the pure, picklable ``function(*args)`` in a worker process under ``limits`` (CPU seconds, memory)
    and return its result; its exceptions are raised here. Past a limit: :class:`LimitExceeded`."""
    return submit(function, *args, limits=limits).result()


def _extract_path(path: str, filename: str, limits: ReadLimits):
    check_size(os.path.getsize(path), limits.max_bytes)  # a batch's files were not checked before
    with open(path, "rb") as fh:
        data = fh.read()
    return extract_bytes(data, filename, limits=limits)


def extract_path(path: str | Path, filename: str = "", limits: ReadLimits | None = None):
    """Read and parse the file at ``path`` (named ``filename`` by its sender) in a limited worker:
    :class:`docmgr.extraction.Extracted`, or :class:`ReadError` with the reason."""
    path = Path(path)
    limits = limits or ReadLimits()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(f"Không đọc được tệp: {exc.strerror or exc}") from exc
    check_size(size, limits.max_bytes)  # refused before any process reads it
    return submit_extract(path, filename, limits).result()


def submit_extract(path: str | Path, filename: str = "", limits: ReadLimits | None = None) -> Pending:
    """Start reading a file (as :func:`extract_path`) and return at once: a bulk import reads the next
    files while it stores this one."""
    limits = limits or ReadLimits()
    return submit(_extract_path, str(path), filename or Path(path).name, limits, limits=limits)


def _extract_batch(paths: list[str], limits: ReadLimits) -> list:
    """In a worker: each file's reading, or the ReadError that refused it."""
    out = []
    for path in paths:
        try:
            out.append(_extract_path(path, Path(path).name, limits))
        except ReadError as exc:
            out.append(exc)
    return out


class _InBatch:
    """One file of a batch read in one task (:func:`submit_extract_batch`)."""

    def __init__(self, batch: Pending, index: int, path: Path, limits: ReadLimits):
        self.batch, self.index, self.path, self.limits = batch, index, path, limits

    def cancel(self) -> None:
        pass  # the others of the batch still want it

    def result(self):
        try:
            found = self.batch.result()[self.index]
        except ReadError:
            # The batch went past a limit or its worker died: which file did it is not known, so each is
            # read again alone, under its own limits.
            return extract_path(self.path, self.path.name, self.limits)
        if isinstance(found, ReadError):
            raise found
        return found


BATCH_FILES = 16
BATCH_BYTES = 2 * 1024 * 1024


def submit_extract_batch(paths: list[Path], limits: ReadLimits | None = None) -> list:
    """Start reading several small files in one task (fewer round trips when a folder of thousands is
    imported); one handle per file, as :class:`Pending`. Past a limit the files are read again one by one."""
    limits = limits or ReadLimits()
    batch = submit(_extract_batch, [str(p) for p in paths], limits, limits=limits)
    return [_InBatch(batch, i, Path(p), limits) for i, p in enumerate(paths)]
