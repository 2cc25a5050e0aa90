"""Delivering the outbox: claim due rows, hand each to its channel's handler, record the
outcome.

**Claiming** due rows, oldest first and one per queue, is :mod:`bot.outbox.claims`; what
each outcome writes on its row is :mod:`bot.outbox.outcomes`.

**Outcomes** are written one row at a time, right after each delivery, and only while this
worker still holds the claim (the claim's expiry time is the token: a row re-claimed by
another worker after our lease ran out is not touched). A row once attempted is never
released for another try in the same claim: an outcome the database refuses for a moment
is written again until it is recorded or the lease runs out.

**What a crash can and cannot do.** Rows are written in the same transaction as the change
they report, so a crash before the send loses nothing: the row is found after a restart
(or by another worker when the lease expires) and sent once. The remaining window is
between the platform accepting a message and our UPDATE marking the row sent: a process
killed exactly there sends that one row again after the lease. Neither Telegram nor the
WhatsApp Cloud API lets a sender attach an idempotency key to a message, so that single
duplicate cannot be ruled out, only made narrow (the row is marked right after its own
send, not at the end of a batch).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Final

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import OutboxMessage, utcnow
from bot.outbox import claims
from bot.outbox.handlers import (
    BatchDeliveryHandler,
    DeliveryError,
    DeliveryHandler,
    OutboxRow,
    Outcome,
    TemporaryFailure,
)
from bot.outbox.outage import RoundLog, unreachable
from bot.outbox.outcomes import outcome_write

log = logging.getLogger(__name__)

#: Pauses between tries of recording an outcome the database refused (doubling, capped).
RECORD_RETRY_FIRST_S: Final = 0.1
RECORD_RETRY_MAX_S: Final = 2.0


class OutboxDispatcher:
    """Delivers due outbox rows through `handlers` (outbox channel → handler).

    `handlers` is kept as a mutable dict so that other channels can be registered after
    construction (``dispatcher.handlers["whatsapp"] = ...``); rows of a channel without a
    handler in this process are left for a process that has one. With ``target`` only
    that person's rows are claimed (a terminal chat delivers its own person's only).
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        handlers: Mapping[str, DeliveryHandler],
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        lease_s: float = 60.0,
        batch: int = 50,
        max_attempts: int = 8,
        concurrency: int = 8,
        backoff_base_s: float = 5.0,
        backoff_max_s: float = 3600.0,
        rng: random.Random | None = None,
        target: str | None = None,
    ) -> None:
        if lease_s <= 0 or batch < 1 or max_attempts < 1 or concurrency < 1:
            raise ValueError("lease_s, batch, max_attempts and concurrency must be positive")
        self._sessions = sessions
        self.handlers: dict[str, DeliveryHandler] = dict(handlers)
        self._clock = clock
        self._lease = dt.timedelta(seconds=lease_s)
        self._batch = batch
        self._max_attempts = max_attempts
        self._concurrency = concurrency
        self._backoff_base_s = backoff_base_s
        self._backoff_max_s = backoff_max_s
        self._rng = rng or random.Random()
        self._target = target
        self._wake = asyncio.Event()
        # the earliest retry this worker scheduled, so run_forever does not oversleep it
        self._next_due: dt.datetime | None = None
        self._sent_last_run = 0
        self._rounds = RoundLog(log)

    # ------------------------------------------------------------------ running

    def kick(self) -> None:
        """Deliver now rather than at the next poll (an officer's button press should
        change the card at once). Safe to call from any task of this event loop."""
        self._wake.set()

    async def run_forever(self, stop: asyncio.Event, poll_s: float = 1.0) -> None:
        """Deliver until `stop` is set. A round in progress is finished, not cut short:
        cutting a send in half is what could make it go out twice."""
        while not stop.is_set():
            self._wake.clear()
            try:
                await self.run_once()
                self._rounds.succeeded()
            except Exception as exc:
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    # a driver turned our cancellation into its own error: retrying would
                    # keep a stopping worker (or a closing event loop) waiting for ever
                    raise asyncio.CancelledError from None
                # the database or Redis away for a moment is one warning (bot.outbox.outage)
                self._rounds.failed(exc, poll_s)
                self._sent_last_run = 0
                self._next_due = None  # a full pause: a failing round must not spin
            if self._sent_last_run:
                continue  # the next rows of the same queues may be due now
            await self._sleep(stop, self._pause(poll_s))

    def _pause(self, poll_s: float) -> float:
        if self._next_due is None:
            return poll_s
        soon = (self._next_due - self._clock()).total_seconds()
        return max(0.0, min(poll_s, soon))

    async def _sleep(self, stop: asyncio.Event, seconds: float) -> None:
        waiters = {
            asyncio.ensure_future(self._wake.wait()),
            asyncio.ensure_future(stop.wait()),
        }
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
            await asyncio.gather(*waiters, return_exceptions=True)

    async def run_once(self) -> int:
        """One round: claim due rows, deliver them, record each outcome. Returns the
        number of rows claimed."""
        self._sent_last_run = 0
        now = self._clock()
        if self._next_due is not None and self._next_due <= now:
            self._next_due = None  # kept until then: a busy round must not forget it
        until = now + self._lease
        rows = await self._claim(now, until)
        if not rows:
            return 0
        by_channel: dict[str, list[OutboxRow]] = defaultdict(list)
        for row in rows:
            by_channel[row.channel].append(row)
        finished: set[int] = set()
        try:
            # a TaskGroup, not gather: if one channel fails, the others are stopped before
            # the leftover rows are released (never released while still being sent)
            async with asyncio.TaskGroup() as group:
                for channel, channel_rows in by_channel.items():
                    group.create_task(
                        self._deliver_channel(self.handlers[channel], channel_rows, until, finished)
                    )
        finally:
            # rows a handler did not get to (lease nearly over, a batch cut short) go back
            # to the queue now rather than after the lease
            leftover = [row.id for row in rows if row.id not in finished]
            if leftover:
                await asyncio.shield(self._release(leftover, until))
        return len(rows)

    # ------------------------------------------------------------------ claiming

    async def _claim(self, now: dt.datetime, until: dt.datetime) -> list[OutboxRow]:
        channels = sorted(self.handlers)
        if not channels:
            return []
        due = claims.due_rows(channels, now, batch=self._batch, target=self._target)
        async with self._transaction() as session:
            return await claims.claim(session, due, until)

    # ------------------------------------------------------------------ delivering

    def _lease_left(self, until: dt.datetime) -> float:
        return (until - self._clock()).total_seconds()

    def _worth_starting(self, until: dt.datetime) -> bool:
        # keep a quarter of the lease for the send itself and for recording it
        return self._lease_left(until) > self._lease.total_seconds() / 4

    async def _deliver_channel(
        self,
        handler: DeliveryHandler,
        rows: Sequence[OutboxRow],
        until: dt.datetime,
        finished: set[int],
    ) -> None:
        if isinstance(handler, BatchDeliveryHandler):
            await self._deliver_batch(handler, rows, until, finished)
            return
        slots = asyncio.Semaphore(self._concurrency)

        async def one(row: OutboxRow) -> None:
            async with slots:
                if not self._worth_starting(until):
                    return
                outcome = await self._attempt(handler, row, until)
                # attempted: never released for another try now, whatever the recording
                finished.add(row.id)
                await self._record(row, outcome, until)

        async with asyncio.TaskGroup() as group:
            for row in rows:
                group.create_task(one(row))

    async def _deliver_batch(
        self,
        handler: BatchDeliveryHandler,
        rows: Sequence[OutboxRow],
        until: dt.datetime,
        finished: set[int],
    ) -> None:
        by_id = {row.id: row for row in rows}
        results = handler.deliver_batch(rows)
        try:
            async with asyncio.timeout(max(0.1, self._lease_left(until) * 3 / 4)):
                async for row_id, outcome in results:
                    row = by_id.get(row_id)
                    if row is None or row_id in finished:
                        continue
                    finished.add(row_id)
                    await self._record(row, outcome, until)
                    if not self._worth_starting(until):
                        break
        except TimeoutError:
            log.warning("outbox: %s batch ran out of lease; the rest is released", rows[0].channel)
        except Exception as exc:
            # a bug or an outage in the middle of a batch: what was recorded stays recorded,
            # the rest backs off like any failed delivery. An outage (Redis failing over, a
            # connection lost) is a warning without a traceback: the load test's Sentinel
            # failover logged this as an ERROR with one (issue 11), which reads as a bug
            if unreachable(exc):
                log.warning(
                    "outbox: %s batch interrupted: database or Redis unreachable (%s); the rest "
                    "is tried again",
                    rows[0].channel,
                    type(exc).__name__,
                )
            else:
                log.exception("outbox: %s batch failed", rows[0].channel)
            for row in rows:
                if row.id not in finished:
                    await self._finish(row, TemporaryFailure(type(exc).__name__), until)
                    finished.add(row.id)
        finally:
            # stops the handler at its current yield, i.e. between two sends
            aclose = getattr(results, "aclose", None)
            if aclose is not None:
                with contextlib.suppress(Exception):
                    await aclose()

    async def _attempt(
        self, handler: DeliveryHandler, row: OutboxRow, until: dt.datetime
    ) -> Outcome:
        try:
            async with asyncio.timeout(max(0.1, self._lease_left(until) * 3 / 4)):
                return await handler.deliver(row)
        except DeliveryError as error:
            return error
        except TimeoutError:
            return TemporaryFailure("timed out")
        except Exception as exc:
            log.warning(
                "outbox row %s (%s): unexpected %s", row.id, row.kind, type(exc).__name__,
                exc_info=True,
            )  # fmt: skip
            return TemporaryFailure(type(exc).__name__)

    # ------------------------------------------------------------------ recording

    def _backoff(self, attempts: int) -> float:
        """Exponential, with "equal jitter": between half and all of base * 2^(n-1), so
        rows that failed together (an outage) do not all come back at the same instant."""
        ceiling = min(self._backoff_max_s, self._backoff_base_s * 2.0 ** max(0, attempts - 1))
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def _schedule(self, at: dt.datetime) -> None:
        if self._next_due is None or at < self._next_due:
            self._next_due = at

    async def _record(self, row: OutboxRow, outcome: Outcome, until: dt.datetime) -> None:
        """Writes `outcome` (:meth:`_finish`), trying again while the claim lasts when the
        database refuses for a moment (SQLite busy past its timeout, a connection lost).
        Never raises for that: the row was attempted, and a row released or left to a
        sibling's failure would be claimed and sent again (a person got a receipt card
        twice in a bench run this way). If the claim runs out first, the row comes back
        after its lease, the window a crash there leaves too (see the module's text)."""
        pause = RECORD_RETRY_FIRST_S
        while True:
            try:
                await self._finish(row, outcome, until)
                return
            except Exception as exc:
                if self._lease_left(until) <= pause:
                    log.error(
                        "outbox row %s (%s): outcome not recorded before the claim ran out"
                        " (%s); it comes back after the lease", row.id, row.kind,
                        type(exc).__name__,
                    )  # fmt: skip
                    return
                log.warning(
                    "outbox row %s (%s): outcome not recorded (%s); trying again",
                    row.id, row.kind, type(exc).__name__,
                )  # fmt: skip
            await asyncio.sleep(pause)
            pause = min(pause * 2, RECORD_RETRY_MAX_S)

    async def _finish(self, row: OutboxRow, outcome: Outcome, until: dt.datetime) -> None:
        write = outcome_write(
            row, outcome, self._clock(), max_attempts=self._max_attempts, backoff=self._backoff
        )
        if write.delivered:
            self._sent_last_run += 1
        if write.retry_at is not None:
            self._schedule(write.retry_at)
        async with self._transaction() as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id, OutboxMessage.claimed_until == until)
                .values(**write.values)
                .execution_options(synchronize_session=False)
            )
        if getattr(result, "rowcount", 1) == 0:
            # our lease ran out and another worker took the row over: its outcome wins
            log.warning("outbox row %s: claim lost before its outcome was recorded", row.id)

    async def _release(self, ids: Sequence[int], until: dt.datetime) -> None:
        async with self._transaction() as session:
            await claims.release(session, ids, until)

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session, session.begin():
            await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            yield session
