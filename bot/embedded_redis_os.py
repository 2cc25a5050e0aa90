"""What bot.embedded_redis needs of the operating system: the lock on the server's
directory, a look at whether a process runs, whether the server answers on its socket, a
named connection to it, the tail of its log. Plain sockets and files, no Redis client:
``start_or_join`` runs them in a thread, under the lock, before any event loop's client
connects."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Literal

LOCK = "server.lock"


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """An exclusive ``flock`` on the directory's :data:`LOCK` file, held for the block."""
    with open(directory / LOCK, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.asynccontextmanager
async def locked_async(directory: Path) -> AsyncIterator[None]:
    """:func:`locked` for a coroutine: the wait for the lock (another process starting or
    stopping the server holds it, for up to bot.embedded_redis_start.START_TIMEOUT_S, or
    LOAD_TIMEOUT_S while the server it started loads its files) is done in
    a thread, not on the event loop, which meanwhile goes on serving. An flock belongs to
    the open file, not to a thread, so it is held across the awaits until released here."""
    handle = await asyncio.to_thread(open, directory / LOCK, "a+b")
    try:
        await asyncio.to_thread(fcntl.flock, handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)  # never waits
    finally:
        handle.close()


def answers(path: Path) -> bool:
    """Whether a server on unix socket `path` answers PING within a second (one still
    loading its files answers ``-LOADING``, which is not an answer: see :func:`state`)."""
    return state(path) == "ready"


def state(path: Path) -> Literal["ready", "loading"] | None:
    """What a server on unix socket `path` answers PING within a second: ``+PONG``
    ("ready"), ``-LOADING`` ("loading": alive, reading its append-only file or snapshot
    back, and answering nothing else until it is done), or nothing (None)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1.0)
            sock.connect(str(path))
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            reply = sock.recv(64)
    except OSError:
        return None
    if reply.startswith(b"+PONG"):
        return "ready"
    if reply.startswith(b"-LOADING"):
        return "loading"
    return None


def named_connection(path: Path, name: str, timeout_s: float) -> socket.socket:
    """A connection to the server on unix socket `path`, named `name` (``CLIENT SETNAME``;
    no spaces), left open for the caller to close. Raises OSError when it cannot be made."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout_s)
        sock.connect(str(path))
        raw = name.encode()
        sock.sendall(b"*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$%d\r\n%s\r\n" % (len(raw), raw))
        if not sock.recv(64).startswith(b"+OK"):
            raise OSError("CLIENT SETNAME refused")
    except BaseException:
        sock.close()
        raise
    return sock


def process_alive(pid: int) -> bool:
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


def tail(path: Path, lines: int = 8) -> str:
    """The last `lines` lines of the text file `path` (a log), or ``(no log)``."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
