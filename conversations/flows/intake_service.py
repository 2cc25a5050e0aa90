"""The resident's request, its first part: who files and which service (chosen from the
menu or named in their own words), then on past the service's eligibility questions
(asked by conversations.flows.eligibility) with the answers the person's words or shared
location already gave; and what the later parts read of it (the service, who files,
which identity numbers it takes)."""

from __future__ import annotations

from collections.abc import Collection

from conversations.events import Choice, Event, Option, Text
from conversations.flow import Ctx, Next, Outcome, Prompt, Retry
from conversations.flows.refusals import is_refused, refused_again
from conversations.formatting import isolate, or_list
from conversations.keywords import early_answers, place_of_writer
from domain.catalogue import Question, Service, local
from domain.identity import mask_identity

#: The fewest words (fillers aside) that make a message at an eligibility question a
#: sentence about the request rather than an answer: «ولدي عمره سنتين» still answers,
#: «ابي اضيف ولدي المولود في ابشر» tells the problem.
SENTENCE_WORDS = 4
#: An identity number sent as the very first message ({"value", "kind"}), kept in the
#: draft until the identity step would ask for it (conversations.flows.intake_numbers).
EARLY_IDENTITY = "identity_early"
#: An establishment's unified number sent as the very first message, kept likewise until
#: the establishment step would ask for it.
EARLY_ESTABLISHMENT = "establishment_early"
#: Eligibility answers the person's words about their need already gave (question id ->
#: option id, conversations.keywords.early_answers): «ابي جواز لولدي» is «لمن هذا الطلب؟»
#: answered, so the question is not asked.
EARLY_ANSWERS = "answers_early"
#: The question ids of :data:`EARLY_ANSWERS` that a shared location gave, not words
#: (conversations.flows.early_place), so the line that notes them says so.
EARLY_PLACED = "placed_early"
#: The question ids of :data:`EARLY_ANSWERS` said of the writer («انا في مصر»): where the
#: writer is answers where the iqama holder is only for the writer's own request
#: (review 11, item 8: a husband in Egypt filing for his wife was filed as «خارج المملكة»).
EARLY_WRITER = "writer_early"

# ---- what the later steps read ---------------------------------------------------------


def service_of(ctx: Ctx) -> Service:
    return ctx.catalogue.get(ctx.state.answers["service"])


def applicant_of(ctx: Ctx) -> str:
    return str(ctx.state.answers.get("applicant", "individual"))


def questions_of(ctx: Ctx) -> tuple[Question, ...]:
    """The chosen service's questions for this applicant (an individual is asked «لمن هذا
    الطلب؟» for an iqama or a visa, an establishment is not: domain/data/services.json)."""
    return service_of(ctx).questions_for(applicant_of(ctx))


def or_words(ctx: Ctx, items: list[str]) -> str:
    return or_list(ctx.texts, items)


def identity_kinds(ctx: Ctx) -> list[str]:
    """The kinds of number this service takes, in the order people know them."""
    allowed = service_of(ctx).identity_kinds
    if applicant_of(ctx) == "establishment":
        # an establishment files only for its workers, never for a citizen
        allowed = allowed - {"citizen"}
    return [k for k in ("citizen", "resident", "border") if k in allowed]


# ---- helpers -------------------------------------------------------------------------


def _service_choice(ctx: Ctx, service: Service) -> Option:
    return Option(f"s:{service.id}", local(service.name, ctx.locale))


def after_service(ctx: Ctx) -> Next:
    """On from the service (and its questions) to the number the request needs."""
    answers = ctx.state.answers
    if ctx.state.editing:
        kind = answers.get("identity_kind")
        if kind and kind in identity_kinds(ctx):
            return Next("summary")
        return Next("identity")
    if applicant_of(ctx) == "establishment":
        early = answers.pop(EARLY_ESTABLISHMENT, None)
        if not early:
            return Next("establishment")
        # the establishment number the person sent first: used, and said so
        answers["establishment"] = early
        said = ctx.texts.gettext(
            "I am using the establishment number you sent earlier (%(number)s). You can change it from the summary before sending."
        ) % {"number": isolate(str(early))}
        after = to_identity(ctx)
        return Next(after.step, (said, *after.say))
    return to_identity(ctx)


