"""The staff group's commands: finding requests and seeing what needs whom.

- ``/find N``: a request number (its summary and a link to its card), an identity or
  border number (all of that person's requests, newest first), or a mobile number. A
  number of another kind (an establishment number, a mistyped one) is explained.
- ``/overdue``: past their due date, and those past it that wait for the person.
- ``/waiting``: waiting for the person's answer. ``/mine``: the officer's open requests.
  ``/unassigned``: open requests nobody has taken.
- ``/takeover N``: take a request another officer has; they are told.
- ``/find N`` shows the officers' internal notes too (``/note``: :mod:`bot.staff.notes`).
- ``/stats``, ``/help``.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from aiogram.filters import CommandObject
from aiogram.methods import SendPhoto
from aiogram.types import BufferedInputFile, Message, ReplyParameters, Update

from bot.channels.telegram_calls import send_with_retry
from bot.db.requests_repo import RequestRecord
from bot.staff.chart import draw_stats_chart
from bot.staff.group import StaffGroup, officer_of
from bot.staff.views import HTML
from conversations.formatting import isolate
from domain.identity import InvalidIdentityNumber, parse_identity_number
from domain.normalize import digits_only
from domain.phone import InvalidPhoneNumber, normalise_phone
from domain.request_number import FIRST_DIGITS, InvalidRequestNumber, parse_request_number
from domain.status import IllegalTransition
from officers.charts import LAST_14_DAYS, chart_texts
from officers.failures import RequestNotFound

log = logging.getLogger(__name__)

#: The first digit of an establishment number (Muqeem).
ESTABLISHMENT_FIRST_DIGIT = "7"


class CommandHandlers(StaffGroup):
    async def on_find(
        self, message: Message, command: CommandObject, event_update: Update, bot: Bot
    ) -> None:
        if not await self._command_allowed(message, event_update, bot):
            return
        await self._send(bot, message, await self._find(command.args or ""))

    async def _find(self, text: str) -> str:
        _ = self._
        digits = digits_only(text)
        usage = _(
            "Write after /find a request number, an identity number or a mobile number, for example: /find 4512345671"
        )
        if not digits or not digits.isascii():
            return HTML.t(usage)
        if len(digits) == 10 and digits[0] in FIRST_DIGITS:
            try:
                number = parse_request_number(digits)
            except InvalidRequestNumber:
                return HTML.t(_("That request number has a typing mistake: please check it."))
            record = await self._desk.find(number)
            if record is None:
                return HTML.t(self._not_found(number))
            return await self._one(record)
        if len(digits) == 10 and digits[0] == ESTABLISHMENT_FIRST_DIGIT:
            return HTML.t(
                _(
                    "That is an establishment number. Search by the worker's identity number or by the request number."
                )
            )
        if len(digits) == 10 and digits[0] in "123":
            try:
                identity = parse_identity_number(digits)
            except InvalidIdentityNumber:
                return HTML.t(_("That identity number has a typing mistake: please check it."))
            found = await self._desk.by_identity(identity.value)
            return await self._many(
                found, _("No request has the identity number %(number)s."), digits
            )
        try:
            phone = normalise_phone(text)
        except InvalidPhoneNumber:
            if len(digits) == 10:
                return HTML.t(usage)
            return HTML.t(
                _(
                    "That is neither a request number nor an identity number (both have ten digits) nor a valid mobile number."
                )
            )
        found = await self._desk.by_phone(phone)
        return await self._many(
            found, _("No request was filed with the mobile number %(number)s."), phone
        )

    async def _one(self, record: RequestRecord) -> str:
        notes = await self._desk.internal_notes(record.number)
        text = self._views.summary(record, HTML, today=self._today(), notes=notes)
        link = _card_link(record)
        if link:
            text += "\n" + HTML.link(self._("Open the card"), link)
        return text

    async def _many(self, records: list[RequestRecord], none: str, searched: str) -> str:
        if not records:
            return HTML.t(none % {"number": searched})
        if len(records) == 1:
            return await self._one(records[0])
        return self._listing(
            records,
            self.ngettext(
                "%(count)d request, newest first:", "%(count)d requests, newest first:", records
            ),
            "",
        )

    def ngettext(self, singular: str, plural: str, records: list[RequestRecord]) -> str:
        return self._views.texts.ngettext(singular, plural, len(records)) % {"count": len(records)}

    def _listing(self, records: list[RequestRecord], head: str, empty: str) -> str:
        return self._views.listing(records, HTML, today=self._today(), head=head, empty=empty)

    async def on_overdue(self, message: Message, event_update: Update, bot: Bot) -> None:
        if not await self._command_allowed(message, event_update, bot):
            return
        today = self._today()
        records = await self._desk.overdue(today)
        waiting = await self._desk.waiting()
        text = self._views.overdue(records, HTML, today=today, waiting=waiting)
        await self._send(bot, message, text)

    async def on_waiting(self, message: Message, event_update: Update, bot: Bot) -> None:
        if not await self._command_allowed(message, event_update, bot):
            return
        records = await self._desk.waiting()
        text = self._listing(
            records,
            self.ngettext(
                "%(count)d request waits for the person's answer:",
                "%(count)d requests wait for the person's answer:",
                records,
            ),
            self._("No request is waiting for the person's answer."),
        )
        await self._send(bot, message, text)

    async def on_mine(self, message: Message, event_update: Update, bot: Bot) -> None:
        if not await self._command_allowed(message, event_update, bot):
            return
        assert message.from_user is not None  # checked by _command_allowed
        records = await self._desk.assigned_to(officer_of(message.from_user).actor)
        text = self._listing(
            records,
            self.ngettext(
                "You have %(count)d open request:", "You have %(count)d open requests:", records
            ),
            self._("You have no open request."),
        )
        await self._send(bot, message, text)

    async def on_unassigned(self, message: Message, event_update: Update, bot: Bot) -> None:
        if not await self._command_allowed(message, event_update, bot):
            return
        records = await self._desk.unassigned()
        text = self._listing(
            records,
            self.ngettext(
                "%(count)d open request nobody has taken:",
                "%(count)d open requests nobody has taken:",
                records,
            ),
            # said plainly, also when nothing is open at all (was «every open request has
            # an officer», odd with none open; found by the fresh-clone tester)
            self._("There is no open request without an officer in charge."),
        )
        await self._send(bot, message, text)

    async def on_takeover(
        self, message: Message, command: CommandObject, event_update: Update, bot: Bot
    ) -> None:
        if not await self._command_allowed(message, event_update, bot):
            return
        _ = self._
        assert message.from_user is not None
        officer = officer_of(message.from_user)
        try:
            number = parse_request_number(command.args or "")
        except InvalidRequestNumber as exc:
            if exc.reason in ("length", "checksum"):
                # a number was written: say it looks mistyped, not that none was given
                typed = digits_only(command.args or "")
                usage = _(
                    "The request number «%(number)s» seems mistyped. A request number is 10 digits, the last one a check digit, for example: /takeover 4512345671"
                ) % {"number": typed}
            else:
                usage = _(
                    "Write the request number after /takeover, for example: /takeover 4512345671"
                )
            await self._send(bot, message, HTML.t(usage))
            return
        try:
            taken = await self._desk.take(number, officer, over=True)
        except RequestNotFound:
            reply = self._not_found(number)
        except IllegalTransition as exc:
            reply = self._illegal(number, exc.current)
        else:
            await self._wake()
            previous = isolate(taken.previous) if taken.previous else taken.previous
            reply = self._confirm.taken(number, previous=previous, already=taken.already)
        await self._send(bot, message, HTML.t(reply))

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
            satisfaction=stats.satisfaction,
        )
        await self._send(bot, message, text)
        await self._send_chart(bot, message)

    async def _send_chart(self, bot: Bot, message: Message) -> None:
        """The chart after the text; when it cannot be drawn or sent the text stands alone
        and one log line says why."""
        try:
            data = await self._desk.chart_data(self._today())
            texts = chart_texts(
                self._,
                LAST_14_DAYS,
                [*data.on_time, *data.satisfaction],
                self._views.department,
                rtl=self._views.locale == "ar",
            )
            png = await asyncio.to_thread(draw_stats_chart, data, texts)
            await send_with_retry(
                bot,
                SendPhoto(
                    chat_id=message.chat.id,
                    photo=BufferedInputFile(png, filename="stats.png"),
                    message_thread_id=message.message_thread_id
                    if message.is_topic_message
                    else None,
                    reply_parameters=ReplyParameters(
                        message_id=message.message_id, allow_sending_without_reply=True
                    ),
                ),
            )
        except Exception as exc:
            log.warning("the /stats chart was not sent: %s: %s", type(exc).__name__, exc)

    async def on_help(self, message: Message, event_update: Update, bot: Bot) -> None:
        if not await self._command_allowed(message, event_update, bot):
            return
        _ = self._
        lines = [
            HTML.b(_("Staff commands:")),
            HTML.t(_("/find NUMBER: a request by its number, a person's requests by identity or mobile number")),
            HTML.t(_("/waiting: requests waiting for the person's answer")),
            HTML.t(_("/mine: your open requests")),
            HTML.t(_("/unassigned: open requests nobody has taken")),
            HTML.t(_("/overdue: requests past their due date")),
            HTML.t(_("/takeover NUMBER: take a request another officer has (they are told)")),
            HTML.t(_("/stats: counts by status and department, and satisfaction")),
            HTML.t(_("/block NUMBER REASON: the person behind a request is no longer served; /unblock NUMBER lifts it")),
            HTML.t(_("/note NUMBER TEXT: an internal note on a request, for officers only (the person never sees it)")),
            HTML.t(
                _("Use the buttons on a request's card to take, ask, accept, reject, undo or reopen it.")
            ),
        ]  # fmt: skip
        await self._send(bot, message, "\n".join(lines))


def _card_link(record: RequestRecord) -> str | None:
    """A t.me link to the card in a supergroup (``-100`` ids only have one)."""
    chat, message = record.staff_chat_id, record.staff_message_id
    if chat is None or message is None or not str(chat).startswith("-100"):
        return None
    internal = str(chat)[4:]
    if record.staff_thread_id:
        return f"https://t.me/c/{internal}/{record.staff_thread_id}/{message}"
    return f"https://t.me/c/{internal}/{message}"
