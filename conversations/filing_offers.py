"""The buttons that start a request outside the menu: «تقديم طلب الآن» under an answer
(a service's, or «سؤال موظف الجوازات», an inquiry with the fee question kept as its
description: conversations.fee_answers) and «الطلب التالي» under a confirmation (the
next request the person's first words named: conversations.flows.later_requests)."""

from __future__ import annotations

import dataclasses

from conversations.drafts import last_own
from conversations.engine_parts import EngineParts
from conversations.events import Reply
from conversations.fee_answers import INQUIRY, asked_question, keep_as_description
from conversations.flow import Ctx, Next
from conversations.flows.early_phone import with_early_phone
from conversations.flows.intake import file_service
from conversations.flows.later_requests import FOR_WHOM_ANSWERS, next_line, take_next
from conversations.flows.later_requests import NEXT as NEXT_REQUEST
from conversations.flows.past_service import keep_early_answers
from conversations.keywords_early import early_answers

#: The prefix of «تقديم طلب الآن»'s id, the service's id after it.
FILE_PREFIX = "file:"
#: The eligibility answers the question under «تقديم طلب الآن» gave (question id ->
#: option id), in the dialogue state until the offer is taken or another is made.
OFFER_SAID = "offer_said"


def known_service(ctx: Ctx, service_id: str) -> bool:
    """Whether ``service_id`` is in the catalogue (an old button may name one no more)."""
    return any(s.id == service_id for s in ctx.catalogue.services)


class FilingOffers(EngineParts):
    """Mixed into :class:`conversations.engine.Engine` (through ``Routing``)."""

    def _filing_choice(self, ctx: Ctx, choice_id: str) -> list[Reply] | None:
        """A tap on «تقديم طلب الآن» or «الطلب التالي»; None for any other button."""
        if choice_id.startswith(FILE_PREFIX):
            return self._file(ctx, choice_id.removeprefix(FILE_PREFIX))
        if choice_id == NEXT_REQUEST:
            return self._next_request(ctx)
        return None

    def _next_request(self, ctx: Ctx) -> list[Reply] | None:
        """«الطلب التالي» under a confirmation: the next request the person's first words
        named (conversations.flows.later_requests), at its first question, with «لمن»
        taken from those words; None when none is left or a draft is being filled in."""
        left = ctx.state.next_requests or []
        if not left or self._has_draft(ctx.state):
            return None
        replies = self._restart(ctx, ask=False)
        taken = take_next(ctx, left)
        if taken is None:
            # a service since taken out of the catalogue: the first question
            return [*replies, self._ask(ctx)]
        service_id, whom, applicant = taken
        if whom in FOR_WHOM_ANSWERS:
            keep_early_answers(ctx, {"for_whom": whom})
        # the writer's own number may take the next one straight to the phone step
        # (later_requests.take_next), where the mobile given before is used too
        outcome = with_early_phone(ctx, file_service(ctx, service_id, applicant))
        return [*replies, *self._apply(ctx, outcome)]

    def _next_kept(
        self, ctx: Ctx, waiting: list[list[str]] | None, replies: list[Reply]
    ) -> list[Reply]:
        """``replies`` (the first question, asked again when the person comes back) with
        the next request still offered: its line, and «الطلب التالي» after the question's
        own options, ``waiting`` kept in the new draft. Helper 21 (§14): reopening the
        chat after the receipt showed the first question alone, the wife's request
        forgotten."""
        if not waiting or not replies:
            return replies
        offered = next_line(ctx, waiting)
        if offered is None:
            return replies
        ctx.state.next_requests = waiting
        line, option = offered
        *before, menu = replies
        choices = last_own(menu.choices, option)
        ctx.state.offered = [[o.id, o.label] for o in choices]
        return [*before, Reply(line), dataclasses.replace(menu, choices=choices)]

    def _offered_for(self, ctx: Ctx, text: str, replies: list[Reply] | None) -> list[Reply] | None:
        """``replies`` (an answer to the question ``text``); when they offer «تقديم طلب
        الآن», what the question said of the eligibility questions («اقامتي»: for the
        writer) is kept for the request it starts (:data:`OFFER_SAID`). Helper 233:
        after «وش المطلوب لتجديد اقامتي؟», «لمن هذا الطلب؟» was asked."""
        offers = replies and any(o.id.startswith(FILE_PREFIX) for o in replies[-1].choices)
        said = early_answers(text) if offers else {}
        if said:
            ctx.state.answers[OFFER_SAID] = said
        else:
            ctx.state.answers.pop(OFFER_SAID, None)
        return replies

    def _file(self, ctx: Ctx, service_id: str) -> list[Reply] | None:
        """«تقديم طلب الآن»: a new request for the service, at its first question. Never
        offered while a draft is being filled in (it would replace it)."""
        if not known_service(ctx, service_id) or self._has_draft(ctx.state):
            return None
        question = asked_question(ctx) if service_id == INQUIRY else ""
        said = ctx.state.answers.get(OFFER_SAID) or {}
        replies = self._restart(ctx, ask=False)
        if said and service_id != INQUIRY:
            keep_early_answers(ctx, said)
        kept = keep_as_description(ctx, question)
        outcome = file_service(ctx, service_id)
        if kept is not None and isinstance(outcome, Next):
            outcome = Next(outcome.step, (*outcome.say, kept))
        return [*replies, *self._apply(ctx, outcome)]
