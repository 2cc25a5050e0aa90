"""An officer's reply to a menu (the reject reasons, the ready questions) is shown back to
them before the desk acts on it.

Found by review 11 (item 1): since c703656 a reply to «نورة، ما سبب رفض الطلب رقم …؟» was
the reason at once, so a remark in the chat written as a reply («لحظة أتأكد», «one
moment, let me check») rejected the request and the resident read it as the reason. Now
the reply is quoted back under it, «سيُرفض الطلب رقم … بهذا السبب…», with «إرسال الرفض» (or
«إرسال السؤال») and «إلغاء»; only the officer who pressed the menu may press them, and the
desk acts on the press, checked as a button is (the request's version of the menu).

A proposal lives in Redis under a random token the buttons carry (:data:`PROPOSAL_TTL_S`),
so either worker takes the press, and nothing is lost on a restart. Sending claims the
proposal and then the menu (``GETDEL`` each), so of two presses, two workers or a proposal
and a tap on the menu's own buttons, one acts. A newer reply to the same menu replaces the
proposal before it (its message goes). «Cancel» drops the proposal and leaves the menu
open; a menu answered meanwhile makes the proposal void.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
from typing import Any, Final

from aiogram import Bot
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from redis.exceptions import RedisError

from bot.staff.callbacks import DROP_PROPOSED, SEND_PROPOSED, StaffAction, action_data
from bot.staff.group import answer, officer_of
from bot.staff.outcomes import record_fresh
from bot.staff.prompt_memory import expired
from bot.staff.prompts import PROMPT_TTL_S, PromptHandlers
from bot.staff.views import HTML
from domain.status import FINAL
from officers.desk_rules import held_by_another
from officers.failures import RequestNotFound
from officers.officer import Officer

log = logging.getLogger(__name__)

#: How long a proposal waits for its «Send» or «Cancel» (as long as the menu it answers).
PROPOSAL_TTL_S: Final = PROMPT_TTL_S
_PROPOSAL_KEY: Final = "tawasul:staff:proposal:{token}"


class ProposalHandlers(PromptHandlers):
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
        """Quotes ``text`` back under the officer's ``message`` with «Send» and «Cancel»,
        and keeps it in Redis for either worker (see the module)."""
        _ = self._
        assert message.from_user is not None  # checked by on_reply
        officer = officer_of(message.from_user)
        kind, number, version = prompt["kind"], prompt["number"], int(prompt["version"])
        refused = await self._refusal(kind, number, version, officer)
        if refused is not None:
            # the menu no longer applies: used up, and the officer told why
            if await self._redis.getdel(key) is not None:
                await self._drop_earlier(bot, prompt)
                await self._tidy(bot, menu[0], menu[1])
                await self._send(bot, message, HTML.t(refused))
            return
        await self._drop_earlier(bot, prompt)
        token = secrets.token_hex(6)
        template, send = self._proposal_words(kind)
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=send, callback_data=action_data(SEND_PROPOSED, number, version, token)
                    ),
                    InlineKeyboardButton(
                        text=_("Cancel"),
                        callback_data=action_data(DROP_PROPOSED, number, version, token),
                    ),
                ]
            ]
        )
        body = self._addressed(template, number, officer) + "\n" + self._quoted(kind, text)
        warning = self._language_warning(kind, text, (await self._record(number)).locale)
        if warning:
            body += "\n\n⚠️ " + HTML.t(warning)
        sent = await self._send(bot, message, body, markup)
        record = {
            "kind": kind,
            "number": number,
            "version": version,
            "officer": officer.id,
            "text": text,
            "menu_key": key,
            "menu": list(menu),
            "from_menu": bool(prompt.get("menu")),
            "stray": stray,
            "message": [sent.chat.id, sent.message_id],
        }
        # when the menu expires, by Redis's own clock (the same for every worker), so a
        # press after it can say so rather than that someone answered it (review 11, §9)
        left = await self._redis_ms() + max(await self._redis.pttl(key), 0)
        until = prompt.get("until_ms")
        record["menu_until_ms"] = min(left, until) if isinstance(until, int) else left
        await self._redis.set(
            _PROPOSAL_KEY.format(token=token), json.dumps(record), ex=PROPOSAL_TTL_S
        )
        # the menu remembers its newest proposal, so a later reply replaces it
        await self._redis.set(key, json.dumps({**prompt, "proposal": token}), xx=True, keepttl=True)

    def _proposal_words(self, kind: str) -> tuple[str, str]:
        """A proposal's question (with ``%(officer)s`` and ``%(number)s``) and its «Send»
        button, by the kind of text proposed."""
        _ = self._
        if kind == "ask":
            return (
                _("%(officer)s, send this question about request %(number)s to the person?"),
                _("Send the question"),
            )
        if kind == "keep":
            return (
                _(
                    "%(officer)s, keep request %(number)s rejected with this reason? The person will read it."
                ),
                _("Send the reason"),
            )
        if kind == "reopen":
            return (
                _(
                    "%(officer)s, reopen request %(number)s with this reason? The person will read it."
                ),
                _("Reopen"),
            )
        if kind == "block":
            return (
                _(
                    "%(officer)s, block the person behind request %(number)s with this reason? The person will not see it."
                ),
                _("Block"),
            )
        return (
            _("%(officer)s, reject request %(number)s with this reason? The person will read it."),
            _("Send the rejection"),
        )

    async def _refusal(self, kind: str, number: str, version: int, officer: Officer) -> str | None:
        """Why the prompt's request can no longer take the reply (decided, changed since the
        prompt, another officer's), or None; the desk checks again when it acts. A block
        is about the person, whatever the request's state; keeping a rejection and
        reopening act on decided requests."""
        try:
            record = await self._record(number)
        except RequestNotFound:
            return self._not_found(number)
        if kind == "block":
            return None
        if kind in ("ask", "reject") and record.status in FINAL:
            return self._illegal(number, record.status)
        if not record_fresh(record, officer, version):
            return self._stale(record)
        if held_by_another(record.assigned_to, officer):
            return self._taken(number, record.assigned_name)
        return None

    async def _drop_earlier(self, bot: Bot, prompt: dict[str, Any]) -> None:
        """The proposal an earlier reply to the same menu made goes, with its message."""
        token = prompt.get("proposal")
        if not isinstance(token, str):
            return
        raw = await self._redis.getdel(_PROPOSAL_KEY.format(token=token))
        if raw is not None:
            chat, message_id = json.loads(raw)["message"]
            await self._delete_by_id(bot, chat, message_id)

    def _quoted(self, kind: str, text: str) -> str:
        """The officer's words as the person would read them, after «Reason:» or
        «Question:»."""
        title = self._("Question:") if kind == "ask" else self._("Reason:")
        return HTML.b(title) + " " + HTML.user(text)

    async def _proposal_pressed(
        self, bot: Bot, query: CallbackQuery, action: StaffAction, officer: Officer
    ) -> None:
        """«Send» or «Cancel» under a proposal (see the module)."""
        _ = self._
        key = _PROPOSAL_KEY.format(token=action.choice)
        raw = await self._redis.get(key)
        gone = _("This is no longer waiting: it was sent or cancelled already.")
        if raw is None:
            await self._delete(bot, query.message)
            await answer(query, gone, alert=True)
            return
        proposal = json.loads(raw)
        if proposal["officer"] != officer.id:
            # a button, not a message (tester 12, §20: «هذه الرسالة موجّهة…» for a button)
            await answer(
                query, _("These buttons are for the officer who wrote the reply."), alert=True
            )
            return
        if await self._redis.getdel(key) is None:  # pressed twice, or on two workers
            await answer(query, gone, alert=True)
            return
        kind = proposal["kind"]
        if action.action == DROP_PROPOSED:
            await self._delete(bot, query.message)
            if proposal.get("stray"):
                # the words were talk, not the reason: the officer's further messages are
                # left alone too (bot.staff.stray), the menu or prompt still waits
                await self._no_stray(proposal["menu_key"])
            if not proposal.get("from_menu", True):
                # a typed prompt's proposal: there is no menu above (session 12's notes)
                await answer(query, self._still_open(kind))
                return
            if kind == "ask":
                left = _(
                    "Nothing was sent. The menu above is still open: a question can be picked from it, or given as a reply to it."
                )
            else:
                left = _(
                    "Nothing was sent. The menu above is still open: a reason can be picked from it, or given as a reply to it."
                )
            await answer(query, left)
            return
        menu_raw = await self._redis.getdel(proposal["menu_key"])
        if menu_raw is not None and expired(json.loads(menu_raw), await self._redis_ms()):
            # past its deadline, not yet swept: closed as the sweep would, nothing sent
            chat, message_id = proposal["menu"]
            await self._edit_at(
                bot, chat, message_id, "⌛ " + HTML.t(self._expired_text(json.loads(menu_raw)))
            )
            menu_raw = None
        if menu_raw is None:
            await self._delete(bot, query.message)
            await self._tidy(bot, *proposal["menu"])
            await answer(query, await self._menu_gone(proposal), alert=True)
            return
        await self._send_proposed(bot, query, proposal, (key, raw), menu_raw, officer)

    async def _no_stray(self, key: str) -> None:
        """Marks the prompt under ``key`` as taking replies only: a message replying to
        nothing is no longer proposed for it."""
        raw = await self._redis.get(key)
        if raw is not None:
            record = {**json.loads(raw), "no_stray": True}
            await self._redis.set(key, json.dumps(record), xx=True, keepttl=True)

    def _still_open(self, kind: str) -> str:
        """What «Cancel» under a typed prompt's proposal says: the prompt still waits."""
        _ = self._
        if kind == "ask":
            return _(
                "Nothing was sent. The question can still be given as a reply to my message asking for it."
            )
        return _(
            "Nothing was sent. The reason can still be given as a reply to my message asking for it."
        )

    async def _menu_gone(self, proposal: dict[str, Any]) -> str:
        """Why the menu a proposal answers is no longer there: it expired (menus wait
        :data:`~bot.staff.prompts.PROMPT_TTL_S`; the proposal, made later, waits its own
        24 hours), or it was answered or cancelled meanwhile. Found by review 11 (§9): an
        officer who replied to a menu 23 hours old and pressed «إرسال الرفض» an hour later
        read «answered meanwhile», and could believe a colleague had decided the request."""
        _ = self._
        until = proposal.get("menu_until_ms")
        if isinstance(until, int) and await self._redis_ms() >= until:
            # the card's own button, as it reads there; a typed prompt's is a prompt
            menu = proposal.get("from_menu", True)
            return self._expired_text({"kind": proposal["kind"], "menu": menu})
        return _("The menu was answered meanwhile: nothing was sent.")

    async def _send_proposed(
        self,
        bot: Bot,
        query: CallbackQuery,
        proposal: dict[str, Any],
        kept: tuple[str, bytes | str],
        menu_raw: bytes | str,
        officer: Officer,
    ) -> None:
        kind, number, text = proposal["kind"], proposal["number"], proposal["text"]
        try:
            done, reply = await self._act_on_text(kind, number, proposal["version"], officer, text)
        except Exception:
            # the officer's words must not be lost to a database hiccup: they can press again
            with contextlib.suppress(RedisError):
                chat, menu_id = proposal["menu"]
                await self._keep_waiting(chat, menu_id, menu_raw)
                await self._redis.set(kept[0], kept[1], ex=PROPOSAL_TTL_S)
            raise
        # the proposal becomes the confirmation (or why not), and the menu goes
        shown = HTML.t(reply) + ("\n" + self._quoted(kind, text) if done else "")
        if not await self._edit(bot, query.message, shown):
            await self._send(bot, query.message, shown)
        chat, message_id = proposal["menu"]
        await self._delete_by_id(bot, chat, message_id)
        await self._tidy(bot, chat, message_id)
        await answer(query, reply, alert=not done)
