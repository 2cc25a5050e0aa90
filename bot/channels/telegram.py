"""The Telegram channel for residents: private chats in, neutral events to the dialogue
engine, its replies back out.

The channel knows the engine only as a ``handle`` callable (event in, replies out) and
keeps no state of its own: whether the share-my-number keyboard is still on screen (see
:func:`bot.channels.telegram_render.render_replies`) comes with the engine's first reply
(``Reply.contact_keyboard_shown``), remembered in the dialogue state every worker shares,
so it costs no Redis read of its own.

Group chats are not handled here; the staff desk has its own router.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, Final, Protocol

from aiogram import Bot, Dispatcher, F, Router
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message, TelegramObject, Update

from bot.abuse.guard import Screen
from bot.channels.aiogram_filters import on_loop
from bot.channels.keyed_locks import KeyedLocks
from bot.channels.sent_marks import SentMarks
from bot.channels.telegram_albums import TelegramAlbums

# their home since this module passed 400 lines; still imported from here by many callers
from bot.channels.telegram_bot import ALLOWED_UPDATES as ALLOWED_UPDATES
from bot.channels.telegram_bot import make_bot as make_bot
from bot.channels.telegram_bot import run_polling as run_polling
from bot.channels.telegram_calls import answer_callback, answered_or_late
from bot.channels.telegram_inbound import fetch_media, translate_callback, translate_message
from bot.channels.telegram_keyboards import retire_buttons, retire_earlier
from bot.channels.telegram_render import (
    DEFAULT_CONTACT_LABEL,
)
from bot.channels.telegram_replies import ReplySender
from bot.media_intake import MediaIntake
from bot.media_store import MediaStore
from bot.metrics import HANDLING_SECONDS, UPDATES_HANDLED
from bot.outbox.receipts import FollowUps
from conversations.engine import Prepare
from conversations.events import Event, Media, Reply

log = logging.getLogger(__name__)

#: The dialogue engine as the channel sees it: the replies to send, in order.
Handle = Callable[[Event], Awaitable[list[Reply]]]


class FetchingHandle(Protocol):
    """The engine's handle that takes the channel's download (``Engine.handle``): a photo
    or file is fetched inside the turn, once the state loaded for it says whether the
    dialogue would use it, instead of after a Redis read of its own."""

    def __call__(
        self, event: Event, *, prepare: Prepare | None = None
    ) -> Awaitable[list[Reply]]: ...


#: Told when a person blocks (False) or unblocks (True) the bot, by private chat id.
Membership = Callable[[str, bool], Awaitable[None]]

#: Key under which the channel sits in the dispatcher's workflow data.
CHANNEL_KEY: Final = "telegram_channel"

#: Updates handled at once (all chats together). Polling and webhooks start a task per
#: update, so a burst would otherwise open as many Redis and database operations at once;
#: redis-py's default pool (100 connections) raises instead of waiting when exhausted.
DEFAULT_MAX_CONCURRENT_UPDATES: Final = 50


class TelegramChannel(ReplySender):
    """Turns private-chat updates into events for `handle` and sends its replies.

    Updates of one chat are handled one at a time in this process (polling runs them as
    concurrent tasks): the photos of an album are downloaded and handed over in the
    order they were sent, and replies do not interleave. Across processes the engine's
    compare-and-set on the dialogue state is what keeps answers from being lost. Replies
    go out through :class:`bot.channels.telegram_replies.ReplySender`.
    """

    def __init__(
        self,
        handle: Handle,
        media_store: MediaStore | MediaIntake,
        *,
        contact_label: str = DEFAULT_CONTACT_LABEL,
        removal_text: str | None = None,
        max_concurrent_updates: int = DEFAULT_MAX_CONCURRENT_UPDATES,
        membership: Membership | None = None,
        follow_ups: FollowUps | None = None,
        screen: Screen | None = None,
        fetching: FetchingHandle | None = None,
        sent_marks: SentMarks | None = None,
        albums: TelegramAlbums | None = None,
    ) -> None:
        super().__init__(
            contact_label=contact_label,
            removal_text=removal_text,
            follow_ups=follow_ups,
            sent_marks=sent_marks,
        )
        self._handle = handle
        #: albums counted before the dialogue sees them (bot.channels.telegram_albums);
        #: their files are noted as they arrive by the webhook and by polling
        self.albums = albums
        # when given, photos and files are downloaded inside the engine's turn
        self._fetching = fetching
        # blocks and limits, checked before any work on a person's update (bot.abuse.guard)
        self._screen = screen
        self._membership = membership
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        # the checks around downloads (a bare store: every photo and document is fetched)
        self._media_store = MediaIntake.of(media_store)
        self._locks: KeyedLocks[int] = KeyedLocks()

    async def on_message(
        self, bot: Bot, update_id: int, message: Message, *, edited: bool = False
    ) -> None:
        event = translate_message(message, update_id, edited=edited)
        if event is None:
            return
        chat_id = message.chat.id
        # Chat lock first, before anything is awaited (the guard's Redis calls included): a
        # person's updates of one polled batch start in order and must stay so; then a
        # slot, never held while waiting for a chat.
        async with self._locks.hold(chat_id):
            refused = await self._refused(bot, chat_id, event)
            if refused is not None:
                if isinstance(event, Media) and not edited:
                    # a file of an album others of which were let through: counted, so
                    # the album is answered (bot.channels.telegram_albums)
                    await self._count_refused(bot, chat_id, event, refused)
                return
            if isinstance(event, Media) and self.albums is not None and not edited:
                # the album's first file waits for the rest (a second at most, usually),
                # holding the chat but none of the process's slots; Redis away, it waits
                # for Redis, then goes on uncounted (bot.channels.telegram_albums)
                event = await self.albums.arrived(chat_id, event)
            async with self._slots:
                if isinstance(event, Media) and self._fetching is not None:
                    replies = await self._fetching(event, prepare=partial(self._fetch, bot))
                else:
                    if isinstance(event, Media):
                        event = await fetch_media(bot, event, self._media_store)
                    replies = await self._handle(event)
                await self.deliver(bot, chat_id, replies, turn=event.origin)
                # a button an earlier tap led here from, useless now (a reconsideration's
                # reason sent): off its message
                await retire_earlier(bot, replies)

    async def _count_refused(self, bot: Bot, chat_id: int, media: Media, why: str) -> None:
        """Hands the dialogue an album's file the screen refused, to be counted, not kept."""
        if self.albums is None:
            return
        counted = await self.albums.refused(chat_id, media, why)
        if counted is None:
            return
        async with self._slots:
            replies = await self._handle(counted)
            await self.deliver(bot, chat_id, replies, turn=counted.origin)

    async def _fetch(self, bot: Bot, media: Media, wanted: bool) -> Media:
        return await fetch_media(bot, media, self._media_store, wanted)

    async def on_membership(self, update: ChatMemberUpdated) -> None:
        """The person blocked the bot (status "kicked") or unblocked it (back to
        "member"): their notifications wait, or go out now (see bot.db.accounts)."""
        if self._membership is None:
            return
        was = update.old_chat_member.status
        now = update.new_chat_member.status
        if now == ChatMemberStatus.KICKED and was != ChatMemberStatus.KICKED:
            await self._membership(str(update.chat.id), False)
        elif was == ChatMemberStatus.KICKED and now == ChatMemberStatus.MEMBER:
            await self._membership(str(update.chat.id), True)

    async def on_callback(self, bot: Bot, update_id: int, query: CallbackQuery) -> None:
        # Answer first, whatever happens next: the client shows a spinner on the button
        # until the query is answered. The answer travels while the turn runs (one Bot API
        # round trip less on every tap's latency) and is awaited, a second at most, before
        # any reply is sent: it usually reaches Telegram first, and a slow or refused one
        # (a flood's 429) does not keep the person waiting for the replies (review 16 §1).
        answering = asyncio.create_task(answer_callback(query))
        try:
            event = translate_callback(query, update_id)
            if event is None:
                return
            chat_id = query.message.chat.id if query.message is not None else query.from_user.id
            async with self._locks.hold(chat_id):  # first: see on_message
                if await self._refused(bot, chat_id, event, before=answering) is not None:
                    return
                async with self._slots:
                    replies = await self._handle(event)
                    await answered_or_late(answering)
                    await self.deliver(bot, chat_id, replies, turn=event.origin)
                    # a button that will never work again leaves the tapped message
                    spent = {b for r in replies if r.spent_on is None for b in r.spent}
                    await retire_buttons(bot, query, spent)
                    await retire_earlier(bot, replies)
        finally:
            await answering

    async def _refused(
        self,
        bot: Bot,
        chat_id: int,
        event: Event,
        *,
        before: asyncio.Future[None] | None = None,
    ) -> str | None:
        """The guard's word on this person's update: None to handle it, else why it is
        refused; what the guard says instead is sent here, after `before` (a tap's answer
        under way) is done or a second has passed (telegram_calls.answered_or_late). The
        caller holds the chat's lock."""
        if self._screen is None:
            return None
        origin = event.origin
        # an album is one message for the limit (bot.abuse.guard)
        album = event.album_id if isinstance(event, Media) else None
        verdict = await self._screen(origin.channel, origin.user_key, origin.event_id, album)
        if not verdict.admit and verdict.replies:
            if before is not None:
                await answered_or_late(before)
            await self.deliver(bot, chat_id, list(verdict.replies))
        return None if verdict.admit else verdict.why or "refused"


