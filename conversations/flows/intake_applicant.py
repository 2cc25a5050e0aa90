"""The resident's request, its first question: who files, an individual or an
establishment, by button or in words (applicant_words.json: «انا عامل», «العامل عندي»);
a message naming a need answers it too (as an individual's, the services it names offered:
conversations.flows.intake_service)."""

from __future__ import annotations

from conversations.applicant_words import applicant_said
from conversations.events import Choice, Event, Option, Text
from conversations.flow import Ctx, Next, Outcome, Prompt, Retry
from conversations.flows.description_early import keep_story, keep_story_start, story_kept
from conversations.flows.intake_draft import or_words
from conversations.flows.intake_service import suggest
from conversations.flows.service_words import shared_word_services
from conversations.keywords_early import without_places
from conversations.understanding import content_words
from conversations.unserved_needs import unserved_need
from domain.catalogue import local
from domain.normalize import clean_input

#: The fewest content words of a message that tells a need, not a stray word or two.
_NEED_WORDS = 2
#: The group where a service not listed is filed («الدعم الفني وأخرى»).
_SUPPORT = "support"


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


def _as_establishment(ctx: Ctx) -> str:
    # said back, as an answer read from a message is elsewhere («بحسب ما ورد في رسالتك…»)
    return ctx.texts.gettext(
        "From what your message says, this request is filed as an establishment. You can change that with «Back»."
    )


def _as_individual(ctx: Ctx) -> str:
    return ctx.texts.gettext(
        "From what your message says, this request is filed as an individual. You can change that with «Back»."
    )


async def answer_applicant(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id in ("ind", "est"):
        ctx.state.answers["applicant"] = "individual" if event.id == "ind" else "establishment"
        return Next("group")
    if isinstance(event, Text) and (
        ctx.catalogue.match(without_places(event.text), limit=1)
        or shared_word_services(ctx, event.text)
        or unserved_need(event.text)
    ):
        # someone who starts with their need is an individual far more often than not
        ctx.state.answers["applicant"] = "individual"
        ctx.state.history.append("applicant")
        ctx.state.step = "group"
        return suggest(ctx, event.text)
    start_kept = keep_story_start(ctx, event.text) if isinstance(event, Text) else None
    if start_kept is not None:
        # a story longer than a description may be, naming no service (helper 22's probe:
        # a 3000-character account got «يُرجى اختيار…», every word lost): its start kept
        return Retry(f"{start_kept}\n\n{ask_applicant(ctx).text}")
    if isinstance(event, Text) and keep_story(ctx, event.text):
        # a story naming no service («ابي اتظلم على الموظف اللي في فرع الرياض لانه…»): kept
        # for the description while the service is chosen (session 15: «يُرجى اختيار واحد
        # من ٤ خيارات», the words lost); who files as its words say, else asked again
        # (review 16 §3: «مؤسستي تبي تشتكي…» was filed as a person's without asking)
        said = applicant_said(event.text)
        if said is None:
            return Retry(f"{story_kept(ctx)}\n\n{ask_applicant(ctx).text}")
        ctx.state.answers["applicant"] = said
        if said == "individual":
            return Next("group", (story_kept(ctx),))
        return Next("group", (_as_establishment(ctx), story_kept(ctx)))
    said = applicant_said(event.text) if isinstance(event, Text) else None
    if said is not None:
        # «انا عامل»: a worker files for themself, «العامل عندي» an employer (applicant_words.
        # json); short words no button names (session 18's faults list: «يُرجى اختيار…»)
        ctx.state.answers["applicant"] = said
        lead = _as_individual(ctx) if said == "individual" else _as_establishment(ctx)
        return Next("group", (lead,))
    if (
        isinstance(event, Text)
        and len(content_words(event.text)) >= _NEED_WORDS
        and not any(c.isdigit() for c in clean_input(event.text))
    ):
        # «عندي مخالفة وابي اعترض»: a need no service's words name; said so, and where an
        # unlisted one goes (the lead's probe: «يُرجى اختيار واحد من ٤ خيارات»); not a
        # message with a number in it, which is no need told
        support = local(ctx.catalogue.group(_SUPPORT).name, ctx.locale)
        return Retry(
            _(
                "I couldn't tell from your message which service you need. Please choose «Individual» or «Establishment» first, then the service; if it isn't listed, choose «%(support)s» there."
            )
            % {"support": support}
        )
    options = ask_applicant(ctx).choices
    return Retry(
        ctx.texts.ngettext(
            "Please choose %(count)d option: %(options)s.",
            "Please choose one of the %(count)d options: %(options)s.",
            len(options),
        )
        % {"count": len(options), "options": or_words(ctx, [f"«{o.label}»" for o in options])}
    )
