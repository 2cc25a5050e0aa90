"""The current step's answer to a message, the last part of the engine's reading
(conversations.routing): a number, a location or a photo kept for the step that will
want it, the polite word for a kind of message no step can use, else the step's own
answer and the move it asks for.

Mixed into :class:`conversations.engine.Engine` (through conversations.routing.Routing);
split from conversations/routing.py to keep one idea a file.
"""

from __future__ import annotations

import dataclasses
import functools

from conversations import edits, knowledge
from conversations.engine_parts import EngineParts
from conversations.events import Choice, Contact, Event, Media, Reply, Text, Unsupported
from conversations.flow import Ctx, Retry
from conversations.flows.denied_answer import taken_line
from conversations.flows.early_files import keep_early, takes_early
from conversations.flows.early_phone import keep_contact
from conversations.flows.early_place import INSIDE, place_answer, place_option
from conversations.read_message import ReadMessage
from conversations.reading import unusable
from conversations.stray_files import with_file_note
from conversations.understanding import plain_yes_or_no


class StepAnswers(EngineParts):
    """Mixed into :class:`conversations.engine.Engine`: ``_step_answer``."""

    async def _tapped(self, m: ReadMessage, choice: Choice) -> list[Reply]:
        return await self._step_answer(dataclasses.replace(m, chosen=choice))

    async def _step_answer(self, m: ReadMessage) -> list[Reply]:
        """The current step's answer to the message (or the polite word for a kind of
        message no step can use), then the move it asks for."""
        ctx, event, state = m.ctx, m.chosen, m.ctx.state
        if isinstance(event, Contact) and state.flow == self.flow.name:
            # a number shared before the phone step: kept for it (conversations.flows.
            # early_phone), and this step's question asked again
            kept = keep_contact(ctx, event)
            if kept is not None:
                asked = self._ask(ctx)
                return [dataclasses.replace(asked, text=f"{kept}\n{asked.text}")]
        if isinstance(event, Unsupported) and state.flow == self.flow.name:
            # a shared location answers «أين صاحب الإقامة الآن؟» or is kept for it (early_place)
            placed = await place_answer(ctx, event, functools.partial(self._tapped, m), self._ask)
            if placed is not None:
                return placed
        if (
            isinstance(event, Media)
            and event.kind in ("photo", "document")
            and not event.problem
            and m.answers
            and state.flow == self.flow.name
            and _may_answer(m)
        ):
            # a photo while an officer waits for an answer is offered as that answer before
            # it goes into a new request (tester 13, §22: the passport photo the officer had
            # just asked for went into a new draft, and the officer kept waiting)
            at_documents = m.step is not None and m.step.takes_files
            offered = await self._offer_answer(
                ctx, event, _file_arrived(m), files_asked=at_documents
            )
            if offered is not None:
                return offered
        if isinstance(event, Media) and takes_early(state, self.flow.name):
            # a photo before a service is chosen: kept for the request (conversations.
            # flows.early_files); its caption read as if typed
            kept = keep_early(ctx, event)
            if kept is not None:
                return await self._kept_early(ctx, event, kept)
        placed_words = _location_as_words(m)
        if placed_words is not None:
            event = placed_words
        polite = unusable(ctx, event, words_with_files=m.step is not None and m.step.takes_files)
        if polite is not None:
            return [self._reply(ctx, polite, with_choices=True)]
        taken = _taken_label(m)
        before = edits.answers_before(state)
        outcome = await self._flow(state).steps[state.step].answer(ctx, event)
        edits.answered(state, event, outcome, before)
        if isinstance(outcome, Retry) and m.answers and state.flow == self.flow.name:
            offer = await self._offer_answer(ctx, event, outcome.hint)
            if offer is not None:
                return offer
        if (
            isinstance(outcome, Retry)
            and isinstance(event, Media)
            and not (m.step and m.step.takes_files)
        ):
            # a photo nothing takes here: said so, not dropped (conversations.stray_files)
            noted = with_file_note(ctx, event, outcome)
            if noted is None:
                return []  # the rest of an album already told
            outcome = noted
        if isinstance(outcome, Retry) and isinstance(event, Text) and not m.free_text:
            # after a refusal a question («ليش؟», «وش اسوي؟») is the refusal's: the step
            # says it again with what to do instead (eligibility._what_now)
            # (a lone «ايه» is the Gulf's yes before it is Egypt's «what?»)
            asks = knowledge.explicit_question(event.text) and not plain_yes_or_no(event.text)
            if asks and state.step != "refused":
                # a plain question the step cannot use and the base cannot answer
                return self._cannot_answer(ctx)
        replies = self._apply(ctx, outcome)
        if placed_words is not None and replies:
            # what the location became, shown above «added to your answer»
            shown = f"«{placed_words.text}»\n{replies[0].text}"
            replies[0] = dataclasses.replace(replies[0], text=shown)
        if taken and replies and not isinstance(outcome, Retry):
            back = any(option[0] == "back" for option in state.offered)
            shown = f"{taken_line(ctx, taken, back=back)}\n{replies[0].text}"
            replies[0] = dataclasses.replace(replies[0], text=shown)
        if m.greeted and replies:
            replies[0] = dataclasses.replace(replies[0], text=m.greeted + replies[0].text)
        return replies


