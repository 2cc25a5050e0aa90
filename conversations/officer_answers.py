"""The engine's part that routes a person's reply to an officer's question: taken as the
answer when nothing is being filled in, offered as one when it may be something else, and
the held message replayed once the person says which (see conversations.flows.more_info)."""

from __future__ import annotations

import dataclasses
import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

from conversations.engine_parts import EngineParts
from conversations.events import Choice, Event, Media, Option, Reply, Text
from conversations.file_questions import asks_for_file
from conversations.flow import Ctx
from conversations.flows.more_info import (
    MORE_INFO,
    held_line,
    held_rest,
    hold,
    keep_with,
    offer_text,
    start_answer,
    taken_text,
    unhold,
    waiting_questions,
)
from conversations.forgotten_files import FOR_NOTE
from conversations.formatting import isolate
from conversations.keywords import courtesy
from conversations.read_message import ReadMessage
from conversations.reading import NAV_IDS, START_STEPS, as_choice
from conversations.state import DialogueState
from conversations.step_answers import location_words
from conversations.stray_files import unheard
from domain.normalize import digits_only, fold_arabic, to_ascii_digits

#: In a held bare number: the options it was typed under, read again at «لا».
MENU = "menu"
_ANSWER_WORDS = Path(__file__).resolve().parent / "data" / "answer_words.json"
# the request's steps that ask for a number (conversations.flows.intake)
_NUMBER_STEPS = frozenset({"identity", "establishment", "phone"})

log = logging.getLogger(__name__)


