"""A throwaway PostgreSQL + PostGIS cluster for the tests: made in a temporary folder, listening only
on a Unix socket there (and on a free loopback port for the programs that need TCP), trusting local
connections, and removed when the tests end. The server comes from the OS packages the Makefile
installs (postgresql and its postgis extension); nothing is left running.

PostgreSQL refuses to run as root, so as root (CI, the machines here) the server runs as the
'postgres' system user the package created.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
from pathlib import Path


def server_bin() -> Path:
    """The bin folder of the newest installed PostgreSQL that has the PostGIS extension."""
    found = []
    for folder in Path("/usr/lib/postgresql").glob("*/bin"):
        version = folder.parent.name
        if (folder / "initdb").exists() and Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists():
            found.append((int(version), folder))
    if not found:
        raise RuntimeError("no PostgreSQL server with PostGIS is installed: run 'make setup' (it installs "
                           "postgresql and its postgis extension from the OS packages)")
    return max(found)[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """One PostgreSQL cluster in ``root``; ``uri(db)`` gives a connection URI for a database in it."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.port = _free_port()
        self.bin = server_bin()
        self.user = "gridmap"
        self._as = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
        self.log = self.root / "server.log"

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> Cluster:
        self.root.mkdir(parents=True, exist_ok=True)
        self.sockets.mkdir(exist_ok=True)
        if self._as:
            pw = pwd.getpwnam("postgres")
            for path in (self.root, self.sockets):
                os.chown(path, pw.pw_uid, pw.pw_gid)
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        # local sockets and the owner trusted; any other login over TCP proves its password (users of issue 14)
        hba = self.data / "pg_hba.conf"
        rules = (f"local all all trust\nhost all {self.user} 127.0.0.1/32 trust\n"
                 "host all all 127.0.0.1/32 scram-sha-256\n")
        self._run("sh", "-c", f"printf '%s' '{rules}' > {hba}")
        options = (f"-k {self.sockets} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                  "-t", "60", "start")
        return self

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def uri(self, database: str, tcp: bool = False) -> str:
        if tcp:
            return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"
        return f"postgresql://{self.user}@/{database}?host={self.sockets}&port={self.port}"

    def create_database(self, name: str) -> str:
        """A new empty database; returns its URI."""
        import psycopg

        with psycopg.connect(self.uri("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.uri(name)
