"""The engine's part for ``/rate``, ``/note`` and ``/reconsider`` typed as commands, and
for «ارسال» typed after a request to reconsider was sent.

The terminal shows a notice's buttons as these commands (``/rate N 5``, ``/reconsider N``:
bot.channels.console_delivery), and people type them on Telegram and WhatsApp too. They are
read here, channel-neutrally, with the number and the rating in any digits, and do what
the buttons do (:mod:`conversations.say_parts`); what cannot be done is said in words about
the command, never «this button». Found by the fresh-clone tester: ``/rate N ٥`` and
``/rate N 9`` got «هذا الزر لا يخص هذه الخطوة», and ``/reconsider N`` on Telegram «هذا الأمر
غير معروف», its explanation then read as a new request for another service.

A request that is not rejected cannot be reconsidered: the person is told its status, and
when it is still open, what they wanted to say goes to the officer as a note to it (the
note is sent only when they send it), so their words are never read as a new request.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from conversations.command_arguments import split_arguments
from conversations.events import Command, Event, Option, Reply, Text
from conversations.flow import Ctx
from conversations.flows.description_early import keep_early
from conversations.flows.description_text import MAX_DESCRIPTION
from conversations.flows.say_note import not_sent
from conversations.flows.status_lookup import request_number_problem
from conversations.flows.status_prompt import PROMPT_STEPS, WAY_OUT, waiting_draft
from conversations.flows.their_say import REASON_WORDS, SAY, STEPS, reason_in
from conversations.formatting import isolate
from conversations.keywords import is_send_word
from conversations.note_more import more_for_note
from conversations.notifications import status_name
from conversations.ports import SayRefused
from conversations.rating_reading import typed_rating
from conversations.reading import START_STEPS
from conversations.reconsider_matter import about_another_matter
from conversations.reconsider_wishes import NOTE_LEAD_WORDS, leads_with_recon, objects_to_rejection
from conversations.say_parts import THEIR_SAY_DATA, say_wish
from conversations.sent_changes import SentChanges
from conversations.state import DialogueState
from conversations.stray_files import recent_reconsideration
from conversations.their_say import NOTE, rate_id, rating_labels, reconsider_id
from conversations.wishes import leads_with, words_after
from domain.request_number import (
    InvalidRequestNumber,
    parse_request_number,
)
from domain.status import FINAL, RequestStatus
from domain.their_say import MAX_NOTE, RATINGS

#: The commands, and the say each one is (the ids of :mod:`conversations.their_say`).
SAY_COMMANDS = {"rate": "rate", "note": "note", "reconsider": "recon"}


def _draft_of(state: DialogueState, intake: str) -> dict[str, Any] | None:
    """The request being filled in, as its snapshot (step, answers: the state's own
    answers while it is the current flow); the one put aside for a look-up at the
    look-up's prompt (status_prompt.waiting_draft); None otherwise."""
    if state.flow == intake:
        return {"step": state.step, "answers": state.answers}
    if state.flow == "status" and state.step in PROMPT_STEPS:
        return waiting_draft(state)
    return None


