"""Which part of the engine answers one message, in a fixed order.

A message is read, in this order, as: a pressed button checked like typed input; an
answer to «delete your data?»; a wish in the person's own words («أضف ملاحظة لطلبي»);
the option it names (by number, label or in other words); the rest of an album being
asked about; a photo just after a request to reconsider; an officer's answer, a question's
topic or a need; a rating or note; a draft's «discard / keep / undo»; «my data», a status
look-up or a language switch; an answer nobody prompted, or a need or a rules question
where a number was asked; navigation; a courtesy; and only then the current step's answer. The first part that
answers ends the reading. The order is the behaviour: moving a part changes what a word
means at some step, so each stage below keeps its place.

Mixed into :class:`conversations.engine.Engine`; split from it to keep one idea a file.
The message as it is read is :class:`conversations.read_message.ReadMessage`; the last
part, the current step's answer, is :class:`conversations.step_answers.StepAnswers`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable

from conversations.back_to_request import BackToRequest
from conversations.buttons import ANOTHER_NUMBER, check_button
from conversations.drafts import DraftKeeping
from conversations.events import Choice, Event, Reply, Text
from conversations.filing_offers import FilingOffers
from conversations.flow import Ctx, Flow
from conversations.flows.more_info import held_rest, keep_with, same_album, unhold
from conversations.flows.phone_help import is_phone_concern, why_the_number
from conversations.flows.say_note import note_status_line
from conversations.flows.status_lookup import number_after_answer
from conversations.flows.status_prompt import forgot_request_number, no_number_at_prompt
from conversations.flows.summary_typed import summary_reads
from conversations.flows.their_say import SAY
from conversations.flows.their_say import STEPS as SAY_STEPS
from conversations.forgotten_files import ForgottenFiles, held_for_say
from conversations.keywords import courtesy
from conversations.language_parts import LanguageParts
from conversations.manners import greeted_back, salute
from conversations.moves import Moves
from conversations.my_data import YES, MyData
from conversations.officer_answers import MENU, OfficerAnswers
from conversations.officer_wish import officer_line, wants_officer
from conversations.pending_questions import PendingQuestions
from conversations.questions import Questions
from conversations.read_message import ReadMessage
from conversations.reading import (
    START_STEPS,
    language_wish,
    status_at_description,
    status_wish,
    typed_request_number,
)
from conversations.routing_choices import ChoiceReading
from conversations.say_commands import SayCommands
from conversations.stale_buttons import is_stale, stale_replies
from conversations.state import DialogueState
from conversations.status_elsewhere import StatusElsewhere
from conversations.status_exits import StatusExits
from conversations.status_needs import StatusNeeds
from conversations.step_answers import StepAnswers

_Stage = Callable[[ReadMessage], Awaitable[list[Reply] | None]]


class Routing(
    ChoiceReading,
    BackToRequest,
    Moves,
    LanguageParts,
    DraftKeeping,
    PendingQuestions,
    MyData,
    OfficerAnswers,
    ForgottenFiles,
    Questions,
    FilingOffers,
    StatusNeeds,
    StatusExits,
    StatusElsewhere,
    SayCommands,
    StepAnswers,
):
    """Mixed into :class:`conversations.engine.Engine`: reads one message (``_read``)."""

    async def _read(
        self, state: DialogueState, event: Event, *, answers: bool = True
    ) -> list[Reply]:
        """One message: the replies of the first part that answers it (the module's
        order). ``answers`` False: the person said it is not an answer to an officer, so
        it is not offered as one again."""
        ctx = self._ctx(state, event)
        checked = self._checked_button(ctx, event)
        if isinstance(checked, list):
            return checked
        # «نعم» to «delete your data?» answers it, whatever step is underneath
        erase = await self._erase_answer(ctx, checked)
        if erase is not None:
            return erase
        message = self._message(ctx, checked, answers)
        stages: tuple[_Stage, ...] = (
            self._empty_message,
            self._their_words_first,
            self._phone_concern,
            self._fee_of_named,
            self._as_option,
            self._held_album,
            self._file_for_reconsideration,
            self._pressed_option,
            self._say_or_not_answer,
            self._answer_at_yes_no,
            self._thanks_under_held,
            self._draft_choice,
            self._back_to_request,
            self._wishes,
            self._status_words_before_service,
            self._unnavigated,
            self._navigated,
            self._courtesy,
            self._out_of_status_prompt,
        )
        for stage in stages:
            replies = await stage(message)
            if replies is not None:
                return greeted_back(ctx, checked, replies)
        return await self._step_answer(message)

    def _checked_button(self, ctx: Ctx, event: Event) -> Event | list[Reply]:
        """A pressed button's data checked like typed input, in one place
        (conversations.buttons): the event, or the answer to a button not offered."""
        if not isinstance(event, Choice):
            return event
        state = ctx.state
        if is_stale(event, state):
            # under an earlier question's message: said so, the question asked again
            return stale_replies(ctx, lambda: self._ask(ctx), lambda: self._restart(ctx))
        checked = check_button(
            event,
            (option_id for option_id, _label in state.offered),
            ctx.texts,
            anywhere=state.step in START_STEPS,
        )
        if not isinstance(checked, str):
            return checked
        if state.step in START_STEPS:
            return [Reply(checked)]
        return [self._reply(ctx, checked, with_choices=True)]

    def _message(self, ctx: Ctx, event: Event, answers: bool) -> ReadMessage:
        state = ctx.state
        step = self._step(state)
        # an offer about an officer's question is a menu, even at a step that reads numbers
        free_text = (
            step is not None and step.free_text and state.held is None and not state.confirming
        )
        return ReadMessage(ctx, event, step, free_text, answers, chosen=event)

    async def _their_words_first(self, m: ReadMessage) -> list[Reply] | None:
        """«أضف ملاحظة لطلبي», «أبي أتظلم»: before a button could be read into it."""
        if not isinstance(m.event, Text) or m.ctx.state.held is not None:
            return None
        if m.free_text:
            # where the step takes the person's words (a description), only a rating
            # right after the rating question, or words adding to a note just sent (the
            # draft came back under it), are not theirs to take
            rated = await self._typed_rating(m.ctx, m.event)
            return rated if rated is not None else await self._more_for_note(m.ctx, m.event)
        return await self._their_words(m.ctx, m.event)

    async def _phone_concern(self, m: ReadMessage) -> list[Reply] | None:
        """«ليش تحتاجون رقمي؟», «الزر ما يشتغل» at the share-my-number step: why the number
        and what to do, then the step again; never a question for the knowledge base nor
        words kept for the description (tester 13, §6)."""
        if not is_phone_concern(m.ctx, m.event):
            return None
        return [Reply(why_the_number(m.ctx)), self._ask(m.ctx)]

    async def _held_album(self, m: ReadMessage) -> list[Reply] | None:
        """Takes the message held last turn (it lasts one turn); the rest of an album
        whose first photo is being asked about is kept with it, unanswered."""
        state = m.ctx.state
        m.held, state.held = state.held, None
        if m.held is not None and same_album(m.held, m.event):
            state.held = keep_with(m.held, m.event)
            return []
        return None

    async def _file_for_reconsideration(self, m: ReadMessage) -> list[Reply] | None:
        """A photo just after a request to reconsider joins it (conversations.reconsider_parts)."""
        return await self._to_reconsideration(m.ctx, m.event)

    async def _pressed_option(self, m: ReadMessage) -> list[Reply] | None:
        """An answer to an officer chosen; «أسئلة شائعة», a question's topic, «قدّم طلبًا
        الآن» (conversations.questions); a need chosen (conversations.status_needs)."""
        chosen = m.chosen
        if not isinstance(chosen, Choice):
            return None
        if chosen.id.startswith("ans:"):
            number = chosen.id.removeprefix("ans:")
            return await self._answer_officer(m.ctx, number, m.held, m.event)
        answered = self._question_choice(m.ctx, chosen.id) or self._filing_choice(m.ctx, chosen.id)
        if answered is not None:
            return answered
        return await self._to_need(m.ctx, chosen.id)

    async def _say_or_not_answer(self, m: ReadMessage) -> list[Reply] | None:
        """A rating, «Add a note» or «Ask to reconsider» pressed; «not an answer» to the
        officer's question: the held message is read as it would have been."""
        their_say = await self._their_say(m.ctx, m.chosen)
        if their_say is not None:
            if isinstance(m.chosen, Choice) and held_for_say(m.held, m.chosen.id):
                # «إضافتها إلى طلبي» for a photo sent after filing: it goes into the note
                # («طلب إعادة النظر» after a rejection: into that request)
                assert m.held is not None
                return await self._held_into_note(m.ctx, m.held, their_say)
            if m.held is not None:
                # tapped under an earlier message before saying what the held one is:
                # kept, and asked about once the button's flow is over (_held_again)
                m.ctx.state.held_aside = m.held
            return their_say
        held = m.held
        if not (isinstance(m.chosen, Choice) and m.chosen.id == "notans" and held is not None):
            return None
        if not held.get("idle") and "media" not in held:
            return [self._ask(m.ctx)]  # words the step already answered
        # a photo (and the rest of its album) goes where it would have gone: the draft's
        # step or the files kept for it (found by the session-14 brief: 233bfe6's «لا» to
        # a photo at the identity step dropped it)
        if MENU in held:
            m.ctx.state.offered = held[MENU]  # «2» read under the menu it was typed under
        replies = await self._read(m.ctx.state, unhold(held, m.event.origin), answers=False)
        for rest in held_rest(held, m.event.origin):
            replies += await self._read(m.ctx.state, rest, answers=False)
        return await self._still_waiting(m.ctx, replies)

    async def _wishes(self, m: ReadMessage) -> list[Reply] | None:
        """«بياناتي» / «احذف بياناتي», a status look-up, a language switch: at any step."""
        ctx, chosen, state = m.ctx, m.chosen, m.ctx.state
        if (
            state.flow == SAY
            and state.step == SAY_STEPS["note"]
            and isinstance(m.event, Text)
            and status_at_description(m.event.text)[0]
        ):
            # «وش صار على طلبي» at the note prompt: its status, the note kept (tester 14 §10)
            return [Reply(await note_status_line(ctx)), self._ask(ctx)]
        mine = await self._my_data(
            ctx, chosen, typed=not m.free_text and m.held is None, said=m.event
        )
        if mine is not None:
            return mine
        asked, number = status_wish(chosen if isinstance(chosen, Choice) else m.event, state)
        if asked and number is None and isinstance(m.event, Text):
            # «حالة طلبي 4512345671»: the words are the «حالة طلبي» button's label, the
            # number typed with them is the one to look up (helper 24: it was asked for)
            number = typed_request_number(m.event.text)
        if not asked:
            number = number_after_answer(state, m.event)
            asked = number is not None
        if asked and "status" in self.side_flows:
            another = isinstance(chosen, Choice) and chosen.id == ANOTHER_NUMBER
            return await self._open_status(ctx, number, another=another, said=m.event)
        if not m.free_text and isinstance(m.event, Text) and wants_officer(m.event.text):
            said = officer_line(ctx, mid_request=self._mid_request(ctx))
            if state.step in START_STEPS:
                return [Reply(said), *self._restart(ctx)]
            return [Reply(said), self._ask(ctx)]
        wish = language_wish(m.event, state.offered, state.locale, free_text=m.free_text)
        if wish is None:
            return None
        erase = any(o[0] == YES for o in state.offered)
        switched = self._switch_language(ctx, wish, typed=isinstance(m.event, Text))
        if wish:
            # a question still waiting for its answer is asked again in the new language,
            # not the step under it (tester 14, §8: «English» at «هل يُحذف؟» dropped it)
            again = await self._pending_question(
                ctx, confirming=m.confirming, held=m.held, erase=erase
            )
            if again is not None:
                return [switched[0], again]
        return switched

    async def _unnavigated(self, m: ReadMessage) -> list[Reply] | None:
        """A message that asks for no navigation: an answer to an officer nobody prompted,
        an officer's question answered or a need typed at the look-up's prompts
        (conversations.status_needs), a question about the rules (conditions, fines...)
        answered and the step asked again (where the step takes free text, only a plain
        question is)."""
        if m.action is not None:
            return None
        ctx, chosen = m.ctx, m.chosen
        if m.answers and self._idle(ctx.state):
            unheard = await self._unheard_answer(ctx, m.event)
            if unheard is not None:
                return unheard
            taken = await self._unprompted_answer(ctx, m.event, m.held)
            if taken is not None:
                return taken
            noted = await self._file_for_open_request(ctx, m.event)
            if noted is not None:
                return noted
        if (
            isinstance(chosen, Text)
            and state_at_first(ctx.state, self.flow)
            and forgot_request_number(chosen.text)
        ):
            # «نسيت رقم الطلب»: the look-up answers it (helper 21: «يُرجى اختيار…»)
            return await self._forgot_number(ctx)
        instead = await self._answer_instead_of_number(ctx, chosen)
        if instead is not None:
            return instead
        needed = self._need_instead_of_number(ctx, chosen)
        if needed is not None:
            return needed
        if (
            isinstance(chosen, Text)
            and not no_number_at_prompt(ctx.state, chosen.text)
            and not summary_reads(ctx, chosen.text)
            and not _at_reason(ctx.state)
        ):
            asked = self._question(ctx, chosen.text, free_text=m.free_text)
            if asked is not None and m.held is not None and ctx.state.held_aside is None:
                # «كم رسوم…؟» under «هل رسالتك هي الإجابة…؟»: answered, then the message held
                # asked about again (fresh-clone tester 16 §13: it was dropped silently)
                ctx.state.held_aside = m.held
                return await self._held_again(ctx, asked)
            return self._offered_for(ctx, chosen.text, asked)
        return None

    async def _navigated(self, m: ReadMessage) -> list[Reply] | None:
        """Navigation (a button, or its typed number or label): start over, cancel, help,
        back, resume; any message before the first question or after the last starts."""
        ctx, action, state = m.ctx, m.action, m.ctx.state
        if action == "cancel":
            # «which request is your note about?» on screen: that question is what ends
            # (or «is this photo for a new request?» after a decision: it is not kept)
            dropped = self._picker_cancelled(ctx) or self._file_dropped(ctx, m.held)
            if dropped is not None:
                return dropped
        if action in ("restart", "cancel", "resume"):
            self._set_aside_held(ctx, m.held)
        if action in ("restart", "cancel") and self._has_draft(state):
            return await self._ask_to_discard(ctx, action)
        if action == "resume":
            return self._welcome_back(ctx)
        if action == "restart" or state.step in START_STEPS:
            return await self._start(ctx, m.event, action)
        if action == "cancel":
            return await self._cancel(ctx)
        if action == "help":
            return [Reply(self._flow(state).help(ctx)), self._ask(ctx, language_choice=True)]
        if action == "back":
            return self._back(ctx)
        return None

    async def _thanks_under_held(self, m: ReadMessage) -> list[Reply] | None:
        """«شكرا» (a greeting, a thanks) while a message is held under «هل رسالتك هي
        الإجابة…؟»: answered in kind, and that question asked again with the words held,
        before the step or a start could take the turn. Fresh-clone tester 16: the thanks
        got the step's question (or the welcome), and the held words were lost."""
        if m.held is None or not isinstance(m.event, Text) or m.action is not None:
            return None
        kind, rest = courtesy(m.event.text)
        if kind is None or rest:
            return None
        again = await self._pending_question(m.ctx, confirming=None, held=m.held, erase=False)
        if again is None:
            return None
        said = salute(m.ctx, kind, m.event.text)
        return [dataclasses.replace(again, text=f"{said}\n{again.text}")]

    async def _courtesy(self, m: ReadMessage) -> list[Reply] | None:
        """«السلام عليكم», «طيب شكرا» mid-way: answered, and the question stays; a greeting
        before more words («السلام عليكم ابي امدد زيارة امي») is said back above the
        step's answer to the rest."""
        if not isinstance(m.event, Text) or m.action is not None:
            return None
        kind, rest = courtesy(m.event.text)
        if kind is not None and not rest:
            again = self._ask(m.ctx)
            return [
                dataclasses.replace(
                    again, text=f"{salute(m.ctx, kind, m.event.text)}\n{again.text}"
                )
            ]
        if kind in ("salam", "greeting"):
            m.greeted = salute(m.ctx, kind) + "\n"
        return None


def _at_reason(state: DialogueState) -> bool:
    """At «ما سبب طلب إعادة النظر…؟» every text is the reason, a question in it included,
    as at the description step: fresh-clone tester 15 (§2) had «…وقلت لكم انه بيتجدد
    بالسفارة، وش الناقص؟» answered with an Absher article and the reason not kept."""
    return state.flow == SAY and state.step == SAY_STEPS["recon"]


def state_at_first(state: DialogueState, flow: Flow) -> bool:
    """Whether the person is at the first question (or before it) with nothing filled."""
    return state.flow == flow.name and state.step in (*START_STEPS, flow.first)
