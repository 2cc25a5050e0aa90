"""The event loop the bot's long-running commands run on: uvloop where it is installed,
else asyncio's own.

uvloop (libuv under asyncio's API) makes each of a turn's many small I/O waits cheaper: the
Bot API calls over aiohttp, the Redis round trips, the hand-offs to aiosqlite's thread.
bench/dialogue.py measured it against the default loop (README, *Benchmarks*). It is a
dependency on the platforms it supports (pyproject's marker leaves Windows out); where
it is absent the default loop serves exactly as before, so nothing depends on it.
"""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Coroutine
from typing import Any, Literal, TypeVar

T = TypeVar("T")

#: "uvloop" or "asyncio"
LoopName = Literal["uvloop", "asyncio"]


def default_loop() -> LoopName:
    """uvloop when it can be imported, else asyncio."""
    return "uvloop" if importlib.util.find_spec("uvloop") is not None else "asyncio"


def run(main: Coroutine[Any, Any, T], *, loop: LoopName | None = None) -> T:
    """Runs ``main`` to completion on a new loop of kind ``loop`` (default
    :func:`default_loop`) and returns its result, as :func:`asyncio.run` does. Raises
    ModuleNotFoundError when uvloop is asked for by name and is not installed."""
    if (loop or default_loop()) == "uvloop":
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(main)
    return asyncio.run(main)