class OfficerAnswers(EngineParts):
    """Mixed into :class:`conversations.engine.Engine`."""

    def _idle(self, state: DialogueState) -> bool:
        """Nothing is being filled in: before the first question, at it with nothing chosen,
        or after a request was filed."""
        if state.flow != self.flow.name:
            return False
        return state.step in START_STEPS or (state.step == self.flow.first and state.is_blank())

    async def _unprompted_answer(
        self, ctx: Ctx, event: Event, held: dict[str, Any] | None = None
    ) -> list[Reply] | None:
        """A message sent while an officer waits for an answer, without pressing «Answer»:
        taken as the answer, or, when it may be something else (a new need, several
        requests waiting), offered as one. None when nothing waits or it can't be one.

        ``held``: words still waiting on «هل رسالتك هي الإجابة؟» from the turn before
        (:func:`earlier_words`); a file sent now is the person going on answering, so
        they join the answer before it, or are asked about again with it. Fresh-clone
        tester 15 (§1): the words were dropped and the officer got the photo alone."""
        kept = hold(event)
        if kept is None:
            return None
        earlier = earlier_words(held, event)
        if isinstance(event, Text):
            _kind, rest = courtesy(event.text)
            if not rest:
                return None  # a greeting or thanks is not an answer
            if _menu_pick(event, ctx.state.offered) and not _bare_number(event.text):
                return None
            before = words_held(held)
            if before is not None:
                # more words after words held here: added after them, in order (sessions
                # 14-15: the second message replaced the first, which was lost)
                event = Text(event.origin, f"{before}\n{event.text}")
                kept = {"text": event.text}
        waiting = await waiting_questions(ctx)
        if not waiting:
            return None
        if isinstance(event, Text) and _menu_pick(event, ctx.state.offered):
            # «2» may be «منشأة» or the answer to «كم عدد أفراد الأسرة؟» (review 15 §2:
            # 50a30e7 gave it to the menu, and the answer was lost): asked, «لا» picks
            # the menu's option
            ctx.state.held = {**kept, "idle": True, MENU: ctx.state.offered}
            return [self._offer(ctx, waiting)]
        need = isinstance(event, Text) and bool(ctx.catalogue.match(event.text, limit=1))
        if len(waiting) == 1 and not need:
            number, question = waiting[0]
            if await start_answer(ctx, number, self.limiter) is not None:
                return None
            answer = MORE_INFO.steps[MORE_INFO.first].answer
            if earlier is not None:
                await answer(ctx, unhold(earlier, ctx.origin))  # the words first, as sent
                for photo in held_rest(earlier, ctx.origin):
                    await answer(ctx, photo)
            outcome = await answer(ctx, event)
            return [Reply(taken_text(ctx, number, question)), *self._apply(ctx, outcome)]
        if earlier is not None:
            # asked about again, the file kept beside the words (as an album's photos are)
            ctx.state.held = {**keep_with(earlier, event), "idle": True}
        else:
            ctx.state.held = {**kept, "idle": True}
        return [self._offer(ctx, waiting)]

    async def _unheard_answer(self, ctx: Ctx, event: Event) -> list[Reply] | None:
        """A voice note (a video, a sticker, a location) sent while an officer waits for an
        answer and nothing is being filled in: why it was not used, that it was not taken
        as the answer, the question still open, and to type the answer, with «Answer»
        under it; nothing changes. Found by the fresh-clone tester: a voice note sent as
        the answer got only the first menu, so the person thought they had answered.
        None for other messages or when nothing waits."""
        polite = unheard(ctx, event)
        if polite is None:
            return None
        waiting = await waiting_questions(ctx)
        if not waiting:
            return None
        placed = location_words(ctx, event)
        if placed is not None and len(waiting) == 1:
            # a location as the reply to «هل صاحب الإقامة داخل المملكة الآن؟», sent without
            # pressing «Answer» as most people do: taken as words of the answer, as a photo
            # sent so is (tester 14, §5: it got «الموقع غير مطلوب هنا»)
            number, question = waiting[0]
            if await start_answer(ctx, number, self.limiter) is None:
                outcome = await MORE_INFO.steps[MORE_INFO.first].answer(ctx, placed)
                replies = self._apply(ctx, outcome)
                taken = f"{taken_text(ctx, number, question)}\n«{placed.text}»"
                return [Reply(taken), *replies]
        _ = ctx.texts.gettext
        if len(waiting) == 1:
            number, question = waiting[0]
            line = _(
                "It was not taken as your answer: the officer's question about request %(number)s is still open:\n«%(question)s»\nPlease type your answer to the officer's question (you can also send photos or PDF files)."
            ) % {"number": number, "question": isolate(question)}
            options: tuple[Option, ...] = (Option(f"ans:{number}", _("Answer")),)
        else:
            line = _(
                "It was not taken as an answer: officers are still waiting for your answers about requests %(numbers)s. Please type your answer to the officer's question (you can also send photos or PDF files)."
            ) % {"numbers": _(", ").join(n for n, _q in waiting)}  # the language's list comma
            options = tuple(
                Option(f"ans:{n}", _("Answer about %(number)s") % {"number": n})
                for n, _q in waiting
            )
        ctx.state.offered = [[o.id, o.label] for o in options]
        return [Reply(f"{polite}\n{line}", choices=options)]

    async def _offer_answer(
        self, ctx: Ctx, event: Event, hint: str, *, files_asked: bool = False
    ) -> list[Reply] | None:
        """A message the current step can't use, while an officer waits: perhaps it is the
        answer. The step's own hint comes first; the person says which. ``files_asked``:
        only the questions that ask for a document, a photo or a file are offered (a photo
        at the documents step, conversations.file_questions). Not asked about: a number
        too short for the number step it was typed at (a slip of that number), nor anything
        in the turn right after the same questions were offered (fresh-clone tester 16 §6:
        «12345» at the identity step was offered as an expiry date, and every refused
        message after it was asked about again)."""
        state = ctx.state
        kept = hold(event)
        if kept is None or (isinstance(event, Text) and _number_slip(event.text, state.step)):
            return None
        waiting = await waiting_questions(ctx)
        if files_asked:
            waiting = [(n, q) for n, q in waiting if asks_for_file(q)]
        if not waiting:
            return None
        numbers = [n for n, _q in waiting]
        offered, state.answer_offered = state.answer_offered, None
        just_before = state.handled[-1] if state.handled else None
        if offered is not None and offered[0] == just_before and offered[1:] == numbers:
            return None
        state.answer_offered = [ctx.origin.event_id, *numbers]
        state.held = kept
        return [Reply(hint), self._offer(ctx, waiting)]

    async def _held_again(self, ctx: Ctx, replies: list[Reply]) -> list[Reply]:
        """``replies``, then the question about a message put aside while a rating or note
        button's flow ran (:attr:`DialogueState.held_aside`), once that flow is over: the
        message is held again and the person asked whether it answers the officer. Found
        by the fresh-clone tester: a rating tapped while «is this your answer?» waited
        lost the message. ``replies`` alone while another flow runs (the say flow, or an
        answer or a look-up begun from it) or nothing waits."""
        state = ctx.state
        aside = state.held_aside
        if aside is None or state.flow != self.flow.name or state.held or state.confirming:
            # not while a side flow runs: the say flow, or an answer or a look-up begun
            # from it, would be interrupted by the question
            return replies
        state.held_aside = None
        waiting = await waiting_questions(ctx)
        if not waiting:
            return replies
        state.held = aside
        offer = self._offer(ctx, waiting)
        return [*replies, dataclasses.replace(offer, text=f"{held_line(ctx, aside)}\n{offer.text}")]

    async def _answer_at_yes_no(self, m: ReadMessage) -> list[Reply] | None:
        """«إجابة ٢» (a message opening with a word of ``data/answer_words.json``) typed at
        «هل يُحذف؟» while an officer's question waits: the question is withdrawn, nothing
        deleted, and the message, after one held before «إلغاء» (:meth:`_set_aside_held`),
        is offered as the answer («هل رسالتك هي الإجابة عن هذا السؤال؟»), which also asks
        back whether the «٢» meant something else. «إجابة» alone, with one question waiting
        and nothing held, opens the answer as the «Answer» button does. None otherwise.
        Found by fresh-clone user 15: «إجابة ٢» there got the step's «لم أتمكن…», and the
        message held before was lost."""
        ctx, state = m.ctx, m.ctx.state
        if not state.confirming or not isinstance(m.event, Text):
            return None
        rest = named_answer(m.event.text)
        if rest is None:
            return None
        waiting = await waiting_questions(ctx)
        aside = state.held_aside
        earlier = [str(aside["text"])] if _words_only(aside) and aside is not None else []
        texts = [*earlier, m.event.text.strip()] if rest else earlier
        if not waiting or (not texts and len(waiting) > 1):
            return None
        _ = ctx.texts.gettext
        lead = _("Nothing was deleted: the request you are filling in is kept.")
        state.confirming = None
        if not texts:
            replies = await self._answer_officer(ctx, waiting[0][0])
            return [
                dataclasses.replace(replies[0], text=f"{lead}\n{replies[0].text}"),
                *replies[1:],
            ]
        if earlier:
            state.held_aside = None
        held = {"text": "\n".join(texts)}
        state.held = held
        offer = self._offer(ctx, waiting)
        said = f"{lead}\n{held_line(ctx, held)}\n{offer.text}"
        return [Reply(said, choices=offer.choices)]

    async def _still_waiting(self, ctx: Ctx, replies: list[Reply]) -> list[Reply]:
        """``replies`` (the screen a message said not to be an answer led to: «لا» under
        «هل رسالتك هي الإجابة…؟» for «2» at the first menu picks «منشأة») with a line above
        saying the officer's question still waits, and how to answer it: said once, on
        this screen. Found by fresh-clone user 15: the next screen said nothing of it, so
        the question seemed gone. ``replies`` as they are when nothing waits."""
        try:
            waiting = await waiting_questions(ctx)
        except Exception as exc:
            # the requests cannot be read: the screen alone, as before, and said in the log
            # (session 18's staff-side list: this was silent)
            log.warning("waiting questions not read: %s", type(exc).__name__)
            return replies
        if not waiting or not replies:
            return replies
        _ = ctx.texts.gettext
        if len(waiting) == 1:
            number, question = waiting[0]
            line = _(
                "The officer's question about request %(number)s is still waiting for your answer:\n«%(question)s»\nYou can type your answer here at any time."
            ) % {"number": number, "question": isolate(question)}
        else:
            line = _(
                "Officers are still waiting for your answers about requests %(numbers)s; you can type them here at any time."
            ) % {"numbers": _(", ").join(n for n, _q in waiting)}
        first = replies[0]
        return [dataclasses.replace(first, text=f"{line}\n{first.text}"), *replies[1:]]

    def _set_aside_held(self, ctx: Ctx, held: dict[str, Any] | None) -> None:
        """A message held under «هل رسالتك هي الإجابة؟» when the person says «إلغاء» or «ابدأ
        من جديد» instead, or comes back (``/resume``): put aside, and asked about again
        after the welcome back, once «هل يُحذف؟» is answered or the draft is gone
        (:meth:`_held_again`). Fresh-clone user 15: it was lost. A file offered for a note
        is the cancel's to drop (forgotten_files)."""
        if held is not None and FOR_NOTE not in held and ctx.state.held_aside is None:
            ctx.state.held_aside = held

    def _offer(self, ctx: Ctx, waiting: list[tuple[str, str]]) -> Reply:
        prompt = offer_text(ctx, waiting)
        ctx.state.offered = [[o.id, o.label] for o in prompt.choices]
        return Reply(prompt.text, choices=prompt.choices)

    async def _answer_officer(
        self, ctx: Ctx, number: str, held: dict[str, Any] | None = None, said: Event | None = None
    ) -> list[Reply]:
        """``said``: the message that chose «نعم، هذه إجابتي» in words; when it says more
        than that («إجابة ٢»), its words join the answer after the held message (they were
        dropped: fresh-clone user 15)."""
        refusal = await start_answer(ctx, number, self.limiter)
        if refusal is None and held is not None:
            # the message that was held while the person said it answers this question
            answer = MORE_INFO.steps[MORE_INFO.first].answer
            outcome = await answer(ctx, unhold(held, ctx.origin))
            for rest in held_rest(held, ctx.origin):
                await answer(ctx, rest)  # the album's other photos join quietly
            if isinstance(said, Text) and named_answer(said.text):
                outcome = await answer(ctx, said)
            question = str(ctx.state.answers["question"])
            return [Reply(taken_text(ctx, number, question)), *self._apply(ctx, outcome)]
        if refusal is None:
            return [self._ask(ctx)]
        if ctx.state.step in START_STEPS:
            return [Reply(refusal)]
        return [self._reply(ctx, refusal, with_choices=True)]


