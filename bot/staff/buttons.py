"""The buttons officers press on cards, digests, the reject-reasons menu and the ready
questions (:mod:`bot.staff.questions`).

Each button says which version of the request it was offered for (see
:mod:`bot.staff.callbacks`). The desk refuses an action on a request that changed since
(:class:`~bot.staff.desk.StaleAction`), and a take of a request someone else has
(:class:`~bot.staff.desk.AlreadyTaken`); the officer is told why, in the first answer to the
tap, and a button that can no longer apply is taken off the message it was on (a digest's
take button, a reasons menu), while the card itself is re-rendered by the outbox.

«✅» on a request nobody has reviewed asks once for confirmation (a second press within
:data:`CONFIRM_TTL_S`). A decision reaches the person after the desk's grace period; «↩️»
on the card undoes it until then, and reopens it (with a reason) after.

The first answer to a tap says what the card will show, since the card's edit follows
from the outbox.
"""

from __future__ import annotations

import logging
from typing import Final

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, Update

from bot.db.requests_repo import RequestRecord
from bot.staff.callbacks import (
    ACCEPT,
    ASK,
    BLOCK,
    DROP_PROPOSED,
    KEEP_REJECTED,
    QUESTION,
    REJECT,
    REOPEN,
    REOPEN_ASKED,
    SEND_PROPOSED,
    TAKE,
    UNBLOCK,
    StaffAction,
    parse_callback,
    reason_callback,
    reject_reasons,
)
from bot.staff.group import answer, officer_of
from bot.staff.menus import CANCEL, OTHER
from bot.staff.outcomes import check_owner, record_fresh
from bot.staff.questions import QuestionHandlers
from bot.staff.views import HTML
from conversations.formatting import isolate
from conversations.ports import SayRefused
from domain.status import FINAL, IllegalTransition, RequestStatus
from officers.failures import AlreadyTaken, RequestNotFound, StaleAction, TooLateToUndo
from officers.officer import Officer

log = logging.getLogger(__name__)

#: How long a first «✅» on an unreviewed request waits for the confirming second press.
CONFIRM_TTL_S: Final = 60
_CONFIRM_KEY: Final = "tawasul:staff:confirm:{user}:{number}:{version}"