def _taken_label(m: ReadMessage) -> str:
    # read before the step moves on (its options are replaced then), in the language of
    # the reply: «not individual» switches to English under Arabic buttons
    if m.taken_from_words is None:
        return ""
    shown = m.step.ask(m.ctx).choices if m.step is not None else ()
    labels = [(o.id, o.label) for o in shown] + [(o[0], o[1]) for o in m.ctx.state.offered]
    return next((label for option_id, label in labels if option_id == m.taken_from_words), "")


def _location_as_words(m: ReadMessage) -> Text | None:
    """A location shared while answering an officer («هل صاحب الإقامة داخل المملكة
    الآن؟»): words of the answer saying where the sender is («موقعي الذي شاركته: داخل
    المملكة»), added to it like typed words and sent with it; None anywhere else. Found
    by tester 13 (§21, WhatsApp): it got «الموقع غير مطلوب هنا» while the officer waited
    for exactly that. Only inside or outside the Kingdom, as the location question of a
    request reads it (domain.places): no coordinates reach the officer."""
    ctx = m.ctx
    if ctx.state.flow != "more_info" or ctx.state.step != "answer":
        return None
    return location_words(ctx, m.chosen)


def location_words(ctx: Ctx, event: Event) -> Text | None:
    """A shared location as the words an answer to an officer takes: «موقعي الذي شاركته:
    داخل المملكة» (or outside); None for anything but a located place."""
    option = place_option(event)
    if option is None:
        return None
    _ = ctx.texts.gettext
    where = _("inside the Kingdom") if option == INSIDE else _("outside the Kingdom")
    return Text(event.origin, _("My shared location: %(where)s") % {"where": where})


def _may_answer(m: ReadMessage) -> bool:
    """Whether a photo or file here may be the answer an officer waits for: at a step of
    the request that takes no files; at the documents step, the first file of the draft
    (the officer's question must ask for one: OfficerAnswers._offer_answer), since once
    it holds one, or the person said a file was not the answer, its files are its own.
    Found by the session-14 brief: at the documents step of a new draft the passport
    photo the officer had asked for went into the draft with no question."""
    if m.step is None or not m.step.takes_files:
        return True
    return not m.ctx.state.answers.get("attachments")


def _file_arrived(m: ReadMessage) -> str:
    """The line above «is this your answer?» for a photo or a file."""
    _ = m.ctx.texts.gettext
    if isinstance(m.chosen, Media) and m.chosen.kind == "photo":
        return _("Your photo has arrived.")
    return _("Your file has arrived.")
