"""The event loop the bot's long-running commands run on: uvloop where it is installed,
else asyncio's own.

uvloop (libuv under asyncio's API) makes each of a turn's many small I/O waits cheaper: the
Bot API calls over aiohttp, the Redis round trips, the hand-offs to aiosqlite's thread.
bench/dialogue.py measured it against the default loop (README, *Benchmarks*). It is a
dependency on the platforms it supports (pyproject's marker leaves Windows out); where
it is absent the default loop serves exactly as before, so nothing depends on it.

Before the loop starts, :func:`cap_malloc_arenas` gives the process glibc's
``MALLOC_ARENA_MAX=2`` when its environment did not set it: `make run`, the Dockerfile,
compose and the supervisor's forkserver set it, a lone `tawasul run` under systemd did not.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import importlib.util
import os
from collections.abc import Coroutine
from typing import Any, Literal, TypeVar

T = TypeVar("T")

#: glibc's mallopt parameter for the most malloc arenas (malloc.h)
_M_ARENA_MAX = -8

#: "uvloop" or "asyncio"
LoopName = Literal["uvloop", "asyncio"]


def default_loop() -> LoopName:
    """uvloop when it can be imported, else asyncio."""
    return "uvloop" if importlib.util.find_spec("uvloop") is not None else "asyncio"


def run(main: Coroutine[Any, Any, T], *, loop: LoopName | None = None) -> T:
    """Runs ``main`` to completion on a new loop of kind ``loop`` (default
    :func:`default_loop`) and returns its result, as :func:`asyncio.run` does. Raises
    ModuleNotFoundError when uvloop is asked for by name and is not installed."""
    cap_malloc_arenas()
    if (loop or default_loop()) == "uvloop":
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(main)
    return asyncio.run(main)


def cap_malloc_arenas(arenas: int = 2) -> bool:
    """At most `arenas` glibc malloc arenas from now on (``mallopt(M_ARENA_MAX)``, what the
    ``MALLOC_ARENA_MAX`` variable sets at a process's start), unless the environment chose;
    True when capped here. Each thread that allocates while another does gets an arena of
    its own up to 8 per core, and memory freed in one is not reused by the others: the
    aiosqlite and executor threads took a worker's peak RSS to 251-254 MB, 248.7-249.0 with 2
    (docs/benchmark-history.md, *Fourth pass figures*). Nothing happens where there is no glibc."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    with contextlib.suppress(OSError, AttributeError):
        return bool(ctypes.CDLL(None).mallopt(_M_ARENA_MAX, arenas))
    return False
