"""A change of service asked for in words at the steps that take the person's own words
(the description and the documents).

Found by the fresh-clone tester: «لا خلاص غيرت رايي ابي تاشيرة خروج وعودة» and the typed
label of the summary's «تغيير الخدمة» button were kept as the description. Now:

- the button's label typed («تغيير الخدمة», «Change the service») acts as the summary's
  button does: the service is chosen again at once;
- a wish in words (phrases listed in ``conversations/data/keywords.json`` under
  ``change_service``) is offered first, with the service it names if it names one: a
  sentence is less sure than a button, and the answers about the service are dropped.

Either way what the person gave that does not depend on the service is kept and used
where the new service takes it: the identity number, the establishment number and the
mobile number as numbers given early (the steps say they use them), the description
written so far as words written early (offered at the description step), the files as
they are. Only the service's own questions are asked again.
"""

from __future__ import annotations

from pathlib import Path

from conversations.events import Choice, Event, Option, Text
from conversations.flow import Ctx, Next, Outcome, Prompt, Retry
from conversations.flows import describe, description_early
from conversations.flows.answer_corrections import corrected_answer
from conversations.flows.intake_draft import (
    service_of,
)
from conversations.flows.location_words import TYPED_ANSWER
from conversations.flows.service_switch import change_service
from conversations.flows.services_named import (
    affirmed,
    named_instead,
    named_whole_instead,
    slip_named,
)
from conversations.flows.slips import after_slip
from conversations.several_people import without_people
from conversations.understanding import understand_choice, words
from conversations.wishes import wish
from domain.catalogue import local

_KEYWORDS = Path(__file__).resolve().parent.parent / "data" / "keywords.json"
#: A change of service offered and not yet answered: the ids of the services the words
#: named (maybe none), kept in the dialogue state for the next turn on any worker.
PENDING_CHANGE = "service_change"
#: The words that asked for it, kept when the change is declined or passed over: found
#: by the review, «لما اختار خدمة ثانية في ابشر يطلع لي خطأ» is a description that speaks
#: of another service, and «لا» to the change offered lost it.
PENDING_WORDS = "service_change_words"
YES = "chg:yes"
NO = "chg:no"
#: The most words the button's label takes typed with fillers («ابي تغيير الخدمة لو سمحت»).
_LABEL_WORDS = 5
#: The most words a wish to change the service has; a longer message tells a case.
_WISH_WORDS = 14


def change_options(ctx: Ctx) -> tuple[Option, ...]:
    """The two answers to a change offered (:func:`answer_change`), else none."""
    if PENDING_CHANGE not in ctx.state.answers:
        return ()
    return _answers_offered(ctx)


def with_change(ask: describe.Ask) -> describe.Ask:
    """A step's ``ask`` whose choices are the change's two answers while one is offered
    (the step's own, such as «Done», would make a typed «نعم» mean either)."""

    def asked(ctx: Ctx) -> Prompt:
        prompt = ask(ctx)
        offered = change_options(ctx)
        if not offered:
            return prompt
        # asked again (help, an empty line, coming back): the change's own question, not
        # the step's above its two answers (helper 26: «لمن هذا الطلب؟ 1) تغيير الخدمة…»)
        named = [str(s) for s in ctx.state.answers.get(PENDING_CHANGE) or ()]
        return Prompt(_offer(ctx, named), offered, prompt.ask_contact)

    return asked


