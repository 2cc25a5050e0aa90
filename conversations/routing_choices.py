"""Whether a typed message picks one of the buttons on screen: its number, its label or
the option in other words («الاول», «لي انا», «برا»), and where typed words are read by
the step instead (a need naming a service, a way out, a correction at the summary).

Mixed into :class:`conversations.engine.Engine` through
:class:`conversations.routing.Routing`, whose stage ``_as_option`` this is; split from
conversations/routing.py (past 400 lines) to keep one idea a file.
"""

from __future__ import annotations

from collections.abc import Sequence

from conversations.engine_parts import EngineParts
from conversations.events import Choice, Reply, Text
from conversations.flow import Ctx
from conversations.flows.early_place import own_place_at_question
from conversations.flows.eligibility import several_at_for_whom
from conversations.flows.later_requests import typed_next
from conversations.flows.location_words import TYPED_ANSWER
from conversations.flows.status_ordinals import listed_choice
from conversations.flows.summary_words import nod_at_documents, plain_confirmation
from conversations.formatting import isolate
from conversations.keywords import courtesy
from conversations.read_message import ReadMessage
from conversations.reading import (
    START_STEPS,
    STATUS_RESTART_STEPS,
    as_choice,
    navigation,
    number_beyond,
    own_options,
)
from conversations.status_question import is_status_question
from conversations.understanding import understand_choice, words

#: Steps that say themselves what a number past their choices is: the first question
#: names its options, the documents step what it expects (a number alone is not added).
_OWN_NUMBER_STEPS = (*START_STEPS, "applicant", "attachments")
# steps where a message may name a service instead of pressing a button
_NEED_STEPS = ("applicant", "suggest", "refused")


