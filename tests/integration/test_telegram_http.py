"""The bot's kept-alive Bot API transport (bot.channels.telegram_http), against the
stand-in and against small raw servers that answer the ways HTTP allows: a resident's
replies go out over reused connections, answers are read whole however they are framed,
and a connection the server closed or broke is never used again and never makes a call
go twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
from aiogram.exceptions import TelegramNetworkError

from bot.channels.telegram import make_bot
from bot.channels.telegram_http import BotApiUnreachable, KeepAliveClient
from bot.channels.telegram_session import BotApiSession
from standins.telegram_botapi import TelegramBotAPIStandin

CHAT = 5_200_000_091
BODY = b'{"ok":true,"result":true}'

Serve = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def raw_server(serve: Serve) -> AsyncIterator[tuple[str, list[bytes]]]:
    """A loopback server running `serve` per connection; yields its URL and the request
    heads it received (one per request, in order)."""
    heads: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await serve(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def recording(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        original = reader.readuntil

        async def readuntil(separator: bytes = b"\n") -> bytes:
            got = await original(separator)
            if separator == b"\r\n\r\n":
                heads.append(got)
            return got

        reader.readuntil = readuntil  # type: ignore[method-assign]
        await handle(reader, writer)

    server = await asyncio.start_server(recording, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/bot1:x/sendMessage", heads
    finally:
        server.close()


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    return await reader.readexactly(length)


def response(body: bytes, *extra: str) -> bytes:
    lines = ["HTTP/1.1 200 OK", "Content-Type: application/json", *extra]
    if not any(e.lower().startswith("transfer-encoding") for e in extra):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def test_replies_reuse_one_connection_and_mean_what_they_said() -> None:
    async with TelegramBotAPIStandin() as api:
        bot = make_bot(api.token, api.url)
        session = bot.session
        assert isinstance(session, BotApiSession)
        try:
            for n in range(5):
                await bot.send_message(CHAT, f"رقم {n}")
            assert api.texts(CHAT) == [f"رقم {n}" for n in range(5)]
            assert session._http.opened == 1
            # calls in flight together each get a connection of their own
            await asyncio.gather(*(bot.send_message(CHAT, "معًا") for _ in range(3)))
            assert api.texts(CHAT).count("معًا") == 3
        finally:
            await session.close()


@pytest.mark.parametrize(
    "framed",
    [
        pytest.param(response(BODY), id="content-length"),
        pytest.param(
            response(
                b"7\r\n"
                + BODY[:7]
                + b"\r\n"
                + b"%x\r\n" % (len(BODY) - 7)
                + BODY[7:]
                + b"\r\n0\r\n\r\n",
                "Transfer-Encoding: chunked",
            ),
            id="chunked",
        ),
        pytest.param(b"HTTP/1.1 100 Continue\r\n\r\n" + response(BODY), id="after-100-continue"),
    ],
)
async def test_an_answer_is_read_whole_however_it_is_framed(framed: bytes) -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            await read_request(reader)
            writer.write(framed)
            await writer.drain()

    client = KeepAliveClient()
    async with raw_server(serve) as (url, _):
        for _ in range(2):
            answer = await client.post_json(url, b"{}", 5)
            assert (answer.status, answer.text) == (200, BODY.decode())
        assert client.opened == 1
    await client.close()


async def test_an_answer_to_the_end_or_saying_close_ends_its_connection() -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + BODY)
        await writer.drain()

    client = KeepAliveClient()
    async with raw_server(serve) as (url, heads):
        for _ in range(3):
            assert (await client.post_json(url, b"{}", 5)).text == BODY.decode()
        assert client.opened == 3 and len(heads) == 3
    await client.close()


async def test_a_connection_the_server_closed_while_idle_is_not_used_again() -> None:
    closed = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(response(BODY))  # keep-alive said, then closed anyway
        await writer.drain()
        writer.close()
        closed.set()
        await writer.wait_closed()

    client = KeepAliveClient()
    async with raw_server(serve) as (url, heads):
        await client.post_json(url, b"{}", 5)
        await closed.wait()
        for _ in range(200):  # the server's FIN reaches the client's idle connection
            if all(c.reader.at_eof() for idle in client._idle.values() for c in idle):
                break
            await asyncio.sleep(0)
        else:
            pytest.fail("the server's FIN never reached the idle connection")
        await client.post_json(url, b"{}", 5)
        assert client.opened == 2 and len(heads) == 2
    await client.close()


async def test_a_connection_idle_too_long_is_not_used_again() -> None:
    now = [0.0]

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            await read_request(reader)
            writer.write(response(BODY))
            await writer.drain()

    client = KeepAliveClient(idle_s=15.0, clock=lambda: now[0])
    async with raw_server(serve) as (url, _):
        await client.post_json(url, b"{}", 5)
        now[0] = 14.0
        await client.post_json(url, b"{}", 5)
        assert client.opened == 1
        now[0] = 29.5
        await client.post_json(url, b"{}", 5)
        assert client.opened == 2
    await client.close()


async def test_a_broken_exchange_raises_once_and_is_never_sent_again() -> None:
    async def cut(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"ok"')
        await writer.drain()

    client = KeepAliveClient()
    async with raw_server(cut) as (url, heads):
        with pytest.raises(BotApiUnreachable):
            await client.post_json(url, b"{}", 5)
        assert len(heads) == 1  # the call went once; whether to try again is the caller's

    async def silent(reader: asyncio.StreamReader, _: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(30)

    async with raw_server(silent) as (url, _):
        with pytest.raises(BotApiUnreachable, match="timeout"):
            await client.post_json(url, b"{}", 0.2)

    async def not_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"SSH-2.0-OpenSSH\r\n\r\n")
        await writer.drain()

    async with raw_server(not_http) as (url, _):
        with pytest.raises(BotApiUnreachable, match="not an HTTP answer"):
            await client.post_json(url, b"{}", 5)
    with pytest.raises(BotApiUnreachable, match="ConnectionRefusedError"):
        await client.post_json(url, b"{}", 5)  # that server is gone
    await client.close()


async def test_a_dropped_call_is_aiograms_network_error_and_the_next_goes_through() -> None:
    async with TelegramBotAPIStandin() as api:
        bot = make_bot(api.token, api.url)
        try:
            await bot.send_message(CHAT, "قبل")
            api.drop_next("sendMessage")
            with pytest.raises(TelegramNetworkError):
                await bot.send_message(CHAT, "ضاعت")
            await bot.send_message(CHAT, "بعد")
            assert api.texts(CHAT) == ["قبل", "بعد"]
        finally:
            await bot.session.close()


async def test_a_host_name_is_reached_whichever_of_its_addresses_answers() -> None:
    # "localhost" may name ::1 before 127.0.0.1; the server listens on the latter only
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(response(BODY))
        await writer.drain()

    client = KeepAliveClient()
    async with raw_server(serve) as (url, heads):
        answer = await client.post_json(url.replace("127.0.0.1", "localhost"), b"{}", 5)
        assert answer.status == 200
        assert b"Host: localhost:" in heads[0]
    await client.close()
