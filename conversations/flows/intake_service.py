"""The resident's request, its first part after who files (conversations.flows.
intake_applicant): which service (chosen from the menu or named in their own words, the answers those words give kept for the service's
questions); on from there with :mod:`conversations.flows.past_service`. What the later
steps read of it is :mod:`conversations.flows.intake_draft`'s."""

from __future__ import annotations

from conversations.citizens_only import (
    NOT_CITIZEN,
    RESIDENTS,
    SAID_NOT_CITIZEN,
    SUGGESTED_AS,
    listed_name,
    names_iqama,
    residents_first,
    says_not_citizen,
)
from conversations.events import Choice, Event, Option, Text
from conversations.flow import Ctx, Next, Outcome, Prompt, Retry
from conversations.flows.description_early import keep_story, keep_story_start, story_kept
from conversations.flows.intake_draft import applicant_of, questions_of
from conversations.flows.intake_draft import service_of as service_of  # documents reads it here
from conversations.flows.later_requests import plan
from conversations.flows.nationality import nationality_answer, refused_early
from conversations.flows.past_service import after_service, from_question, keep_early_answers
from conversations.flows.refusals import is_refused, refused_again
from conversations.flows.service_words import shared_word_services
from conversations.flows.suggest_yes import yes_to_offered
from conversations.keywords import split_denied
from conversations.keywords_early import early_answers, place_of_writer, without_places
from conversations.several_people import (
    one_request_a_worker,
    one_request_each,
    several_for_whom,
    several_workers,
)
from conversations.two_needs import (
    in_order_said,
    needs_by_person,
    one_at_a_time,
    referred_need,
    two_needs,
)
from conversations.understanding import answers_in_sentence, sentence_answer
from conversations.unserved_needs import unserved_line, unserved_need
from domain.catalogue import Service, local

#: answers key: {service id: «لمن هذا الطلب؟» option} read from the part of the message
#: naming that service, when it named needs of several people (two_needs.needs_by_person).
WHOM_OF = "whom_of_service"
#: Set once an individual's words named a service only an employer files and the request
#: was switched to an establishment's: named again after «فرد», it is not switched again.
EMPLOYERS_TOLD = "employers_service_told"


def _service_choice(ctx: Ctx, service: Service) -> Option:
    # «(للمواطنين فقط)» after a citizens-only service's name (tester 14 §1)
    return Option(f"s:{service.id}", listed_name(ctx, service))


def choose_service(ctx: Ctx, service_id: str) -> Outcome:
    again = refused_again(ctx, service_id, {})
    if again is not None:
        # refused earlier in this conversation (tester 11, fault 7: the question again
        # was a loop): said so, with what to do instead and how to change the answer
        return again
    answers = ctx.state.answers
    whom = answers.get(WHOM_OF, {}).get(service_id)
    if whom is not None:
        # «…اقامتي… وجواز ولدي» → the passport: the son's, whatever the whole message said
        keep_early_answers(ctx, {"for_whom": whom})
    answers["service"] = service_id
    answers.pop(NOT_CITIZEN, None)
    answers.pop(SUGGESTED_AS, None)
    answers["eligibility"] = {}
    answers["question"] = 0
    if not questions_of(ctx):
        return after_service(ctx)
    refused = refused_early(ctx)
    if refused is not None:
        # «ابي امدد زيارة اختي مصرية»: the nationality it does not serve, said at once
        return refused
    return from_question(ctx, 0)


def need_at_citizens_refusal(ctx: Ctx, text: str) -> Outcome | None:
    """At a citizens-only service's number step, once the person was told it is not
    theirs («… للمواطنين السعوديين فقط»), words whose best match is a service a resident
    may file («ابي اجدد اقامتي») choose that service, as at «ما الخدمة المطلوبة؟» (one
    service named: chosen; several: offered); None when they name none or the refused
    service again. Session 15 (fresh users): «ابي اجدد اقامتي» there was kept as the
    description and the national ID asked for again."""
    needed = without_places(text)
    named = ctx.catalogue.match(needed, limit=3, applicant_kind=applicant_of(ctx))
    if not named or named[0].citizens_only or named[0].id == "other":
        return None
    answers = ctx.state.answers
    for key in ("service", "eligibility", "question", "suggestions", NOT_CITIZEN):
        answers.pop(key, None)
    # as from the summary's «Change the service»: back to the services, then on
    history = ctx.state.history
    ctx.state.history = history[: history.index("group")] if "group" in history else ["applicant"]
    ctx.state.step = "group"
    offered = suggest(ctx, text)
    suggestions = answers.get("suggestions", [])
    if isinstance(offered, Next) and offered.step == "suggest" and len(suggestions) == 1:
        chosen = choose_service(ctx, suggestions[0])
        if isinstance(chosen, Next):
            return Next(chosen.step, (*offered.say, *chosen.say))
        return chosen
    return offered


