"""How a worker of ``tawasul run --workers N`` begins: forked from the supervisor's
forkserver (bot.supervisor), which imported :data:`PRELOAD` once, and nothing else.

A worker started as a fresh interpreter spent ~10 s of CPU before it served, 7 of them
importing aiogram (it builds its ~440 pydantic models at import), so on a loaded machine a
worker that replaced a killed one was ready only 37 to 53 s later. The standard library's
forkserver (multiprocessing's "forkserver" start method with set_forkserver_preload) pays
the imports once, in a process started by exec from the supervisor, and forks each worker
from it. What a worker inherits is therefore imported modules only: the forkserver is a
fresh interpreter that runs no event loop, opens no connection (to Redis, the database or
the Bot API), starts no thread and holds no lock when it forks (its loop is single-threaded;
tests/unit/test_worker_start.py checks that importing PRELOAD starts no thread and opens no
file or socket). Each worker then makes its own loop, connections and pools, as before.

Only what every Telegram worker imports anyway is preloaded (tests/unit/test_worker_imports
checks the worker does not import what it hands off): preloading more would add to every
worker's memory.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import socket
import threading
import time
from pathlib import Path
from typing import Final

#: Imported once by the forkserver: `tawasul run`'s own modules, which bring aiogram (the
#: models the bot uses built by bot.aiogram_built), pydantic, SQLAlchemy and its ORM models,
#: redis-py, aiohttp, Babel and Pillow.
#: Not bot.cli itself: the supervisor runs as ``python -m bot.cli``, so multiprocessing runs
#: that module again in each child as ``__mp_main__`` (its definitions only), and runpy warns
#: when it is imported already; what it imports is here.
PRELOAD: Final = (
    "bot.staff.cli",
    "bot.logging_setup",
    "bot.event_loop",
    "bot.runner",
    "bot.app",
    "bot.channels.telegram",
    "bot.channels.telegram_webhook",
    "bot.channels.poll_journal",
    "bot.channels.poll_lease",
    "bot.channels.sent_marks",
    "bot.db.accounts",
    "bot.health",
    "bot.media_sweep",
    "bot.outbox.receipts",
    "bot.outbox.wiring",
    "bot.redis_ha",
    "bot.retention",
    "bot.staff.commands",
    "bot.staff.router",
    "bot.staff.schedule",
    "bot.warmup",
    "bot.web",
    "bot.webhook_journal",
    # last: builds the aiogram models the modules above use (their schemas are not built
    # at import, bot.aiogram_lazy)
    "bot.aiogram_built",
)
#: What a worker names itself (the kernel's process name, 15 bytes at most): ps, top and
#: pgrep -x show it, where its command line is its forkserver's.
WORKER_NAME: Final = "tawasul-worker"
_PR_SET_NAME: Final = 15
_PR_SET_PDEATHSIG: Final = 1


def run_worker(
    sock: socket.socket,
    slot: int,
    listen_option: str,
    heartbeat: str = "",
    stop_within_s: float = 30.0,
) -> None:
    """The worker's whole life, in the forked process: `sock` is the supervisor's listening
    socket (multiprocessing passes it through the forkserver), `slot` the worker's number,
    `listen_option` the command-line option that hands the socket to ``tawasul run``,
    `heartbeat` the file its event loop touches for the supervisor (bot.heartbeat),
    `stop_within_s` how long it may take to stop once its supervisor has gone.
    Ends the process (bot.cli.main exits)."""
    # its own session, as before: a terminal's Ctrl-C reaches the supervisor, which stops
    # the workers in order
    with contextlib.suppress(OSError):
        os.setsid()
    _linux(_PR_SET_NAME, WORKER_NAME.encode())
    # the forkserver gone (killed), the supervisor counts this worker as exited and starts
    # another: this one must not keep serving the port beside it
    _linux(_PR_SET_PDEATHSIG, signal.SIGTERM)
    # before any thread or loop: the receipt cards' process is forked from here, so its
    # pool makes no named semaphore a killed worker would leave behind (bot.receipt_cards)
    from bot.receipt_cards import prestart

    prestart()
    _stop_when_the_supervisor_goes(stop_within_s)
    # the metrics directory is in use while this worker lives, its supervisor killed or
    # not: a later supervisor's start does not remove it under this one (bot.supervisor_dirs)
    shared = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if shared:
        from bot.supervisor_dirs import hold

        hold(Path(shared))
    os.environ["TAWASUL_WORKER_NUMBER"] = str(slot)
    if heartbeat:
        os.environ["TAWASUL_WORKER_HEARTBEAT"] = heartbeat  # bot.heartbeat.HEARTBEAT_ENV
    # the descriptor is the worker's web server's from here (bot.runner wraps it again)
    fd = sock.detach()
    from bot.cli import main

    main(["run", listen_option, str(fd)])


def _linux(option: int, value: int | bytes) -> None:
    # prctl(2): Linux only; elsewhere the worker keeps the forkserver's name and outlives it
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)


def _stop_when_the_supervisor_goes(within_s: float) -> None:
    """SIGTERM to this worker (it drains and exits) once the supervisor has gone, however
    it went (SIGKILL included), and SIGKILL `within_s` later if it is still there: a worker
    whose event loop is stuck never runs its SIGTERM handler, and with its supervisor gone
    nothing else would end it (found with tests/e2e/test_workers_stall.py's blocked
    worker, left running for an hour after its supervisor was killed). The worker's parent
    is the forkserver, not the supervisor, so the kernel's parent-death signal cannot say
    it; multiprocessing gives the child a descriptor that reads end-of-file when the
    process that started it exits."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(within_s)  # a worker that drains has exited by now, and this with it
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="supervisor-watch", daemon=True).start()