async def _on_message(
    message: Message, event_update: Update, bot: Bot, telegram_channel: TelegramChannel
) -> None:
    await telegram_channel.on_message(bot, event_update.update_id, message)


async def _on_edited(
    edited_message: Message, event_update: Update, bot: Bot, telegram_channel: TelegramChannel
) -> None:
    await telegram_channel.on_message(bot, event_update.update_id, edited_message, edited=True)


async def _on_membership(
    my_chat_member: ChatMemberUpdated, telegram_channel: TelegramChannel
) -> None:
    await telegram_channel.on_membership(my_chat_member)


async def _on_callback(
    callback_query: CallbackQuery,
    event_update: Update,
    bot: Bot,
    telegram_channel: TelegramChannel,
) -> None:
    await telegram_channel.on_callback(bot, event_update.update_id, callback_query)


def residents_router() -> Router:
    """A fresh router (aiogram attaches a router to one parent only) for private chats."""
    router = Router(name="telegram_residents")
    private = on_loop(F.chat.type == ChatType.PRIVATE)
    router.message.filter(private)
    router.edited_message.filter(private)
    router.my_chat_member.filter(private)
    router.callback_query.filter(on_loop(F.message.chat.type == ChatType.PRIVATE))
    router.message.register(_on_message)
    # registered, and listed in ALLOWED_UPDATES so that Telegram sends them
    router.edited_message.register(_on_edited)
    router.my_chat_member.register(_on_membership)
    router.callback_query.register(_on_callback)
    return router


