"""A real PgBouncer on loopback in transaction pool mode, in front of the tests' PostgreSQL.

Configured as the README asks of operators: ``pool_mode = transaction``, and
``server_reset_query = DISCARD ALL`` with ``server_reset_query_always = 1`` so that the
statements a client prepared do not pile up on the server connections. PgBouncer refuses to
run as root; as root it runs as the postgres system user, like the tests' PostgreSQL.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.servers import _wait_for_port, free_port

PGBOUNCER_MISSING = (
    "pgbouncer is not installed and could not be: `make system-deps` installs it from "
    "Debian packages (apt-get install pgbouncer), which needs root and the Debian mirror"
)


def find_pgbouncer() -> str | None:
    """The pgbouncer program (Debian puts it in /usr/sbin, often not on a user's PATH)."""
    found = shutil.which("pgbouncer")
    if found:
        return found
    return "/usr/sbin/pgbouncer" if os.access("/usr/sbin/pgbouncer", os.X_OK) else None


@dataclass
class PgBouncer:
    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @classmethod
    def start(cls, pg_host: str, pg_port: int, *, pool_size: int = 2) -> PgBouncer:
        """In front of the PostgreSQL at ``pg_host:pg_port`` (any database, as user
        postgres); ``pool_size`` server connections per database, few, so that
        transactions of different clients share them as they would in production."""
        program = find_pgbouncer()
        if program is None:
            raise RuntimeError(PGBOUNCER_MISSING)
        directory = Path(tempfile.mkdtemp(prefix="tawasul-pgbouncer-"))
        bouncer = cls(free_port(), directory)
        atexit.register(bouncer.stop)
        conf = directory / "pgbouncer.ini"
        conf.write_text(
            "\n".join(
                [
                    "[databases]",
                    f"* = host={pg_host} port={pg_port} user=postgres",
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    f"listen_port = {bouncer.port}",
                    "unix_socket_dir =",
                    # the tests' PostgreSQL trusts loopback; "any" takes the forced user
                    "auth_type = any",
                    "pool_mode = transaction",
                    f"default_pool_size = {pool_size}",
                    "max_client_conn = 200",
                    "server_reset_query = DISCARD ALL",
                    "server_reset_query_always = 1",
                    f"logfile = {directory / 'pgbouncer.log'}",
                    f"pidfile = {directory / 'pgbouncer.pid'}",
                    "",
                ]
            )
        )
        as_postgres: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(directory, user="postgres", group="postgres")
            shutil.chown(conf, user="postgres", group="postgres")
            as_postgres = ["runuser", "-u", "postgres", "--"]
        bouncer.process = subprocess.Popen(
            [*as_postgres, program, str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_port(bouncer.port, "pgbouncer", bouncer.process, directory / "pgbouncer.log")
        except BaseException:
            bouncer.stop()
            raise
        return bouncer

    def url_for(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)