class ChoiceReading(EngineParts):
    """Mixed into :class:`conversations.engine.Engine` (through ``Routing``)."""

    async def _as_option(self, m: ReadMessage) -> list[Reply] | None:
        """Sets the option a typed message names (its number, label or other words); asks
        which one when the words fit several."""
        state = m.ctx.state
        # «الاول», «اخر واحد» at the status list: its rows, before any other reading
        chosen = (
            listed_choice(state, m.event)
            # «ايه», «الطلب الثاني» under «الطلب التالي»: before «الثاني» is option 2
            or typed_next(m.ctx, m.event)
            or as_choice(m.event, state.offered, numbers=not m.free_text)
        )
        beyond = None if m.free_text else number_beyond(chosen, state.offered)
        if beyond is not None and state.step not in _OWN_NUMBER_STEPS:
            # «٩» at a menu of five: which numbers there are (helper 22: «لم أتمكن من
            # تحديد الخدمة المقصودة», as if a need had been typed)
            gettext = m.ctx.texts.gettext
            line = (
                # «من ١ إلى ٢» reads oddly for two (helper 25)
                gettext(
                    "There is no option %(typed)s here. Please choose 1 or 2, or press one of the buttons."
                )
                if beyond == 2
                else gettext(
                    "There is no option %(typed)s here. Please choose a number from 1 to %(count)d, or press one of the buttons."
                )
            ) % {
                "typed": isolate(_typed_number(m.event.text) if isinstance(m.event, Text) else ""),
                "count": beyond,
            }
            return [self._reply(m.ctx, line, with_choices=True)]
        if (
            isinstance(chosen, Text)
            and not m.free_text
            and self._reads_choices(m.ctx, chosen)
            # «انا برا» at the location question: the sender's place, read by the step
            and not own_place_at_question(m.ctx, chosen.text)
        ):
            if any(o[0] == "confirm" for o in state.offered) and plain_confirmation(chosen.text):
                # «إرسال» at the summary sends, as the note step teaches the word; its
                # «إرسال» in «إعادة إرسال المستندات» asked which (the fresh-clone probe)
                m.chosen = Choice(m.event.origin, "confirm")
                return None
            understood = understand_choice(chosen.text, own_options(state.offered))
            if understood is None:
                # «السلام عليكم ابي اسأل»: the greeting is said back (routing._courtesy),
                # the rest picks (helper 22's probe: «يُرجى اختيار واحد من ٤ خيارات»);
                # read only when the whole text picked nothing
                greeting, rest = courtesy(chosen.text)
                if greeting in ("salam", "greeting") and rest:
                    understood = understand_choice(rest, own_options(state.offered))
            if understood is not None and understood.by_negation and state.step == "question":
                # «مو داخل المملكة»: the eligibility step reads it and says back the
                # option recorded (eligibility.denied_line), which no button press needs
                pass
            elif understood is not None and understood.chosen is not None:
                typed = chosen.text
                chosen = Choice(m.event.origin, understood.chosen)
                if state.step == "question":
                    # the words stay for the step («برا بس راجع بكرة»: location_words)
                    state.answers[TYPED_ANSWER] = typed
                if understood.by_negation or _other_words(m, understood.chosen, typed):
                    # «مو منشأة», «عندي عامل»: the person never typed the option taken, so
                    # it is said back (conversations.flows.denied_answer.taken_line)
                    m.taken_from_words = understood.chosen
            elif understood is not None and not _status_among(understood.candidates, chosen.text):
                return [self._which(m.ctx, understood.candidates)]
            elif understood is not None:
                # «ابي استفسر عن طلبي»: «استفسر» is a word of «أسئلة شائعة» too, yet the
                # message asks where the request stands (status_words.json)
                chosen = Choice(m.event.origin, "status")
        m.chosen = chosen
        return None

    def _reads_choices(self, ctx: Ctx, typed: Text) -> bool:
        """Whether a typed message here may mean one of the buttons in other words: not
        before the first question or where free text names a service (the catalogue reads
        it), and not when it names one at a step that takes a need in words."""
        state = ctx.state
        if state.held is not None:
            return True
        if navigation(typed) is not None:
            # «ابدأ من جديد» is a way out, not an answer: «ابدأ» folds to «ابدا», also a
            # dialect «no», so at a yes/no question it once turned the person away
            return False
        if state.step in (*START_STEPS, "group", "service"):
            return False
        if several_at_for_whom(ctx, typed.text):
            # «لي انا وعائلتي» at «لمن هذا الطلب؟»: one request each, said by the step
            return False
        if state.step in STATUS_RESTART_STEPS and is_status_question(typed.text):
            # «حالة الطلب» at the list is the look-up asked again, not «another number»
            return False
        if state.step in _NEED_STEPS and state.flow == self.flow.name:
            if state.step == "suggest" and _in_one_label(typed.text, own_options(state.offered)):
                # «تجديد» under «تجديد هوية مقيم» and «خدمات التابعين»: that option, not a
                # search that brought the passport's renewal (helper 23)
                return True
            return not ctx.catalogue.match(typed.text, limit=1)
        if nod_at_documents(state.offered, typed.text):
            # «تمام», «ok» at the documents: read by the step, which may ask (documents.
            # MORE_COMING); «تم», «خلاص» stay «Done» (tester 14 §8, §12)
            return False
        if any(o[0] == "confirm" for o in state.offered) and not plain_confirmation(typed.text):
            # a yes-word inside a correction or a question sends nothing: the summary
            # reads it (intake_summary._typed; tester 14 §1)
            return False
        return True


def _status_among(candidates: Sequence[str], typed: str) -> bool:
    """Whether «حالة طلبي» is one of the options ``typed`` may mean and it asks where a
    request stands (:func:`is_status_question`)."""
    return "status" in candidates and is_status_question(typed)


def _in_one_label(typed: str, options: list[tuple[str, str]]) -> bool:
    """Whether every word of ``typed`` is a word of exactly one option's label."""
    said = set(words(typed))
    found = [o for o in options if said and said <= set(words(o[1]))]
    return len(found) == 1


def _other_words(m: ReadMessage, option_id: str, typed: str) -> bool:
    """Whether ``typed`` took ``option_id`` at «فرد أم منشأة؟» in words other than its
    label («عندي عامل», «انا صاحب مؤسسة» for «منشأة»): said back there as a denial is.
    Session 20's new-user probe: «عندي عامل» went to the establishment's services with no
    word, though individuals sponsor domestic workers too. Elsewhere understood words are
    not said back («ايه» at a yes/no question needs no line)."""
    if m.ctx.state.step != "applicant":
        return False
    label = next((o[1] for o in m.ctx.state.offered if o[0] == option_id), "")
    return bool(label) and not set(words(label)) <= set(words(typed))


def _typed_number(text: str) -> str:
    """The number a person typed for a menu option, as typed: «٥» of «رقم ٥» (not
    «رقم٥»), the whole of «الخامس»."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits or " ".join(text.split())