def answering_change(answer: describe.Answer) -> describe.Answer:
    """A step's ``answer`` that first reads a change of service (:func:`change_wish`) and
    the answer to one offered (:func:`answer_change`)."""

    async def answered(ctx: Ctx, event: Event) -> Outcome:
        words = ctx.state.answers.pop(PENDING_WORDS, None)
        offered = PENDING_CHANGE in ctx.state.answers
        outcome = answer_change(ctx, event)
        declined = (
            outcome is not None
            and bool(words)
            and isinstance(event, (Text, Choice))
            and _declined(event, ctx)
        )
        if declined:
            if ctx.state.step != "description":
                # at the documents a description is written: the words join it
                return await answer(ctx, Text(event.origin, str(words)))
            if not ctx.state.answers.get("description"):
                # the step asked again, the words shown as the description so far: kept
                # by «Keep my description», or replaced by a new text
                ctx.state.answers["description"] = str(words)
                said = outcome.say if isinstance(outcome, Next) else ()
                return Next(ctx.state.step, said)
        if outcome is None and words and isinstance(event, Text):
            # the offer passed over: the words go with what was typed next
            event = Text(event.origin, f"{words}\n{event.text}")
        if outcome is None:
            # «لا لحظه غلطت الطلب مو لي لبنتي»: an earlier answer corrected (helper 22)
            outcome = _correction(ctx, event)
        if outcome is None:
            # a slip naming another service too («لا غلطت ابي اجدد جوازي مو الاقامة»):
            # offered, and kept as words if declined (tester 14 §4)
            outcome = change_wish(ctx, event, slips=True)
        if outcome is None:
            outcome = _passed_over(ctx, await answer(ctx, event), offered=offered)
        return outcome

    return answered


def changing_service(answer: describe.Answer) -> describe.Answer:
    """A step's ``answer`` at the steps that take no words of the person's own (a
    service's question, the numbers): a change of service asked for in words is offered,
    or a slip said with another service's word («لا غلطت ابي الاقامه مو الجواز»); the
    button's label («ابي اغير الخدمة») chooses the service again. Found by tester 13
    (§4): at «لمن هذا الطلب؟» these were kept as the description, or got «لم أفهم»,
    while the wrong service went on. Declined, the words are not kept (they asked for a
    change, not told the case); taken, a case told with it is kept for the description
    step (:func:`_with_story`)."""

    async def answered(ctx: Ctx, event: Event) -> Outcome:
        words = ctx.state.answers.pop(PENDING_WORDS, None)
        offered = PENDING_CHANGE in ctx.state.answers
        at_question = ctx.state.step == "question"
        outcome = answer_change(ctx, event)
        if isinstance(outcome, Next) and outcome.step != ctx.state.step and words:
            # the change taken: a case told with the slip («…لاني مسافر الاسبوع الجاي»)
            # is kept for the description step (helper 23: it was lost)
            outcome = _with_story(ctx, outcome, str(words))
        if outcome is None:
            outcome = _correction(ctx, event)
        if outcome is None:
            # the words are kept for the next turn only: a case told with a slip goes to
            # the description if the change is taken (_with_story), else nowhere
            outcome = change_wish(ctx, event, slips=True)
        if outcome is None:
            # «ابي خروج وعودة» at «أين أنت الآن؟»: another service named whole, though
            # «خروج» reads as «خارج المملكة» (helper 25: filed as outside the kingdom)
            outcome = _named_before_answer(ctx, event)
        if outcome is None:
            outcome = await answer(ctx, event)
            if isinstance(outcome, Retry) and isinstance(event, Text) and not at_question:
                # at the numbers' steps, read once the step refused it (at a question, it
                # was read before the step, by _named_before_answer)
                outcome = _offered_instead(ctx, without_people(affirmed(event.text))) or outcome
            outcome = _passed_over(ctx, outcome, offered=offered)
        return outcome

    return answered


def _named_before_answer(ctx: Ctx, event: Event) -> Outcome | None:
    """The change offered (:func:`_offered_instead`) for a message typed at a service's
    question, read before the step takes a word of it for one of its answers, unless
    every word of it is a word of one option shown («A family member» names the
    dependants' services whole, yet is the label of «لمن هذا الطلب؟»'s option). A typed
    answer routing read as a button (location_words.TYPED_ANSWER) is read in the words
    typed. None at the other steps."""
    answers = ctx.state.answers
    if ctx.state.step != "question":
        # the numbers' steps read a typed need themselves (a citizens' service's number
        # step takes «ابي اجدد اقامتي» as that service), and offer a change on refusal
        return None
    typed = event.text if isinstance(event, Text) else None
    if isinstance(event, Choice):
        typed = answers.get(TYPED_ANSWER)
    if not isinstance(typed, str) or _within_one_label(ctx, typed):
        return None
    outcome = _offered_instead(ctx, without_people(affirmed(typed)))
    if outcome is not None:
        answers.pop(TYPED_ANSWER, None)
    return outcome


