"""The engine's part that answers residents' questions at any step (issue 13): the answer
from the knowledge base, then the step the person was on, nothing of a draft lost.

- A question the base answers gets the answer; when the topic goes with a service («ايش
  شروط تجديد الاقامة») and no request is being filled in, «تقديم طلب الآن» starts it.
- A question that comes close to two or three topics without naming one gets them as
  buttons («هل تقصد أحد هذه الأسئلة؟») rather than a guess.
- A plain question the base cannot answer is told so honestly, with the way to file a
  request (or, mid-request, to write it in the description for the officer).
- «أسئلة شائعة», in the first menu, under help or typed, lists every topic as buttons.

Buttons: ``faq``; ``kb:<topic id>`` (harmless at any step, so accepted from any older
message, like a language); ``file:<service id>`` (only where it was offered).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from conversations import knowledge
from conversations.buttons import TOPIC_PREFIX
from conversations.document_answers import DocumentAnswers
from conversations.events import Option, Reply, Text
from conversations.faq_options import FAQ, topic_options, ways_out
from conversations.fee_answers import (
    ask_which_fee,
    fee_line,
    fee_service_named,
    fee_unknown,
    inquiry_option,
    service_asked_about,
)
from conversations.filing_offers import FILE_PREFIX, known_service
from conversations.flow import Ctx
from conversations.flows.description_questions import tells_more
from conversations.flows.description_words import (
    only_asks,
    unknown_number,
    unknown_number_at_step,
)
from conversations.flows.establishment_words import about_establishment_number
from conversations.flows.intake_draft import applicant_of
from conversations.flows.intake_service import suggest
from conversations.flows.number_unknown import number_unknown_lines
from conversations.keywords import is_faq_word
from conversations.keywords_early import without_places
from conversations.question_why import why_asked
from conversations.read_message import ReadMessage
from conversations.reading import NAV_IDS, START_STEPS, picked_by_place
from conversations.understanding import answer_words
from conversations.unserved_needs import unserved_line, unserved_need
from conversations.wishes import wish
from domain.catalogue import local

#: The intake steps where the service is chosen, by menu or in the person's words.
_SERVICE_STEPS = ("group", "service", "suggest")
#: Questions no seed answers though their words resemble a service's (the working hours).
UNANSWERED = Path(__file__).resolve().parent / "data" / "unanswered.json"
_MAX_UNANSWERED_WORDS = 15


class Questions(DocumentAnswers):
    """Mixed into :class:`conversations.engine.Engine`."""

    async def _fee_of_named(self, m: ReadMessage) -> list[Reply] | None:
        """«تجديد الاقامة» under «رسوم أيّ خدمة؟»: the answer to that question, not a
        request started (session 26's probe), nor, among the services offered, the one
        whose label it is chosen (its recheck)."""
        if not isinstance(m.event, Text):
            return None
        placed = picked_by_place(m.event, m.ctx.state.offered, numbers=not m.free_text)
        which = fee_service_named(m.ctx, m.event.text, placed=placed)
        return None if which is None else self._question(m.ctx, which, free_text=m.free_text)

    def _question(self, ctx: Ctx, text: str, *, free_text: bool) -> list[Reply] | None:
        """The answer to a typed question, or None when the message is not one the base
        answers or comes close to (the step reads it). ``free_text``: the step takes the
        person's own words, so only a plain question counts («...؟», «كم...»)."""
        if is_faq_word(text):
            return self._faq(ctx)
        kind = unknown_number(text)
        if kind is None and ctx.state.step == "identity" and unknown_number_at_step(text):
            kind = "identity"  # «ما اعرف الرقم» at the number step: this step's number
        if kind is not None and ctx.state.step != "description" and only_asks(text):
            # «ما اعرف رقم اقامة ابوي»: not a question about an iqama's validity (its
            # «اعرف» and «اقامة» named that topic); the description step answers it itself.
            # Only the ask alone: «ابي اجدد اقامة ابوي بس ما اعرف رقم اقامته» is a need
            # (review 15b §2: the need was lost), a longer case at the documents step more
            # of the description
            return self._number_unknown(ctx, kind)
        why = why_asked(ctx, text)
        if why is not None:
            return self._and_the_step(ctx, Reply(why))
        if ctx.state.step == "refused" and knowledge.asks_what_to_do(text):
            # «وش اسوي؟» after a refusal: the step says again what to do instead
            # (eligibility._what_now), not «ليس لدي جواب…»
            return None
        if ctx.state.step == "establishment" and about_establishment_number(text):
            # «ما اعرف رقم المنشأة», «وش الرقم الموحد؟»: the step says what the number is
            return None
        if ctx.state.step == "description" and tells_more(text):
            # a description with a question in it: the step keeps it and answers the
            # question (conversations.flows.description_questions), nothing dropped
            return None
        documents = self._documents_answer(ctx, text, free_text=free_text)
        if documents is not None:
            return documents
        if not free_text and self._situation_told(ctx, text):
            return None
        found = knowledge.answer_topic(text, explicit_only=free_text)
        other = _named_instead(ctx, found, text) if found is not None else None
        if other is not None:
            # «وش المطلوب لتجديد جواز السفر»: the iqama's conditions matched on «تجديد»
            return self._documents_of(ctx, other)
        if found is not None:
            return self._topic_answer(ctx, found, text)
        asks = knowledge.explicit_question(text) if free_text else knowledge.reads_as_question(text)
        if not asks:
            return None
        unserved = unserved_need(text)
        if unserved is not None:
            # «وين اطلع فيزا زيارة لاخوي؟»: no Tawasul service, said so rather than «no
            # answer here» beside the nearby service (tester 13, §8)
            return self._unserved(ctx, unserved)
        if wish(text, UNANSWERED, (("office_hours", True),), max_words=_MAX_UNANSWERED_WORDS):
            # no seed gives the working hours: said so, and no service is offered for
            # words that only resemble one («working» ~ «not working»: tester 12, §18)
            return self._cannot_answer(ctx, text)
        if knowledge.asks_facts(text, loose=not free_text):
            # «كم رسوم تجديد الجواز؟» asks about the service; it does not choose it; «الرسوم
            # كم», «ابي استفسر عن الرسوم» too where the step takes no words of one's own
            about = service_asked_about(ctx, text)
            fee = knowledge.asks_fee(text, loose=not free_text)
            own = self._own_topic(ctx, about, text) if fee else None
            if own is not None:
                return self._topic_answer(ctx, own)
            if about is not None and not free_text:
                return self._no_facts(ctx, about, text)
            if fee and not free_text and about is None and _fee_alone(ctx, text):
                # no service named («كم الرسوم؟», «كم الرسووم»: helper 22's recheck), or
                # one matched only through the word of price («رسوم المرافقين»)
                return self._which_fee(ctx)
        if ctx.catalogue.match(text, limit=1):
            return None
        near = knowledge.near_topics(text)
        if near:
            return self._unsure(ctx, tuple(near))
        return None

    def _situation_told(self, ctx: Ctx, text: str) -> bool:
        """Whether ``text``, before a service is chosen, tells a situation naming a need
        and asks what to do («اقامتي انتهت والكفيل مسافر وش اسوي»): the step reads it as
        the need, its words kept for the description. Session 20's new-user probe: it got
        the «who may file» answer (on «الكفيل») and the words were lost; «كفيلي مسافر
        واقامتي منتهية ايش اسوي» the iqama validity's."""
        if ctx.state.step not in (*START_STEPS, "applicant", *_SERVICE_STEPS):
            return False
        if not knowledge.asks_what_to_do(text):
            return False
        named = ctx.catalogue.match(without_places(text), limit=1)
        return bool(named) and named[0].id != "other"

    def _number_unknown(self, ctx: Ctx, kind: str) -> list[Reply]:
        """«ما اعرف رقم اقامة ابوي» at any step but the description: where that kind of
        number is written (conversations.flows.number_unknown), then the question the
        person was on, nothing of a draft lost."""
        said = Reply("\n".join(number_unknown_lines(ctx, kind)))
        return self._and_the_step(ctx, said)

    def _unserved(self, ctx: Ctx, need_id: str) -> list[Reply]:
        """A question about a need Tawasul does not serve (conversations.unserved_needs):
        said so, then the question the person was on, nothing of a draft lost."""
        said = Reply(unserved_line(ctx, need_id))
        return self._and_the_step(ctx, said)

    def _question_choice(self, ctx: Ctx, choice_id: str) -> list[Reply] | None:
        """A tap on «أسئلة شائعة» or a topic; None for any other button (the buttons that
        file a request are conversations.filing_offers')."""
        if choice_id == FAQ:
            return self._faq(ctx)
        if choice_id.startswith(TOPIC_PREFIX):
            found = knowledge.topic(choice_id.removeprefix(TOPIC_PREFIX))
            return None if found is None else self._topic_answer(ctx, found)
        return None

    def _faq(self, ctx: Ctx) -> list[Reply]:
        _ = ctx.texts.gettext
        options = (*topic_options(ctx, knowledge.topics()), *ways_out(ctx))
        self._offer_too(ctx, options)
        return [Reply(_("Frequently asked questions: choose one to read its answer."), options)]

    def _unsure(self, ctx: Ctx, topics: tuple[knowledge.Topic, ...]) -> list[Reply]:
        options = (*topic_options(ctx, topics), *ways_out(ctx))
        self._offer_too(ctx, options)
        # one topic offered is asked of in the singular (found by the fresh-clone tester)
        text = ctx.texts.ngettext(
            "I'm not sure what you are asking. Is it this one? Or type your question in other words.",
            "I'm not sure what you are asking. Is it one of these? Or type your question in other words.",
            len(topics),
        )
        return [Reply(text, options)]

    def _topic_answer(
        self, ctx: Ctx, topic: knowledge.Topic, text: str | None = None
    ) -> list[Reply]:
        """The answer, then the question the person was on, nothing of the draft lost.
        «تقديم طلب الآن» follows that question's own choices (one list, so a typed
        number means what the last list shows on every channel). ``text``: the message
        asked in, when typed; a need stated in it where the service is chosen is
        offered after the answer (:meth:`_need_too`)."""
        _ = ctx.texts.gettext
        said = Reply(knowledge.answer_text(topic, ctx.locale))
        need = self._need_too(ctx, text)
        if need is not None:
            return [said, *need]
        services = [
            s for s in topic.services if not self._mid_request(ctx) and known_service(ctx, s)
        ]
        offer = tuple(Option(FILE_PREFIX + s, _("File a request now")) for s in services[:1])
        if ctx.state.step in START_STEPS:
            *before, again = self._restart(ctx)
            return [said, *before, self._with_first(ctx, again, offer)]
        again = self._ask(ctx)
        if self._has_draft(ctx.state):
            lead = self._back_lead(ctx)
            again = dataclasses.replace(again, text=f"{lead}\n{again.text}")
        return [said, self._with_first(ctx, again, offer)]

    def _need_too(self, ctx: Ctx, text: str | None) -> list[Reply] | None:
        """A need stated beside the question where the service is chosen («ابي اجدد
        اقامتي وكمان ابي اعرف كم الرسوم»: tester 12, fault 13, where the group menu came
        back after the answer and the need was dropped): the services it names, offered as
        the need alone would have them. None when the message opens with a question word
        («كم رسوم تجديد الاقامة؟» asks, it states no need), is not at those steps, or names
        no service."""
        state = ctx.state
        if text is None or state.flow != "intake" or state.step not in _SERVICE_STEPS:
            return None
        if knowledge.opens_with_question_word(text):
            return None
        if not ctx.catalogue.match(without_places(text), limit=1, applicant_kind=applicant_of(ctx)):
            return None
        return self._apply(ctx, suggest(ctx, text))

    def _own_topic(self, ctx: Ctx, service_id: str | None, text: str) -> knowledge.Topic | None:
        """The topic a question of price, time or place about the request being filled
        in answers once the service is named in it («كم الرسوم؟» in an iqama renewal: the
        iqama's fees and late fines; helper 22, it was told no source gives them, and at
        the description step that there was no answer); None for another service's, or
        when no topic answers it."""
        if service_id is None or service_id != ctx.state.answers.get("service"):
            return None
        name = local(ctx.catalogue.get(service_id).name, ctx.locale)
        return knowledge.answer_topic(f"{text} {name}")

    def _which_fee(self, ctx: Ctx) -> list[Reply]:
        """«كم الرسوم؟» with no service named nor chosen: which service's, with an
        example, then the question the person was on (helper 22: it was answered about
        «خدمات التابعين», whose «رسوم المرافقين» holds the word)."""
        _ = ctx.texts.gettext
        said = Reply(
            _(
                "The fees of which service? Please write its name with your question, for example: «How much is the iqama renewal fee?»."
            )
        )
        ask_which_fee(ctx)
        return self._and_the_step(ctx, said)

    def _no_facts(self, ctx: Ctx, service_id: str, text: str | None = None) -> list[Reply]:
        """A question about a service's price, time or place that no topic answers: said
        honestly that there is no answer here; before the first question, the first
        question follows with «File a request now» for that service (an offer, not a
        choice made for the person); where the service is chosen, a need stated beside it
        in ``text`` is offered (:meth:`_cannot_answer`)."""
        at_start = ctx.state.step in START_STEPS
        fee = (
            text is not None
            and known_service(ctx, service_id)
            and knowledge.asks_fee(text, loose=True)
        )
        if not (at_start or ctx.state.step == self.flow.first) or not known_service(
            ctx, service_id
        ):
            if fee and ctx.state.step in _SERVICE_STEPS:
                # «كم الرسوم» then «خروج وعوده» while the service is chosen: no request
                # to write it in yet (helper 26: «يمكنك كتابته في وصف الطلب»)
                return [Reply(fee_unknown(ctx, service_id)), self._ask(ctx)]
            if fee and self._mid_request(ctx) and ctx.state.step not in _SERVICE_STEPS:
                # mid-request: the same honest line, where the question can go, and the
                # way back to the request (session 20's probe: that line was missing)
                again = self._ask(ctx)
                again = dataclasses.replace(again, text=f"{self._back_lead(ctx)}\n{again.text}")
                return [Reply(fee_line(ctx, service_id, mid_request=True)), again]
            return self._cannot_answer(ctx, text)
        _ = ctx.texts.gettext
        if fee:
            # «كم رسوم الخروج والعودة»: no seed gives a fee, and saying so names it
            # (session 18's faults list: only «ليس لدي جواب عن هذا السؤال»)
            said = Reply(fee_line(ctx, service_id, mid_request=False))
        else:
            said = Reply(
                _(
                    "Sorry, I don't have an answer to that question. If it is about your own case, you can file a request below and an officer will look into it; or see the frequently asked questions."
                )
            )
        # at the first question (after /start) as before it: the offer under the question
        *before, again = self._restart(ctx) if at_start else [self._ask(ctx)]
        offer: tuple[Option, ...] = (Option(FILE_PREFIX + service_id, _("File a request now")),)
        if fee and text is not None:
            # the question itself, to the officers (session 20's probe: a dead end)
            offer = (inquiry_option(ctx, FILE_PREFIX, text), *offer)
        return [said, *before, self._with_first(ctx, again, offer)]

    def _cannot_answer(self, ctx: Ctx, text: str | None = None) -> list[Reply]:
        """A plain question the base has no answer for: said so, and the way on (the
        first question files a request and offers «أسئلة شائعة»). A need stated beside
        it in ``text`` where the service is chosen («ابي اجدد اقامتي، وكم ساعات الدوام؟»)
        is kept: its services offered after the word that the question has no answer
        here, to be written in the description (:meth:`_need_too`); in a first message,
        its service is offered under the first question (:meth:`_need_offer`).

        Found in session 12: the need was dropped and the group menu came back, as it
        did beside an answered question before b848946."""
        _ = ctx.texts.gettext
        need = self._need_too(ctx, text)
        if need is not None:
            said = _(
                "Sorry, I don't have an answer to that question. You can write it in your request's description, and the officer who handles it will answer."
            )
            return [Reply(said), *need]
        if self._mid_request(ctx):
            said = _(
                "Sorry, I don't have an answer to that question. You can write it in your request's description, and the officer who handles it will answer."
            )
            return [Reply(said), self._ask(ctx)]
        said = _(
            "Sorry, I don't have an answer to that question. If it is about your own case, you can file a request below and an officer will look into it; or see the frequently asked questions."
        )
        # a need beside the question in a first message: its service offered
        offer = self._need_offer(ctx, text)
        if ctx.state.step in START_STEPS:
            *before, again = self._restart(ctx)
            return [Reply(said), *before, self._with_first(ctx, again, offer)]
        return [Reply(said), self._with_first(ctx, self._ask(ctx), offer)]

    def _need_offer(self, ctx: Ctx, text: str | None) -> tuple[Option, ...]:
        """«تقديم طلب الآن» for the service a need beside a question names, before the
        first question is answered; none when the message opens with a question word
        (it asks, it states no need), names no service, or a draft is being filled in."""
        if text is None or knowledge.opens_with_question_word(text):
            return ()
        named = ctx.catalogue.match(without_places(text), limit=1)
        if not named or not known_service(ctx, named[0].id) or self._has_draft(ctx.state):
            return ()
        return (Option(FILE_PREFIX + named[0].id, ctx.texts.gettext("File a request now")),)

    def _with_first(self, ctx: Ctx, reply: Reply, options: tuple[Option, ...]) -> Reply:
        """``reply`` (the step's question) with ``options`` after its own choices and
        before the navigation: the step's options keep the numbers they have on every
        other screen of this question (found by the tester: «تقديم طلب الآن» in front
        moved them all by one)."""
        if not options:
            return reply
        own = tuple(o for o in reply.choices if o.id not in NAV_IDS)
        nav = tuple(o for o in reply.choices if o.id in NAV_IDS)
        choices = (*own, *options, *nav)
        ctx.state.offered = [[o.id, o.label] for o in choices]
        return dataclasses.replace(reply, choices=choices)

    def _mid_request(self, ctx: Ctx) -> bool:
        """True past the first question of a request (a service chosen, numbers typed...)."""
        state = ctx.state
        return state.step not in (*START_STEPS, self.flow.first)

    def _offer_too(self, ctx: Ctx, options: tuple[Option, ...]) -> None:
        """Adds ``options`` to what may be pressed or typed now, in front, keeping the
        step's own buttons working."""
        ids = {o.id for o in options}
        kept = [o for o in ctx.state.offered if o[0] not in ids]
        ctx.state.offered = [*([o.id, o.label] for o in options), *kept]


def _named_instead(ctx: Ctx, topic: knowledge.Topic, text: str) -> str | None:
    """The service ``text`` names when it is not one ``topic`` is about (a topic of the
    iqama matched on «تجديد» in «وش المطلوب لتجديد جواز السفر»: helper 22); None when the
    topic names no service or one of the services the text names is the topic's."""
    asked = knowledge.without_fee_words(text) if knowledge.asks_fee(text) else text
    named = [s.id for s in ctx.catalogue.match(asked, limit=3)]  # not «رسوم المرافقين»
    if not topic.services or not named or set(named) & set(topic.services):
        return None
    return named[0]


#: The most words besides the price's a fee question naming nothing has («كم الرسوم»).
_FEE_ALONE_WORDS = 2


def _fee_alone(ctx: Ctx, text: str) -> bool:
    """Whether a fee question names nothing but the fee («كم الرسووم», «what are the
    fees?»), or a service only through the word of price; «كم سعر تذكرة الطيران؟» asks
    the price of something else."""
    if ctx.catalogue.match(text, limit=1):
        return True
    return len(answer_words(knowledge.without_fee_words(text))) <= _FEE_ALONE_WORDS
