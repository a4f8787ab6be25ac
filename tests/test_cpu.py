"""The one CPU policy: heavy steps hold one of the machine's slots, whoever runs them, and a process that dies
gives its slot back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from docmgr.cpu import CpuSlots
from docmgr.extraction.readers import ReadLimits
from docmgr.extraction.sandbox import submit


def record_interval(log: str, seconds: float) -> int:
    """A heavy step (in a reader process): note when it ran."""
    start = time.monotonic()
    time.sleep(seconds)
    with open(log, "a") as fh:
        fh.write(f"{os.getpid()} {start} {time.monotonic()}\n")
    return os.getpid()


def _most_at_once(log: Path) -> int:
    events = []
    for line in log.read_text().splitlines():
        _, start, end = line.split()
        events += [(float(start), 1), (float(end), -1)]
    busy = most = 0
    for _, change in sorted(events, key=lambda e: (e[0], e[1])):
        busy += change
        most = max(most, busy)
    return most


def test_the_readers_never_run_more_steps_at_once_than_the_slots(tmp_path):
    log = tmp_path / "steps.log"
    limits = ReadLimits(workers=2, cpu_slots=CpuSlots(str(tmp_path / "slots"), 1))
    pending = [submit(record_interval, str(log), 0.3, limits=limits) for _ in range(4)]
    pids = {p.result() for p in pending}
    assert len(log.read_text().splitlines()) == 4
    assert len(pids) == 2  # two reader processes were there to run them …
    assert _most_at_once(log) == 1  # … but the machine's one slot let one step run at a time


def test_other_processes_share_the_slots_and_a_killed_one_gives_its_slot_back(tmp_path):
    slots = CpuSlots(str(tmp_path / "slots"), 2)
    holder = ("import sys, time; from docmgr.cpu import CpuSlots\n"
              f"with CpuSlots({str(tmp_path / 'slots')!r}, 2).hold():\n"
              "    print('held', flush=True); time.sleep(60)\n")
    others = [subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        for other in others:
            assert other.stdout.readline().strip() == "held"
        assert slots.busy() == 2  # a reindex and an OCR page elsewhere on the machine, say
        others[0].send_signal(signal.SIGKILL)
        others[0].wait(timeout=10)
        with slots.hold() as slot:  # the kernel gave the killed process's lock back
            assert slot in (0, 1) and slots.busy() == 2
        assert slots.busy() == 1
    finally:
        for other in others:
            other.kill()
            other.wait(timeout=10)
            other.stdout.close()
