"""A household's worker named in an establishment's request («عاملة منزلية», «ما عندي رقم
موحد»): such a worker is sponsored personally, so the request is an individual's. Once that
is said, «التقديم بصفة فرد» switches who files and keeps the service chosen: its questions
are asked again for an individual (they differ: «لمن هذا الطلب؟»), the rest kept. Helper
26's probe (fault 10): the way there was three «رجوع» and the service typed again."""

from __future__ import annotations

from conversations.events import Choice, Event, Option
from conversations.flow import Ctx, Next, Outcome
from conversations.flows.intake_draft import EARLY_ESTABLISHMENT, applicant_of, service_of
from conversations.flows.intake_service import choose_service
from domain.catalogue import local

#: The choice that files the request as an individual's.
AS_INDIVIDUAL = "as_individual"
#: Set in the draft once the household line was said: the choice is offered from then on.
OFFERED = "as_individual_offered"


def offer_individual(ctx: Ctx) -> None:
    """Offers «التقديم بصفة فرد» at the establishment's number steps from now on."""
    ctx.state.answers[OFFERED] = True


def individual_option(ctx: Ctx) -> tuple[Option, ...]:
    """The choice, while offered in an establishment's request; else none."""
    if not ctx.state.answers.get(OFFERED) or applicant_of(ctx) != "establishment":
        return ()
    return (Option(AS_INDIVIDUAL, ctx.texts.gettext("File as an individual")),)


def switch_to_individual(ctx: Ctx, event: Event) -> Outcome | None:
    """The request made an individual's when the choice is taken: the establishment's
    number dropped, the service kept when individuals may file it (its questions asked
    again), else the services; None for any other event."""
    if not (isinstance(event, Choice) and event.id == AS_INDIVIDUAL and individual_option(ctx)):
        return None
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    service = service_of(ctx)
    for key in (OFFERED, "establishment", EARLY_ESTABLISHMENT, "eligibility", "question"):
        answers.pop(key, None)
    answers["applicant"] = "individual"
    history = ctx.state.history
    ctx.state.history = history[: history.index("group")] if "group" in history else ["applicant"]
    ctx.state.step = "group"
    name = local(service.name, ctx.locale)
    if "individual" not in service.applicants:
        answers.pop("service", None)
        said = _(
            "Your request is now filed as an individual. «%(service)s» is filed by establishments only, so please choose the service."
        ) % {"service": name}
        return Next("group", (said,))
    said = _("Your request for «%(service)s» is now filed as an individual.") % {"service": name}
    chosen = choose_service(ctx, service.id)
    if isinstance(chosen, Next):
        return Next(chosen.step, (said, *chosen.say))
    return chosen