def file_service(ctx: Ctx, service_id: str, applicant: str = "") -> Outcome:
    """A new request for ``service_id`` from a button outside the menu («تقديم طلب الآن»
    under an answer, «الطلب التالي» under a confirmation), as if the person had named it
    at the first question: filed as ``applicant``'s ("individual", "establishment") when
    given and allowed, else as an individual's when individuals may file it, else as an
    establishment's."""
    service = ctx.catalogue.get(service_id)
    individual = "individual" in service.applicants
    if applicant in service.applicants:
        ctx.state.answers["applicant"] = applicant
    else:
        ctx.state.answers["applicant"] = "individual" if individual else "establishment"
    ctx.state.history.append("applicant")
    ctx.state.step = "group"
    chosen = choose_service(ctx, service_id)
    if not isinstance(chosen, Next):
        return chosen
    # the service and who files said first (session 20's probe: «تقديم طلب الآن» after a
    # fee answer went to «لمن هذا الطلب؟», naming neither, the service seen only at the
    # summary)
    return Next(chosen.step, (_new_request_line(ctx, service), *chosen.say))


def _new_request_line(ctx: Ctx, service: Service) -> str:
    _ = ctx.texts.gettext
    name = local(service.name, ctx.locale)
    if applicant_of(ctx) == "individual":
        line = _(
            "A new request for «%(service)s», filed as an individual. You can change that with «Back»."
        )
    else:
        line = _(
            "A new request for «%(service)s», filed as an establishment. You can change that with «Back»."
        )
    return line % {"service": name}


