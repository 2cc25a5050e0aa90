"""The first message of a conversation, or the first after a request was filed: a
greeting, a need, a number, a photo, a shared contact or place, or a bare /start, each
taken for what it says and answered above the first question, or used to answer it.

Mixed into :class:`conversations.engine.Engine` through :class:`conversations.moves.Moves`;
split from conversations/moves.py (past 400 lines) to keep one idea a file.
"""

from __future__ import annotations

from conversations import knowledge
from conversations.engine_parts import EngineParts
from conversations.events import (
    Choice,
    Command,
    Contact,
    Event,
    Media,
    Option,
    Reply,
    Text,
)
from conversations.faq_options import FAQ
from conversations.flow import Ctx
from conversations.flows.description_text import MAX_DESCRIPTION
from conversations.flows.early_files import keep_early
from conversations.flows.early_phone import keep_contact
from conversations.flows.early_place import keep_place, place_in_words, place_option
from conversations.flows.numbers_first import mistyped_identity, number_first
from conversations.flows.service_words import shared_word_services
from conversations.keywords import courtesy, is_acknowledgement
from conversations.manners import salute, welcome_on_screen
from conversations.reading import own_options
from conversations.stray_files import FILE_KINDS, file_note, first_of_album, unheard
from conversations.understanding import plain_yes_or_no, understand_choice

#: The first question's options a greeting's words may pick besides «أسئلة شائعة».
_WHO_FILES = ("ind", "est")


