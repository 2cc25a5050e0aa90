"""The staff group on Telegram: officers act on request cards and ask about requests.

Buttons on a card (rendered by :mod:`bot.staff.cards`) carry ``st:<action>:<number>``:

- ``take``: the officer takes the request;
- ``ask``: the bot asks the officer to type the question, as a reply (ForceReply) to its
  prompt; the reply becomes the question sent to the person;
- ``ok``: accept;
- ``no``: reject, which needs a reason: a short list of usual reasons as buttons
  (``st:nr:<number>:<idx>``) and "other", which asks for it like ``ask``;
- ``re``: reopen a decided request, with a reason asked for like ``ask``.

Each decision goes through :class:`bot.staff.desk.StaffDesk`, the only way to change a
request. The card itself is edited by the outbox dispatcher from the row the desk queues;
this router only wakes the dispatcher (``kick``) so the edit goes out at once.

A pending prompt lives in Redis under (chat, prompt message id) with a TTL, so any worker
can take the officer's reply and nothing is lost on restart. Every update is claimed with
``SET NX`` first, so one redelivered by Telegram is handled once.

Commands: ``/find <number>``, ``/overdue``, ``/stats``, ``/help``.

Texts are HTML; everything put into them is escaped (see :mod:`bot.staff.views`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final, Literal

from aiogram import Bot, F, Router
from aiogram.enums import ChatType, ParseMode
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.methods import SendMessage
from aiogram.types import (
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
    User,
)
from redis.asyncio import Redis

from bot.channels.telegram import send_with_retry
from bot.db.models import utcnow
from bot.db.requests_repo import RequestRecord
from bot.settings import Settings, holidays_of
from bot.staff.auth import OfficerAuth
from bot.staff.desk import MissingReason, Officer, RequestNotFound, StaffDesk
from bot.staff.views import HTML, StaffViews, mention
from conversations.i18n import DEFAULT_LOCALE
from domain.catalogue import load_catalogue
from domain.request_number import InvalidRequestNumber, parse_request_number
from domain.sla import riyadh_date
from domain.status import FINAL, IllegalTransition, RequestStatus

log = logging.getLogger(__name__)

#: The dispatcher's wake-up; may be a plain function or a coroutine function.
Kick = Callable[[], object]

PREFIX: Final = "st"
#: How long an officer has to type the question or reason after pressing the button.
PROMPT_TTL_S: Final = 24 * 3600
#: How long a handled update id is remembered (Telegram gives up redelivering long before).
UPDATE_TTL_S: Final = 24 * 3600
MAX_NAME: Final = 120

_PROMPT_KEY: Final = "tawasul:staff:prompt:{chat}:{message}"
_UPDATE_KEY: Final = "tawasul:staff:update:{update}"

PromptKind = Literal["ask", "reject", "reopen"]


# ---- callback data ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StaffAction:
    action: str  # take, ask, ok, no, re, nr
    number: str
    choice: str | None = None  # for nr: a reason index, "other" or "cancel"


_SIMPLE_ACTIONS: Final = frozenset({"take", "ask", "ok", "no", "re"})


def parse_callback(data: str | None) -> StaffAction | None:
    """``st:<action>:<number>`` or ``st:nr:<number>:<choice>``; None for anything else
    (a forged or garbled button is never guessed at)."""
    if not data:
        return None
    parts = data.split(":")
    if len(parts) not in (3, 4) or parts[0] != PREFIX:
        return None
    action, raw_number = parts[1], parts[2]
    # the canonical form only: an ASCII, checksummed number exactly as the card wrote it
    try:
        number = parse_request_number(raw_number)
    except InvalidRequestNumber:
        return None
    if number != raw_number:
        return None
    if len(parts) == 3:
        return StaffAction(action, number) if action in _SIMPLE_ACTIONS else None
    choice = parts[3]
    if action != "nr":
        return None
    if choice in ("other", "cancel") or (choice.isascii() and choice.isdigit()):
        return StaffAction(action, number, choice)
    return None


def reason_callback(number: str, choice: int | str) -> str:
    return f"{PREFIX}:nr:{number}:{choice}"


# ---- reject reasons -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RejectReason:
    id: str
    texts: dict[str, str]

    def text(self, locale: str) -> str:
        return self.texts.get(locale) or self.texts[DEFAULT_LOCALE]


@cache
def reject_reasons() -> tuple[RejectReason, ...]:
    raw: Any = json.loads(
        resources.files("bot.staff")
        .joinpath("data/reject_reasons.json")
        .read_text(encoding="utf-8")
    )
    return tuple(
        RejectReason(str(item["id"]), {k: str(v) for k, v in item.items() if k != "id"})
        for item in raw["reasons"]
    )


# ---- the router ---------------------------------------------------------------------------


def staff_router(
    desk: StaffDesk,
    settings: Settings,
    redis: Redis,
    kick: Kick,
    *,
    locale: str = DEFAULT_LOCALE,
    clock: Callable[[], dt.datetime] = utcnow,
) -> Router:
    """A router for the staff group (``TAWASUL_STAFF_CHAT_ID``), to include into the
    Telegram dispatcher next to the residents' router."""
    chat_id = settings.staff_chat_id
    if chat_id is None:
        raise ValueError("TAWASUL_STAFF_CHAT_ID is not set")
    holidays = holidays_of(settings)
    handlers = StaffHandlers(
        desk,
        OfficerAuth(redis, staff_chat_id=chat_id, officer_ids=settings.officers),
        redis,
        kick,
        chat_id=chat_id,
        views=StaffViews(load_catalogue(), locale=locale, holidays=holidays),
        clock=clock,
    )
    router = Router(name="telegram_staff")
    in_group = F.chat.type.in_({ChatType.GROUP, ChatType.SUPERGROUP})
    router.message.filter(F.chat.id == chat_id, in_group)
    router.callback_query.filter(F.message.chat.id == chat_id, F.data.startswith(f"{PREFIX}:"))
    router.callback_query.register(handlers.on_callback)
    router.message.register(handlers.on_find, Command("find"))
    router.message.register(handlers.on_overdue, Command("overdue"))
    router.message.register(handlers.on_stats, Command("stats"))
    router.message.register(handlers.on_help, Command("help", "start"))
    router.message.register(handlers.on_reply, F.reply_to_message)
    return router


