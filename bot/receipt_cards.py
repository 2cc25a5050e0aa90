"""The receipt cards' process pool, without the drawing code.

:mod:`bot.receipt` draws a card with Pillow, FreeType, qrcode, arabic-reshaper and
python-bidi. A worker only hands the drawing to the pool's process, so those libraries
are imported there and never in the worker that handles updates (together about 7 MB of
its resident memory, measured with bench/dialogue.py; see the README's benchmarks).
This module is what the worker holds: where a card's file goes, and the pool.
"""

from __future__ import annotations

import asyncio
import ctypes
import datetime as dt
import gc
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Final, Literal

from conversations.formatting import digits_for
from conversations.receipt import Receipt
from domain.catalogue import Catalogue, local

log = logging.getLogger(__name__)

#: How Arabic is shaped on the card: by Pillow with libraqm, or by arabic-reshaper and
#: python-bidi before Pillow's basic layout (see :mod:`bot.receipt`).
Shaping = Literal["raqm", "basic"]


class ReceiptCards:
    """Draws each card once into ``directory``, in a process pool.

    Drawing a card (FreeType text, PNG encoding) takes tens of milliseconds of CPU; in a
    thread it would still hold the GIL the event loop needs, so it runs in a pool of
    `processes` worker processes (started with "spawn", never a fork of a process that
    runs an event loop and threads), created on first use. Close the pool with
    :meth:`close`.
    """

    def __init__(
        self,
        directory: Path,
        catalogue: Catalogue,
        *,
        shaping: Shaping | None = None,
        processes: int = 1,
    ) -> None:
        self.directory = directory
        self.catalogue = catalogue
        self.shaping = shaping
        self._processes = processes
        self._pool: ProcessPoolExecutor | None = None

    def path_for(self, receipt: Receipt) -> Path:
        digits = digits_for(receipt.locale, receipt.arabic_digits)
        return self.directory / f"{receipt.number}-{receipt.locale}-{digits}.png"

    async def make(self, receipt: Receipt) -> str | None:
        """The card's file (drawn now unless it already is); None when it cannot be made,
        with the reason in the log."""
        path = self.path_for(receipt)
        if path.is_file():
            return str(path)
        try:
            service = local(self.catalogue.get(receipt.service_id).name, receipt.locale)
            await self._run(draw_into, receipt, service, str(path), self.shaping)
        except Exception:
            log.exception("could not draw a receipt card")
            return None
        return str(path)

    async def warm(self) -> float:
        """Starts the pool's process and has it draw a card in each language into a
        temporary directory (then removed), returning the seconds that took. Done at
        start-up (bot.warmup): otherwise the first resident's card pays the process's
        start, its imports and the fonts' loading (about 2 s of CPU on the 2-core
        machine), taking a core from the event loop while the next residents' updates
        wait for it. Raises what drawing raises (the caller logs it)."""
        loop = asyncio.get_running_loop()
        began = loop.time()
        await self._run(draw_samples, self.shaping)
        return loop.time() - began

    async def _run(self, call: Callable[..., None], *args: Any) -> None:
        """`call(*args)` in the pool's process. A pool whose process has died (killed, out
        of memory) is broken for good: every later call raised BrokenProcessPool, so no
        card was drawn again until the worker restarted, and each was dropped. Now the
        broken pool is replaced by a new one (its process started by "spawn": this
        process runs its loop and threads now, so a fork is no longer safe) and the call is
        tried there once; raises what the call raises, or BrokenProcessPool when the new
        process dies too."""
        loop = asyncio.get_running_loop()
        pool = self._executor()
        try:
            await loop.run_in_executor(pool, call, *args)
        except BrokenProcessPool:
            if self._pool is pool:  # not replaced already by a call that failed with it
                log.warning("the receipt cards' process has died; starting another")
                pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            await loop.run_in_executor(self._executor(), call, *args)

    def pids(self) -> list[int]:
        """The pids of the pool's processes now (none before its first use)."""
        if self._pool is None:
            return []
        # concurrent.futures keeps them only in this private mapping
        processes: dict[int, object] = getattr(self._pool, "_processes", None) or {}
        return sorted(processes)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None and _PRESTARTED:
            self._pool = _PRESTARTED.pop()
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self._processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=end_with_parent,
                initargs=(os.getpid(),),
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