def suggest(ctx: Ctx, text: str) -> Outcome:
    """The services the person's words name, offered (the step «أيّ هذه الخدمات هي المطلوبة؟»);
    the answers they give kept for the service's questions."""
    _ = ctx.texts.gettext
    ctx.state.answers.pop(SUGGESTED_AS, None)
    unserved = unserved_need(text)
    if unserved is not None:
        # «ابي اطلع تاشيرة زيارة»: not a Tawasul service, said so rather than walking the
        # person into the nearby one (tester 13, §8: issuing offered as the extension,
        # then refused for a nationality); another service may be chosen or written
        return Next("group", (unserved_line(ctx, unserved),))
    said = early_answers(text)
    if said:
        # «ابي جواز لولدي»: who it is for, kept for the service's question
        keep_early_answers(ctx, said, writer=["location"] if place_of_writer(text) else [])
    # a place («انا برا المملكة») names no service, though a synonym holds its words
    needed = without_places(text)
    # a service said not to be wanted is not offered when the rest names one («مو خروج
    # وعوده، ابي نقل…»: helper 22); a person denied («ابي جواز مو لولدي») is read for «لمن»
    wanted, denied = split_denied(needed)
    if denied and ctx.catalogue.match(denied, limit=1) and ctx.catalogue.match(wanted, limit=1):
        needed = wanted
    matches = ctx.catalogue.match(needed, limit=3, applicant_kind=applicant_of(ctx))
    # «ابي جواز»: the services sharing the word (helper 22's recheck: «لم أتمكن…»)
    matches = matches or shared_word_services(ctx, needed)
    say: tuple[str, ...] = ()
    if not matches and applicant_of(ctx) == "individual":
        # «عندي عامل متغيب ابي ابلغ عنه»: a service only an employer files for its workers
        matches = ctx.catalogue.match(needed, limit=3, applicant_kind="establishment")
        if matches and ctx.state.answers.get(EMPLOYERS_TOLD):
            # told once and «فرد» chosen again: not switched again, a loop (helper 21)
            return Next(
                "group",
                (
                    _(
                        "Only the employer (an establishment) can file this service for its workers, so it cannot be filed as an individual. You can choose another service from the list."
                    ),
                ),
            )
        if matches:
            ctx.state.answers[EMPLOYERS_TOLD] = True
            ctx.state.answers["applicant"] = "establishment"
            # «رجوع» from the services offered asks who files again, not «إلغاء» (which
            # drops the draft), and a worker is told they cannot file it themselves
            # (session 20's probe: «فرد» then «ابي اسوي نقل كفالة» was switched silently)
            ctx.state.history = [s for s in ctx.state.history if s != "applicant"]
            ctx.state.step = "applicant"
            say = (
                _(
                    "Only an establishment can file this, for its workers; a worker cannot file it themselves. So I'll take your request as an establishment's; if it is not for an establishment, you can change that with «Back»."
                ),
            )
    if matches and is_refused(ctx, matches[0].id):
        # the need a refused service meets, told again (an explanation after the
        # refusal: tester 11, fault 7), unless the words change the refused answer
        again = refused_again(ctx, matches[0].id, said, text)
        if again is not None:
            return again
    matches = [s for s in matches if not is_refused(ctx, s.id)]
    both = [s for s in two_needs(ctx, needed, applicant_of(ctx)) if not is_refused(ctx, s.id)]
    if says_not_citizen(text):
        # «انا مقيم ابي اجدد جوازي»: told at a citizens-only service's number step
        ctx.state.answers[SAID_NOT_CITIZEN] = True
    referred = referred_need(ctx, needed, applicant_of(ctx)) if len(both) < 2 else None
    if referred is not None and not is_refused(ctx, referred.id):
        # «…واقامتي خلصت وابي اجددها بس … الجواز منتهي»: the iqama first (tester 16 §3)
        matches = in_order_said(matches, [referred])
    if names_iqama(text) and len(both) < 2:
        # «ابي اجدد اقامتي»: a resident's need, not offered a service for citizens
        # (tester 14 §1: «تجديد جواز السفر» was), unless nothing else fits; two needs
        # said apart («اقامتي وكمان جواز ولدي») keep both
        residents = [s for s in matches if not s.citizens_only]
        if not residents and matches and any(s.id == "other" for s in ctx.catalogue.services):
            # «ابي اعدل اسمي في الاقامة»: no iqama service fits, and the citizens' one
            # (the passport's details) is not theirs: «أخرى», which an officer routes
            # (helper 21: only «تعديل بيانات الجواز (للمواطنين فقط)» was offered)
            residents = [ctx.catalogue.get("other")]
        matches = residents or matches
    matches, for_citizens = residents_first(ctx, text, matches)
    if for_citizens is not None:
        # «انا مقيم ابي اجدد جوازي»: the residents' services alone, and why (session 15)
        say = (*say, for_citizens)
    if len(both) >= 2:
        # «ابي اجدد اقامتي وكمان ابي اجدد جواز ولدي»: both, in the order said (two_needs),
        # and only they: a third that fits a word of one («اجدد») is noise (session 26's
        # probe: «ابي اجدد اقامتي وبعدين ابي خروج وعودة» also offered the citizens' passport)
        matches = both
        say = (*say, one_at_a_time(ctx))
    people = [
        (service, person)
        for service, person in needs_by_person(ctx, needed, applicant_of(ctx))
        if not is_refused(ctx, service.id)
    ]
    whom_of: dict[str, str] = {}
    if people:
        # «ابي اجدد اقامتي واقامة زوجتي وجواز ولدي»: the writer's own need first, and each
        # service's «لمن» from the words naming it (tester 15 §4)
        for service, person in people:
            whom_of.setdefault(service.id, person)
        matches = in_order_said(matches, [ctx.catalogue.get(i) for i in whom_of])
        ctx.state.answers[WHOM_OF] = whom_of
    else:
        ctx.state.answers.pop(WHOM_OF, None)
    if for_citizens is None and len(both) < 2 and len(whom_of) < 2:
        # «تأشيرة خروج وعودة»: the service named whole, not also final exit (helper 24);
        # one service for several people too («اجدد جوازي وجواز ولدي» is no iqama's)
        matches = ctx.catalogue.named_whole(needed, matches)
    if not matches:
        return Retry(
            _(
                "I couldn't tell which service you mean. Please choose from the list, "
                "or describe what you need in other words."
            )
        )
    whom = several_for_whom(text)
    if whom is not None and not any(
        q.id == "for_whom" for s in matches for q in s.questions_for(applicant_of(ctx))
    ):
        whom = None
    if whom is not None:
        # «لي ولزوجتي وعيالي»: one request a person, this one the first's (tester 13, §9)
        keep_early_answers(ctx, {"for_whom": whom})
        say = (*say, one_request_each(ctx, whom))
    workers = applicant_of(ctx) == "establishment" and several_workers(text)
    if workers:
        # «ابي اجدد اقامة عمالي الثلاثة»: one request a worker, as one a person
        say = (*say, one_request_a_worker(ctx))
    # the others named, offered once this one is filed (conversations.flows.later_requests)
    plan(
        ctx,
        several=whom,
        workers=workers,
        by_person=dict(ctx.state.answers.get(WHOM_OF, {})),
        needs=[s.id for s in both] if len(both) >= 2 else [],
        whom_said=said.get("for_whom", ""),
    )
    named = {k: v for k, v in _named_answers(ctx, matches, text).items() if k not in said}
    if named:
        # «ابي امدد زيارة امي هي سورية»: the nationality, kept for its question
        keep_early_answers(ctx, named)
    # a story told here is the description too, offered at its step, and said so; of one
    # too long to be a description the start is kept, and said so with the limit (tester
    # 14, §7: a story of thousands of characters got the services alone; sessions 14-15:
    # then it was said not kept, and was lost)
    if keep_story(ctx, text):
        say = (*say, story_kept(ctx))
    elif (start_kept := keep_story_start(ctx, text)) is not None:
        say = (*say, start_kept)
    ctx.state.answers["suggestions"] = [s.id for s in matches]
    return Next("suggest", say)


