"""The Redis the dialogues live in: the configured server, or the embedded one.

With no ``TAWASUL_REDIS_URL`` the bot uses the embedded server (see
:mod:`bot.embedded_redis`) on a unix socket under the data directory; with
``TAWASUL_REDIS_SENTINELS`` the master the sentinels name (see :mod:`bot.redis_ha`). Either
way the server's version is checked first: the bot needs Redis 7.0 or later (``EXPIRE … NX``,
``GETDEL``) or any Valkey; an older server stops start-up with one line saying so.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from redis.asyncio import BlockingConnectionPool, Redis, RedisCluster, UnixDomainSocketConnection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.embedded_redis import EmbeddedRedis, EmbeddedRedisError
from bot.redis_ha import SentinelTarget, sentinel_client

log = logging.getLogger(__name__)

MAX_CONNECTIONS = 64
MIN_VERSION = (7, 0)


class RedisUnsuitable(SystemExit):
    """Raised with the one line to print when the server cannot serve the bot."""


def server_version(info: Mapping[str, Any]) -> tuple[int, ...]:
    """The Redis version a server speaks, from ``INFO server`` (Valkey reports the Redis
    version it is compatible with as ``redis_version``)."""
    raw = str(info.get("redis_version", "0"))
    return tuple(int(part) for part in re.findall(r"\d+", raw)[:3]) or (0,)


def check_server(info: Mapping[str, Any], where: str) -> None:
    """Raises :class:`RedisUnsuitable` when the server at ``where`` is older than
    :data:`MIN_VERSION`."""
    version = server_version(info)
    if version < MIN_VERSION:
        need = ".".join(map(str, MIN_VERSION))
        raise RedisUnsuitable(
            f"tawasul: the Redis server at {where} is version {info.get('redis_version')}; "
            f"the bot needs Redis {need} or later (or Valkey): upgrade it, or unset "
            "TAWASUL_REDIS_URL to use the embedded server"
        )


def address(url: str) -> str:
    """Where a ``redis://``/``rediss://`` URL points, as ``host:port`` (6379 when it names
    none), or a ``unix://`` URL's socket path; never its user or password."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return parts.path
    host = parts.hostname or "localhost"
    try:
        port = str(parts.port or 6379)
    except ValueError:  # settings_checks refuses such a URL first
        port = "?"
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def unreachable(where: str, exc: BaseException) -> RedisUnsuitable:
    """The one line for a Redis that does not answer at start-up (a traceback ended
    `tawasul run` before, issue 11): where it was looked for and the error's type (its
    text can hold the URL)."""
    return RedisUnsuitable(
        f"tawasul: Redis at {where} cannot be reached ({type(exc).__name__}): is the server "
        "up, and TAWASUL_REDIS_URL (or TAWASUL_REDIS_SENTINELS) right?"
    )


async def _server_info(client: Redis, where: str) -> Mapping[str, Any]:
    """``INFO server``; raises :class:`RedisUnsuitable` (one line) when the server cannot be
    reached, or refuses the connection (a wrong password is a ConnectionError too)."""
    try:
        info: Mapping[str, Any] = await client.info("server")
    except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
        raise unreachable(where, exc) from None
    return info


@asynccontextmanager
async def _open_cluster(url: str) -> AsyncIterator[Redis]:
    nodes = RedisCluster.from_url(
        url,
        # per node; redis-py's cluster client has no blocking pool, so room for a burst
        max_connections=4 * MAX_CONNECTIONS,
        socket_connect_timeout=2,
    )
    try:
        try:
            await nodes.initialize()
            info = await nodes.info("server", target_nodes=RedisCluster.RANDOM)
        except (RedisError, OSError) as exc:  # the cluster client's own error included
            raise unreachable(address(url), exc) from None
        check_server(info, _where(url))
        # The bot's code is written against the commands both clients share (single-key
        # commands, scripts and transactions within one slot, pipelines, SCAN); the cluster
        # client is not a subclass of Redis, so the type is asserted here once.
        yield cast(Redis, nodes)
    finally:
        await nodes.aclose()


def _where(url: str) -> str:
    # the password of a URL never goes on the screen
    return re.sub(r"//[^@/]*@", "//", url)


@asynccontextmanager
async def open_redis(
    url: str | None,
    data_dir: Path,
    *,
    sentinels: SentinelTarget | None = None,
    cluster: bool = False,
) -> AsyncIterator[Redis]:
    """A client on the master ``sentinels`` name, else on the Redis Cluster ``url`` is a
    node of (``cluster``), else on ``url``, else on the embedded server under ``data_dir``;
    raises :class:`RedisUnsuitable` (a SystemExit) for a server too old or an embedded one
    that cannot start."""
    embedded: EmbeddedRedis | None = None
    if cluster and url:
        async with _open_cluster(url) as client:
            yield client
        return
    if sentinels is not None:
        client, sentinel = sentinel_client(sentinels, max_connections=MAX_CONNECTIONS, timeout_s=20)
        try:
            check_server(await _server_info(client, str(sentinels)), str(sentinels))
            yield client
        finally:
            try:
                await client.aclose()
            finally:
                await sentinel.aclose()
        return
    # a burst waits for a free connection rather than failing (redis-py's default pool
    # raises once it is exhausted)
    if url:
        pool = BlockingConnectionPool.from_url(url, max_connections=MAX_CONNECTIONS, timeout=20)
        where, reach = _where(url), address(url)
    else:
        embedded = EmbeddedRedis(data_dir)
        try:
            started = await asyncio.to_thread(embedded.start_or_join)
        except EmbeddedRedisError as exc:
            raise RedisUnsuitable(f"tawasul: {exc}") from None
        log.info(
            "embedded Redis %s under %s", "started" if started else "joined", embedded.directory
        )
        pool = BlockingConnectionPool(
            connection_class=UnixDomainSocketConnection,
            path=str(embedded.socket_path),
            client_name=embedded.client_name,
            max_connections=MAX_CONNECTIONS,
            timeout=20,
        )
        where = reach = str(embedded.socket_path)
    client = Redis(connection_pool=pool)
    tending: asyncio.Task[None] | None = None
    try:
        check_server(await _server_info(client, reach), where)
        if embedded is not None:
            # killed while the bot runs, the embedded server is started again (the bot's
            # own child, and nothing else would); a configured server is its operator's
            tending = asyncio.create_task(embedded.tend(client), name="embedded-redis")
        yield client
    finally:
        try:
            if tending is not None:
                # before leave: leave may stop the server on purpose
                tending.cancel()
                await asyncio.gather(tending, return_exceptions=True)
            if embedded is not None:
                await embedded.leave(client)
        finally:
            await client.aclose()
