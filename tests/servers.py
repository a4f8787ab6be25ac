"""Heavy real components for the tests: a throw-away PostgreSQL cluster, a Redis server, Debian's Chromium.

Each is found or started once per test session. When one is missing the
tests that need it skip with the reason — unless ``DOCMGR_REQUIRE_ALL`` is
set (``.ci/run`` sets it), in which case they fail: nothing is skipped in CI.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresServer:
    """A server where the tests may create and drop databases."""

    admin_url: str  # SQLAlchemy URL of a maintenance database
    process_dir: Path | None = None  # the cluster we started, if any
    run_as: str | None = None

    def url(self, database: str) -> str:
        return self.admin_url.rsplit("/", 1)[0] + "/" + database

    def _admin(self):
        import psycopg

        return psycopg.connect(self.admin_url.replace("postgresql+psycopg://", "postgresql://"),
                               autocommit=True)

    def create_database(self, name: str) -> str:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.process_dir is None:
            return
        pg_ctl = _pg_binary("pg_ctl")
        _run_as(self.run_as, [pg_ctl, "-D", str(self.process_dir / "data"), "-m", "immediate", "-w", "stop"],
                check=False)
        shutil.rmtree(self.process_dir, ignore_errors=True)


def _pg_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _run_as(user: str | None, command: list[str], check: bool = True) -> subprocess.CompletedProcess:
    if user:
        command = ["runuser", "-u", user, "--", *command]
    return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)


def start_postgres() -> PostgresServer:
    """Use DOCMGR_TEST_POSTGRES_URL, or start a cluster with Debian's binaries; skip if neither."""
    configured = os.environ.get("DOCMGR_TEST_POSTGRES_URL")
    if configured:
        return PostgresServer(admin_url=configured)
    initdb, pg_ctl = _pg_binary("initdb"), _pg_binary("pg_ctl")
    if not (initdb and pg_ctl):
        unavailable("PostgreSQL is not installed (apt-get install postgresql) and DOCMGR_TEST_POSTGRES_URL "
                    "is not set")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("psycopg is not installed (pip install -e '.[test]')")
    run_as = None
    if os.geteuid() == 0:  # initdb refuses to run as root
        try:
            run_as = pwd.getpwnam("postgres").pw_name
        except KeyError:
            unavailable("running as root and there is no 'postgres' user to run the server")
    base = Path(tempfile.mkdtemp(prefix="docmgr-pg-"))
    base.chmod(0o777)
    data, sockets = base / "data", base / "sockets"
    sockets.mkdir()
    sockets.chmod(0o777)
    _run_as(run_as, [initdb, "-D", str(data), "-U", "docmgr", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
    port = free_port()
    options = (f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    started = _run_as(run_as, [pg_ctl, "-D", str(data), "-l", str(base / "server.log"), "-o", options,
                               "-w", "-t", "60", "start"], check=False)
    if started.returncode != 0:
        log = (base / "server.log").read_text(errors="replace") if (base / "server.log").exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {started.stderr}\n{log}", pytrace=False)
    server = PostgresServer(admin_url=f"postgresql+psycopg://docmgr@127.0.0.1:{port}/postgres",
                            process_dir=base, run_as=run_as)
    for _ in range(50):  # pg_ctl -w waited for the socket; wait for TCP as well
        try:
            with server._admin():
                break
        except Exception:  # noqa: BLE001 — not up yet
            time.sleep(0.1)
    return server


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
