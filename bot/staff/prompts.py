"""Prompts: the bot asks an officer to type a question or a reason, as a reply (ForceReply)
to its prompt; the reply is the text the desk acts on.

A pending prompt lives in Redis under (chat, prompt message id) with a TTL, so any worker
can take the officer's reply and nothing is lost on restart. It remembers the request's
version the prompt was offered for: if the request changed meanwhile the reply is refused
like a stale button. Once answered, the prompt itself becomes the confirmation (edited,
not a new message), so a finished exchange leaves the topic tidy.

A menu (the reject reasons, the ready questions) is a prompt too: it asks «why is request N
rejected?», so an officer's reply to it is the typed reason or question, as after «Other
(type it)». Found by the fresh-clone tester: a reply to the reasons menu was dropped without
a word and nothing was rejected. Only the officer who pressed may answer either (the text is
addressed to them, and a colleague's reply under it is more likely talk than a decision);
a colleague is told whose it is.

A reply that is not words enough (:func:`officers.typed_words.worded`: «👍», «لا», «تمام»
for what the person reads, a nod for a block's reason) is not taken, to a menu or to a typed
prompt: the officer is asked for words and the menu or prompt stays open. Found by tester
10b («👍» rejected a request and the resident read «السبب: 👍») and review 11 (the same
after «Other (type it)», and a bare «لا»).

A worded reply to a menu is not acted on at once either: a remark in the chat («لحظة
أتأكد») would have rejected the request with it as the reason (review 11, item 1). It is
shown back as the proposed reason or question with «Send» and «Cancel»
(:mod:`bot.staff.proposals`); a typed prompt's reply, which the officer asked to type, is
acted on as before.

The officer's natural answer to a re-ask («Please write the reason in words…») is a reply
to the re-ask, not to the prompt above it. Found by tester 11 (fault 3): that reply was
dropped without a word, and the officer believed the question had gone. Each re-ask is
remembered in Redis as standing for its prompt (:mod:`bot.staff.prompt_memory`, for as
long as the prompt waits), so a reply to it goes the same way as a reply to the prompt or
menu, on either worker, and the prompt's one record is still claimed once. So does the
line that tells a colleague whose prompt it is (tester 12, §20: the right officer's reply
to it was dropped). Those lines go when the prompt is done with (session 12's notes: they
stayed in the group).
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from aiogram import Bot
from aiogram.types import CallbackQuery, ForceReply, Message, Update

from bot.staff.group import answer, officer_of
from bot.staff.menus import pick_menu
from bot.staff.prompt_memory import (
    PROMPT_KEY,
    PROMPT_TTL_S,
    PromptKind,
    PromptMemory,
    expired,
)
from bot.staff.views import HTML, mention, script_mismatch
from conversations.formatting import isolate
from conversations.ports import SayRefused
from domain.status import IllegalTransition
from officers.failures import AlreadyTaken, MissingReason, RequestNotFound, StaleAction
from officers.officer import Officer
from officers.typed_words import worded

log = logging.getLogger(__name__)

__all__ = ["PROMPT_TTL_S", "PromptHandlers", "PromptKind"]


class PromptHandlers(PromptMemory):
    async def _prompt(
        self,
        bot: Bot,
        query: CallbackQuery,
        kind: PromptKind,
        number: str,
        version: int,
        officer: Officer,
        template: str,
        *,
        placeholder: str,
        note: str | None = None,
    ) -> None:
        sent = await self._send(
            bot,
            query.message,
            self._addressed(template, number, officer),
            ForceReply(force_reply=True, selective=True, input_field_placeholder=placeholder[:64]),
        )
        await self._await_reply(sent, kind, number, version, officer)
        await answer(query, note or self._toast(kind))

    def _toast(self, kind: PromptKind) -> str:
        """The tap's toast: what the prompt asks the officer to type, a question or a
        reason (tester 14, §15: «يُرجى كتابة الإجابة» above a prompt for a question)."""
        if kind == "ask":
            return self._("Type the question as a reply to my message.")
        return self._("Type the reason as a reply to my message.")

    async def _offer_menu(
        self,
        bot: Bot,
        query: CallbackQuery,
        number: str,
        officer: Officer,
        *,
        kind: PromptKind,
        version: int,
        template: str,
        choices: Iterable[tuple[int | str, str]],
        data: Callable[[int | str], str],
        other: str,
    ) -> None:
        """A menu (:func:`bot.staff.menus.pick_menu`: ``choices``, then ``other`` and
        «Cancel») as a reply to the card, its ``template`` addressed to the officer who
        pressed; the tap is answered. The officer's reply to the menu is taken as the
        ``kind`` of text typed for the request at ``version`` (see the module)."""
        menu = pick_menu(choices, data, other=other, cancel=self._("Cancel"))
        sent = await self._send(
            bot, query.message, self._addressed(template, number, officer), menu
        )
        await self._await_reply(sent, kind, number, version, officer, menu=True)
        await answer(query)

    async def _close_menu(self, bot: Bot, query: CallbackQuery, said: str | None = None) -> None:
        """The menu is done with («Cancel», or «type your own» before its prompt): it goes."""
        await self._menu_answered(bot, query)
        await self._delete(bot, query.message)
        if said is not None:
            await answer(query, said)

    async def _menu_answered(self, bot: Bot, query: CallbackQuery) -> None:
        """A button of the menu was pressed: a reply to it is no longer awaited, and the
        bot's lines under it go."""
        message = query.message
        if isinstance(message, Message):
            chat, menu = message.chat.id, message.message_id
            await self._redis.delete(PROMPT_KEY.format(chat=chat, message=menu))
            await self._tidy(bot, chat, menu)

    def _addressed(self, template: str, number: str, officer: Officer) -> str:
        """A prompt's or a menu's text (``template``, translated, with ``%(officer)s`` and
        ``%(number)s``) as HTML: the officer mentioned, so Telegram notifies them, and the
        request number as code, easy to copy."""
        return HTML.t(template) % {
            "officer": mention(officer.actor, officer.name, HTML, self._views.texts),
            "number": HTML.code(number),
        }

    async def on_reply(self, message: Message, event_update: Update, bot: Bot) -> None:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or replied.from_user.id != bot.id:
            return  # officers talking among themselves
        found = await self._prompt_of(message.chat.id, replied.message_id)
        if found is None:
            return  # a reply to some other message of the bot, or a prompt long expired
        prompt_id, key, raw = found
        if not await self._first_time(event_update):
            return
        if expired(json.loads(raw), await self._redis_ms()):
            # past its deadline, not yet swept: closed now, and the officer told how to go on
            if await self._close_expired(bot, message.chat.id, prompt_id):
                await self._send(bot, message, HTML.t(self._expired_text(json.loads(raw))))
            return
        _ = self._
        if await self._anonymous(message, bot):
            return  # the prompt stays open for the officer, posting as themselves
        user = message.from_user
        if user is None or not await self._auth.is_officer(bot, user.id):
            log.warning("reply to a staff prompt refused: sender is not an officer")
            return
        prompt = json.loads(raw)
        if prompt["officer"] != user.id:
            # this line stands for the prompt too: the officer it is for may well reply to
            # it (tester 12, §20: that reply was dropped without a word)
            told = await self._send(
                bot, message, HTML.t(_("This prompt is for the officer who pressed the button."))
            )
            await self._stands_for(told, prompt_id, key)
            return
        text = (message.text or message.caption or "").strip()
        kind = prompt["kind"]
        if not text or not worded(text, person_reads=kind != "block"):
            # not claimed: the menu or prompt stays open for the words, and a reply to
            # this re-ask counts as a reply to it
            again = (
                self._wordless(kind, menu=bool(prompt.get("menu")))
                if text
                else _("Please type it as text.")
            )
            asked = await self._send(bot, message, HTML.t(again))
            await self._stands_for(asked, prompt_id, key)
            return
        if prompt.get("menu") or await self._other_script(kind, prompt["number"], text):
            # a reason not in the person's language is shown back with the warning, for
            # «Send» or «Cancel», as a menu's reply is (review 11, §15)
            await self._propose(bot, message, (message.chat.id, prompt_id), key, prompt, text)
            return
        # Claim the prompt: of two workers (or a redelivered update) only one acts on it.
        if await self._redis.getdel(key) is None:
            return
        await self._tidy(bot, message.chat.id, prompt_id)
        number = prompt["number"]
        if kind == "block":
            # about the person, not the request's state: no version to check
            reply = await self._block_with_reason(number, officer_of(user), text)
            if not await self._edit_at(bot, message.chat.id, prompt_id, reply):
                await self._send(bot, message, reply)
            return
        try:
            done, reply = await self._act_on_text(
                kind, number, prompt.get("version"), officer_of(user), text
            )
        except Exception:
            # the officer's words must not be lost to a database hiccup: they can reply again
            await self._keep_waiting(message.chat.id, prompt_id, raw)
            with contextlib.suppress(Exception):
                await self._send(
                    bot, message, HTML.t(_("Something went wrong. Please send it again."))
                )
            raise
        # done: the prompt becomes the confirmation; refused: a reply says why
        if not (done and await self._edit_at(bot, message.chat.id, prompt_id, HTML.t(reply))):
            await self._send(bot, message, HTML.t(reply))

    def _wordless(self, kind: str, *, menu: bool) -> str:
        """What an officer is told when their reply is not words enough (see the module)."""
        _ = self._
        if kind == "block":
            return _("Please write the reason in words.")
        if menu:
            if kind == "ask":
                return _("Please write the question in words, or pick one from the list.")
            return _("Please write the reason in words, or pick one from the list.")
        if kind == "ask":
            return _("Please write the question in a few words: the person will read it.")
        return _("Please write the reason in a few words: the person will read it.")

    async def _propose(
        self,
        bot: Bot,
        message: Message,
        menu: tuple[int, int],
        key: str,
        prompt: dict[str, Any],
        text: str,
        *,
        stray: bool = False,
    ) -> None:
        """A worded reply to the menu ``menu`` (chat, message id; its Redis record ``prompt`` under
        ``key``): shown back for the officer to send or cancel
        (:class:`bot.staff.proposals.ProposalHandlers`)."""
        raise NotImplementedError

    async def _act_on_text(
        self, kind: str, number: str, version: int | None, officer: Officer, text: str
    ) -> tuple[bool, str]:
        """The desk acts on the officer's ``text`` (a question, a reason): (True, the
        confirmation) when done, (False, why not) when the desk refused it. Other errors
        are raised for the caller to keep the officer's words."""
        _ = self._
        try:
            return True, await self._prompted(kind, number, version, officer, text)
        except RequestNotFound:
            return False, self._not_found(number)
        except IllegalTransition as exc:
            return False, self._illegal(number, exc.current)
        except StaleAction:
            return False, self._stale(await self._record(number))
        except SayRefused:  # a reconsideration answered (or reopened) since the prompt
            return False, self._stale(await self._record(number))
        except AlreadyTaken as exc:  # taken by another officer since the prompt was offered
            return False, self._taken(number, exc.name)
        except MissingReason:
            return False, _("Please type it as text.")

    async def _other_script(self, kind: str, number: str, text: str) -> bool:
        """Whether a typed rejection's reason (or the reason a rejection is kept for, or
        a typed question) is not in the script of the language the person reads: then it
        goes through a proposal, with the warning, before it is sent (a kept rejection's
        was flagged only after it was sent: session 12's notes; a typed question reached
        the person at once: fresh-clone tester 15, §10). False for other kinds and for a
        request not found (the desk says so)."""
        if kind not in ("reject", "keep", "ask"):
            return False
        try:
            record = await self._record(number)
        except Exception:
            # not found, or the database failing: the act that follows says so, and on
            # a failure apologises and keeps the prompt for the same reply again
            return False
        return script_mismatch(text, record.locale)

    def _language_warning(self, kind: str, text: str, locale: str) -> str:
        """The warning under a proposal whose words are not in the script of the language
        the person reads (``locale``), so «Cancel» is a real choice; else nothing."""
        if kind == "block" or not script_mismatch(text, locale):
            return ""  # a block's reason is for the officers
        if kind == "ask":
            said = self._("Note: the person reads %(language)s, and your question is not in it.")
        else:
            said = self._("Note: the person reads %(language)s, and your reason is not in it.")
        return said % {"language": self._views.language(locale)}

    async def _prompted(
        self, kind: str, number: str, version: int | None, officer: Officer, text: str
    ) -> str:
        confirm = self._confirm
        offered = version if isinstance(version, int) else None
        if kind == "ask":
            record = await self._desk.ask(number, officer, text, offered=offered)
            mismatch = script_mismatch(text, record.locale)
            language = self._views.language(record.locale) if mismatch else None
            answer_text = confirm.asked(number, other_language=language)
        elif kind == "reject":
            # a reason not in the person's language was shown with its warning before
            # «Send» (the proposal), so the confirmation does not repeat it
            await self._desk.reject(number, officer, text, offered=offered)
            grace_s = self._desk.decision_grace_s
            answer_text = confirm.rejected(number, isolate(officer.name), grace_s=grace_s)
        elif kind == "keep":
            # a reason not in the person's language was flagged in its proposal, before
            # «Send» (as a rejection's is)
            await self._desk.keep_rejected(number, officer, text, offered=offered)
            answer_text = confirm.kept(number)
        elif kind == "block":  # proposed from a message that did not reply (bot.staff.stray)
            outcome = await self._block_list().block(number, officer, text)
            if outcome.changed:
                await self._redraw(number)
            answer_text = confirm.blocked(number, isolate(officer.name), changed=outcome.changed)
        else:
            await self._desk.reopen(number, officer, text, offered=offered)
            answer_text = confirm.reopened(number, isolate(officer.name))
        await self._wake()
        return answer_text