def _within_one_label(ctx: Ctx, typed: str) -> bool:
    """Whether every word of ``typed`` is a word of one option shown at this step."""
    said = set(words(typed))
    return bool(said) and any(said <= set(words(o[1])) for o in ctx.state.offered)


def _offered_instead(ctx: Ctx, text: str) -> Outcome | None:
    """A change offered when ``text`` names another service whole
    (:func:`named_whole_instead`): «ابي تأشيرة خروج وعودة» at «أين أنت الآن؟» of an
    iqama's renewal got «لم أفهم إجابتك» (found by probing after helper 24); None when
    it names none."""
    named = named_whole_instead(ctx, text)
    if not named:
        return None
    ctx.state.answers[PENDING_CHANGE] = named[:1]
    return Retry(_offer(ctx, named[:1]))


def _passed_over(ctx: Ctx, outcome: Outcome, *, offered: bool) -> Outcome:
    """``outcome`` of the step's own answer given while a change was offered, with a line
    saying the service stays when the answer took the person on: found by helper 24,
    «داخل» typed at «هل أغيّر خدمة طلبك؟» answered the location question and the offer
    was gone without a word."""
    if not offered or not isinstance(outcome, Next) or PENDING_CHANGE in ctx.state.answers:
        return outcome
    _ = ctx.texts.gettext
    stays = _("Your request stays for «%(service)s».") % {
        "service": local(service_of(ctx).name, ctx.locale)
    }
    return Next(outcome.step, (stays, *outcome.say))


def _with_story(ctx: Ctx, outcome: Next, words: str) -> Next:
    """``outcome`` with a line saying the case told in ``words`` (the slip's own words
    cut off, :func:`after_slip`) is kept for the description step, when it tells one
    (description_early.keep_story); unchanged otherwise."""
    if not description_early.keep_story(ctx, after_slip(words)):
        return outcome
    _ = ctx.texts.gettext
    kept = _(
        "I have kept what you wrote: you will find it at the description step, right after the numbers."
    )
    return Next(outcome.step, (*outcome.say, kept))


def _correction(ctx: Ctx, event: Event) -> Outcome | None:
    """An earlier answer corrected by a slip (conversations.flows.answer_corrections)
    that names no other service as wanted: «لا غلطت ابي اجدد اقامة زوجتي مو جوازي» asks
    for the iqama's renewal, offered as a change; «لبنتي» alone matches a service's
    synonym and names none."""
    if isinstance(event, Text) and named_instead(ctx, without_people(affirmed(event.text))):
        return None
    return corrected_answer(ctx, event)


def change_wish(ctx: Ctx, event: Event, *, slips: bool = False) -> Outcome | None:
    """The change a typed message asks for: the button's label changes the service now,
    a wish in words is offered, and with ``slips`` a slip naming another service's word
    (keywords.json ``change_service_slip``); None for any other message."""
    if not isinstance(event, Text):
        return None
    if wish(event.text, _KEYWORDS, (("change_service_button", True),), max_words=_LABEL_WORDS):
        ctx.state.answers.pop(PENDING_CHANGE, None)
        return change_service(ctx, [])
    if not wish(event.text, _KEYWORDS, (("change_service", True),), max_words=_WISH_WORDS):
        if not slips:
            return None
        named = slip_named(ctx, event.text)
        if not named:
            return None
    else:
        named = named_instead(ctx, event.text)
    ctx.state.answers[PENDING_CHANGE] = named
    ctx.state.answers[PENDING_WORDS] = event.text
    return Retry(_offer(ctx, named))