def to_identity(ctx: Ctx) -> Next:
    """On to the identity number, or past it with the number the person sent as their
    first message (:data:`EARLY_IDENTITY`) when this service takes its kind: used once,
    and said so, since it is not asked for again."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    early = answers.get(EARLY_IDENTITY)
    if not early or early["kind"] not in identity_kinds(ctx):
        return Next("identity")
    del answers[EARLY_IDENTITY]
    answers["identity"], answers["identity_kind"] = early["value"], early["kind"]
    said = _(
        "I am using the identity number you sent earlier (%(number)s). You can change it from the summary before sending."
    ) % {"number": isolate(mask_identity(early["value"]))}
    return Next("phone", (said,))


def _choose_service(ctx: Ctx, service_id: str) -> Outcome:
    again = refused_again(ctx, service_id, {})
    if again is not None:
        # refused earlier in this conversation (tester 11, fault 7: the question again
        # was a loop): said so, with what to do instead and how to change the answer
        return again
    answers = ctx.state.answers
    answers["service"] = service_id
    answers["eligibility"] = {}
    answers["question"] = 0
    if not questions_of(ctx):
        return after_service(ctx)
    return from_question(ctx, 0)


def from_question(ctx: Ctx, index: int) -> Next:
    """On from the service's question ``index``: the questions the person's earlier words
    answered (:func:`_answered_early`) are noted, each said so, and passed; then the first
    one still to ask, or the step after the questions. «Back» from there goes to the last
    question the words answered, to change it («ابي اجدد اقامة زوجتي وهي برا» answers
    both «لمن هذا الطلب؟» and «أين صاحب الإقامة الآن؟»)."""
    questions = questions_of(ctx)
    answers = ctx.state.answers
    said: tuple[str, ...] = ()
    while index < len(questions):
        kept = _answered_early(ctx, questions[index])
        if kept is None:
            break
        said, index = (*said, kept), index + 1
    if said and ctx.state.step != "question":
        ctx.state.history.append(ctx.state.step)
        ctx.state.step = "question"
    if index < len(questions):
        answers["question"] = index
        note = _writer_not_holder(ctx, questions[index])
        return Next("question", (*said, note) if note else said)
    answers["question"] = len(questions) - 1
    after = after_service(ctx)
    return Next(after.step, (*said, *after.say))


def keep_early_answers(
    ctx: Ctx, said: dict[str, str], *, placed: bool = False, writer: Collection[str] = ()
) -> None:
    """Keeps answers (question id -> option id) for questions still to come
    (:data:`EARLY_ANSWERS`); ``placed``: a shared location gave them, not words;
    ``writer``: the ids among them said of the writer, not the holder (:data:`EARLY_WRITER`)."""
    answers = ctx.state.answers
    answers[EARLY_ANSWERS] = {**answers.get(EARLY_ANSWERS, {}), **said}
    for key, marked in ((EARLY_PLACED, list(said) if placed else []), (EARLY_WRITER, writer)):
        kept = [q for q in answers.get(key, []) if q not in said]
        answers[key] = [*kept, *(q for q in said if q in marked)]
        if not answers[key]:
            del answers[key]


def _said_of_writer(ctx: Ctx, question: Question) -> bool:
    """True when ``question``'s early answer was said of the writer («انا في مصر») and
    the request is not the writer's own («لمن هذا الطلب؟» not «self»): then it is no
    answer about the holder, and the question is asked (review 11, item 8)."""
    answers = ctx.state.answers
    if question.id not in answers.get(EARLY_WRITER, []):
        return False
    return bool(answers.get("eligibility", {}).get("for_whom") != "self")


def _writer_not_holder(ctx: Ctx, question: Question) -> str | None:
    """The line above ``question`` when the place kept for it was the writer's, not the
    holder's (:func:`_said_of_writer`): what was understood and whom the question is
    about; None otherwise."""
    if not _said_of_writer(ctx, question):
        return None
    _ = ctx.texts.gettext
    where = {"inside": _("inside the Kingdom"), "outside": _("outside the Kingdom")}.get(
        str(ctx.state.answers.get(EARLY_ANSWERS, {}).get(question.id))
    )
    if where is None:
        return None
    return _(
        "I understood that you yourself are %(where)s; this question is about the iqama holder."
    ) % {"where": where}


def _answered_early(ctx: Ctx, question: Question) -> str | None:
    """``question`` taken from the person's earlier words or shared location
    (:data:`EARLY_ANSWERS`) when they name one of its allowed options: recorded, and the
    line that says so, crediting the location when it gave the answer (tester 10b: a
    location shared first was credited to «رسالتك»); None when it is still to be asked
    (a refusal is never given from a guess at words: the question shows it)."""
    answers = ctx.state.answers
    said = answers.get(EARLY_ANSWERS, {}).get(question.id)
    option = next((o for o in question.options if o.id == said and o.allowed), None)
    if option is None or _said_of_writer(ctx, question):
        return None
    answers["eligibility"][question.id] = option.id
    _ = ctx.texts.gettext
    line = (
        _(
            "From the location you shared, I have noted the answer to «%(question)s»: «%(answer)s». To change it, choose «Back»."
        )
        if question.id in answers.get(EARLY_PLACED, [])
        else _(
            "As you said, I have noted the answer to «%(question)s»: «%(answer)s». To change it, choose «Back»."
        )
    )
    return line % {
        "question": local(question.text, ctx.locale),
        "answer": local(option.label, ctx.locale),
    }


def file_service(ctx: Ctx, service_id: str) -> Outcome:
    """A new request for ``service_id`` from a button outside the menu («قدّم طلبًا الآن»
    under an answer), as if the person had named it at the first question: filed as an
    individual's when individuals may file it, else as an establishment's."""
    service = ctx.catalogue.get(service_id)
    individual = "individual" in service.applicants
    ctx.state.answers["applicant"] = "individual" if individual else "establishment"
    ctx.state.history.append("applicant")
    ctx.state.step = "group"
    return _choose_service(ctx, service_id)


def suggest(ctx: Ctx, text: str) -> Outcome:
    """The services the person's words name, offered (the step «أيّ هذه الخدمات تحتاج؟»);
    the answers they give kept for the service's questions."""
    _ = ctx.texts.gettext
    said = early_answers(text)
    if said:
        # «ابي جواز لولدي»: who it is for, kept for the service's question
        keep_early_answers(ctx, said, writer=["location"] if place_of_writer(text) else [])
    matches = ctx.catalogue.match(text, limit=3, applicant_kind=applicant_of(ctx))
    say: tuple[str, ...] = ()
    if not matches and applicant_of(ctx) == "individual":
        # «عندي عامل متغيب ابي ابلغ عنه»: a service only an employer files for its workers
        matches = ctx.catalogue.match(text, limit=3, applicant_kind="establishment")
        if matches:
            ctx.state.answers["applicant"] = "establishment"
            say = (
                _(
                    "Only an establishment can file this for its workers, so I'll take your request as an establishment's. If you are not filing for an establishment, press «Cancel»."
                ),
            )
    if matches and is_refused(ctx, matches[0].id):
        # the need a refused service meets, told again (an explanation after the
        # refusal: tester 11, fault 7), unless the words change the refused answer
        again = refused_again(ctx, matches[0].id, said)
        if again is not None:
            return again
    matches = [s for s in matches if not is_refused(ctx, s.id)]
    if not matches:
        return Retry(
            _(
                "I couldn't tell which service you mean. Please choose from the list, "
                "or describe what you need in other words."
            )
        )
    ctx.state.answers["suggestions"] = [s.id for s in matches]
    return Next("suggest", say)


