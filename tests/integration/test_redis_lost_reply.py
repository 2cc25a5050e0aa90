"""A write that landed but whose reply was lost (the connection dropped, as in a failover)
is retried by redis-py; the retry must not turn the person's message into a "duplicate"
nor run it a second time. A real Redis behind a TCP proxy on loopback that forwards a
chosen command and then cuts the connection instead of passing its reply back."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from redis.asyncio import Redis

from bot.redis_store.dialogue import RedisDialogueStore, claim_once
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from tests.unit.conversations.fakes import Chat, MemoryGateway


@dataclass
class LossyProxy:
    """Forwards to ``upstream``; once armed with a marker, the first client chunk holding
    it reaches Redis but its reply does not: the client's connection is cut instead."""

    upstream: int
    marker: bytes | None = None
    dropped: int = 0
    port: int = 0
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection("127.0.0.1", self.upstream)
        cut = asyncio.Event()

        async def up() -> None:
            while data := await client_r.read(65536):
                if self.marker is not None and self.marker in data:
                    self.marker = None
                    cut.set()
                server_w.write(data)
                await server_w.drain()

        async def down() -> None:
            while data := await server_r.read(65536):
                if cut.is_set():
                    self.dropped += 1
                    return  # Redis ran the command; its reply goes nowhere
                client_w.write(data)
                await client_w.drain()

        tasks = [asyncio.ensure_future(up()), asyncio.ensure_future(down())]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            task.cancel()
        for writer in (client_w, server_w):
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()


@pytest.fixture
async def proxied(redis_url: str, redis_client: Redis) -> AsyncIterator[tuple[Redis, LossyProxy]]:
    """A client whose connections go through the proxy (redis-py's default retry policy)."""
    proxy = LossyProxy(urlsplit(redis_url).port or 6379)
    await proxy.start()
    client = Redis(host="127.0.0.1", port=proxy.port)
    try:
        yield client, proxy
    finally:
        await client.aclose()
        await proxy.stop()


async def test_a_claim_whose_reply_was_lost_is_still_ours(
    proxied: tuple[Redis, LossyProxy],
) -> None:
    client, proxy = proxied
    store = RedisDialogueStore(client)
    proxy.marker = b"tawasul:evt:"
    claimed, _state = await store.claim_and_load("telegram", "42", "9001")
    assert proxy.dropped == 1  # the claim landed and its reply was cut
    assert claimed  # the retry found our own claim: not a duplicate
    # a real redelivery of the same update, once its turn is saved, is still one (while
    # the claim is busy a redelivery may take it over: a dead process's, see the store)
    state = await store.load("telegram", "42")
    state.mark_handled("9001")
    assert await store.save("telegram", "42", state, done="9001")
    assert not (await store.claim_and_load("telegram", "42", "9001"))[0]

    proxy.marker = b"tawasul:wa:evt:"
    assert await claim_once(client, "tawasul:wa:evt:wamid.1", 60)
    assert proxy.dropped == 2
    assert not await claim_once(client, "tawasul:wa:evt:wamid.1", 60)


async def test_a_write_whose_reply_was_lost_is_written_once(
    proxied: tuple[Redis, LossyProxy],
) -> None:
    """The person's message is not run a second time on the state it already moved on."""
    client, proxy = proxied
    engine = Engine(RedisDialogueStore(client), INTAKE, load_catalogue(), MemoryGateway())
    chat = Chat(engine.handle, channel="telegram", user="42")
    await chat.command("start")  # the script is loaded on the server by now
    before = await RedisDialogueStore(client).load("telegram", "42")
    proxy.marker = b"EVALSHA"
    await chat.tap("ind")
    assert proxy.dropped == 1
    after = await RedisDialogueStore(client).load("telegram", "42")
    assert after.answers.get("applicant") == "individual"
    assert after.version == before.version + 1  # one write: the tap ran once
    # and the answer is the next question, as without the cut
    again = Chat(
        Engine(RedisDialogueStore(client), INTAKE, load_catalogue(), MemoryGateway()).handle,
        channel="telegram",
        user="43",
    )
    await again.command("start")
    await again.tap("ind")
    assert chat.said == again.said