class StaffHandlers:
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
        prompt_ttl_s: int = PROMPT_TTL_S,
    ) -> None:
        self._desk = desk
        self._auth = auth
        self._redis = redis
        self._kick = kick
        self._chat_id = chat_id
        self._views = views
        self._clock = clock
        self._prompt_ttl_s = prompt_ttl_s
        self._ = views.texts.gettext

    # ---- buttons ------------------------------------------------------------------------

    async def on_callback(
        self, callback_query: CallbackQuery, event_update: Update, bot: Bot
    ) -> None:
        query = callback_query
        if not await self._first_time(event_update):
            return
        _ = self._
        user = query.from_user
        action = parse_callback(query.data)
        if action is None:
            # no data in the log: a forged payload is the sender's text
            log.warning("malformed staff button from user %s ignored", user.id)
            await _answer(query)
            return
        if not await self._auth.is_officer(bot, user.id):
            log.warning(
                "staff button %s refused to user %s: not an officer", action.action, user.id
            )
            await _answer(
                query, _("Only the directorate's officers can act on requests."), alert=True
            )
            return
        officer = _officer(user)
        try:
            await self._act(bot, query, action, officer)
        except RequestNotFound:
            await _answer(query, self._not_found(action.number), alert=True)
        except IllegalTransition as exc:
            await _answer(query, self._illegal(action.number, exc.current), alert=True)
        except Exception:
            # the database or Telegram failed mid-way: say so rather than leave the button
            # spinning; the desk's transaction either happened whole or not at all
            await _answer(query, _("Something went wrong. Please try again."), alert=True)
            raise

    async def _act(
        self, bot: Bot, query: CallbackQuery, action: StaffAction, officer: Officer
    ) -> None:
        _ = self._
        number = action.number
        if action.action == "take":
            await self._desk.take(number, officer)
            await self._decided(query, _("You have taken request %(number)s.") % {"number": number})
        elif action.action == "ok":
            await self._desk.accept(number, officer)
            await self._decided(
                query,
                _("Request %(number)s accepted; the person is being told.") % {"number": number},
            )
        elif action.action == "ask":
            await self._open_for(number, RequestStatus.NEEDS_INFO)
            await self._prompt(
                bot,
                query,
                "ask",
                number,
                officer,
                _(
                    "%(officer)s, type your question about request %(number)s for the person, as a reply to this message."
                ),
                placeholder=_("Your question to the person"),
            )
        elif action.action == "no":
            await self._open_for(number, RequestStatus.REJECTED)
            await self._reason_picker(bot, query, number, officer)
        elif action.action == "re":
            record = await self._record(number)
            if record.status not in FINAL:
                raise IllegalTransition(record.status, RequestStatus.UNDER_REVIEW)
            await self._prompt(
                bot,
                query,
                "reopen",
                number,
                officer,
                _(
                    "%(officer)s, type why request %(number)s is reopened, as a reply to this message."
                ),
                placeholder=_("The reason for reopening"),
            )
        else:  # nr: the reason picker's buttons
            await self._reason_chosen(bot, query, action, officer)

    async def _reason_picker(
        self, bot: Bot, query: CallbackQuery, number: str, officer: Officer
    ) -> None:
        _ = self._
        rows = [
            [
                InlineKeyboardButton(
                    text=reason.text(self._views.locale), callback_data=reason_callback(number, i)
                )
            ]
            for i, reason in enumerate(reject_reasons())
        ]
        rows.append(
            [
                InlineKeyboardButton(
                    text=_("Other (type it)"), callback_data=reason_callback(number, "other")
                ),
                InlineKeyboardButton(
                    text=_("Cancel"), callback_data=reason_callback(number, "cancel")
                ),
            ]
        )
        text = HTML.t(
            _("%(officer)s, why is request %(number)s rejected? The person will read this reason.")
        ) % {
            "officer": mention(officer.actor, officer.name, HTML, self._views.texts),
            "number": HTML.code(number),
        }
        await self._send(bot, query.message, text, InlineKeyboardMarkup(inline_keyboard=rows))
        await _answer(query)

    async def _reason_chosen(
        self, bot: Bot, query: CallbackQuery, action: StaffAction, officer: Officer
    ) -> None:
        _ = self._
        number, choice = action.number, action.choice
        if choice == "cancel":
            await self._close_picker(bot, query, _("Rejection cancelled."))
            await _answer(query)
            return
        if choice == "other":
            await self._open_for(number, RequestStatus.REJECTED)
            await self._prompt(
                bot,
                query,
                "reject",
                number,
                officer,
                _(
                    "%(officer)s, type the reason for rejecting request %(number)s, as a reply to this message. The person will read it."
                ),
                placeholder=_("The reason for the person"),
            )
            return
        reasons = reject_reasons()
        index = int(choice or "-1")
        if not 0 <= index < len(reasons):
            log.warning("unknown reject reason %s from user %s ignored", index, officer.id)
            await _answer(query)
            return
        record = await self._record(number)
        # the person reads the reason in their own language, fixed now
        reason = reasons[index].text(record.locale)
        await self._desk.reject(number, officer, reason)
        await self._close_picker(
            bot,
            query,
            _("Request %(number)s rejected by %(officer)s. Reason: %(reason)s")
            % {"number": number, "officer": officer.name, "reason": reason},
        )
        await self._decided(
            query, _("Request %(number)s rejected; the person is being told.") % {"number": number}
        )

    async def _close_picker(self, bot: Bot, query: CallbackQuery, text: str) -> None:
        """The picker message says what happened and loses its buttons."""
        message = query.message
        if message is None:
            return
        try:
            await bot.edit_message_text(
                text=HTML.t(text),
                chat_id=message.chat.id,
                message_id=message.message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=None,
            )
        except TelegramAPIError:
            log.info("could not close the reason picker %s", message.message_id, exc_info=True)

    # ---- prompts (ForceReply) -----------------------------------------------------------

    async def _prompt(
        self,
        bot: Bot,
        query: CallbackQuery,
        kind: PromptKind,
        number: str,
        officer: Officer,
        template: str,
        *,
        placeholder: str,
    ) -> None:
        text = HTML.t(template) % {
            "officer": mention(officer.actor, officer.name, HTML, self._views.texts),
            "number": HTML.code(number),
        }
        sent = await self._send(
            bot,
            query.message,
            text,
            ForceReply(force_reply=True, selective=True, input_field_placeholder=placeholder[:64]),
        )
        record = {"kind": kind, "number": number, "officer": officer.id}
        await self._redis.set(
            _PROMPT_KEY.format(chat=sent.chat.id, message=sent.message_id),
            json.dumps(record),
            ex=self._prompt_ttl_s,
        )
        await _answer(query, self._("Type your answer as a reply to my message."))

    async def on_reply(self, message: Message, event_update: Update, bot: Bot) -> None:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or replied.from_user.id != bot.id:
            return  # officers talking among themselves
        key = _PROMPT_KEY.format(chat=message.chat.id, message=replied.message_id)
        raw = await self._redis.get(key)
        if raw is None:
            return  # a reply to some other message of the bot, or a prompt long expired
        if not await self._first_time(event_update):
            return
        _ = self._
        user = message.from_user
        if user is None or not await self._auth.is_officer(bot, user.id):
            log.warning("reply to a staff prompt refused: sender is not an officer")
            return
        prompt = json.loads(raw)
        if prompt["officer"] != user.id:
            await self._send(
                bot, message, HTML.t(_("This prompt is for the officer who pressed the button."))
            )
            return
        text = (message.text or message.caption or "").strip()
        if not text:
            await self._send(bot, message, HTML.t(_("Please type it as text.")))
            return
        # Claim the prompt: of two workers (or a redelivered update) only one acts on it.
        if await self._redis.getdel(key) is None:
            return
        try:
            reply = await self._prompted(prompt["kind"], prompt["number"], _officer(user), text)
        except RequestNotFound:
            reply = self._not_found(prompt["number"])
        except IllegalTransition as exc:
            reply = self._illegal(prompt["number"], exc.current)
        except MissingReason:
            reply = _("Please type it as text.")
        except Exception:
            # the officer's words must not be lost to a database hiccup: they can reply again
            await self._redis.set(key, raw, ex=self._prompt_ttl_s)
            with contextlib.suppress(Exception):
                await self._send(
                    bot, message, HTML.t(_("Something went wrong. Please send it again."))
                )
            raise
        await self._send(bot, message, HTML.t(reply))

    async def _prompted(self, kind: str, number: str, officer: Officer, text: str) -> str:
        _ = self._
        if kind == "ask":
            await self._desk.ask(number, officer, text)
            answer = _(
                "Question sent to the person for request %(number)s. The clock is paused until they answer."
            )
        elif kind == "reject":
            await self._desk.reject(number, officer, text)
            answer = _("Request %(number)s rejected; the person is being told.")
        else:
            await self._desk.reopen(number, officer, text)
            answer = _("Request %(number)s reopened and back under review.")
        await self._wake()
        return answer % {"number": number}

    # ---- commands -----------------------------------------------------------------------

    async def on_find(
        self, message: Message, command: CommandObject, event_update: Update, bot: Bot
    ) -> None:
        if not await self._command_allowed(message, event_update, bot):
            return
        _ = self._
        try:
            number = parse_request_number(command.args or "")
        except InvalidRequestNumber as exc:
            hint = (
                _("That request number has a typing mistake: please check it.")
                if exc.reason == "checksum"
                else _("Write the request number after /find, for example: /find 4512345671")
            )
            await self._send(bot, message, HTML.t(hint))
            return
        record = await self._desk.find(number)
        if record is None:
            await self._send(bot, message, HTML.t(self._not_found(number)))
            return
        text = self._views.summary(record, HTML, today=self._today())
        link = _card_link(record)
        if link:
            text += "\n" + HTML.link(_("Open the card"), link)
        await self._send(bot, message, text)

    async def on_overdue(self, message: Message, event_update: Update, bot: Bot) -> None:
        if not await self._command_allowed(message, event_update, bot):
            return
        today = self._today()
        records = await self._desk.overdue(today)
        await self._send(bot, message, self._views.overdue(records, HTML, today=today))

    async def on_stats(self, message: Message, event_update: Update, bot: Bot) -> None:
        if not await self._command_allowed(message, event_update, bot):
            return
        stats = await self._desk.stats(self._today())
        text = self._views.stats(
            stats.by_status,
            stats.by_department,
            due_today=stats.due_today,
            overdue=stats.overdue,
            fmt=HTML,
        )
        await self._send(bot, message, text)

    async def on_help(self, message: Message, event_update: Update, bot: Bot) -> None:
        if not await self._command_allowed(message, event_update, bot):
            return
        _ = self._
        text = "\n".join(
            [
                HTML.b(_("Staff commands:")),
                HTML.t(_("/find NUMBER: a request's details (any digits)")),
                HTML.t(_("/overdue: requests past their due date")),
                HTML.t(_("/stats: counts by status and department")),
                HTML.t(
                    _(
                        "Use the buttons on a request's card to take, ask, accept, reject or reopen it."
                    )
                ),
            ]
        )
        await self._send(bot, message, text)

    async def _command_allowed(self, message: Message, update: Update, bot: Bot) -> bool:
        if not await self._first_time(update):
            return False
        user = message.from_user
        if user is None or not await self._auth.is_officer(bot, user.id):
            # an anonymous admin or a restricted member: nothing personal is shown
            log.warning("staff command refused to user %s", None if user is None else user.id)
            return False
        return True

    # ---- helpers ------------------------------------------------------------------------

    async def _first_time(self, update: Update) -> bool:
        claimed = await self._redis.set(
            _UPDATE_KEY.format(update=update.update_id), b"1", nx=True, ex=UPDATE_TTL_S
        )
        if not claimed:
            log.info("staff update %s already handled", update.update_id)
        return bool(claimed)

    async def _record(self, number: str) -> RequestRecord:
        record = await self._desk.find(number)
        if record is None:
            raise RequestNotFound(number)
        return record

    async def _open_for(self, number: str, target: RequestStatus) -> RequestRecord:
        """Checks before asking the officer to type: no prompt for a decided request. The
        desk checks again when the answer comes (the request may be decided meanwhile)."""
        record = await self._record(number)
        if record.status in FINAL:
            raise IllegalTransition(record.status, target)
        return record

    async def _decided(self, query: CallbackQuery, confirmation: str) -> None:
        await _answer(query, confirmation)
        await self._wake()

    async def _wake(self) -> None:
        result = self._kick()
        if inspect.isawaitable(result):
            await result

    def _today(self) -> dt.date:
        return riyadh_date(self._clock())

    def _not_found(self, number: str) -> str:
        return self._("No request has the number %(number)s.") % {"number": number}

    def _illegal(self, number: str, current: RequestStatus) -> str:
        return self._("Request %(number)s is «%(status)s»: this cannot be done now.") % {
            "number": number,
            "status": self._views.status(current),
        }

    async def _send(
        self,
        bot: Bot,
        to: Any,
        text: str,
        markup: InlineKeyboardMarkup | ForceReply | None = None,
    ) -> Message:
        """Sends into the staff group as a reply to ``to`` (the card, the officer's message),
        in the same forum topic."""
        chat_id, thread_id, reply = self._chat_id, None, None
        if isinstance(to, Message):
            chat_id = to.chat.id
            thread_id = to.message_thread_id if to.is_topic_message else None
            reply = ReplyParameters(message_id=to.message_id, allow_sending_without_reply=True)
        result = await send_with_retry(
            bot,
            SendMessage(
                chat_id=chat_id,
                text=text,
                parse_mode=ParseMode.HTML,
                message_thread_id=thread_id,
                reply_parameters=reply,
                reply_markup=markup,
                # a URL in a person's description must not be fetched for a preview
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            ),
        )
        assert isinstance(result, Message)
        return result


def _officer(user: User) -> Officer:
    return Officer(id=user.id, name=user.full_name[:MAX_NAME])


async def _answer(query: CallbackQuery, text: str | None = None, *, alert: bool = False) -> None:
    try:
        await query.answer(text=text[:200] if text else None, show_alert=alert)
    except TelegramAPIError:
        # "query is too old" after a restart: the action itself has been done or refused
        log.info("could not answer callback query", exc_info=True)


def _card_link(record: RequestRecord) -> str | None:
    """A t.me link to the card in a supergroup (``-100`` ids only have one)."""
    chat, message = record.staff_chat_id, record.staff_message_id
    if chat is None or message is None or not str(chat).startswith("-100"):
        return None
    internal = str(chat)[4:]
    if record.staff_thread_id:
        return f"https://t.me/c/{internal}/{record.staff_thread_id}/{message}"
    return f"https://t.me/c/{internal}/{message}"
