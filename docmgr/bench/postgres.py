"""A throw-away PostgreSQL cluster from Debian's binaries (initdb, pg_ctl), for the benchmarks and the tests:
started in a temporary folder on a loopback port, with durability off (it is thrown away), stopped and
removed after. Or a server given by URL (DOCMGR_TEST_POSTGRES_URL), where databases are created and dropped."""

from __future__ import annotations

import glob
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class ClusterUnavailable(RuntimeError):
    """PostgreSQL cannot be started here; the message says why and what to install."""


@dataclass
class PostgresServer:
    """A server where databases may be created and dropped."""

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
        pg_ctl = pg_binary("pg_ctl")
        _run_as(self.run_as, [pg_ctl, "-D", str(self.process_dir / "data"), "-m", "immediate", "-w", "stop"],
                check=False)
        shutil.rmtree(self.process_dir, ignore_errors=True)


def pg_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _run_as(user: str | None, command: list[str], check: bool = True) -> subprocess.CompletedProcess:
    if user:
        command = ["runuser", "-u", user, "--", *command]
    return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)


def free_port() -> int:
    """A loopback port nothing listens on (for a server the benchmarks or the tests start)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server() -> PostgresServer:
    """DOCMGR_TEST_POSTGRES_URL, or a new cluster; ClusterUnavailable saying what is missing."""
    configured = os.environ.get("DOCMGR_TEST_POSTGRES_URL")
    if configured:
        return PostgresServer(admin_url=configured)
    initdb, pg_ctl = pg_binary("initdb"), pg_binary("pg_ctl")
    if not (initdb and pg_ctl):
        raise ClusterUnavailable("PostgreSQL is not installed (apt-get install postgresql) and "
                                 "DOCMGR_TEST_POSTGRES_URL is not set")
    if importlib.util.find_spec("psycopg") is None:
        raise ClusterUnavailable("psycopg is not installed (pip install -e '.[postgres]')")
    run_as = None
    if os.geteuid() == 0:  # initdb refuses to run as root
        try:
            run_as = pwd.getpwnam("postgres").pw_name
        except KeyError:
            raise ClusterUnavailable("running as root and there is no 'postgres' user to run the server") from None
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
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr}\n{log}")
    server = PostgresServer(admin_url=f"postgresql+psycopg://docmgr@127.0.0.1:{port}/postgres",
                            process_dir=base, run_as=run_as)
    for _ in range(50):  # pg_ctl -w waited for the socket; wait for TCP as well
        try:
            with server._admin():
                break
        except Exception:  # noqa: BLE001 — not up yet
            time.sleep(0.1)
    return server
