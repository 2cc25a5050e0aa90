"""The terminal chat's input: a typed line, or the person's Ctrl-C, whichever comes first.

A line is read by a daemon thread of its own, not in asyncio's default executor: at exit
``asyncio.run`` joins that executor's threads, and a thread blocked in ``readline`` never
ends before the next Enter, so Ctrl-C froze the chat (found by the fresh-clone tester). A
daemon thread left blocked when the chat ends holds nothing up.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any, TextIO


async def read_line(stdin: TextIO, interrupted: asyncio.Event | None = None) -> str | None:
    """The next line of ``stdin`` (``""`` at end of input, as ``readline`` gives it), or
    None as soon as ``interrupted`` is set, even while the read goes on. An error reading
    ``stdin`` is raised here."""
    loop = asyncio.get_running_loop()
    line: asyncio.Future[str] = loop.create_future()

    def settle(text: str | None, error: BaseException | None) -> None:
        if line.done():
            return  # the chat stopped waiting (Ctrl-C)
        if error is not None:
            line.set_exception(error)
        else:
            line.set_result(text or "")

    def read() -> None:
        text: str | None = None
        error: BaseException | None = None
        try:
            text = stdin.readline()
        except Exception as exc:  # handed to the chat, which raises it
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits
            loop.call_soon_threadsafe(settle, text, error)

    threading.Thread(target=read, name="console-stdin", daemon=True).start()
    if interrupted is None:
        return await line
    stop = asyncio.ensure_future(interrupted.wait())
    either: set[asyncio.Future[Any]] = {line, stop}
    try:
        await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
    if interrupted.is_set():
        line.cancel()  # a line typed at the same moment is dropped with the chat
        return None
    return line.result()


@contextlib.contextmanager
def ctrl_c_sets(interrupted: asyncio.Event) -> Iterator[None]:
    """While inside, the first SIGINT (Ctrl-C) sets ``interrupted`` instead of raising
    KeyboardInterrupt, so the chat ends between two turns with its goodbye; a second one
    raises KeyboardInterrupt as usual (a way out of a turn that does not end). Where the
    loop cannot take signals (not the main thread), nothing changes."""
    loop = asyncio.get_running_loop()

    def first() -> None:
        interrupted.set()
        # SIGINT's default handler again (asyncio restores signal.default_int_handler)
        loop.remove_signal_handler(signal.SIGINT)

    try:
        loop.add_signal_handler(signal.SIGINT, first)
    except (NotImplementedError, RuntimeError, ValueError):
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGINT)