# ---- who files -----------------------------------------------------------------------


def ask_applicant(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    return Prompt(
        _(
            "Are you filing as an individual (for yourself or a family member) or as an establishment (for one of your workers)?"
        ),
        (
            Option("ind", _("Individual")),
            Option("est", _("Establishment")),
            Option("status", _("My request status")),
            Option("faq", _("Frequently asked questions")),
        ),
    )


async def answer_applicant(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id in ("ind", "est"):
        ctx.state.answers["applicant"] = "individual" if event.id == "ind" else "establishment"
        return Next("group")
    if isinstance(event, Text) and ctx.catalogue.match(event.text, limit=1):
        # someone who starts with their need is an individual far more often than not
        ctx.state.answers["applicant"] = "individual"
        ctx.state.history.append("applicant")
        ctx.state.step = "group"
        return suggest(ctx, event.text)
    options = ask_applicant(ctx).choices
    return Retry(
        ctx.texts.ngettext(
            "Please choose %(count)d option: %(options)s.",
            "Please choose one of the %(count)d options: %(options)s.",
            len(options),
        )
        % {"count": len(options), "options": or_words(ctx, [f"«{o.label}»" for o in options])}
    )


# ---- which service -------------------------------------------------------------------


def ask_group(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    kind = applicant_of(ctx)
    groups = [g for g in ctx.catalogue.groups if ctx.catalogue.in_group(g.id, kind)]
    return Prompt(
        _(
            "Which service do you need? Choose a group, or write your need in your own words (for example: I want to renew my iqama)."
        ),
        tuple(Option(f"g:{g.id}", local(g.name, ctx.locale)) for g in groups),
    )


async def answer_group(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id.startswith("g:"):
        ctx.state.answers["group"] = event.id[2:]
        return Next("service")
    if isinstance(event, Choice) and event.id.startswith("s:"):
        return _choose_service(ctx, event.id[2:])
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
            return _choose_service(ctx, service_id)
    if isinstance(event, Text):
        return suggest(ctx, event.text)
    return Retry(_("Please choose a service from the list."))


def ask_suggest(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    ids: list[str] = ctx.state.answers.get("suggestions", [])
    options = tuple(_service_choice(ctx, ctx.catalogue.get(i)) for i in ids)
    text = (
        _("Is this the service you need?")
        if len(options) == 1
        else _("Which of these services do you need?")
    )
    return Prompt(text, (*options, Option("none", _("None of these"))))


async def answer_suggest(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id.startswith("s:"):
        return _choose_service(ctx, event.id[2:])
    if isinstance(event, Choice) and event.id == "none":
        return Next("group")
    if isinstance(event, Text):
        return suggest(ctx, event.text)
    return Retry(_("Please choose one of the services, or «None of these»."))


# ---- after the questions (conversations.flows.eligibility asks them) -----------------


def early_for_whom(ctx: Ctx) -> str | None:
    """«For whom» named in the person's first words («تأشيرة خروج وعودة لمراتي», «for my
    wife») for a service that does not ask it (exit/re-entry, final exit, iqama
    renewal): the line the summary shows and the filed description ends with, so the
    officer knows whose number it is (found by the fresh-clone tester: it was dropped).
    Worded as the passports' question and answer (domain/data/services.json), read
    from the catalogue; None when the service asks the question itself or nobody was
    named."""
    said = ctx.state.answers.get(EARLY_ANSWERS, {}).get("for_whom")
    if said is None or any(q.id == "for_whom" for q in questions_of(ctx)):
        return None
    for service in ctx.catalogue.services:
        for question in service.questions:
            if question.id == "for_whom":
                option = next((o for o in question.options if o.id == said), None)
                if option is None:
                    return None
                return f"{local(question.text, ctx.locale)} {local(option.label, ctx.locale)}"
    return None
