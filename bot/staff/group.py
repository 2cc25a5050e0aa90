"""What every staff-group handler shares: the desk, who may act, sending into the group
(in the right forum topic), answering taps, claiming an update once, and the sentences
that say why something cannot be done.

Texts are HTML; everything put into them is escaped (see :mod:`bot.staff.views`).
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from collections.abc import Callable
from typing import Any, Final

from aiogram import Bot
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import SendMessage
from aiogram.types import (
    CallbackQuery,
    ForceReply,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
    User,
)
from redis.asyncio import Redis

from bot.channels.telegram_calls import send_with_retry
from bot.db.models import utcnow
from bot.db.requests_repo import RequestRecord
from bot.staff.auth import OfficerAuth
from bot.staff.cards import CardRenderer
from bot.staff.desk import StaffDesk
from bot.staff.split import split_html
from bot.staff.views import HTML, StaffViews
from conversations.formatting import isolate
from domain.sla import riyadh_date
from domain.status import RequestStatus
from officers.confirmations import Confirmations
from officers.failures import RequestNotFound
from officers.officer import MAX_NAME, Officer

log = logging.getLogger(__name__)

#: The dispatcher's wake-up; may be a plain function or a coroutine function.
Kick = Callable[[], object]

#: How long a handled update id is remembered (Telegram gives up redelivering long before).
UPDATE_TTL_S: Final = 24 * 3600
_UPDATE_KEY: Final = "tawasul:staff:update:{update}"


class StaffGroup:
    def __init__(
        self,
        desk: StaffDesk,
        auth: OfficerAuth,
        redis: Redis,
        kick: Kick,
        *,
        chat_id: int,
        views: StaffViews,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self._desk = desk
        self._auth = auth
        self._redis = redis
        self._kick = kick
        self._chat_id = chat_id
        self._views = views
        self._cards = CardRenderer(views)
        self._clock = clock
        self._ = views.texts.gettext
        #: what the officer is told after an action, as at the terminal (officers/)
        self._confirm = Confirmations(views.texts.gettext, views.texts.ngettext, "group")

    async def _first_time(self, update: Update) -> bool:
        return await claim_update(self._redis, update.update_id)

    async def _command_allowed(
        self, message: Message, update: Update, bot: Bot, *, tell: bool = True
    ) -> bool:
        """Whether an officer sent ``message`` (a command) and it is the first time any
        worker sees ``update``. Anyone else is told, politely, that the staff commands
        are the officers', as a button tap is, with nothing about the request named
        (``tell`` False: left unanswered, for a reply that is not a command). Found by
        tester 12 (§20): ``/block N`` by a non-officer got no answer at all."""
        if not await self._first_time(update):
            return False
        if await self._anonymous(message, bot):
            return False
        user = message.from_user
        if user is None or not await self._auth.is_officer(bot, user.id):
            # a restricted member or a stranger: nothing personal is shown
            log.warning("staff command refused to user %s", None if user is None else user.id)
            if tell and user is not None:
                refused = self._("The staff commands are for the directorate's officers only.")
                await self._send(bot, message, HTML.t(refused))
            return False
        return True

    async def _anonymous(self, message: Message, bot: Bot) -> bool:
        """An admin who "remains anonymous" posts as the group itself: the bot cannot
        tell which officer it is, so it says how to be recognised instead of keeping
        silent."""
        if message.sender_chat is None or message.sender_chat.id != message.chat.id:
            return False
        log.info("a staff message from an anonymous admin was answered with how to act")
        _ = self._
        await self._send(
            bot,
            message,
            HTML.t(
                _(
                    "You are posting anonymously, as the group, so I cannot tell which officer you are. Turn off «Remain anonymous» in your administrator rights, then send it again."
                )
            ),
        )
        return True

    async def _record(self, number: str) -> RequestRecord:
        record = await self._desk.find(number)
        if record is None:
            raise RequestNotFound(number)
        return record

    async def _wake(self) -> None:
        result = self._kick()
        if inspect.isawaitable(result):
            await result

    def _today(self) -> dt.date:
        return riyadh_date(self._clock())

    # ---- sentences --------------------------------------------------------------------

    def _not_found(self, number: str) -> str:
        return self._confirm.not_found(number)

    def _illegal(self, number: str, current: RequestStatus) -> str:
        return self._confirm.cannot_now(number, self._views.status(current))

    def _stale(self, record: RequestRecord) -> str:
        return self._(
            "This button is out of date: request %(number)s has changed since it was shown. %(now)s"
        ) % {"number": record.number, "now": self._cards.preview(record)}

    def _taken(self, number: str, name: str | None) -> str:
        return self._confirm.already_with(number, isolate(name) if name else None)

    # ---- Telegram ---------------------------------------------------------------------

    async def _send(
        self,
        bot: Bot,
        to: Any,
        text: str,
        markup: InlineKeyboardMarkup | ForceReply | None = None,
    ) -> Message:
        """Sends into the staff group as a reply to ``to`` (the card, the officer's message),
        in the same forum topic; the last message sent. A text past Telegram's limit goes
        as several messages cut at line breaks (:func:`bot.staff.split.split_html`), the
        ``markup`` under the last."""
        chat_id, thread_id, reply = self._chat_id, None, None
        if isinstance(to, Message):
            chat_id = to.chat.id
            thread_id = to.message_thread_id if to.is_topic_message else None
            reply = ReplyParameters(message_id=to.message_id, allow_sending_without_reply=True)
        parts = split_html(text)
        for at, part in enumerate(parts, start=1):
            result = await send_with_retry(
                bot,
                SendMessage(
                    chat_id=chat_id,
                    text=part,
                    parse_mode=ParseMode.HTML,
                    message_thread_id=thread_id,
                    reply_parameters=reply,
                    reply_markup=markup if at == len(parts) else None,
                    # a URL in a person's description must not be fetched for a preview
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                ),
            )
        assert isinstance(result, Message)
        return result

    async def _edit(self, bot: Bot, message: Any, text: str) -> bool:
        """Turns one of the bot's own messages (a prompt, a menu) into ``text``, without
        buttons, so a finished exchange leaves one line instead of three."""
        if not isinstance(message, Message):
            return False
        try:
            await bot.edit_message_text(
                text=text,
                chat_id=message.chat.id,
                message_id=message.message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=None,
            )
        except TelegramAPIError as exc:
            log.info(
                "could not edit staff message %s (%s: %s)",
                message.message_id,
                type(exc).__name__,
                exc.message,
            )
            return False
        return True

    async def _delete(self, bot: Bot, message: Any) -> None:
        if not isinstance(message, Message):
            return
        try:
            await bot.delete_message(message.chat.id, message.message_id)
        except TelegramAPIError as exc:
            log.info(
                "could not delete staff message %s (%s: %s)",
                message.message_id,
                type(exc).__name__,
                exc.message,
            )


async def claim_update(redis: Redis, update_id: int) -> bool:
    """Whether this is the first time any worker handles the staff update ``update_id``
    (``SET NX`` in Redis, kept :data:`UPDATE_TTL_S`): a redelivery, or a replay of a
    journalled update whose first handling was not closed, is told False. Raises
    RedisError."""
    claimed = await redis.set(_UPDATE_KEY.format(update=update_id), b"1", nx=True, ex=UPDATE_TTL_S)
    if not claimed:
        log.info("staff update %s already handled", update_id)
    return bool(claimed)


async def unclaim_update(redis: Redis, update_id: int) -> None:
    """Gives up the claim of :func:`claim_update` (the answer could not be sent: a
    redelivery may try again). Raises RedisError."""
    await redis.delete(_UPDATE_KEY.format(update=update_id))


def officer_of(user: User) -> Officer:
    return Officer(id=user.id, name=user.full_name[:MAX_NAME])


async def answer(query: CallbackQuery, text: str | None = None, *, alert: bool = False) -> None:
    try:
        await query.answer(text=text[:200] if text else None, show_alert=alert)
    except TelegramAPIError as exc:
        # "query is too old" after a restart: the action itself has been done or refused,
        # so an expected line, no traceback (issue 11: one at INFO read as a fault).
        # Telegram's description names the query, never a person.
        log.info("could not answer callback query (%s: %s)", type(exc).__name__, exc.message)
