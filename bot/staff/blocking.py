"""Blocking the person behind a request from the staff group: ``/block NUMBER reason``,
``/unblock NUMBER``, and the «⛔» button on a card, which asks for the reason as a reply
(a prompt, like a rejection's own reason). Only officers can do it, checked like every
other staff action; the block itself is :class:`bot.abuse.blocks.BlockList`'s (SQL, then
Redis), the same one ``tawasul staff block`` uses, and every block and unblock stays in its
table as the audit trail.

The number is read as ``/rate`` reads it (:func:`conversations.say_commands.split_arguments`):
in any digits, typed in groups («4512 345 670») or with dashes, the words after it the
reason. Found by review 11 (item 3): only the first word was the number, so a number typed
in groups got the usage line.

The reason is for the officers and the audit: the person is never shown it.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, Message, Update

from bot.abuse.blocks import BlockList, BlockOutcome
from bot.staff.actors import actor_name
from bot.staff.callbacks import block_mark
from bot.staff.desk import refresh_sender_cards
from bot.staff.group import StaffGroup, answer, officer_of
from bot.staff.views import HTML
from conversations.command_arguments import split_arguments
from conversations.formatting import isolate
from domain.identity import (
    InvalidIdentityNumber,
    parse_establishment_number,
    parse_identity_number,
)
from domain.luhn import luhn_checksum_valid
from domain.normalize import digits_only
from domain.request_number import (
    FIRST_DIGITS,
    REQUEST_NUMBER_LENGTH,
    InvalidRequestNumber,
    parse_request_number,
)
from officers.failures import MissingReason, RequestNotFound
from officers.officer import Officer
from officers.typed_words import worded

log = logging.getLogger(__name__)


class BlockHandlers(StaffGroup):
    #: set by :func:`bot.staff.router.staff_router`
    blocks: BlockList | None = None

    def _block_list(self) -> BlockList:
        if self.blocks is None:
            raise RuntimeError("the staff group has no block list")
        return self.blocks

    async def on_block(
        self, message: Message, command: CommandObject, event_update: Update, bot: Bot
    ) -> None:
        if not await self._command_allowed(message, event_update, bot):
            return
        assert message.from_user is not None  # checked by _command_allowed
        _ = self._
        number_text, reason = split_arguments("block", command.args or "")
        problem = self._not_a_request_number(number_text, "/block 4512345671")
        if problem is not None:
            await self._send(bot, message, HTML.t(problem))
            return
        try:
            number = parse_request_number(number_text)
        except InvalidRequestNumber:
            number = ""
        if not number or not reason.strip():
            usage = _(
                "Write the request number and the reason after /block, for example: /block 4512345671 insulting messages"
            )
            await self._send(bot, message, HTML.t(usage))
            return
        if not worded(reason, person_reads=False):
            # as a reply to «⛔»'s prompt: a nod or an emoji is not a reason (typed_words)
            await self._send(bot, message, HTML.t(_("Please write the reason in words.")))
            return
        reply = await self._block_with_reason(number, officer_of(message.from_user), reason)
        await self._send(bot, message, reply)

    async def on_unblock(
        self, message: Message, command: CommandObject, event_update: Update, bot: Bot
    ) -> None:
        if not await self._command_allowed(message, event_update, bot):
            return
        assert message.from_user is not None
        _ = self._
        number_text, rest = split_arguments("block", command.args or "")
        problem = self._not_a_request_number(number_text, "/unblock 4512345671")
        if problem is not None:
            await self._send(bot, message, HTML.t(problem))
            return
        try:
            if rest:  # words after the number: not the number alone
                raise InvalidRequestNumber("not_digits")
            number = parse_request_number(number_text)
        except InvalidRequestNumber:
            usage = _("Write the request number after /unblock, for example: /unblock 4512345671")
            await self._send(bot, message, HTML.t(usage))
            return
        try:
            outcome = await self._block_list().unblock(number, officer_of(message.from_user))
        except RequestNotFound:
            await self._send(bot, message, HTML.t(self._not_found(number)))
            return
        if outcome.changed:
            await self._redraw(number)
        await self._send(bot, message, self._unblocked(outcome, officer_of(message.from_user)))

    def _not_a_request_number(self, text: str, example: str) -> str | None:
        """Why the ten digits after /block or /unblock are not a request number, said
        plainly: a request number whose check digit (the last) does not match, an
        identity, iqama or border number whose check digit does not match, or a valid
        identity, iqama, border or establishment number (blocking takes the request number).
        None for a request number, and for anything else, a mobile number among them (the
        usage answers that). Found by the review of session 10: a number with a wrong check
        digit got the usage line, as if no number had been written; and a mobile number was
        then called an identity number."""
        _ = self._
        digits = digits_only(text.strip())
        if len(digits) != REQUEST_NUMBER_LENGTH or not digits.isascii():
            return None
        if digits[0] in FIRST_DIGITS:
            if luhn_checksum_valid(digits):
                return None
            return _(
                "«%(number)s» is not a valid request number: its last digit (the check digit) does not match the others. Please check it."
            ) % {"number": digits}
        if digits[0] in "123":
            try:
                parse_identity_number(digits)
            except InvalidIdentityNumber:
                return _(
                    "«%(number)s» is not a valid identity, iqama or border number: its last digit (the check digit) does not match the others. Blocking takes the request number, for example: %(example)s"
                ) % {"number": digits, "example": example}
        else:
            try:
                parse_establishment_number(digits)
            except InvalidIdentityNumber:
                # a mobile (05…) or another number of no known kind: naming it an identity
                # number would mislead (review 10, item 8); the usage line says what to write
                return None
        return _(
            "«%(number)s» is an identity or establishment number, not a request number. Blocking takes the request number (/find %(number)s lists that person's requests), for example: %(example)s"
        ) % {"number": digits, "example": example}

    async def _block_pressed(
        self, bot: Bot, query: CallbackQuery, number: str, offered: int, officer: Officer
    ) -> None:
        """«⛔» on a card: the reason is asked for, unless the person is blocked already."""
        _ = self._
        if await self._block_list().is_blocked(number):
            await answer(
                query, self._confirm.blocked(number, officer.name, changed=False), alert=True
            )
            return
        await self._prompt(  # type: ignore[attr-defined]  # PromptHandlers, below in the MRO
            bot, query, "block", number, offered, officer,
            _("%(officer)s, type why the person behind request %(number)s is blocked, as a reply to this message. The person will not see it."),
            placeholder=_("The reason for blocking"),
        )  # fmt: skip

    async def _block_with_reason(self, number: str, officer: Officer, reason: str) -> str:
        """Blocks, and says what happened, in HTML."""
        _ = self._
        try:
            outcome = await self._block_list().block(number, officer, reason)
        except RequestNotFound:
            return HTML.t(self._not_found(number))
        except MissingReason:
            return HTML.t(_("Please type it as text."))
        if outcome.changed:
            await self._redraw(number)
        done = self._confirm.blocked(number, isolate(officer.name), changed=outcome.changed)
        if not outcome.changed:
            return HTML.t(done)
        return HTML.t(done) + "\n" + HTML.b(_("Reason:")) + " " + HTML.user(reason.strip())

    def _unblocked(self, outcome: BlockOutcome, officer: Officer) -> str:
        return HTML.t(self._unblocked_plain(outcome, officer))

    async def _unblock_pressed(
        self, bot: Bot, query: CallbackQuery, number: str, officer: Officer, shown: str | None
    ) -> None:
        """«Lift the block» on a card lifts it at the first press, and says so under the
        card, for every officer to see, as ``/unblock`` does, and in the answer to the
        press (tester 15: the first press of a second-press confirmation showed only a
        passing alert, read as nothing happening). A slip is undone with ``/block``.
        A person no longer blocked is said so, and the card redrawn.

        ``shown``: the mark of the block the card showed (:func:`block_mark`). A block
        lifted and laid again since (by another officer, or for another reason) is not
        the one the officer chose to lift: nothing is lifted, the officer is told who
        blocked now, and the card is redrawn (session 13's notes: the button had no
        check, so a stale card lifted a block it never showed). A card drawn before
        marks is treated as out of date the same way."""
        _ = self._
        record = await self._record(number)
        if record.sender_blocked_by is None:
            await self._redraw(number)  # the card pressed was out of date
            answer_text = self._confirm.unblocked(number, officer.name, changed=False)
            await answer(query, answer_text, alert=True)
            return
        mark = block_mark(record.sender_blocked_by, record.sender_block_reason or "")
        if shown != mark:
            await self._redraw(number)
            by = actor_name(record.sender_blocked_by, self._views.texts)
            changed = _(
                "The block on the person behind request %(number)s is not the one this card showed: it now stands by %(officer)s. Nothing was lifted; the card is redrawn, to be pressed again if it should go."
            ) % {"number": number, "officer": isolate(by)}
            await answer(query, changed, alert=True)
            return
        outcome = await self._block_list().unblock(number, officer)
        if outcome.changed:
            await self._redraw(number)
        said = self._unblocked_plain(outcome, officer)
        await answer(query, said, alert=True)
        if outcome.changed:
            await self._send(bot, query.message, HTML.t(said))

    async def _redraw(self, number: str) -> None:
        """The cards of the person behind ``number`` redrawn at once, after a block or an
        unblock (:func:`bot.staff.desk.refresh_sender_cards`); a failure leaves them to
        their next redraw and is only logged: the block itself stands."""
        try:
            await refresh_sender_cards(self._desk.sessions, number)
        except Exception:
            log.warning("request %s: the sender's cards were not redrawn", number, exc_info=True)
            return
        await self._wake()

    def _unblocked_plain(self, outcome: BlockOutcome, officer: Officer) -> str:
        by = actor_name(outcome.by or "", self._views.texts) if outcome.changed else ""
        return self._confirm.unblocked(
            outcome.number, isolate(officer.name), changed=outcome.changed, by=isolate(by)
        )
