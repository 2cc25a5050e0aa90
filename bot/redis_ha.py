"""Redis that survives losing a node: behind Sentinel, or as a Cluster.

Behind Sentinel the bot asks the sentinels where the master is before each new
connection (redis-py's :class:`~redis.asyncio.sentinel.SentinelConnectionPool`), so after a
failover it follows the promoted replica. A command that meets the failover half-way is
retried with backoff (:data:`RETRY_BUDGET_S` in all) on the master the sentinels name then:

- the old master, demoted, answers a write with ``READONLY``: redis-py's sentinel
  connection drops the connection and raises ``ConnectionError``, which the retry takes;
- the sentinels kill the clients of a master they demote: ``ConnectionError`` again;
- a master configured with ``min-replicas-to-write 1`` that has lost its replica (the
  replica was just promoted and left it) answers ``NOREPLICAS``: :class:`_MasterConnection`
  treats that like ``READONLY``. Without that setting the old master takes writes for the
  seconds until the sentinels demote it, and Redis drops them when it resyncs (Sentinel's
  documented split-brain window), hence the README asks operators for it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.client import Pipeline
from redis.asyncio.retry import Retry
from redis.asyncio.sentinel import (
    Sentinel,
    SentinelConnectionPool,
    SentinelManagedConnection,
)
from redis.backoff import EqualJitterBackoff, NoBackoff
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, ResponseError, TimeoutError

log = logging.getLogger(__name__)

#: Roughly how long (seconds) one command keeps retrying through a failover before its
#: error reaches the dialogue (which then apologises). With one replica and
#: ``min-replicas-to-write 1`` the promoted master takes writes only once the old one,
#: demoted by the sentinels 8 s after the switch (a fixed delay in Sentinel), replicates
#: from it: about ten seconds; a dead master adds the sentinels' down-after-milliseconds.
RETRY_BUDGET_S: Final = 20
_RETRIES: Final = 30
#: A sentinel or a node that does not answer within this is treated as down (seconds).
SENTINEL_TIMEOUT_S: Final = 1.0
CONNECT_TIMEOUT_S: Final = 2.0
#: No bot command blocks on the server, so a reply this late means a hung node (seconds).
COMMAND_TIMEOUT_S: Final = 10.0


def replicas_to_wait(target: SentinelTarget | None) -> int:
    """How many replicas must hold a write before the bot answers on it (a turn's state,
    an accepted webhook body): behind Sentinel 1, as a failover promotes a replica and
    drops what only the old master held; 0 otherwise (a standalone Redis has no failover,
    and a Cluster's writes are not waited for)."""
    return 0 if target is None else 1


#: How long a write waits for the replicas in all (seconds), as a dialogue save does
#: (bot.redis_store.dialogue.REPLICA_WAIT_S, and why).
REPLICA_WAIT_S: Final = 15.0
#: One WAIT's timeout (milliseconds); the write waits again until REPLICA_WAIT_S.
WAIT_MS: Final = 1000
#: Written by every try after the first of :func:`replicated`, so that its WAIT covers the
#: earlier tries' writes (WAIT counts the replicas holding this connection's last write, and
#: a write tried again that finds its work done moves nothing).
_NUDGE_KEY: Final = "tawasul:replicated"
_NUDGE_MS: Final = 60_000


async def replicated(
    redis: Redis,
    replicas: int,
    write: Callable[[Pipeline], object],
    *,
    what: str,
    again: bool = True,
    scripts: Sequence[AsyncScript] = (),
    wait_s: float = REPLICA_WAIT_S,
) -> list[Any]:
    """Runs the commands `write` queues on a pipeline (not a transaction: a script makes
    them one step where that matters), and returns their results once `replicas` replicas
    hold them: ``WAIT`` in the same round trip, on the same connection. With `replicas` 0
    (no Sentinel) it is the pipeline alone, nothing more.

    A WAIT short of `replicas` is tried again, each second, until `wait_s` has passed, then
    the write is taken as done with a warning naming `what` (it is on the master; a master
    without ``min-replicas-to-write`` would have the caller wait for ever). With `again`
    each try queues the writes anew (they must be idempotent: redis-py also runs the pipeline
    again after a dropped connection, as in a failover, where the new master may have lost the
    first try); without it (a write that must run once, such as taking over a lease) a try
    after the first only waits. `scripts`: those `write` calls with EVALSHA, loaded again
    when the master is a promoted replica that has not got them. Raises RedisError."""
    deadline = time.monotonic() + wait_s
    results: list[Any] = []
    first, loaded = True, False
    while True:
        async with redis.pipeline(transaction=False) as pipe:
            if first or again:
                write(pipe)
            if replicas and not first:
                pipe.set(_NUDGE_KEY, b"1", px=_NUDGE_MS)
            if replicas:
                pipe.execute_command("WAIT", replicas, WAIT_MS)
            try:
                out = list(await pipe.execute())
            except NoScriptError:
                # a restarted Redis, or a promoted replica, has not got the scripts
                if not scripts or (loaded and time.monotonic() > deadline):
                    raise
                for script in scripts:
                    await redis.script_load(script.script)
                loaded = True
                continue
        if not replicas:
            return out
        acked = int(out[-1])
        if first or again:
            results = out[: -1 if first else -2]
        first = False
        if acked >= replicas:
            return results
        if time.monotonic() > deadline:
            log.warning(
                "%s written on the master, acknowledged by %s of %s replicas within %.0f s",
                what,
                acked,
                replicas,
                wait_s,
            )
            return results


async def run_script(
    redis: Redis,
    replicas: int,
    script: AsyncScript,
    keys: Sequence[str],
    args: Sequence[str | bytes | int],
    *,
    what: str,
    again: bool = True,
    wait_s: float = REPLICA_WAIT_S,
) -> Any:
    """`script`'s result once `replicas` replicas hold what it wrote: :func:`replicated`
    with one EVALSHA (and its options). With `replicas` 0 the script alone, as redis-py
    runs it (on a Redis Cluster too, whose pipelines refuse EVALSHA)."""
    if not replicas:
        return await script(keys=list(keys), args=list(args), client=redis)
    (result,) = await replicated(
        redis,
        replicas,
        lambda pipe: pipe.evalsha(script.sha, len(keys), *keys, *args),
        what=what,
        again=again,
        scripts=[script],
        wait_s=wait_s,
    )
    return result


async def written_so_far(redis: Redis, replicas: int, *, what: str) -> None:
    """Returns once `replicas` replicas hold every write the master took before this call
    (one small write of its own, then WAIT: the replication stream is one, in order), for a
    write made by a command that is not worth waiting for every time it runs. Nothing with
    `replicas` 0. Raises RedisError."""
    if replicas:
        await replicated(
            redis, replicas, lambda pipe: pipe.set(_NUDGE_KEY, b"1", px=_NUDGE_MS), what=what
        )


def failover_retry() -> Retry:
    """The retry policy of every command on a Sentinel-managed master: ConnectionError and
    TimeoutError (what a failover looks like to a client) are retried, backing off from
    50 ms to 1 s (half of it random, so that many workers do not come back in step),
    :data:`_RETRIES` times (about :data:`RETRY_BUDGET_S`)."""
    return Retry(
        EqualJitterBackoff(cap=1.0, base=0.05),
        _RETRIES,
        supported_errors=(RedisConnectionError, TimeoutError),
    )


@dataclass(frozen=True)
class SentinelTarget:
    """Where the sentinels are and which master they watch for the bot.

    ``nodes``: (host, port) of each sentinel; ``service``: the master's name in their
    ``sentinel monitor NAME …``; ``password``: of the master and replicas (requirepass);
    ``sentinel_password``: of the sentinels themselves, when they have one."""

    nodes: tuple[tuple[str, int], ...]
    service: str
    password: str | None = None
    sentinel_password: str | None = None

    def __str__(self) -> str:
        return f"sentinel {self.service} at " + ",".join(f"{h}:{p}" for h, p in self.nodes)


def parse_sentinels(value: str) -> tuple[tuple[str, int], ...]:
    """``host:port,host:port`` (spaces allowed) as pairs; raises ValueError naming the part
    that is not ``host:port`` with a port in 1-65535. IPv6 hosts go in brackets."""
    nodes: list[tuple[str, int]] = []
    for part in value.replace(",", " ").split():
        host, sep, port = part.rpartition(":")
        host = host.removeprefix("[").removesuffix("]")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"{part!r} is not host:port")
        nodes.append((host, int(port)))
    return tuple(nodes)


