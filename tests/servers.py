"""Heavy real components for the tests: a throw-away PostgreSQL cluster, a Redis server, Debian's Chromium.

Each is found or started once per test session. When one is missing the
tests that need it skip with the reason — unless ``DOCMGR_REQUIRE_ALL`` is
set (``.ci/run`` sets it), in which case they fail: nothing is skipped in CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from docmgr.bench.postgres import ClusterUnavailable, PostgresServer, free_port, start_server


CHROMIUM = os.environ.get("DOCMGR_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("DOCMGR_TEST_ARTIFACTS", Path(__file__).parent.parent / "test-artifacts"))
DOCMGR = [sys.executable, "-m", "docmgr.cli"]  # the docmgr command, in the Python running the tests


def database_for(request, root: Path, prefix: str) -> str:
    """The URL of a database for ``request.param`` ("sqlite" or "postgresql"), dropped when the test ends."""
    if request.param == "sqlite":
        return f"sqlite:///{root / (prefix + '.sqlite3')}"
    server = request.getfixturevalue("postgres")
    name = f"docmgr_{prefix}_{uuid.uuid4().hex[:12]}"
    url = server.create_database(name)
    request.addfinalizer(lambda: server.drop_database(name))
    return url


def unavailable(reason: str):
    """Skip, or fail when the run must not skip anything."""
    if os.environ.get("DOCMGR_REQUIRE_ALL"):
        pytest.fail(f"{reason} (DOCMGR_REQUIRE_ALL is set: nothing may be skipped)", pytrace=False)
    pytest.skip(reason)


def tesseract_ready() -> None:
    """Skip (fail in CI) unless Tesseract and its Vietnamese data are installed."""
    from docmgr.ocr.tesseract import available_languages

    if shutil.which("tesseract") is None or "vie" not in available_languages():
        unavailable("Tesseract with Vietnamese data is not installed (Debian: tesseract-ocr tesseract-ocr-vie)")


def start_postgres() -> PostgresServer:
    """Use DOCMGR_TEST_POSTGRES_URL, or start a cluster with Debian's binaries; skip if neither."""
    try:
        return start_server()
    except ClusterUnavailable as exc:
        unavailable(str(exc))
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)


@dataclass
class RedisServer:
    url: str
    process: subprocess.Popen | None = None
    directory: Path | None = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)


def start_redis() -> RedisServer:
    """Use DOCMGR_TEST_REDIS_URL, or start Debian's redis-server on a free port; skip if neither."""
    configured = os.environ.get("DOCMGR_TEST_REDIS_URL")
    if configured:
        return RedisServer(url=configured)
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("Redis is not installed (apt-get install redis-server) and DOCMGR_TEST_REDIS_URL is not set")
    try:
        import redis
    except ImportError:
        unavailable("the redis client is not installed (pip install -e '.[test]')")
    directory = Path(tempfile.mkdtemp(prefix="docmgr-redis-"))
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory),
                                "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    server = RedisServer(url=f"redis://127.0.0.1:{port}/0", process=process, directory=directory)
    client = redis.Redis.from_url(server.url)
    for _ in range(100):
        try:
            client.ping()
            return server
        except redis.ConnectionError:
            time.sleep(0.05)
    server.stop()
    pytest.fail("redis-server did not start", pytrace=False)


def require_chromium() -> str:
    if not Path(CHROMIUM).exists():
        unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    return CHROMIUM
