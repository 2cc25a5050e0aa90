"""HTTP/1.1 POSTs of JSON bodies to the Bot API over kept-alive connections: the transport
of the bot's ordinary calls (a reply, a tap's answer, getFile), without aiohttp's client.

Why: aiohttp's ``ClientSession.post`` costs ~330 µs of CPU a call on this machine (its
request and response objects, a task that writes the body, tracing, cookies, header
multidicts), against ~80 µs for the same exchange written here; a resident's update makes
1.8 such calls on average (bench/dialogue.py), so that was ~0.45 ms of an update's 5.6 ms
of CPU. Uploads (multipart) and downloads stay on aiohttp (bot.channels.telegram_session).

What it does, and no more: one request at a time per connection, connections kept for
reuse up to ``limit`` (aiogram's session's, 100 by default, which also bounds the calls in
flight), an idle connection closed after ``idle_s`` (aiohttp's keep-alive default, 15 s,
well under what Telegram's servers keep), one the server has closed (EOF seen) never
reused. Responses are read by Content-Length, chunked transfer or to the connection's end.
Anything that goes wrong on the wire (refused, reset, closed before a whole answer, a
malformed head, the timeout) raises :class:`BotApiUnreachable` and the connection is
dropped; the session turns it into aiogram's ``TelegramNetworkError``, as it did aiohttp's
``ClientError``. A call is never sent twice here: the caller's retry decides
(bot.channels.telegram_calls).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

import aiohappyeyeballs

#: Seconds an unused connection is kept (aiohttp's TCPConnector keepalive_timeout).
IDLE_S: Final = 15.0

#: Seconds before the next address is tried alongside one that has not answered (RFC 8305;
#: aiohttp's default): a host whose IPv6 route drops packets still reaches Telegram over IPv4
#: at once, as it did through aiohttp, instead of waiting out the call's whole timeout.
HAPPY_EYEBALLS_S: Final = 0.25

#: Longest response head read (status line and headers).
_HEAD_LIMIT: Final = 64 * 1024


class BotApiUnreachable(Exception):
    """The call got no whole HTTP answer (connection refused, reset, closed early, timed
    out, or an answer that is not HTTP). Its text names what happened."""


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: the status code and the body as text."""

    status: int
    text: str


@dataclass
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    idle_since: float = 0.0

    def usable(self, now: float, idle_s: float) -> bool:
        """Whether it can carry another request: not closed by either side, not idle long."""
        return (
            not self.reader.at_eof()
            and not self.writer.is_closing()
            and now - self.idle_since < idle_s
        )

    def close(self) -> None:
        self.writer.close()


@dataclass(frozen=True)
class _Target:
    host: str
    port: int
    tls: bool
    path: str
    host_header: str


def _target(url: str) -> _Target:
    parts = urlsplit(url)
    tls = parts.scheme == "https"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {parts.scheme}://{parts.hostname}")
    port = parts.port or (443 if tls else 80)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    default = (tls and port == 443) or (not tls and port == 80)
    host = parts.hostname
    shown = f"[{host}]" if ":" in host else host
    return _Target(host, port, tls, path, shown if default else f"{shown}:{port}")