#: The name of a card process forked from a worker (the kernel's, 15 bytes at most).
CARDS_NAME: Final = "tawasul-cards"
#: The pool :func:`prestart` started in this process, for its first ReceiptCards to take.
_PRESTARTED: list[ProcessPoolExecutor] = []


def prestart(processes: int = 1) -> None:
    """Starts this process's card pool now, its process forked from this one, for the
    first :class:`ReceiptCards` to use. Only while the process has one thread and no event
    loop: a supervised worker just forked from its forkserver (bot.worker_start).

    Why a fork there: a pool of another start method ("spawn", as :class:`ReceiptCards`
    makes otherwise) shares its queues' locks with its process through named POSIX
    semaphores, registered with the resource tracker the workers share with their
    supervisor and unlinked at the pool's close; a worker killed outright (SIGKILL, or
    past the drain's bound) never closed its pool, so its 5 semaphores stayed in /dev/shm
    until the supervisor stopped, when the tracker unlinked them with «resource_tracker:
    There appear to be 5 leaked semaphore objects to clean up at shutdown». A fork
    pool's semaphores are unlinked as they are made (nothing to leak, nothing
    registered), and forking before any thread or loop exists is what makes the fork
    safe; the pool forks its process here, once, before its own manager thread starts
    (concurrent.futures never forks again for a "fork" pool). The process also starts
    without a fresh interpreter's imports."""
    pool = ProcessPoolExecutor(
        max_workers=processes,
        mp_context=multiprocessing.get_context("fork"),
        initializer=forked_card_process,
        initargs=(os.getpid(),),
    )
    pool.submit(os.getpid).result()  # the fork, now
    _PRESTARTED.append(pool)


def forked_card_process(parent: int) -> None:
    """Runs first in a card process forked from a worker (:func:`prestart`): named
    «tawasul-cards» (it had its worker's name, which ``pgrep -x tawasul-worker`` counts),
    the worker's objects put out of the collector's reach (gc.freeze: a collection would
    touch each of them and so copy every page it shares with the worker), then
    :func:`end_with_parent`."""
    if sys.platform.startswith("linux"):
        pr_set_name = 15  # prctl(2)
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_name, CARDS_NAME.encode(), 0, 0, 0)
    gc.freeze()
    end_with_parent(parent)


def end_with_parent(parent: int) -> None:
    """Runs first in the pool's process: on Linux it is killed when the worker that started
    it dies. Without this a worker killed with SIGKILL (the supervisor then starts another)
    left its cards' process running, ~100 MB each time, found when a killed bench's
    process was still there minutes later. It also ignores SIGINT: Ctrl-C in a terminal
    reaches every process of the foreground job, and the pool's, idle on its queue, died
    of it with a 17-line «Process SpawnProcess-1: … KeyboardInterrupt» traceback under the
    chat's goodbye (issue 11); the process that started the pool decides the stop and
    shuts the pool down (or its death ends it, above)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1  # prctl(2)
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above
        os._exit(0)


def draw_into(receipt: Receipt, service_name: str, path: str, shaping: Shaping | None) -> None:
    """Runs in the pool's process: imports the drawing code there (see the module's
    text) and writes the card to `path` (:func:`bot.receipt.write_card`)."""
    from bot.receipt import write_card

    write_card(receipt, service_name, path, shaping)


def draw_samples(shaping: Shaping | None) -> None:
    """Runs in the pool's process (:meth:`ReceiptCards.warm`): one card in Arabic and one
    in English of a made-up request, drawn and thrown away."""
    from bot.receipt import write_card

    day = dt.date(2026, 1, 4)
    with tempfile.TemporaryDirectory(prefix="tawasul-card-") as tmp:
        for locale in ("ar", "en"):
            sample = Receipt(
                number="1000000009",
                service_id="other",
                filed=day,
                due=day + dt.timedelta(days=9),
                working_days=7,
                locale=locale,
            )
            write_card(sample, "—", f"{tmp}/{locale}.png", shaping)
