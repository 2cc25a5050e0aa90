"""The worker processes of ``tawasul run --workers N`` as the supervisor (bot.supervisor)
handles them: the listening socket they all serve, the forkserver they are forked from,
and a forked worker (or one that could not be started) seen as a child to poll, signal
and kill. Split from bot/supervisor.py (past 400 lines) to keep one idea a file."""

from __future__ import annotations

import multiprocessing
import os
import socket
from dataclasses import dataclass
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess

from bot.worker_start import PRELOAD


def listen(host: str, port: int) -> socket.socket:
    """The listening socket every worker serves; raises OSError (port taken, host
    unknown)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(1024)
    except BaseException:
        sock.close()
        raise
    return sock


@dataclass
class Forked:
    """A worker forked by the forkserver, as the :class:`Supervisor` sees a child."""

    process: BaseProcess
    pid: int

    def poll(self) -> int | None:
        return self.process.exitcode

    def send_signal(self, sig: int) -> None:
        # only while it runs: a pid reaped is free for another process
        if self.process.exitcode is None:
            os.kill(self.pid, sig)

    def kill(self) -> None:
        if self.process.exitcode is None:
            self.process.kill()


@dataclass
class NotStarted:
    """A worker the forkserver could not start (it died while importing, say): counted as
    a quick failure, so the next try waits (RestartPolicy)."""

    pid: int = 0

    def poll(self) -> int:
        return 1

    def send_signal(self, sig: int) -> None:
        pass

    def kill(self) -> None:
        pass


def forkserver(preload: tuple[str, ...] = PRELOAD) -> ForkServerContext:
    """The context the workers are forked from. Its server starts at the first worker's
    start, with the environment of that moment; MALLOC_ARENA_MAX is set in it before then
    (glibc reads it only as a process starts, and the forkserver's children are forks):
    two malloc arenas rather than eight per core keep a worker's peak RSS under its 250 MB
    budget (README, Benchmarks: 253.5 -> 249.2 MB with 200 residents at once), unless the
    deployment chose another value."""
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    return context
