"""The kept-alive Bot API transport (bot.channels.telegram_http) over TLS, the only way
production reaches api.telegram.org: against a loopback TLS server whose certificate a
test authority (trustme) issues, a resident's replies go out over one verified, reused
connection; a server no one vouches for, or vouching for another name, is never sent a
request; and a connection the server closed while idle is not used again."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest
import trustme

from bot.channels.telegram_http import BotApiUnreachable, KeepAliveClient

BODY = b'{"ok":true,"result":true}'
RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    + b"Content-Length: %d\r\n\r\n" % len(BODY)
    + BODY
)

Serve = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@dataclass
class TlsServer:
    """A running loopback TLS server: its URL (host name «localhost»), the bodies of the
    requests it received, and the names clients asked for in their handshakes (SNI)."""

    url: str
    requests: list[bytes] = field(default_factory=list)
    names: list[str | None] = field(default_factory=list)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    """A certificate authority made for these tests; nothing outside them trusts it."""
    return trustme.CA()


def trusting(ca: trustme.CA) -> ssl.SSLContext:
    """A client context as production makes it (verifying), that also trusts `ca`."""
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    return await reader.readexactly(length)


@asynccontextmanager
async def tls_server(
    ca: trustme.CA, serve: Serve, name: str = "localhost"
) -> AsyncIterator[TlsServer]:
    """A loopback TLS server with a certificate `ca` issued for `name`, running `serve` per
    connection (after the handshake); its requests are recorded by `serve` itself."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert(name).configure_cert(context)
    names: list[str | None] = []

    def sni(_: ssl.SSLObject, asked: str | None, __: ssl.SSLContext) -> None:
        names.append(asked)

    context.sni_callback = sni  # type: ignore[assignment]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await serve(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    running = TlsServer(f"https://localhost:{port}/bot1:x/sendMessage", names=names)
    try:
        yield running
    finally:
        server.close()


async def test_a_call_over_tls_is_answered_and_its_connection_reused(ca: trustme.CA) -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            server.requests.append(await read_request(reader))
            writer.write(RESPONSE)
            await writer.drain()

    client = KeepAliveClient(ssl_context=trusting(ca))
    async with tls_server(ca, serve) as server:
        for n in range(2):
            answer = await client.post_json(server.url, b'{"n":%d}' % n, 5)
            assert (answer.status, answer.text) == (200, BODY.decode())
        assert server.requests == [b'{"n":0}', b'{"n":1}']
        assert client.opened == 1
        assert server.names == ["localhost"]  # one handshake, naming the host (SNI)
    await client.close()


@pytest.mark.parametrize(
    ("issued_for", "trusted", "refusal"),
    [
        pytest.param("localhost", False, "certificate verify failed", id="untrusted-authority"),
        pytest.param("api.telegram.invalid", True, "Hostname mismatch", id="another-name"),
    ],
)
async def test_a_server_whose_certificate_does_not_vouch_for_it_gets_no_request(
    ca: trustme.CA, issued_for: str, trusted: bool, refusal: str
) -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server.requests.append(await read_request(reader))
        writer.write(RESPONSE)
        await writer.drain()

    # untrusted: the context production uses (the system's authorities only)
    client = KeepAliveClient(ssl_context=trusting(ca) if trusted else None)
    async with tls_server(ca, serve, issued_for) as server:
        with pytest.raises(BotApiUnreachable, match=refusal):
            await client.post_json(server.url, b"{}", 5)
        assert server.requests == []
        assert client.opened == 0
    await client.close()


async def test_a_tls_connection_the_server_closed_while_idle_is_not_used_again(
    ca: trustme.CA,
) -> None:
    closed = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server.requests.append(await read_request(reader))
        writer.write(RESPONSE)  # keep-alive said, then closed anyway (close_notify, FIN)
        await writer.drain()
        writer.close()
        closed.set()
        await writer.wait_closed()

    client = KeepAliveClient(ssl_context=trusting(ca))
    async with tls_server(ca, serve) as server:
        await client.post_json(server.url, b"{}", 5)
        await closed.wait()
        for _ in range(200):  # the close reaches the client's idle connection
            if all(c.reader.at_eof() for idle in client._idle.values() for c in idle):
                break
            await asyncio.sleep(0)
        else:
            pytest.fail("the server's close never reached the idle connection")
        answer = await client.post_json(server.url, b"{}", 5)
        assert answer.status == 200
        assert client.opened == 2 and len(server.requests) == 2
    await client.close()
