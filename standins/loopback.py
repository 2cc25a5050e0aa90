"""What the stand-ins share: an aiohttp server on loopback, and a call parked on a gate.

Both stand-ins (the Telegram Bot API and the WhatsApp Graph API) are a
:class:`LoopbackServer`: started with ``async with`` (or :meth:`~LoopbackServer.start` /
:meth:`~LoopbackServer.stop`) on 127.0.0.1 and a free port, with a condition a test waits
on until what it expects has been called. Both can park a call on a :class:`ParkedCall`
(their ``hold``) so a test can kill the bot at a precise point of a send.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Self

from aiohttp import web


@dataclass(kw_only=True)
class LoopbackServer:
    """An aiohttp server on `host` (loopback by default) and `port` (0: a free one, known
    once started). A subclass adds its routes in :meth:`_add_routes` and calls
    :meth:`_notify` after each call it records, which wakes :meth:`wait_until`."""

    #: the largest request body the server reads, in bytes (uploads)
    max_body_bytes: ClassVar[int] = 64 * 1024 * 1024

    host: str = "127.0.0.1"
    port: int = 0
    _runner: web.AppRunner | None = field(default=None, init=False)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition, init=False)

    async def start(self) -> None:
        """Listen; afterwards `port` is the port listened on."""
        app = web.Application(client_max_size=self.max_body_bytes)
        self._add_routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = self._runner.addresses[0][1]

    def _add_routes(self, app: web.Application) -> None:
        raise NotImplementedError

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """The server's base URL, ``http://host:port`` (for the Bot API,
        ``TelegramAPIServer.from_base`` and TAWASUL_TELEGRAM_API_URL)."""
        return f"http://{self.host}:{self.port}"

    async def wait_until(self, predicate: Callable[[], bool]) -> None:
        """Wait until `predicate()` holds, checked after every call (for bots running on
        their own, e.g. polling). Bound it with ``asyncio.timeout``."""
        async with self._changed:
            await self._changed.wait_for(predicate)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()


@dataclass(kw_only=True)
class ParkedCall:
    """A gate a matching call is parked on until :meth:`release`; a subclass says which
    calls match. Parked before the platform has the call, a call whose caller has gone by
    the release (its process was killed) is dropped, never performed."""

    #: matching calls to let through before the one parked
    skip: int = 0
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)
    used: bool = False
    #: True when the caller had gone by the time the gate opened, so the call was dropped
    dropped: bool = False
    #: the parked caller's connection
    transport: asyncio.BaseTransport | None = None

    def caller_gone(self) -> bool:
        """Whether the parked caller's connection has closed (its process ended): released
        now, the call is dropped. The server sees a peer's close only when its loop runs,
        so a test that killed the caller waits for this before releasing."""
        return self.transport is not None and self.transport.is_closing()

    def release(self) -> None:
        self.released.set()

    def _let_through(self) -> bool:
        """Whether a matching call is one of the first `skip`, let through (and counted)."""
        if self.skip > 0:
            self.skip -= 1
            return True
        return False

    async def park(self, request: web.Request) -> bool:
        """Park `request`'s call until released; True when its caller is still there,
        False when it has gone (the call is then `dropped`)."""
        self.transport = request.transport
        self.arrived.set()
        await self.released.wait()
        if request.transport is None or request.transport.is_closing():
            self.dropped = True
            return False
        return True
