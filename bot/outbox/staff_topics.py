"""The staff group's forum topics, one per department: found, created, and repaired when
an admin deletes or closes one.

Where a department's topic is looked up, in order: this process's cache; the topic
configured in ``TAWASUL_STAFF_TOPIC_IDS`` unless it is known gone; the ``staff_topics``
table (topics the bot created, shared by all workers); else a new topic is created. A
send into a topic that is gone ("message thread not found", TOPIC_DELETED) or closed
(TOPIC_CLOSED) repairs it: a closed topic is reopened when the bot may; otherwise the
topic is marked gone for every worker (Redis, SQL) and a new one is made, or found if
another worker made it first. Without the right to manage topics the card goes to the
group itself: it is never lost.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from typing import Final

from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.methods import CreateForumTopic, DeleteForumTopic, ReopenForumTopic
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import StaffTopic
from bot.outbox.handlers import DeliveryError
from bot.outbox.staff_group import StaffGroupState
from bot.outbox.telegram_send import Sender

log = logging.getLogger(__name__)

_GONE: Final = ("message thread not found", "topic_deleted", "topic_id_invalid")
_CLOSED: Final = "topic_closed"


def topic_trouble(exc: TelegramBadRequest) -> bool:
    """Whether a 400 says the topic sent into is gone or closed."""
    text = exc.message.lower()
    return _CLOSED in text or any(gone in text for gone in _GONE)


class StaffTopics:
    """A department's topic in the staff group (see the module docstring)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        send: Sender,
        state: StaffGroupState,
        *,
        forum: bool,
        configured: Mapping[str, int] | None = None,
    ) -> None:
        self._sessions = sessions
        self._send = send
        self._state = state
        self.forum = forum
        self._configured = dict(configured or {})
        self._cache: dict[tuple[int, str], int] = {}

    async def thread(self, chat_id: int, department: str, name: str) -> int | None:
        """The department's topic when the group is a forum (created on first use, named
        `name`); None to post in the group itself."""
        if not self.forum:
            return None
        cached = self._cache.get((chat_id, department))
        if cached is not None:
            return cached
        configured = self._configured.get(department)
        if configured is not None and not await self._state.is_gone(chat_id, configured):
            self._cache[(chat_id, department)] = configured
            return configured
        known = await self._stored(chat_id, department)
        if known is None:
            known = await self._create(chat_id, department, name)
            if known is None:
                return None
        self._cache[(chat_id, department)] = known
        return known

    async def repair(
        self, chat_id: int, department: str, name: str, broken: int, exc: TelegramBadRequest
    ) -> int | None:
        """The topic to use instead of `broken`, which Telegram refused with `exc`."""
        self._cache.pop((chat_id, department), None)
        if _CLOSED in exc.message.lower():
            try:
                await self._send.call(
                    chat_id, ReopenForumTopic(chat_id=chat_id, message_thread_id=broken)
                )
                log.warning("the staff group's %s topic was closed; reopened it", department)
                self._cache[(chat_id, department)] = broken
                return broken
            except (TelegramBadRequest, DeliveryError) as reopen:
                log.warning("cannot reopen the %s topic (%s)", department, reopen)
        log.warning(
            "the staff group's %s topic is gone (%s); a new one is made", department, exc.message
        )
        await self._state.topic_gone(chat_id, broken)
        async with self._transaction() as session:
            await session.execute(
                delete(StaffTopic).where(
                    StaffTopic.chat_id == chat_id,
                    StaffTopic.department == department,
                    StaffTopic.thread_id == broken,
                )
            )
        return await self.thread(chat_id, department, name)

    async def _stored(self, chat_id: int, department: str) -> int | None:
        async with self._sessions() as session:
            found: int | None = await session.scalar(
                select(StaffTopic.thread_id).where(
                    StaffTopic.chat_id == chat_id, StaffTopic.department == department
                )
            )
        return found

    async def _create(self, chat_id: int, department: str, name: str) -> int | None:
        try:
            topic = await self._send.call(
                chat_id, CreateForumTopic(chat_id=chat_id, name=name[:128])
            )
        except TelegramBadRequest as exc:
            # not a forum, or the bot may not manage topics: the group itself will do
            log.warning(
                "cannot create a topic for %s (%s); using the group", department, exc.message
            )
            return None
        thread = topic.message_thread_id
        try:
            async with self._transaction() as session:
                session.add(StaffTopic(chat_id=chat_id, department=department, thread_id=thread))
        except IntegrityError:
            # another worker created one at the same moment: use theirs, remove ours
            winner = await self._stored(chat_id, department)
            try:
                await self._send.bot(DeleteForumTopic(chat_id=chat_id, message_thread_id=thread))
            except TelegramAPIError:
                log.info("could not delete a duplicate topic for %s", department)
            assert winner is not None
            thread = winner
        return thread

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session, session.begin():
            await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            yield session