class _MasterConnection(SentinelManagedConnection):
    """A connection to the master the sentinels name.

    Every time it opens its socket it asks the sentinels where the master is: redis-py
    8.1 does so only when the pool hands out a closed connection, while a command retried
    after a dropped connection reopens it on the address it had, the old master, for as
    long as the retries last (redis/redis-py#3874). And it gives up on a master refusing
    writes for want of replicas (``NOREPLICAS``): it is being failed away from, so the
    command is retried on a fresh connection, which asks the sentinels again."""

    async def _connect(self) -> None:
        if self.connection_pool.is_master:
            self.host, self.port = await self.connection_pool.get_master_address()
        await super()._connect()  # type: ignore[no-untyped-call]  # redis-py leaves it untyped

    async def read_response(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().read_response(*args, **kwargs)
        except ResponseError as exc:
            if self.connection_pool.is_master and str(exc).startswith("NOREPLICAS"):
                await self.disconnect()
                raise RedisConnectionError(f"the master refused a write: {exc}") from exc
            raise


class _BlockingSentinelPool(SentinelConnectionPool, BlockingConnectionPool):
    """redis-py's sentinel pool that, like the bot's standalone pool, makes a burst wait
    for a free connection instead of failing once all are in use."""


def sentinel_client(
    target: SentinelTarget, *, max_connections: int, timeout_s: float
) -> tuple[Redis, Sentinel]:
    """A client on the master ``target``'s sentinels name, following failovers, and the
    sentinels' own clients (both to be closed: ``aclose``)."""
    # redis-py before 8.2 leaves it untyped, 8.2 types it: either way mypy is satisfied
    sentinels = Sentinel(  # type: ignore[no-untyped-call, unused-ignore]
        list(target.nodes),
        sentinel_kwargs={
            "socket_timeout": SENTINEL_TIMEOUT_S,
            "socket_connect_timeout": SENTINEL_TIMEOUT_S,
            "password": target.sentinel_password,
            # one sentinel that does not answer is skipped for the next one at once; the
            # command's own retry asks them all again
            "retry": Retry(NoBackoff(), 0),
        },
    )
    client: Redis = sentinels.master_for(
        target.service,
        connection_pool_class=_BlockingSentinelPool,
        connection_class=_MasterConnection,
        max_connections=max_connections,
        timeout=timeout_s,
        password=target.password,
        socket_connect_timeout=CONNECT_TIMEOUT_S,
        socket_timeout=COMMAND_TIMEOUT_S,
        retry=failover_retry(),
    )
    return client, sentinels