def earlier_words(held: dict[str, Any] | None, event: Event) -> dict[str, Any] | None:
    """The words held last turn under «هل رسالتك هي الإجابة؟» when nothing was being filled
    in, and ``event`` is a photo or file: that file goes on with the answer, so the words
    are part of it. None otherwise (a note's photo offer, words the step held, no file)."""
    if held is None or not held.get("idle") or "text" not in held or FOR_NOTE in held:
        return None
    if not (isinstance(event, Media) and event.kind in ("photo", "document")):
        return None
    return held


def words_held(held: dict[str, Any] | None) -> str | None:
    """The words held last turn under «هل رسالتك هي الإجابة؟» when nothing was being filled
    in (:func:`earlier_words`' words, a bare number held beside a menu included), for the
    words sent next to join; None when no words are held (a file, a note's offer)."""
    if held is None or not held.get("idle") or "text" not in held or FOR_NOTE in held:
        return None
    return str(held["text"])


def _menu_pick(typed: Text, offered: list[list[str]]) -> bool:
    """Whether ``typed`` picks one of the options on screen by its number or its label
    («1», «١», «فرد» under the first menu). A label is the menu's, never the answer to an
    officer (tester 14: «1» for «فرد» while a question waited was sent to the officer); a
    bare number may be either, so the caller asks. An answer is anything else: words, a
    date, an identity number, a photo."""
    chosen = as_choice(typed, offered)
    return isinstance(chosen, Choice) and chosen.id not in NAV_IDS


