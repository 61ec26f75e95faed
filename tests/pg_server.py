"""A throwaway PostgreSQL cluster on loopback for the DuckLake tests (and bench/lake.py).

Runs as the ``postgres`` user (PostgreSQL refuses root) in a temporary directory on a free port, with trust
authentication on 127.0.0.1 only. ``start()`` returns None with the reason when PostgreSQL is not installed or
cannot start, so callers can skip with that reason; `.ci/run` installs the Debian package when initdb is missing.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def _bindir() -> Path | None:
    # Debian keeps the full set (initdb, pg_ctl, createdb, psql) in the versioned directory only
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if versions:
        return Path(versions[-1]).parent
    found = shutil.which("initdb")
    return Path(os.path.realpath(found)).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    root: Path
    port: int
    bindir: Path
    user: str | None  # OS user the server runs as (None: the current user)

    def dsn(self, dbname: str = "postgres") -> str:
        return f"dbname={dbname} host=127.0.0.1 port={self.port} user=postgres"

    def _run(self, *cmd: str, check: bool = True) -> subprocess.CompletedProcess:
        argv = list(cmd)
        if self.user:
            argv = ["runuser", "-u", self.user, "--"] + argv
        return subprocess.run(argv, check=check, capture_output=True, text=True, timeout=120)

    def createdb(self, name: str) -> str:
        self._run(str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.dsn(name)

    def psql(self, dbname: str, sql: str) -> str:
        return self._run(str(self.bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                         "-d", dbname, "-At", "-c", sql).stdout

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "stop",
                  check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def start() -> tuple[PgServer | None, str]:
    """Start a private cluster; return (server, "") or (None, why it could not start)."""
    bindir = _bindir()
    if bindir is None:
        return None, "PostgreSQL is not installed (no initdb; `apt-get install -y postgresql`, as .ci/run does)"
    user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return None, "running as root and there is no `postgres` OS user to run PostgreSQL as"
        user = "postgres"
    root = Path(tempfile.mkdtemp(prefix="survwatch-pg-"))
    if user:
        shutil.chown(root, user)
    server = PgServer(root, _free_port(), bindir, user)
    try:
        server._run(str(bindir / "initdb"), "-D", str(root / "data"), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--locale=C")
        server._run(str(bindir / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "log"), "-w", "-t", "60",
                    "-o", f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
                    "start")
    except (subprocess.SubprocessError, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        log = (root / "log").read_text(errors="replace")[-500:] if (root / "log").exists() else ""
        server.stop()
        return None, f"PostgreSQL could not start in {root}: {detail.strip()[-300:]} {log}"
    for _ in range(50):
        if server._run(str(bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(server.port), check=False).returncode == 0:
            break
        time.sleep(0.1)
    return server, ""
