"""A slip that corrects an earlier answer to the service's questions, typed at a later
step («لا لحظه غلطت الطلب مو لي لبنتي» at the description): the answer is changed and
said so, the step asked again, and nothing typed is taken for that step's answer.

Found by helper 22 (§4): at the description step of a passport renewal marked «لي أنا»,
that correction became the description and the request went on as the mother's; putting
it right took five «رجوع». The identity number already typed may be the other person's,
so the person is told where to change it, at the summary (nothing typed is dropped)."""

from __future__ import annotations

from conversations.events import Event, Text
from conversations.flow import Ctx, Next
from conversations.flows.intake_draft import question_text, questions_of
from conversations.flows.slips import is_slip
from conversations.formatting import isolate
from conversations.keywords_early import early_answers
from domain.catalogue import local
from domain.identity import mask_identity

_FOR_WHOM = "for_whom"


def corrected_answer(ctx: Ctx, event: Event) -> Next | None:
    """The step asked again after an earlier answer changed by a slip in ``event``
    (:func:`conversations.flows.service_change.is_slip` whose words give another allowed
    answer to one of the service's questions, keywords.json ``early_answers``); None for
    any other message, a refused answer (the question's «رجوع» leads there), or before a
    service is chosen."""
    if not isinstance(event, Text) or "service" not in ctx.state.answers:
        return None
    if not is_slip(event.text):
        return None
    said = early_answers(event.text)
    given = ctx.state.answers.setdefault("eligibility", {})
    for question in questions_of(ctx):
        option = next((o for o in question.options if o.id == said.get(question.id)), None)
        if option is None or option.id == given.get(question.id) or not option.allowed:
            continue
        given[question.id] = option.id
        _ = ctx.texts.gettext
        lines = [
            _("As you said, I have changed the answer to «%(question)s» to «%(answer)s».")
            % {"question": question_text(ctx, question), "answer": local(option.label, ctx.locale)}
        ]
        identity = ctx.state.answers.get("identity")
        if question.id == _FOR_WHOM and isinstance(identity, str) and identity:
            lines.append(
                _(
                    "The identity number typed earlier, %(number)s, was for the request as it was; if the request is now for someone else, please change it at the summary, before the request is sent, with «Change the identity number»."
                )
                % {"number": isolate(mask_identity(identity))}
            )
        return Next(ctx.state.step, tuple(lines))
    return None
