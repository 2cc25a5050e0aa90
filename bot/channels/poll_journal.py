"""Telegram polling's updates journalled as the webhook's are, so that a stop loses none.

aiogram's polling confirms every update of a batch to Telegram (getUpdates' ``offset``)
as soon as it asks for the next batch, while those updates are still being handled. A
worker stopped by SIGTERM whose drain bound (TAWASUL_DRAIN_S) ran out, or one killed,
took the updates it had not finished with it: Telegram never sends a confirmed update
again. aiogram has no hook to confirm an update only once it is handled, and confirming
the lowest unfinished one instead would make Telegram send the later ones again at once,
a busy loop for as long as one turn lasts.

So each fetched update is written, under its ``update_id``, to the journal the Telegram
webhook uses (bot.webhook_journal, :data:`~bot.channels.telegram_webhook.JOURNAL_KEY`)
before aiogram sees it, hence before the getUpdates that confirms it: the session
middleware of :mod:`bot.channels.poll_lease` hands the fetched batch to :meth:`PollJournal.kept`.
An update leaves the journal once handled (:meth:`PollJournal.middleware`). What a stop
leaves (its leases given up at once, :meth:`Journal.release`) or a dead process left (its
leases run out) is replayed by whichever worker polls next: it replays what it finds
before it starts polling, and while it polls, every few seconds (:meth:`PollJournal.tend`),
each through the dispatcher as a replay (conversations.replays: a turn saved and not
answered is answered with its saved replies). An update already journalled (fetched by a
poller that stopped before confirming it) is left to that replay; the same journal keeps
one ``update_id`` from being handled twice. Only the worker holding the poll lease replays,
one update at a time in update order, so a person's replayed updates come before their new
ones when it starts; a dead poller's updates whose lease outlasts the hand-over are replayed
alongside new ones (the engine's compare-and-set keeps every answer).

Redis away: the journal cannot be written, so the fetched batch is not handed on and not
confirmed (aiogram fetches it again after its back-off), as a webhook answers 503; polling
itself already waits for Redis (the poll lease).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Final

from aiogram import Bot, Dispatcher
from aiogram.types import TelegramObject, Update
from redis.exceptions import RedisError

from bot.channels.telegram import albums_of
from bot.channels.telegram_albums import message_item
from bot.webhook_journal import Journal, sweep, tend
from conversations.replays import replaying

log = logging.getLogger(__name__)

NAME: Final = "Telegram polling"
#: At most how many journalled updates one sweep replays.
REPLAY_BATCH: Final = 100


@dataclass
class PollJournal:
    """The journal of the updates this process fetched by polling (see the module)."""

    journal: Journal
    bot: Bot
    dispatcher: Dispatcher
    #: the offset of the next getUpdates: after every update handed on or skipped
    next_offset: int | None = None
    #: whether this process holds the poll lease (only the poller replays)
    polling: bool = False
    _replaying: asyncio.Lock = field(default_factory=asyncio.Lock)
    _left: asyncio.Task[None] | None = None
    #: the tasks handling an update now (aiogram starts one per update)
    _handling: set[asyncio.Task[Any]] = field(default_factory=set)

    async def kept(self, updates: list[Update]) -> list[Update]:
        """The updates of a fetched batch to hand to aiogram, each journalled first: those
        journalled already (another poller's, to be replayed) or handled in the last day
        are left out. When Redis fails midway, the ones journalled so far are handed on and
        the rest fetched again (the offset stops after the last one kept); raises RedisError
        when none could be journalled."""
        fresh: list[Update] = []
        for update in updates:
            try:
                body = update.model_dump_json(exclude_unset=True, by_alias=True).encode()
                entry = await self.journal.keep(body, 1, entry_id=str(update.update_id))
            except RedisError:
                if not fresh:
                    raise
                log.warning("%s: Redis unreachable; the rest of a batch fetched again", NAME)
                break
            self.next_offset = update.update_id + 1
            if entry is not None:
                fresh.append(update)
        albums = albums_of(self.dispatcher)
        if albums is not None:
            for update in fresh:
                # an album's files noted before aiogram starts them, so the first one,
                # waiting for the rest at its turn, counts them all (telegram_albums)
                with contextlib.suppress(RedisError):
                    await albums.join(message_item(update.update_id, update.message))
        return fresh

    def offset(self, asked: int | None) -> int | None:
        """The offset a getUpdates goes with: aiogram's own moves only past the updates it
        was handed, this one past those left out too (else Telegram sends them again)."""
        if self.next_offset is None:
            return asked
        return max(asked or 0, self.next_offset)

    async def middleware(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        """An outer middleware of the dispatcher's updates: a journalled update leaves the
        journal once handled, or failed on our side (the person had the apology): finished
        either way, not to be replayed. One cut by the stop (cancelled, :meth:`release`)
        stays for the next poller."""
        task = asyncio.current_task()
        if task is not None:
            self._handling.add(task)
        cut = False
        try:
            return await handler(event, data)
        except asyncio.CancelledError:
            cut = True
            raise
        finally:
            if task is not None:
                self._handling.discard(task)
            entry = str(getattr(event, "update_id", ""))
            if not cut and entry in self.journal.pending:
                with contextlib.suppress(RedisError):  # closed once Redis is back (tend)
                    await self.journal.done(entry, remember=True)

    async def replay(self, taken: dict[str, bytes]) -> None:
        """Handles updates taken over from the journal (leased to this process), oldest
        first, one at a time, each as a replay."""
        async with self._replaying:
            for entry, body in sorted(taken.items(), key=lambda kv: _as_int(kv[0])):
                try:
                    update = Update.model_validate_json(body, context={"bot": self.bot})
                except ValueError:
                    log.warning("%s: a journalled update that cannot be read dropped", NAME)
                    with contextlib.suppress(RedisError):
                        await self.journal.forget(entry)
                    continue
                self.journal.pending[entry] = 1
                with replaying(True):
                    try:
                        await self.dispatcher.feed_update(self.bot, update)
                    except Exception as exc:
                        # logged where it failed; type only here (the text may quote a person)
                        log.error("%s: %s while replaying update %s", NAME, type(exc).__name__,
                                  entry)  # fmt: skip

    def _room(self) -> int:
        return REPLAY_BATCH if self.polling else 0

    def begin(self) -> None:
        """This process now polls: what stopped or dead pollers left is replayed at once
        (:meth:`replayed_left` waits for it), and by :meth:`tend` from now on."""
        self.polling = True
        if self._left is None or self._left.done():
            self._left = asyncio.create_task(self._replay_left(), name="telegram-replay")

    def end(self) -> None:
        """This process no longer polls: it replays nothing more (what it is replaying
        is finished, within the drain)."""
        self.polling = False

    async def replayed_left(self) -> None:
        """Until the replay :meth:`begin` started is over (the first getUpdates waits)."""
        if self._left is not None:
            await asyncio.wait({self._left})

    async def _replay_left(self) -> None:
        try:
            await sweep(self.journal, self.replay, self._room, NAME)
        except RedisError:
            log.warning("%s: journal not replayed yet, Redis unreachable", NAME)

    async def tend(self) -> None:
        """For as long as the process runs: renews the leases of the updates it holds (a
        drain included) and, while it polls, replays what stopped pollers left."""
        await tend(self.journal, self.replay, self._room, NAME)

    async def release(self) -> None:
        """The process stops (its drain is over): the updates still being handled are cut
        (else they would go on while the next poller replays them, and a reply cut by the
        bound would be tried again on a new connection), and given up for the next poller
        at once. Never raises."""
        cut = [t for t in (*self._handling, self._left) if t is not None and not t.done()]
        for task in cut:
            task.cancel()
        await asyncio.gather(*cut, return_exceptions=True)
        with contextlib.suppress(RedisError):
            await self.journal.release()


def _as_int(text: str) -> int:
    return int(text) if text.lstrip("-").isdigit() else 0