def _number_slip(text: str, step: str) -> bool:
    """Whether ``text`` is digits alone, fewer than a full number's ten, at a step asking
    for a number (an identity, an establishment, a mobile): the step's number mistyped,
    never the answer to an officer's question."""
    digits = to_ascii_digits(digits_only(text))
    return step in _NUMBER_STEPS and digits.isdigit() and len(digits) < 10


def _bare_number(text: str) -> bool:
    """Whether ``text`` is digits only («2», «١»), spaces and separators aside."""
    return to_ascii_digits(digits_only(text)).isdigit()


@cache
def _answer_phrases(path: Path = _ANSWER_WORDS) -> tuple[tuple[str, ...], ...]:
    """The folded phrases of ``path``'s 'answer', longest first."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    phrases = {tuple(fold_arabic(str(p)).split()) for p in raw["answer"]}
    return tuple(sorted((p for p in phrases if p), key=len, reverse=True))


def named_answer(text: str) -> str | None:
    """The words after an opening that says the message is an answer to the officer
    («إجابة ٢» → «٢», «الاجابه: نعم» → «نعم»; «إجابة» alone → ""); None when the message
    does not open so. The openings are data (``data/answer_words.json``)."""
    words = text.split()
    keys = [fold_arabic(w) for w in words]
    for phrase in _answer_phrases():
        if tuple(keys[: len(phrase)]) == phrase:
            return " ".join(words[len(phrase) :])
    return None


def _words_only(held: dict[str, Any] | None) -> bool:
    """Whether ``held`` is words alone (no file, no note's offer)."""
    return held is not None and "text" in held and "media" not in held and FOR_NOTE not in held