def _named_answers(ctx: Ctx, services: list[Service], text: str) -> dict[str, str]:
    """Answers to the offered services' questions whose words are distinctive (choices.
    json ``sentence_questions``: the visitor's nationality) that the words name, question
    id -> option id: one allowed option named (an «is not» before it aside), else none.
    Found by tester 12 (§12): «ابي امدد زيارة امي هي سورية …» was asked «ما جنسية
    الزائر؟» all the same."""
    found: dict[str, str] = {}
    for service in services:
        for question in service.questions_for(applicant_of(ctx)):
            if question.id in found:
                continue
            by_nationality = nationality_answer(ctx, question, text)
            if by_nationality is not None:
                # any nationality, served or not (tester 14 §6: «مصرية» was not read)
                found[question.id] = by_nationality.id
                continue
            if not answers_in_sentence(question.id):
                continue
            options = [(f"q:{o.id}", o.allowed) for o in question.options]
            named = sentence_answer(text, options)
            if named is not None:
                found[question.id] = named.removeprefix("q:")
    return found


# ---- which service -------------------------------------------------------------------


def ask_group(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    kind = applicant_of(ctx)
    groups = [g for g in ctx.catalogue.groups if ctx.catalogue.in_group(g.id, kind)]
    asked = (
        # an establishment files for its workers: its example is a worker's (helper 25)
        _(
            "Which service do you need? Choose a group, or write your need in your own words (for example: I want to renew my worker's iqama)."
        )
        if kind == "establishment"
        else _(
            "Which service do you need? Choose a group, or write your need in your own words (for example: I want to renew my iqama)."
        )
    )
    return Prompt(
        asked,
        tuple(Option(f"g:{g.id}", local(g.name, ctx.locale)) for g in groups),
    )


async def answer_group(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id.startswith("g:"):
        ctx.state.answers["group"] = event.id[2:]
        return Next("service")
    if isinstance(event, Choice) and event.id.startswith("s:"):
        return choose_service(ctx, event.id[2:])
    if isinstance(event, Text):
        return suggest(ctx, event.text)
    return Retry(_("Please choose a group from the list, or write what you need."))


def ask_service(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    services = ctx.catalogue.in_group(ctx.state.answers["group"], applicant_of(ctx))
    return Prompt(_("Choose the service:"), tuple(_service_choice(ctx, s) for s in services))


async def answer_service(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id.startswith("s:"):
        service_id = event.id[2:]
        if any(s.id == service_id for s in ctx.catalogue.services):
            return choose_service(ctx, service_id)
    if isinstance(event, Text):
        return suggest(ctx, event.text)
    return Retry(_("Please choose a service from the list."))


def ask_suggest(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    ids: list[str] = ctx.state.answers.get("suggestions", [])
    options = tuple(_service_choice(ctx, ctx.catalogue.get(i)) for i in ids)
    if ctx.state.answers.get(SUGGESTED_AS) == RESIDENTS:
        text = _("If your request is about something else, these are residents' services:")
    elif len(options) == 1:
        text = _("Is this the service you need?")
    else:
        text = _("Which of these services do you need?")
    return Prompt(text, (*options, Option("none", _("None of these"))))


async def answer_suggest(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id.startswith("s:"):
        return choose_service(ctx, event.id[2:])
    if isinstance(event, Choice) and event.id == "none":
        return Next("group")
    if isinstance(event, Text):
        picked = yes_to_offered(ctx, event.text)  # «ايه غيرها» (helper 26)
        return choose_service(ctx, picked) if picked else suggest(ctx, event.text)
    return Retry(_("Please choose one of the services, or «None of these»."))