class ButtonHandlers(QuestionHandlers):
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
            await answer(query)
            return
        if not await self._auth.is_officer(bot, user.id):
            log.warning(
                "staff button %s refused to user %s: not an officer", action.action, user.id
            )
            await answer(
                query, _("Only the directorate's officers can act on requests."), alert=True
            )
            return
        officer = officer_of(user)
        try:
            await self._act(bot, query, action, officer)
        except RequestNotFound:
            await answer(query, self._not_found(action.number), alert=True)
        except AlreadyTaken as exc:
            await self._prune(bot, query, action.number)
            await answer(query, self._taken(action.number, exc.name), alert=True)
        except (StaleAction, IllegalTransition):
            await self._out_of_date(bot, query, action)
        except Exception:
            # the database or Telegram failed mid-way: say so rather than leave the button
            # spinning; the desk's transaction either happened whole or not at all
            await answer(query, _("Something went wrong. Please try again."), alert=True)
            raise

    async def _act(
        self, bot: Bot, query: CallbackQuery, action: StaffAction, officer: Officer
    ) -> None:
        _ = self._
        number, offered = action.number, action.version
        if offered is None:
            raise StaleAction(number)  # a button from before versions
        if action.action == TAKE:
            taken = await self._desk.take(number, officer, offered=offered)
            await self._prune(bot, query, number)
            if taken.already:
                await answer(query, self._confirm.taken(number, already=True))
                return
            await self._done(query, self._confirm.taken(number), taken.record)
        elif action.action == ACCEPT:
            await self._accept(query, number, offered, officer)
        elif action.action == ASK:
            record = await self._open_for(number, offered, officer, RequestStatus.NEEDS_INFO)
            if record.status is RequestStatus.NEEDS_INFO:
                raise StaleAction(number)  # one question at a time
            await self._question_picker(bot, query, number, offered, officer)
        elif action.action == REJECT:
            await self._open_for(number, offered, officer, RequestStatus.REJECTED)
            await self._reason_picker(bot, query, number, offered, officer)
        elif action.action == REOPEN:
            await self._undo_or_reopen(bot, query, number, offered, officer)
        elif action.action == BLOCK:
            await self._block_pressed(bot, query, number, offered, officer)
        elif action.action == UNBLOCK:
            await self._unblock_pressed(bot, query, number, officer, action.choice)
        elif action.action == QUESTION:
            await self._question_chosen(bot, query, action, officer)
        elif action.action == KEEP_REJECTED:
            await self._keep_pressed(bot, query, number, offered, officer)
        elif action.action in (SEND_PROPOSED, DROP_PROPOSED):
            await self._proposal_pressed(bot, query, action, officer)
        elif action.action == REOPEN_ASKED:
            await self._reconsidered(query, action.action, number, offered, officer)
        else:
            await self._reason_chosen(bot, query, action, officer)

    async def _accept(
        self, query: CallbackQuery, number: str, offered: int, officer: Officer
    ) -> None:
        _ = self._
        record = await self._open_for(number, offered, officer, RequestStatus.ACCEPTED)
        if record.status is RequestStatus.RECEIVED:
            key = _CONFIRM_KEY.format(user=officer.id, number=number, version=offered)
            if await self._redis.getdel(key) is None:
                await self._redis.set(key, b"1", ex=CONFIRM_TTL_S)
                await answer(
                    query,
                    _(
                        "Nobody has reviewed request %(number)s yet. Press ✅ again to accept it as it is."
                    )
                    % {"number": number},
                    alert=True,
                )
                return
        accepted = await self._desk.accept(number, officer, offered=offered)
        await self._done(
            query,
            self._confirm.accepted(
                number, isolate(officer.name), grace_s=self._desk.decision_grace_s
            ),
            accepted,
        )

    async def _undo_or_reopen(
        self, bot: Bot, query: CallbackQuery, number: str, offered: int, officer: Officer
    ) -> None:
        _ = self._
        record = await self._record(number)
        if record.status not in FINAL:
            raise StaleAction(number)
        if not record_fresh(record, officer, offered):
            raise StaleAction(number)
        check_owner(record, officer)
        try:
            undone = await self._desk.undo(number, officer, offered=offered)
        except TooLateToUndo:
            await self._prompt(
                bot, query, "reopen", number, offered, officer,
                _("%(officer)s, type why request %(number)s is reopened, as a reply to this message."),
                placeholder=_("The reason for reopening"),
                note=_("The person has already been told of the decision: type why it is reopened."),
            )  # fmt: skip
            return
        await self._done(query, self._confirm.undone(number), undone)

    async def _keep_pressed(
        self, bot: Bot, query: CallbackQuery, number: str, offered: int, officer: Officer
    ) -> None:
        """«Keep rejected» asks for the reason, as «reject» does: the person asked with a
        reason and is owed one (the button kept the rejection at once, with none; found by
        the fresh-clone tester). The desk keeps it when the officer replies."""
        _ = self._
        record = await self._record(number)
        if record.status is not RequestStatus.REJECTED or not record.reconsider_reason:
            raise StaleAction(number)  # answered already, or reopened otherwise
        if not record_fresh(record, officer, offered):
            raise StaleAction(number)
        check_owner(record, officer)
        await self._prompt(
            bot, query, "keep", number, offered, officer,
            _("%(officer)s, type why request %(number)s stays rejected, as a reply to this message. The person will read it."),
            placeholder=_("The reason for the person"),
        )  # fmt: skip

    async def _reconsidered(
        self, query: CallbackQuery, action: str, number: str, offered: int, officer: Officer
    ) -> None:
        """The officer's answer to the person's request for reconsideration: reopened as
        asked («keep rejected» asks for a reason first: :meth:`_keep_pressed`)."""
        try:
            record = await self._desk.reopen_on_request(number, officer, offered=offered)
            done = self._confirm.reopened_as_asked(number)
        except SayRefused:
            raise StaleAction(number) from None  # answered already, or reopened otherwise
        await self._done(query, done, record)

    async def _reason_picker(
        self, bot: Bot, query: CallbackQuery, number: str, offered: int, officer: Officer
    ) -> None:
        _ = self._
        await self._offer_menu(
            bot, query, number, officer, kind="reject", version=offered,
            template=_("%(officer)s, why is request %(number)s rejected? The person will read this reason."),
            choices=enumerate(r.text(self._views.locale) for r in reject_reasons()),
            data=lambda choice: reason_callback(number, offered, choice),
            other=_("Other (type it)"),
        )  # fmt: skip

    async def _reason_chosen(
        self, bot: Bot, query: CallbackQuery, action: StaffAction, officer: Officer
    ) -> None:
        _ = self._
        number, choice, offered = action.number, action.choice, action.version
        assert offered is not None
        if choice == CANCEL:
            await self._close_menu(bot, query, _("Rejection cancelled."))
            return
        record = await self._open_for(number, offered, officer, RequestStatus.REJECTED)
        if choice == OTHER:
            await self._close_menu(bot, query)
            await self._prompt(
                bot, query, "reject", number, offered, officer,
                _("%(officer)s, type the reason for rejecting request %(number)s, as a reply to this message. The person will read it."),
                placeholder=_("The reason for the person"),
            )  # fmt: skip
            return
        reasons = reject_reasons()
        index = int(choice or "-1")
        if not 0 <= index < len(reasons):
            log.warning("unknown reject reason %s from user %s ignored", index, officer.id)
            await answer(query)
            return
        # the person reads the reason in their own language, fixed now
        reason = reasons[index].text(record.locale)
        rejected = await self._desk.reject(number, officer, reason, offered=offered)
        await self._menu_answered(bot, query)
        done = self._confirm.rejected(
            number, isolate(officer.name), grace_s=self._desk.decision_grace_s
        )
        await self._edit(
            bot,
            query.message,
            HTML.t(done) + "\n" + HTML.b(_("Reason:")) + " " + HTML.user(reason),
        )
        await self._done(query, done, rejected)

    # ---- helpers ------------------------------------------------------------------------

    async def _open_for(
        self, number: str, offered: int, officer: Officer, target: RequestStatus
    ) -> RequestRecord:
        """Checks before asking the officer anything more: no menu or prompt for a request
        that is decided, changed, or another officer's. The desk checks again when the answer
        comes."""
        record = await self._record(number)
        if record.status in FINAL:
            raise IllegalTransition(record.status, target)
        if not record_fresh(record, officer, offered):
            raise StaleAction(number)
        check_owner(record, officer)
        return record

    async def _done(self, query: CallbackQuery, confirmation: str, record: RequestRecord) -> None:
        await answer(query, confirmation + "\n" + self._cards.preview(record))
        await self._wake()

    async def _out_of_date(self, bot: Bot, query: CallbackQuery, action: StaffAction) -> None:
        """The button no longer applies: say what the request is now, take the button off
        a digest or a menu, and have the card re-rendered (it may be the card itself)."""
        try:
            record = await self._record(action.number)
        except RequestNotFound:
            await answer(query, self._not_found(action.number), alert=True)
            return
        if action.action in ("nr", QUESTION):
            await self._delete(bot, query.message)
        else:
            await self._prune(bot, query, action.number)
        await self._desk.refresh(action.number)
        await self._wake()
        await answer(query, self._stale(record), alert=True)

    async def _prune(self, bot: Bot, query: CallbackQuery, number: str) -> None:
        """Takes the request's take button off a message listing several (a digest); the
        card's own buttons are the outbox's to change."""
        message = query.message
        if not isinstance(message, Message) or message.reply_markup is None:
            return
        rows = message.reply_markup.inline_keyboard
        if len(rows) < 2 or not all(len(row) == 1 for row in rows):
            return  # not a digest: one take button per row, several rows
        kept = [
            row
            for row in rows
            if not (row[0].callback_data or "").startswith(f"st:{TAKE}:{number}:")
            and (row[0].callback_data or "") != f"st:{TAKE}:{number}"
        ]
        if len(kept) == len(rows):
            return
        try:
            await bot.edit_message_reply_markup(
                chat_id=message.chat.id,
                message_id=message.message_id,
                reply_markup=InlineKeyboardMarkup(inline_keyboard=kept) if kept else None,
            )
        except TelegramAPIError as exc:
            log.info(
                "could not prune digest %s (%s: %s)",
                message.message_id,
                type(exc).__name__,
                exc.message,
            )


__all__ = ["ACCEPT", "ASK", "REJECT", "REOPEN", "TAKE", "ButtonHandlers"]
