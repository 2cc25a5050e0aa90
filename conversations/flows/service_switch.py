"""A change of service taken (conversations.flows.service_change offers it): the service
is chosen again, keeping what does not depend on it (the numbers, the mobile, the words and
the files, passed on to the steps that take them); one service named and agreed to is
chosen at once. Split from service_change.py."""

from __future__ import annotations

import dataclasses

from conversations.flow import Ctx, Next, Outcome, Retry
from conversations.flows import description_early
from conversations.flows.early_phone import EARLY_PHONE
from conversations.flows.intake_draft import EARLY_ESTABLISHMENT, EARLY_IDENTITY
from conversations.flows.intake_service import choose_service
from domain.catalogue import local

#: The answers that depend on the service, dropped when it changes.
_OF_THE_SERVICE = ("service", "eligibility", "question", "suggestions", "group")


def change_service(ctx: Ctx, named: list[str]) -> Outcome:
    """Chooses the service again, keeping what does not depend on it (the module's rule)."""
    _ = ctx.texts.gettext
    state = ctx.state
    answers = state.answers
    said = _(
        "Alright, let's choose the service again. I have kept what you gave so far and will use it where the new service takes it."
    )
    if not state.editing:
        # the later steps are passed with what was kept, each saying so, as with numbers
        # and words given before their step
        if "identity" in answers:
            answers[EARLY_IDENTITY] = {
                "value": answers.pop("identity"),
                "kind": answers.pop("identity_kind"),
            }
        if "establishment" in answers:
            answers[EARLY_ESTABLISHMENT] = answers.pop("establishment")
        if "phone" in answers:
            answers[EARLY_PHONE] = {
                "phone": answers.pop("phone"),
                "verified": bool(answers.pop("phone_verified", True)),
            }
        description_early.set_aside(ctx)
        for key in _OF_THE_SERVICE:
            answers.pop(key, None)
    # (from the summary's «Change the description» the summary follows, as after its
    # own «Change the service»)
    history = state.history
    state.history = history[: history.index("group")] if "group" in history else ["applicant"]
    state.step = "group"
    if len(named) == 1:
        # the one service the change named, already agreed to: chosen, not asked about
        # again (helper 26: «هل هذه هي الخدمة المطلوبة؟» came after «تغيير الخدمة»)
        now = _(
            "Alright, your request is now for «%(service)s». I have kept what you gave so far and will use it where the new service takes it."
        ) % {"service": local(ctx.catalogue.get(named[0]).name, ctx.locale)}
        return _said_first(now, choose_service(ctx, named[0]))
    if named:
        answers["suggestions"] = named
        return Next("suggest", (said,))
    return Next("group", (said,))


def _said_first(said: str, outcome: Outcome) -> Outcome:
    """``outcome`` with ``said`` before what it says."""
    if isinstance(outcome, Next):
        return dataclasses.replace(outcome, say=(said, *outcome.say))
    if isinstance(outcome, Retry):
        return dataclasses.replace(outcome, hint=f"{said}\n{outcome.hint}")
    return outcome
