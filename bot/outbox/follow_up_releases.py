"""Releasing a receipt's follow-up (its card) after the receipt's text went out, in a task
of its own that the turn does not await, for every channel.

The release is a write transaction (the receipt's text row closed, its card made due): on
SQLite it waits for the write lock a second time after the filing. The person's text is
already out, so the turn, its chat's lock and its slot end without that wait (issue 12:
«confirm», the tail at 200 residents at once, waited on the writers' queue for the filing
and again for this). A process that dies before the task has written leaves the rows
held, which the outbox sends when the hold runs out, as when it died before an awaited
release; a stop waits for the tasks (:meth:`BackgroundReleases.settled`). Split from bot/
channels/telegram_replies.py so WhatsApp's turns release the same way."""

from __future__ import annotations

import asyncio
import logging

from bot.outbox.receipts import FollowUps

log = logging.getLogger(__name__)


class BackgroundReleases:
    """The follow-ups of one channel being released in the background."""

    def __init__(self, follow_ups: FollowUps) -> None:
        self._follow_ups = follow_ups
        self._running: set[asyncio.Task[None]] = set()

    def soon(self, key: str, *, delivered: bool) -> None:
        """Releases follow-up ``key`` in a task of its own (``delivered``: its text reached
        the platform, see :meth:`FollowUps.release`)."""
        task = asyncio.create_task(self._release(key, delivered=delivered))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def settled(self) -> None:
        """Until every release started is written (or has failed, which is logged)."""
        while self._running:
            await asyncio.gather(*self._running, return_exceptions=True)

    async def _release(self, key: str, *, delivered: bool) -> None:
        try:
            await self._follow_ups.release(key, delivered=delivered)
        except Exception as exc:
            # the held rows go out by themselves when their hold runs out: an expected
            # fault (the database restarting), one line without a traceback (issue 11)
            log.warning(
                "could not release a follow-up (%s); it goes out when its hold runs out",
                type(exc).__name__,
            )
