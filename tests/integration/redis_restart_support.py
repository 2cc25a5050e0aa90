"""Shared set-up for the tests of an album meeting a Redis restart (Telegram's
test_album_redis_restart, WhatsApp's test_whatsapp_album_redis_restart): a redis-server of
the test's own with its append-only file, and the album's pause held at its first call so
that Redis stops at that moment whatever the machine's speed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tests.servers import RedisServer


@dataclass
class HeldPause:
    """An album's ``sleep``: its first call (the album's first file waiting for the rest)
    sets ``pausing`` and waits for ``go``; every call then sleeps as asked."""

    #: set when the album's first file is in its pause
    pausing: asyncio.Event = field(default_factory=asyncio.Event)
    #: set by the test to let that pause go on
    go: asyncio.Event = field(default_factory=asyncio.Event)

    async def __call__(self, seconds: float) -> None:
        if not self.pausing.is_set():
            self.pausing.set()
            await self.go.wait()
        await asyncio.sleep(seconds)


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A redis-server of the test's own, with its append-only file on."""
    server = RedisServer.start(persistent=True)
    try:
        yield server
    finally:
        server.stop()
