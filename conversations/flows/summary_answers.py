"""The summary's lines for the answers to the service's questions, and what the person
said of them in words that the officer reads with the description («لمن» named in the
first words of a service that does not ask it; the words typed about where the iqama
holder is). Split from :mod:`conversations.flows.intake_summary`."""

from __future__ import annotations

from conversations.flow import Ctx
from conversations.flows.intake_draft import early_for_whom, question_text
from conversations.flows.location_words import place_words_line
from domain.catalogue import Service, local


def answer_lines(ctx: Ctx, service: Service) -> list[str]:
    """Each answered question of ``service`` as «question answer», in the person's
    words for themselves («أين أنت الآن؟»), then :func:`told_lines`."""
    given = ctx.state.answers.get("eligibility", {})
    lines = []
    for question in service.questions:
        option = next((o for o in question.options if o.id == given.get(question.id)), None)
        if option is not None:
            lines.append(f"{question_text(ctx, question)} {local(option.label, ctx.locale)}")
    return [*lines, *told_lines(ctx)]


def told_lines(ctx: Ctx) -> list[str]:
    """What the person said in words that no answer holds, as lines the filed
    description ends with: «لمن» for a service that does not ask it, and the words
    typed about where (helper 21, §9: «برا بس راجع بكرة» was lost to the officer)."""
    return [line for line in (early_for_whom(ctx), place_words_line(ctx)) if line]
