"""aiogram filters that run on the event loop.

aiogram calls a filter that is not a coroutine function (a ``MagicFilter`` such as
``F.chat.type == "private"`` is one: aiogram registers its synchronous ``resolve``) through
``asyncio.to_thread`` (``CallableObject.call`` in aiogram/dispatcher/event/handler.py), so
every such filter costs every update a hop to the default thread pool and back. Profiling
``bench/dialogue.py --sequential`` under py-spy showed it: ``ThreadPoolExecutor.submit``
from ``HandlerObject.check`` was 4% of the time the event loop held the GIL, before the
wait for the thread. Resolving a magic filter is a few attribute reads, so it runs here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from magic_filter import MagicFilter


def on_loop(magic: MagicFilter) -> Callable[[Any], Awaitable[Any]]:
    """`magic` as a coroutine function aiogram awaits instead of running in a thread:
    the same answer (the resolved value; falsy rejects the handler)."""

    async def check(event: Any) -> Any:
        return magic.resolve(event)

    check.__name__ = f"on_loop({magic!r})"
    return check