class KeepAliveClient:
    """JSON POSTs to Bot API servers over kept-alive connections (see the module's text).

    `ssl_context` is used for https URLs; `limit` bounds the connections open and the calls
    in flight together; `clock` is for tests."""

    def __init__(
        self,
        *,
        ssl_context: ssl.SSLContext | None = None,
        limit: int = 100,
        idle_s: float = IDLE_S,
        user_agent: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ssl = ssl_context
        self._idle_s = idle_s
        self._clock = clock
        self._slots = asyncio.Semaphore(limit)
        self._idle: dict[tuple[str, int, bool], list[_Connection]] = {}
        self._agent = f"User-Agent: {user_agent}\r\n" if user_agent else ""
        self._targets: dict[str, _Target] = {}
        #: connections opened so far (for tests and the curious)
        self.opened = 0

    async def post_json(self, url: str, body: bytes, seconds: float) -> Answer:
        """POST `body` (JSON) to `url`, all within `seconds`; the answer whatever its status. Raises
        BotApiUnreachable (see the class), ValueError for a URL that is not http(s)."""
        target = self._targets.get(url)
        if target is None:
            target = self._targets[url] = _target(url)
        head = (
            f"POST {target.path} HTTP/1.1\r\nHost: {target.host_header}\r\n{self._agent}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode("ascii")
        try:
            async with self._slots, asyncio.timeout(seconds):
                connection = await self._connection(target)
                try:
                    connection.writer.write(head + body)
                    answer, reusable = await _read_answer(connection.reader)
                except BaseException:
                    connection.close()  # whatever was half-said on it, it is not reused
                    raise
                if reusable:
                    connection.idle_since = self._clock()
                    self._idle.setdefault((target.host, target.port, target.tls), []).append(
                        connection
                    )
                else:
                    connection.close()
                return answer
        except TimeoutError:
            raise BotApiUnreachable("Request timeout error") from None
        except (OSError, EOFError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
            raise BotApiUnreachable(f"{type(exc).__name__}: {exc}") from exc

    async def _connection(self, target: _Target) -> _Connection:
        idle = self._idle.get((target.host, target.port, target.tls))
        now = self._clock()
        while idle:
            connection = idle.pop()  # the most recently used: the likeliest to be alive
            if connection.usable(now, self._idle_s):
                return connection
            connection.close()
        loop = asyncio.get_running_loop()
        addresses = await loop.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
        # uvloop's create_connection has no happy_eyeballs_delay: the socket is made here,
        # as aiohttp does (its dependency aiohappyeyeballs)
        sock = await aiohappyeyeballs.start_connection(
            addresses, happy_eyeballs_delay=HAPPY_EYEBALLS_S, interleave=1
        )
        try:
            reader, writer = await asyncio.open_connection(
                sock=sock,
                ssl=(self._ssl or ssl.create_default_context()) if target.tls else None,
                server_hostname=target.host if target.tls else None,
                limit=_HEAD_LIMIT,
            )
        except BaseException:
            sock.close()
            raise
        self.opened += 1
        return _Connection(reader, writer)

    async def close(self) -> None:
        """Closes every idle connection (those in use close when their call ends)."""
        idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                connection.close()


async def _read_answer(reader: asyncio.StreamReader) -> tuple[Answer, bool]:
    """One response off `reader`: the answer and whether the connection can be reused."""
    while True:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        version, _, rest = lines[0].partition(" ")
        code = rest[:3]
        if not version.startswith("HTTP/1.") or not code.isdigit():
            raise BotApiUnreachable(f"not an HTTP answer: {lines[0][:80]!r}")
        status = int(code)
        if status >= 200 or status == 101:
            break  # 1xx interim answers (100 Continue) come before the real one
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    keep = version != "HTTP/1.0" and "close" not in headers.get("connection", "").lower()
    if status in (204, 304):
        body = b""
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        body = await _chunked(reader)
    elif "content-length" in headers:
        try:
            length = int(headers["content-length"])
        except ValueError:
            raise BotApiUnreachable("malformed Content-Length") from None
        body = await reader.readexactly(length)
    else:
        body, keep = await reader.read(), False  # to the connection's end
    charset = "utf-8"
    for param in headers.get("content-type", "").split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip('"')
    try:
        text = body.decode(charset, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    return Answer(status, text), keep


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size_line = await reader.readuntil(b"\r\n")
        try:
            size = int(size_line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise BotApiUnreachable("malformed chunk size") from None
        if size == 0:
            # trailers, then the blank line that ends the body
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        if await reader.readexactly(2) != b"\r\n":
            raise BotApiUnreachable("malformed chunk end")