class SayCommands(SentChanges):
    """Mixed into :class:`conversations.engine.Engine` (in place of :class:`TheirSay`,
    which it extends)."""

    async def _their_say(self, ctx: Ctx, chosen: Event) -> list[Reply] | None:
        """A say command, else what :meth:`TheirSay._their_say` makes of a button."""
        if isinstance(chosen, Command) and chosen.name in SAY_COMMANDS:
            return await self._say_command(ctx, SAY_COMMANDS[chosen.name], chosen.args)
        return await super()._their_say(ctx, chosen)

    async def _their_words(self, ctx: Ctx, typed: Text) -> list[Reply] | None:
        """«ارسال» (or another word that sends) right after a request to reconsider was
        sent, where nothing else is under way: said that it was sent and that nothing
        more is needed, the buttons on screen kept. Anything else as
        :meth:`TheirSay._their_words` reads it. Found by the fresh-clone tester (fault 6):
        after the reason and a photo, «ارسال» got the main menu with no word, where the
        same word sends an answer to an officer. A note asked for in words with its words
        («ابي اضيف ملاحظة: الجواز ينتهي بعد شهرين») and no open request goes where
        ``/note`` does (:meth:`_note_into_draft`; found by review 11, §1b: the words were
        lost)."""
        state = ctx.state
        recent = recent_reconsideration(ctx)
        if (
            recent is not None
            and state.flow == self.flow.name
            and state.step in START_STEPS
            and not state.confirming
            and is_send_word(typed.text)
        ):
            _ = ctx.texts.gettext
            said = _(
                "Your request to reconsider request %(number)s has already been sent, with everything you sent for it; nothing more is needed. An officer will look at it, and you will be told the outcome here."
            ) % {"number": recent[0]}
            return self._and_again(ctx, said)
        changed = await self._sent_change(ctx, typed)
        if changed is not None:
            return self._words_kept_for_a_pick(ctx, changed)
        more = await self._more_for_note(ctx, typed)
        if more is not None:
            return more
        if say_wish(typed.text) == "note" or leads_with(
            typed.text, THEIR_SAY_DATA, "note", within=NOTE_LEAD_WORDS
        ):
            words = words_after(typed.text, THEIR_SAY_DATA, "note", "note_filler")
            to_draft = await self._note_into_draft(ctx, words) if words else None
            if to_draft is not None:
                return to_draft
            if words:
                # with a request open, the words are the note: kept while it opens, or
                # while the person picks which request it is about (session 12: the
                # note step opened empty, the words lost)
                ctx.state.note_words = words
                return self._words_kept_for_a_pick(ctx, await self._say_wish(ctx, "note"))
        if say_wish(typed.text) == "recon" and reason_in(typed.text):
            # «ليش رفضتوه؟ الرقم صحيح والله ابي اتظلم»: the reason came with the wish, kept
            # for the reason step, sent with «ارسال» (tester 14, §13: asked again blank)
            ctx.state.note_words = typed.text.strip()
        elif say_wish(typed.text) is None and await objects_to_rejection(ctx, typed.text):
            # «ليش رفضتوه؟؟ ارسلت كل المستندات» right after a rejection: the reconsideration
            # offered with the message as its reason, sent only by «ارسال» (tester 15, §2:
            # it got «ليس لدي جواب عن هذا السؤال» and the first menu)
            ctx.state.note_words = typed.text.strip()
            return await self._say_wish(ctx, "recon")
        elif (
            say_wish(typed.text) is None
            and leads_with_recon(typed.text)
            # «ابي اتظلم على المكتب…»: a complaint about another matter is a need (session 15)
            and not about_another_matter(typed.text)
        ):
            # «ابي اتظلم، <a long reason>»: past a wish's ten words, it was read as a new
            # need and the reason kept as a draft's description (tester 15, §2)
            words = words_after(typed.text, THEIR_SAY_DATA, "reconsider", "note_filler")
            ctx.state.note_words = words or typed.text.strip()
            return await self._say_wish(ctx, "recon")
        return await super()._their_words(ctx, typed)

    async def _say_command(self, ctx: Ctx, what: str, args: str) -> list[Reply]:
        """``what`` ("rate", "note", "recon") asked for with ``args`` as typed. No number:
        a note or a reconsideration goes to the one request it can be about (or the
        person picks which), as when asked in words, and so does a rating with no number
        («/rate ٥») to the one decided request; with none or several, the person is asked
        for the number. The words after ``/note`` (and its number) become the note, kept
        while the request is asked for when the number is missing or wrong."""
        typed, rest = split_arguments(what, args)
        _ = ctx.texts.gettext
        ctx.state.note_words = rest if what == "note" and rest else None
        if what == "rate" and not rest and typed_rating(typed) is not None:
            typed, rest = "", typed  # «/rate ٥»: a rating, not a short request number
        if not typed and what == "rate" and typed_rating(rest) is not None:
            return await self._rate_the_one(ctx, typed_rating(rest) or 0)
        if not typed and what == "note" and rest:
            to_draft = await self._note_into_draft(ctx, rest)
            if to_draft is not None:
                return to_draft
        if not typed and what != "rate":
            return self._words_kept_for_a_pick(ctx, await self._say_wish(ctx, what))
        if not typed:
            return self._and_again(
                ctx,
                _(
                    "Please type the request number, then your rating from 1 to 5, for example: /rate 4512345671 5"
                ),
            )
        try:
            number = parse_request_number(typed)
        except InvalidRequestNumber as error:
            if ctx.state.note_words:
                to_draft = await self._note_into_draft(
                    ctx, ctx.state.note_words, lead=request_number_problem(ctx, error)
                )
                if to_draft is not None:
                    return to_draft
                # the words kept: said what is wrong, and asked which request they are about
                return self._words_kept_for_a_pick(
                    ctx,
                    await self._say_wish(
                        ctx, "note", lead=request_number_problem(ctx, error), always_ask=True
                    ),
                )
            return self._and_again(ctx, request_number_problem(ctx, error))
        if what != "rate":
            return await self._open_say(ctx, what, number)
        rating = typed_rating(rest)
        if rating is None:
            return await self._rating_asked_again(ctx, number)
        return await self._rate(ctx, number, rating)

    async def _note_into_draft(self, ctx: Ctx, words: str, *, lead: str = "") -> list[Reply] | None:
        """``/note words`` with no open request to take them, in the middle of a request
        being filled in: the words join that request's description, and the person is
        told so above the step's question (the summary then shows them; «تعديل الوصف»
        changes them). Before the description step they are kept for it, which offers
        them. At a look-up's prompt opened from a draft (/status), the draft put aside
        takes them, and the prompt offers the way back to it. None when a request is open
        (the note goes to it, as before) or no draft is under way. Found by tester 11
        (fault 10): on WhatsApp, «/note الجواز ينتهي بعد شهرين» at a draft's summary with
        nothing filed got «ليس لديك طلب مفتوح لتضيف إليه ملاحظة.» and the words were
        lost; by review 11 (§1b) at the look-up's prompt, and (§2) «ليس لديك طلب مُرسَل»
        said to a person whose sent requests are all decided."""
        state = ctx.state
        draft = _draft_of(state, self.flow.name)
        if draft is None or draft["step"] in (*START_STEPS, self.flow.first):
            return None
        mine = await ctx.gateway.my_requests(ctx.origin.channel, ctx.origin.user_key)
        if any(RequestStatus(v.status) not in FINAL for v in mine):
            return None
        _ = ctx.texts.gettext
        ctx.state.note_words = None
        answers: dict[str, Any] = draft["answers"]
        if not mine:
            none = _("You have no request sent yet to add a note to.")
        else:
            none = ctx.texts.ngettext(
                "Your request that was sent has been decided, so a note can no longer be added to it.",
                "Your requests that were sent have all been decided, so notes can no longer be added to them.",
                len(mine),
            )
            if any(v.status == RequestStatus.REJECTED.value for v in mine):
                none += " " + _(
                    "If you think a rejection was wrong, you can ask for it to be reconsidered."
                )
        described = str(answers.get("description") or "")
        if described:
            joined = f"{described}\n{words.strip()}"
            if len(joined) > MAX_DESCRIPTION:
                said = _(
                    "Your words would make the description of the request you are filling in longer than %(max)d characters, so they were not added: «%(words)s». You can change the description before sending."
                ) % {"max": MAX_DESCRIPTION, "words": isolate(words.strip())}
            else:
                answers["description"] = joined
                said = _(
                    "I have added your words to the description of the request you are filling in; it has not been sent yet."
                )
        else:
            said = keep_early(ctx, words, answers)
        if state.flow != self.flow.name:
            # at a look-up's prompt: the way back to the draft is offered with it
            state.answers[WAY_OUT] = True
        text = "\n".join(filter(None, [lead, none, said]))
        return self._and_again(ctx, text)

    async def _more_for_note(self, ctx: Ctx, typed: Text) -> list[Reply] | None:
        """Words adding to the note sent on the person's last turn (conversations.note_more):
        another note on that request opens with them, not sent until the person sends it.
        Also where a draft came back after the note (its description step asked again):
        the draft is put aside once more and said kept. None for any other message."""
        noted = more_for_note(ctx, typed.text)
        if noted is None:
            return None
        ctx.state.note_words = typed.text.strip()
        opened = await self._open_say(ctx, "note", noted)
        _ = ctx.texts.gettext
        lead = _("Your last note has been sent; these words start another note.")
        return [dataclasses.replace(opened[0], text=f"{lead}\n{opened[0].text}"), *opened[1:]]

    def _words_kept_for_a_pick(self, ctx: Ctx, replies: list[Reply]) -> list[Reply]:
        """``replies`` as they are; the words of a ``/note`` are kept only while the
        request they are about is being picked (else a note opened later, by a notice's
        button, would take in words typed for another)."""
        if not any(o[0].startswith(NOTE) for o in ctx.state.offered):
            ctx.state.note_words = None
        return replies

    async def _rate_the_one(self, ctx: Ctx, rating: int) -> list[Reply]:
        """A rating typed with no request number: of the one decided request of this
        chat's (or said it is rated already); with none or several, the number asked for."""
        mine = await ctx.gateway.my_requests(ctx.origin.channel, ctx.origin.user_key)
        decided = [v for v in mine if RequestStatus(v.status) in FINAL]
        if len(decided) == 1:
            return await self._rate(ctx, decided[0].number, rating)
        _ = ctx.texts.gettext
        return self._and_again(
            ctx,
            _(
                "Please type the request number, then your rating from 1 to 5, for example: /rate 4512345671 5"
            ),
        )

    async def _open_say(
        self, ctx: Ctx, what: str, number: str, message: str | None = None
    ) -> list[Reply]:
        """As :meth:`TheirSay._open_say`; a note opened with words typed after ``/note``
        has them in it already, not sent until the person sends it."""
        words, ctx.state.note_words = ctx.state.note_words, None
        replies = await super()._open_say(ctx, what, number, message)
        state = ctx.state
        if words and what == "recon" and state.flow == SAY and state.step == STEPS["recon"]:
            kept = words[:MAX_NOTE]
            state.answers[REASON_WORDS] = kept
            _ = ctx.texts.gettext
            shown = _(
                "Your reason: «%(words)s»\nTo send it as it is, type «send»; or write your reason again."
            ) % {"words": isolate(kept)}
            return [dataclasses.replace(replies[0], text=f"{replies[0].text}\n{shown}")]
        if not words or what != "note" or state.flow != SAY or state.step != STEPS["note"]:
            return replies
        kept = words[:MAX_NOTE]
        state.answers["texts"].append(kept)
        _ = ctx.texts.gettext
        shown = _("Your note: «%(words)s»") % {"words": isolate(kept)}
        text = f"{replies[0].text}\n{shown}\n{not_sent(ctx)}"
        return [dataclasses.replace(replies[0], text=text)]

    async def _rating_asked_again(self, ctx: Ctx, number: str) -> list[Reply]:
        """A rating out of 1-5, or none: said how a rating goes, and the question asked
        again with its five answers, numbered as they rate (a typed «٥» is five stars).
        Only about a decided request of this chat's; any other number gets the refusal a
        rating of it would (a stranger's is counted as an attempt, nothing disclosed)."""
        mine = await ctx.gateway.my_requests(ctx.origin.channel, ctx.origin.user_key)
        view = next((v for v in mine if v.number == number), None)
        if view is None:
            return await self._say_refused(ctx, SayRefused(number, "not_theirs"), "rate")
        if RequestStatus(view.status) not in FINAL:
            return await self._say_refused(ctx, SayRefused(number, "not_decided"), "rate")
        _ = ctx.texts.gettext
        labels = rating_labels(ctx.texts)
        text = _(
            "A rating goes from 1 to 5: 5 is very satisfied, 1 very dissatisfied. How satisfied are you with how request %(number)s was handled?"
        ) % {"number": number}
        state = ctx.state
        if state.flow != self.flow.name or state.step not in START_STEPS or state.confirming:
            # in the middle of something: its question and buttons stay, so a digit typed
            # next answers that step, not the rating (which /rate N 5 still gives)
            return self._and_again(ctx, text)
        nav = tuple(Option(o[0], o[1]) for o in ctx.state.offered if o[0] in ("help", "cancel"))
        choices = (*(Option(rate_id(number, r), labels[r]) for r in RATINGS), *nav)
        ctx.state.offered = [[o.id, o.label] for o in choices]
        return [Reply(text, choices=choices)]

    async def _say_refused(self, ctx: Ctx, refused: SayRefused, what: str) -> list[Reply]:
        """A reconsideration of a request that is not rejected: said what its status is,
        and while it is open, what the person wanted to say can go to the officer as a
        note to it (the note step opened, sent only when they send it). Anything else as
        :meth:`TheirSay._say_refused` says it."""
        if what != "recon" or refused.reason != "not_rejected":
            return await super()._say_refused(ctx, refused, what)
        number = refused.number
        mine = await ctx.gateway.my_requests(ctx.origin.channel, ctx.origin.user_key)
        view = next((v for v in mine if v.number == number), None)
        if view is None or view.status == RequestStatus.REJECTED.value:
            # gone meanwhile, or a rejection whose grace the desk still counts: the plain
            # refusal, which names no status
            return await super()._say_refused(ctx, refused, what)
        _ = ctx.texts.gettext
        said = _(
            "Only a rejected request can be reconsidered; request %(number)s is now: %(status)s."
        ) % {"number": number, "status": status_name(view.status, ctx.locale)}
        spent = (reconsider_id(number),)
        if RequestStatus(view.status) in FINAL:
            replies = self._and_again(ctx, said)
        else:
            said += "\n" + _(
                "If there is something the officer should know or see before deciding, you can add it to your request as a note:"
            )
            self._enter(ctx, "note", number)
            asked = self._ask(ctx)
            replies = [dataclasses.replace(asked, text=f"{said}\n{asked.text}")]
        replies[0] = dataclasses.replace(replies[0], spent=spent)
        return replies