def wants_another_service(ctx: Ctx, text: str) -> bool:
    """Whether ``text`` asks for another service, in words («غيرت رايي ابي اجدد جوازي مو
    الاقامة», «تغيير الخدمة») or by a slip naming one: read at the summary, which offers
    its «Change the service» (tester 14 §6: it got «يُرجى الضغط على «تأكيد وإرسال»»), or
    by naming another service whole in a few words (:func:`named_whole_instead`)."""
    wishes = (("change_service_button", True), ("change_service", True))
    if wish(text, _KEYWORDS, wishes, max_words=_WISH_WORDS):
        return True
    # «ابي تأشيرة خروج وعودة» at the summary of an iqama's renewal: the service named whole
    return bool(slip_named(ctx, text) or named_whole_instead(ctx, affirmed(text)))


def answer_change(ctx: Ctx, event: Event) -> Outcome | None:
    """The answer to a change offered last turn (by button, label or a typed yes or no);
    None when none was offered or the message answers something else (the offer is then
    dropped: the person went on with the step). «الإبقاء على الخدمة», the label of the
    answer that keeps the service, typed when no change is offered any more says the
    service stays and asks the step again (helper 26: it was kept as the description)."""
    answers = ctx.state.answers
    if PENDING_CHANGE not in answers:
        if isinstance(event, Text) and _is_label(ctx, event.text, NO):
            return _stays(ctx)
        return None
    offered = [(o.id, o.label) for o in change_options(ctx)]
    named: list[str] = list(answers.pop(PENDING_CHANGE))
    chosen = event.id if isinstance(event, Choice) else None
    if isinstance(event, Text):
        understood = understand_choice(event.text, offered)
        chosen = understood.chosen if understood is not None else None
    if chosen == YES:
        return change_service(ctx, named)
    if chosen == NO:
        return _stays(ctx)
    return None


def _stays(ctx: Ctx) -> Next:
    """That the request stays for its service, and the step asked again (a question's
    text is not in a Retry's hint: helper 25, «لا» at «أين أنت الآن؟» left the buttons
    under no question)."""
    _ = ctx.texts.gettext
    service = local(service_of(ctx).name, ctx.locale)
    stays = _("Your request stays for «%(service)s».") % {"service": service}
    return Next(ctx.state.step, (stays,))


def _is_label(ctx: Ctx, text: str, option_id: str) -> bool:
    """Whether ``text`` is the label of the change's answer ``option_id``, as typed or as
    a reply keyboard sends it (folded, punctuation aside)."""
    label = next(o.label for o in _answers_offered(ctx) if o.id == option_id)
    return words(text) == words(label)


def _declined(event: Text | Choice, ctx: Ctx) -> bool:
    """Whether ``event`` said no to the change offered (the button, or «لا» typed)."""
    if isinstance(event, Choice):
        return event.id == NO
    offered = [(o.id, o.label) for o in _answers_offered(ctx)]
    understood = understand_choice(event.text, offered)
    return understood is not None and understood.chosen == NO


def _answers_offered(ctx: Ctx) -> tuple[Option, ...]:
    _ = ctx.texts.gettext
    return (Option(YES, _("Change the service")), Option(NO, _("Keep this service")))


def _offer(ctx: Ctx, named: list[str]) -> str:
    _ = ctx.texts.gettext
    current = local(service_of(ctx).name, ctx.locale)
    if len(named) == 1:
        question = _(
            "Shall I change the service of your request from «%(current)s» to «%(new)s»?"
        ) % {
            "current": current,
            "new": local(ctx.catalogue.get(named[0]).name, ctx.locale),
        }
    else:
        question = _("Shall I change the service of your request (now «%(current)s»)?") % {
            "current": current
        }
    kept = _(
        "If so, what you have given is kept (the numbers, what you wrote and the files) and used where the new service takes it; only the questions about the service are asked again."
    )
    return f"{question}\n{kept}"
