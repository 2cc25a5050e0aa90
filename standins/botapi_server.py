"""The Bot API stand-in as a process of its own, for benchmarks and demos.

    python -m standins.telegram_botapi --port 8081 [--host 127.0.0.1] [--token T]

prints one JSON line, ``{"url": "http://127.0.0.1:8081", "token": "..."}``, once it
listens, and serves until SIGINT or SIGTERM. A benchmark run against it measures the bot's
own work: the stand-in's HTTP serving, JSON and bookkeeping run in another process.

Besides the Bot API it answers a few control routes (there is no in-process object to call
from outside), all under ``/_standin/``:

- ``POST /_standin/files?count=N`` with a file's bytes as the body: makes them downloadable
  (getFile, then ``/file/...``) under N fresh photo file ids; answers ``{"file_ids": [...]}``.
- ``GET /_standin/chats/{chat_id}``: ``{"keyboard": ..., "message": ..., "texts": [...]}``,
  the last keyboard the bot sent there, its last message and the texts it sent.
- ``GET /_standin/stats``: ``{"calls": N, "methods": {"sendMessage": n, ...}}``.

Loopback by default: it checks nothing but the token and must not face a network.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import signal
from dataclasses import dataclass

from aiohttp import web

from standins.telegram_botapi import DEFAULT_TOKEN, TelegramBotAPIStandin, fake_file_id

#: At most this many file ids from one POST /_standin/files.
MAX_FILES_PER_CALL = 10_000


@dataclass
class StandaloneStandin(TelegramBotAPIStandin):
    """The stand-in with its control routes."""

    def _add_routes(self, app: web.Application) -> None:
        super()._add_routes(app)
        app.router.add_post("/_standin/files", self._on_add_files)
        app.router.add_get("/_standin/chats/{chat_id}", self._on_chat)
        app.router.add_get("/_standin/stats", self._on_stats)

    async def _on_add_files(self, request: web.Request) -> web.Response:
        try:
            count = int(request.query.get("count", "1"))
        except ValueError:
            count = 0
        if not 1 <= count <= MAX_FILES_PER_CALL:
            raise web.HTTPBadRequest(text=f"count must be 1..{MAX_FILES_PER_CALL}")
        data = await request.read()
        file_ids = [fake_file_id("photo") for _ in range(count)]
        for file_id in file_ids:
            self.add_file(file_id, data)
        return web.json_response({"file_ids": file_ids})

    async def _on_chat(self, request: web.Request) -> web.Response:
        try:
            chat_id = int(request.match_info["chat_id"])
        except ValueError:
            raise web.HTTPBadRequest(text="chat_id must be an integer") from None
        body = {
            "keyboard": self.last_keyboard(chat_id),
            "message": self.last_message(chat_id),
            "texts": self.texts(chat_id),
        }
        return web.json_response(body, dumps=lambda v: json.dumps(v, ensure_ascii=False))

    async def _on_stats(self, request: web.Request) -> web.Response:
        methods = collections.Counter(call.method for call in self.calls)
        return web.json_response({"calls": len(self.calls), "methods": dict(methods)})


async def serve(host: str, port: int, token: str) -> None:
    """Serve until SIGINT or SIGTERM; prints the URL line once listening."""
    api = StandaloneStandin(token=token, host=host, port=port)
    await api.start()
    print(json.dumps({"url": api.url, "token": api.token}), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await api.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A local Telegram Bot API stand-in.")
    parser.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="the bot token it accepts")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.host, args.port, args.token))
