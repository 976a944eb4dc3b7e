"""A private PostgreSQL server on 127.0.0.1 for the tests that run the store against it.

Each test session starts one cluster in a fresh /tmp directory (initdb, trust authentication,
TCP on a free loopback port, its socket in the data directory) and each test gets a database
of its own. PostgreSQL refuses to run as root, so under root the server runs as the
``postgres`` system user (installed with Debian's postgresql package), else as ``nobody``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from mailservers import LOOPBACK, free_port

__all__ = ("Postgres", "PostgresError", "postgres_unavailable")

_START_TIMEOUT_S = 30


class PostgresError(RuntimeError):
    """PostgreSQL failed to initialise, start or stop."""


def _bin_dir() -> Path | None:
    # Debian keeps the server programs out of PATH, one directory per major version.
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version(path: str) -> int:
    part = Path(path).parent.parent.name
    return int(part) if part.isdigit() else 0


def postgres_unavailable() -> str | None:
    """Why a `Postgres` cannot run here, or None when it can."""
    bin_dir = _bin_dir()
    if bin_dir is None or not (bin_dir / "pg_ctl").exists():
        return "PostgreSQL server programs not found (apt-get install postgresql)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg not installed (pip install -e '.[test]')"
    return None


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise PostgresError("running as root and neither `postgres` nor `nobody` exists")


class Postgres:
    """A cluster in ``root``; :meth:`start`, :meth:`create_database`, :meth:`stop`."""

    def __init__(self, root: Path) -> None:
        bin_dir = _bin_dir()
        if bin_dir is None:
            raise PostgresError("PostgreSQL server programs not found")
        self.bin_dir = bin_dir
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self.user = _run_as()
        self._databases = 0

    def _run(self, *args: str) -> None:
        proc = subprocess.run(
            args, user=self.user, capture_output=True, text=True, timeout=_START_TIMEOUT_S
        )
        if proc.returncode != 0:
            raise PostgresError(f"{Path(args[0]).name} failed: {proc.stderr.strip()[-2000:]}")

    def start(self) -> None:
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run(
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",  # a throwaway cluster: skip fsync to start fast
        )
        options = (
            f"-c listen_addresses={LOOPBACK} -p {self.port} -k {self.data} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        log = self.root / "server.log"
        try:
            self._start(options, log)
        except PostgresError as exc:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise PostgresError(f"{exc}\n{tail}") from exc

    def _start(self, options: str, log: Path) -> None:
        self._run(
            str(self.bin_dir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(log),
            "-o",
            options,
            "-w",
            "-t",
            str(_START_TIMEOUT_S),
            "start",
        )

    def create_database(self) -> str:
        """A new empty database; its SQLAlchemy URL."""
        import psycopg

        self._databases += 1
        name = f"test_{self._databases}"
        with psycopg.connect(self._dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@{LOOPBACK}:{self.port}/{name}"

    def _dsn(self, database: str) -> str:
        return f"host={LOOPBACK} port={self.port} user=postgres dbname={database}"

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")


def new_root() -> Path:
    """A fresh directory under /tmp that the server's user can enter (pytest's is 0700)."""
    root = Path(tempfile.mkdtemp(prefix="ms-pg-"))
    root.chmod(0o700)
    return root