async def _measured(
    handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
    event: TelegramObject,
    data: dict[str, Any],
) -> Any:
    """Counts each update by outcome ("ok", "ignored": no handler wanted it, "error") and
    times it, whether it came by polling or by webhook (see bot.metrics)."""
    started, outcome = time.monotonic(), "error"
    try:
        result = await handler(event, data)
        outcome = "ignored" if result is UNHANDLED else "ok"
        return result
    finally:
        UPDATES_HANDLED.labels("telegram", outcome).inc()
        HANDLING_SECONDS.labels("telegram").observe(time.monotonic() - started)


async def follow_ups_settled(dispatcher: Dispatcher) -> None:
    """Until the follow-ups the dispatcher's residents' channel releases in the background
    are written (a stop's drain, a bench's end; see bot.outbox.follow_up_releases)."""
    channel = dispatcher.workflow_data.get(CHANNEL_KEY)
    if isinstance(channel, TelegramChannel):
        await channel.settled()


def albums_of(dispatcher: Dispatcher) -> TelegramAlbums | None:
    """The album counting of the dispatcher's residents' channel, if any: the webhook and
    polling note each album file with it as the update arrives."""
    channel = dispatcher.workflow_data.get(CHANNEL_KEY)
    return channel.albums if isinstance(channel, TelegramChannel) else None


def build_dispatcher(
    handle: Handle,
    media_store: MediaStore | MediaIntake,
    *,
    contact_label: str = DEFAULT_CONTACT_LABEL,
    removal_text: str | None = None,
    max_concurrent_updates: int = DEFAULT_MAX_CONCURRENT_UPDATES,
    membership: Membership | None = None,
    follow_ups: FollowUps | None = None,
    measured: bool = True,
    screen: Screen | None = None,
    fetching: FetchingHandle | None = None,
    sent_marks: SentMarks | None = None,
    albums: TelegramAlbums | None = None,
) -> Dispatcher:
    """A dispatcher with the residents' router. Other routers (the staff desk) can be
    included into it. aiogram's FSM is off: dialogue state lives in the engine's Redis
    store, not in aiogram. `membership` hears of people blocking and unblocking the bot.
    `measured` False leaves its updates out of the metrics (the start-up warm-up's).
    `fetching` (the engine's handle again, ``engine.handle``) has photos and files
    downloaded inside the turn, which saves the Redis read `media_store`'s ``wants`` makes.
    `sent_marks`: replies a replay need not send again (bot.channels.sent_marks).
    `albums`: an album's files counted before the dialogue sees them, answered once
    (bot.channels.telegram_albums; the webhook and polling note each file as it arrives)."""
    dispatcher = Dispatcher(disable_fsm=True)
    if measured:
        dispatcher.update.outer_middleware(_measured)
    dispatcher[CHANNEL_KEY] = TelegramChannel(
        handle,
        media_store,
        contact_label=contact_label,
        removal_text=removal_text,
        max_concurrent_updates=max_concurrent_updates,
        membership=membership,
        follow_ups=follow_ups,
        screen=screen,
        fetching=fetching,
        sent_marks=sent_marks,
        albums=albums,
    )
    dispatcher.include_router(residents_router())
    return dispatcher
