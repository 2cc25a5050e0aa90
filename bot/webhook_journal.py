"""The journal of accepted webhook bodies, in Redis, shared by every webhook we serve
(WhatsApp's, Telegram's).

A body is written here before the 200 and removed once everything in it is handled, so a
process that dies after answering leaves it behind. Each body carries a lease (a sorted set
of expiry times, Redis's own clock) that the process holding it renews every few seconds;
every live worker sweeps the journal and takes over the bodies whose lease ran out, so a
dead worker's bodies are replayed by another one without waiting for a restart. Taking
over is one Lua script that moves the lease, so each body is taken by one worker only.
A body with an id of its own (Telegram's ``update_id``) is journalled once: a redelivery
while it is still in hand anywhere, or after it was handled (a marker kept for a day), is
recognised and not queued again, across workers and restarts.

A body handled while Redis was away (its turn answered with an apology) cannot be closed
then; its holder keeps it, renewing its lease, and closes it as soon as Redis answers, so
that it is not replayed and answered a second time after the person was asked to send it
again.

Behind Sentinel (``replicas`` 1) a body is answered 200 only once the replica holds it
(``WAIT`` after the write, on the same connection, as the dialogue store does,
bot.redis_store.dialogue): Redis replicates asynchronously and a failover promotes the replica,
so a body only the old master held would be gone with it though the platform was told it
was received, and Telegram does not deliver an update it had a 200 for again. Each try of
the write carries a token of the call, so a try that finds the body journalled by itself
(its first try landed, only the answer or the replica's acknowledgement was missing) writes
it again for the next ``WAIT`` to cover, rather than taking it for a redelivery. What
follows is waited for in the same way (bot.redis_ha.replicated): a body's close (lost, the
promoted replica would still hold the body, and a worker would replay it and answer the
person a second time), the renewal and the take-over of leases (lost, a second worker would
take over a body already in hand), and the per-person lines (bot.webhook_turns).

Known window: a worker stalled longer than the lease (:data:`LEASE_S`) without dying has
its bodies taken over while it still handles them; the engine's claim on each event id
makes the second handling of a person's message a no-op.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import NoScriptError, RedisError

from bot.journal_scripts import CLOSE, KEEP, RENEW, TAKE_OVER
from bot.lease_hold import beat_keys, gap_ms
from bot.redis_ha import REPLICA_WAIT_S, WAIT_MS, run_script
from bot.webhook_turns import LINE_TTL_MS, SEP, Turns

log = logging.getLogger(__name__)

#: How long a handled id is remembered (Telegram gives up redelivering well before).
DONE_TTL_S: Final = 24 * 3600

#: How long a body's holder may go without renewing before another worker takes it over.
#: It is how long a dead worker's updates wait, and how long a person whose earlier update
#: it held waits (bot.webhook_turns); renewed every sixth of it, so a live worker loses
#: it only when its event loop stalls that long (the known window above).
LEASE_S: Final = 10.0

#: How often closing a handled body is tried again while Redis is away.
CLOSE_RETRY_S: Final = 0.2

T = TypeVar("T")


@dataclass
class Journal:
    """Accepted bodies not yet handled whole, in the Redis hash `key` (id -> raw body).

    `pending` counts, for the bodies this process holds, the items still to handle (a
    WhatsApp body can carry several messages and statuses)."""

    redis: Redis
    key: str
    pending: dict[str, int] = field(default_factory=dict)
    lease_s: float = LEASE_S
    #: the bodies this process took over from a stopped holder and has not finished: their
    #: handling is a replay (conversations.replays)
    replayed: set[str] = field(default_factory=set)
    #: bodies handled whose closing Redis refused (it was away), id -> remember: still held
    #: and renewed, so that no worker replays what was answered (with an apology, as a rule:
    #: the turn met Redis away too), and closed by :func:`tend` once Redis answers
    closing: dict[str, bool] = field(default_factory=dict)
    #: behind Sentinel 1: a body is kept only once that many replicas hold it (the
    #: module's text)
    replicas: int = 0
    replica_wait_s: float = REPLICA_WAIT_S

    def __post_init__(self) -> None:
        self._keep = self.redis.register_script(KEEP)
        self._renew = self.redis.register_script(RENEW)
        self._take_over = self.redis.register_script(TAKE_OVER)
        self._close_script = self.redis.register_script(CLOSE)
        #: the per-person lines of this journal's bodies (bot.webhook_turns)
        self.turns = Turns(self.redis, self.key, lease_s=self.lease_s, replicas=self.replicas)

    def _keeper_key(self, entry_id: str) -> str:
        return f"{self.key}:keeper:{entry_id}"

    def _done_key(self, entry_id: str) -> str:
        # in the journal's Redis Cluster slot when its key has a hash tag (the script and
        # the transaction below touch both)
        return f"{self.key}:done:{entry_id}"

    @property
    def _leases(self) -> str:
        return f"{self.key}:lease"

    @property
    def _lease_ms(self) -> int:
        return max(1, round(self.lease_s * 1000))

    @property
    def _gap_ms(self) -> int:
        return gap_ms(self.lease_s, self.replicas)

    async def _run(
        self,
        script: AsyncScript,
        keys: list[str],
        args: Sequence[str | bytes | int],
        *,
        what: str,
        again: bool = True,
    ) -> Any:
        """`script` run, then waited for behind Sentinel (bot.redis_ha.run_script)."""
        return await run_script(
            self.redis,
            self.replicas,
            script,
            keys,
            args,
            what=what,
            again=again,
            wait_s=self.replica_wait_s,
        )

    async def keep(
        self,
        body: bytes,
        items: int,
        entry_id: str | None = None,
        *,
        lines: Sequence[tuple[str, str]] = (),
    ) -> str | None:
        """Journal `body` (of `items` things to handle) and return its id. With `entry_id`
        (the platform's own id of the body) it is journalled once: None when that id is
        journalled already or was handled in the last day. `lines`, (person, item) pairs,
        are the places the body's items take in their persons' lines (bot.webhook_turns),
        each after everyone in that line, as members "id#item", in the same step as the
        body is journalled. With :attr:`replicas`, returns once that many replicas hold
        the body (past :attr:`replica_wait_s` with a warning: it is on the master). Raises
        RedisError."""
        once = entry_id is not None
        entry_id = entry_id or uuid.uuid4().hex
        keys = [self.key, self._leases, self._done_key(entry_id), self._keeper_key(entry_id)]
        keys += [self.turns.line_key(person) for person, _ in lines]
        args: list[str | bytes | int] = [entry_id, body, self._lease_ms, "1" if once else "0"]
        places: list[str | bytes | int] = []
        if lines:
            places = [LINE_TTL_MS, *(f"{entry_id}{SEP}{item}" for _, item in lines)]
        if self.replicas:
            fresh = await self._keep_on_replicas(keys, args, places)
        else:
            fresh = await self._keep(keys=keys, args=[*args, "", 0, *places])
        if not fresh:
            return None
        self.pending[entry_id] = items
        return entry_id

    async def _keep_on_replicas(
        self,
        keys: list[str],
        args: list[str | bytes | int],
        places: list[str | bytes | int],
    ) -> bool:
        """The keep script, then WAIT in the same pipeline (WAIT counts the replicas that
        hold what this connection wrote), tried again until the replicas hold it or
        :attr:`replica_wait_s` has passed. Every try carries this call's token (the
        module's text), so a try after one that landed writes the body again for its WAIT,
        and redis-py's own retry of the pair after a dropped connection (a failover) finds
        either its body or none, and writes it on the new master."""
        token = uuid.uuid4().hex
        # the keeper's mark outlives every try of this keep, and no more
        mark_ms = round((self.replica_wait_s + 60) * 1000)
        deadline = time.monotonic() + self.replica_wait_s
        while True:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.evalsha(self._keep.sha, len(keys), *keys, *args, token, mark_ms, *places)
                pipe.execute_command("WAIT", self.replicas, WAIT_MS)
                try:
                    fresh, acked = await pipe.execute()
                except NoScriptError:
                    # a promoted replica has not got the script: load it, then again
                    await self.redis.script_load(KEEP)
                    if time.monotonic() > deadline:
                        raise
                    continue
            if not fresh:
                return False
            if int(acked) >= self.replicas:
                return True
            if time.monotonic() > deadline:
                log.warning(
                    "webhook body journalled on the master, acknowledged by %s of %s "
                    "replicas within %.0f s",
                    acked,
                    self.replicas,
                    self.replica_wait_s,
                )
                return True

    async def done(self, entry_id: str, *, remember: bool = False) -> None:
        """One item of the body handled; the body leaves the journal with its last one
        (and with `remember`, its id is kept as handled for a day). Raises RedisError, and
        then keeps the body held until :meth:`close_left` closes it."""
        if not entry_id:  # not journalled (Redis was away when it came)
            return
        left = self.pending.get(entry_id, 1) - 1
        if left > 0:
            self.pending[entry_id] = left
            return
        self.pending[entry_id] = 0  # held (and renewed) until the close lands
        try:
            await self._close(entry_id, remember)
        except RedisError:
            self.closing[entry_id] = remember
            raise

    async def _close(self, entry_id: str, remember: bool) -> None:
        keys = [self.key, self._leases, self._done_key(entry_id), self._keeper_key(entry_id)]
        args = [entry_id, "1" if remember else "0", DONE_TTL_S]
        # behind Sentinel the close is waited for like the keep: a close only the old master
        # held would leave the body to be replayed, and the person answered again
        await self._run(self._close_script, keys, args, what="a webhook body's close")
        self.pending.pop(entry_id, None)
        self.replayed.discard(entry_id)
        self.closing.pop(entry_id, None)

    async def close_left(self) -> int:
        """Closes the bodies whose closing failed while Redis was away; how many. Raises
        RedisError (those not closed yet stay held)."""
        left = list(self.closing.items())
        for entry_id, remember in left:
            await self._close(entry_id, remember)
        return len(left)

    async def handled(self, entry_id: str) -> bool:
        """Whether the body `entry_id` was handled already (by any process)."""
        return bool(await self.redis.exists(self._done_key(entry_id)))

    async def renew(self) -> None:
        """Extends the lease of every body this process holds. Raises RedisError."""
        if not self.pending:
            return
        keys = [self._leases, *beat_keys(self.key)]
        args: list[str | int] = [self._lease_ms, self._gap_ms, *self.pending]
        # waited for behind Sentinel: a renewal lost in a failover lets another worker take
        # over a body still in hand here, and handle it again
        await self._run(self._renew, keys, args, what="the journal's leases")

    async def release(self) -> None:
        """Gives up the leases of the bodies this process still holds (it is stopping): any
        worker, or the next to start, takes them over at once. Raises RedisError."""
        with contextlib.suppress(RedisError):  # handled ones are closed, not given up
            await self.close_left()
        held, self.pending = list(self.pending), {}
        self.replayed.clear()
        self.closing.clear()
        if held:
            await self.redis.zadd(self._leases, dict.fromkeys(held, 0), xx=True)

    async def take_over(self, limit: int = 100) -> dict[str, bytes]:
        """At most `limit` bodies whose holder stopped renewing (a dead or stopped
        process's), now leased to this one, which is to replay them; each is given to one
        caller only, whichever worker asks. Raises RedisError."""
        keys = [self.key, self._leases, *beat_keys(self.key)]
        args = [self._lease_ms, limit, self._gap_ms]
        # run once (a second run would find the bodies leased to this process, and return
        # none), then waited for behind Sentinel: a lease lost in a failover would let
        # another worker take the same bodies and handle them again
        raw: list[bytes | str] = await self._run(
            self._take_over, keys, args, what="bodies taken over", again=False
        )
        out: dict[str, bytes] = {}
        for raw_id, body in zip(raw[::2], raw[1::2], strict=True):
            entry_id = raw_id.decode() if isinstance(raw_id, bytes) else raw_id
            out[entry_id] = body if isinstance(body, bytes) else body.encode()
        self.replayed.update(out)
        return out

    def rescued(self, entry_id: str, items: int = 1) -> None:
        """`entry_id` was taken over by bot.webhook_turns for this process to handle now
        (its holder stopped renewing): held and renewed here, and a replay."""
        self.pending[entry_id] = items
        self.replayed.add(entry_id)

    async def forget(self, entry_id: str) -> None:
        """Drop a body that cannot be read (it would fail again on every replay)."""
        self.pending.pop(entry_id, None)
        self.replayed.discard(entry_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hdel(self.key, entry_id)
            pipe.zrem(self._leases, entry_id)
            await pipe.execute()


#: Replays bodies taken over from the journal (queues their items again).
Replay = Callable[[dict[str, bytes]], Awaitable[None]]


async def sweep(journal: Journal, replay: Replay, room: Callable[[], int], name: str) -> None:
    """Takes over the bodies whose lease ran out (at most `room()`, the free places of the
    queue) and hands them to `replay`. Raises RedisError."""
    free = room()
    taken = await journal.take_over(free) if free > 0 else {}
    if taken:
        log.info("%s: %d accepted bodies of a stopped worker replayed", name, len(taken))
        await replay(taken)


async def tend(journal: Journal, replay: Replay, room: Callable[[], int], name: str) -> None:
    """For as long as the process serves: renews this process's leases and, every few
    seconds, :func:`sweep`s. Redis being away only skips a round. `name` is the
    webhook's, for the log."""
    every = min(max(journal.lease_s / 6, 0.05), 5.0)
    stopping = asyncio.Event()

    # apart, so that a replay waiting for room in the queue never delays the renewals
    async def renewing() -> None:
        while not stopping.is_set():
            try:
                closed = await journal.close_left() if journal.closing else 0
                if closed:
                    log.info("%s: %d handled bodies closed, Redis is back", name, closed)
                await journal.renew()
            except RedisError:
                log.warning("%s: leases not renewed, Redis unreachable", name)
            # bodies to close: soon after Redis is back, before their lease can run out
            await asyncio.sleep(min(every, CLOSE_RETRY_S) if journal.closing else every)

    async def sweeping() -> None:
        while not stopping.is_set():
            await asyncio.sleep(every)
            try:
                await sweep(journal, replay, room, name)
            except RedisError:
                log.warning("%s: journal not swept, Redis unreachable", name)

    loops = [asyncio.create_task(renewing()), asyncio.create_task(sweeping())]
    try:
        await asyncio.wait(loops)
    finally:
        # the flag as well as the cancel: a cancel that lands inside a Redis call can be
        # swallowed by the client, and the loop must end all the same
        stopping.set()
        for loop in loops:
            loop.cancel()
        await asyncio.wait(loops, timeout=2 * every + 1)


def room_for(queue: asyncio.Queue[T], items: int) -> bool:
    """Whether `items` more fit in the bounded `queue` (else the webhook answers 503 and
    the platform delivers again later)."""
    return not queue.maxsize or queue.maxsize - queue.qsize() >= items


async def drain(queue: asyncio.Queue[T], tasks: list[asyncio.Task[None]], timeout_s: float) -> None:
    """Wait (at most `timeout_s`) for what is queued to be handled, then stop `tasks`.
    What is left stays in the journal for the next process."""
    if tasks:  # without workers nothing would empty the queue
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(queue.join(), timeout_s)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