class FirstMessage(EngineParts):
    """Mixed into :class:`conversations.engine.Engine` (through ``Moves``)."""

    async def _start(self, ctx: Ctx, event: Event, action: str | None) -> list[Reply]:
        state = ctx.state
        if state.step == "done" and isinstance(event, Choice) and event.id == "confirm":
            # a second tap on an old confirm button: the request was already filed
            _ = ctx.texts.gettext
            return [
                Reply(
                    _("Your request %(number)s has already been sent.")
                    % {"number": state.last_request}
                )
            ]
        if action == "help":
            return [Reply(self.flow.help(ctx)), *self._restart(ctx, language_choice=True)]
        if action is None and isinstance(event, Text):
            kind, rest = courtesy(event.text)
            if kind in ("thanks", "goodbye") and not rest and state.step == "done":
                # thanks or goodbye after filing: a word back, the same buttons, not the
                # first question again
                offered = tuple(Option(o[0], o[1]) for o in state.offered)
                return [Reply(salute(ctx, kind, event.text), choices=offered)]
            if state.step == "done" and (
                is_acknowledgement(event.text) or plain_yes_or_no(event.text, yes_only=True)
            ):
                # «تمام», «ايه» under a receipt: taken as said, its buttons kept, «الطلب
                # التالي» too (helper 235: the first menu came and the next request was
                # lost; a lone «ايه» got «ليس لدي جواب عن هذا السؤال»)
                offered = tuple(Option(o[0], o[1]) for o in state.offered)
                _ = ctx.texts.gettext
                said = _("Glad to help. Whenever you need anything else, you can choose below.")
                return [Reply(said, choices=offered)]
            if rest and state.step == "done" and number_first(rest):
                paused = await self._status_paused(ctx)
                if paused:
                    return paused
            slip = bool(rest) and mistyped_identity(ctx, rest) is not None
            # a place said first («انا في مصر») is kept for the location question too
            place_said = bool(rest) and place_in_words(rest) is not None
            # a story too long for a description: the first question keeps its start
            # (helper 22's probe: a 3000-character account was lost at the welcome)
            too_long = len(event.text.strip()) > MAX_DESCRIPTION
            if rest and (
                ctx.catalogue.match(event.text, limit=1)
                or shared_word_services(ctx, rest)
                or number_first(rest)
                or slip
                or place_said
                or too_long
            ):
                # the first message states the need or gives the identity number: it is
                # used, not asked for again; an identity number with a slip is named, as
                # at the first question (found by the reviewer: «1000000007» after a
                # status answer got the menu with no word about it)
                replies = self._restart(ctx, ask=False, salutation=kind, said=event.text)
                first = self.flow.steps[self.flow.first]
                outcome = await first.answer(ctx, Text(event.origin, event.text))
                return [*replies, *self._apply(ctx, outcome)]
            if (
                kind is None
                and knowledge.explicit_question(event.text)
                # a lone «ايه» is the Gulf's yes before it is Egypt's «what?»
                and not plain_yes_or_no(event.text)
            ):
                return self._cannot_answer(ctx)
            replies = self._restart(ctx, salutation=kind, said=event.text)
            if rest and kind in ("salam", "greeting"):
                picked = await self._picked_after_greeting(ctx, event, rest, replies)
                if picked is not None:
                    return picked
            return replies
        if isinstance(event, Contact):
            # a number shared before anything: kept for the phone step (early_phone)
            replies = self._restart(ctx)
            kept = keep_contact(ctx, event)
            return [Reply(kept), *replies] if kept is not None else replies
        if place_option(event) is not None and ctx.state.step != "done":
            # a location shared before anything: kept for «أين صاحب الإقامة الآن؟»
            # (early_place); after filing it is not needed, as before
            replies = self._restart(ctx)
            placed = keep_place(ctx, event)
            return [Reply(placed), *replies] if placed is not None else replies
        polite = unheard(ctx, event)
        if polite is not None:
            # a voice note, a video, a sticker: said why it was not used, above the first
            # question (found by the fresh-clone tester: after filing, only the menu came)
            return [Reply(polite), *self._restart(ctx)]
        if isinstance(event, Media) and event.kind in FILE_KINDS:
            # a photo as the first message is kept for the request (conversations.flows.
            # early_files); after filing, said what became of it (conversations.stray_files)
            note = file_note(ctx, event) if state.step == "done" else None
            caption = (event.caption or "").strip()
            # the words written with it are read as if typed (found by the fresh-clone
            # tester: «ابي اجدد اقامتي وهذي صورتها» with a photo got the generic menu)
            if caption:
                replies = await self._start(ctx, Text(event.origin, caption), None)
            else:
                replies = self._restart(ctx)
            if note is None and ctx.state.flow == self.flow.name and ctx.state.step != "done":
                note = keep_early(ctx, event)
            if note is None:
                note = file_note(ctx, event)
                first_of_album(ctx, event)
            return [Reply(note), *replies]
        # /start asks for the welcome, unless it is the last thing the person was shown
        # (found by the fresh-clone tester: a /start typed first in the terminal chat, or
        # after Telegram's Start button, showed the whole welcome twice in a row)
        at_first = ctx.state.step == self.flow.first
        if not (isinstance(event, Command) and at_first and welcome_on_screen(ctx.state)):
            return self._restart(ctx, welcome=isinstance(event, Command))
        replies = self._restart(ctx)
        # the welcome is still just above: a further /start does not bring it back either
        ctx.state.welcome_turn = [ctx.origin.event_id, ctx.locale]
        return replies

    async def _picked_after_greeting(
        self, ctx: Ctx, event: Text, rest: str, replies: list[Reply]
    ) -> list[Reply] | None:
        """«السلام عليكم ابي اسأل», «السلام عليكم منشأة» as the first message: ``replies``
        (the greeting returned, the first question) with the question answered by the
        words after the greeting; None when they pick none of its options. Helper 22's
        probe: the greeting was returned and the wish lost."""
        understood = understand_choice(rest, own_options(ctx.state.offered))
        chosen = understood.chosen if understood is not None else None
        if chosen == FAQ:
            return [*replies[:-1], *self._faq(ctx)]
        if chosen not in _WHO_FILES:
            return None
        first = self.flow.steps[self.flow.first]
        outcome = await first.answer(ctx, Choice(event.origin, chosen))
        return [*replies[:-1], *self._apply(ctx, outcome)]
