"""Words typed at the summary (conversations.flows.intake_summary): a wish for a
document, another service or one of the changes offered goes there, a question is
answered with the change that fits it; nothing typed is ever sent. Split from
intake_summary.py (past 400 lines)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from conversations.events import Choice, Event, Text
from conversations.flow import Ctx, Next, Outcome, Retry, Stay
from conversations.flows.describe import ADDING, add_to_description
from conversations.flows.description_words import only_asks, unknown_number
from conversations.flows.documents import ADD_DOCUMENT
from conversations.flows.intake_service import service_of
from conversations.flows.past_service import SERVICE_BEFORE
from conversations.flows.service_change import wants_another_service
from conversations.flows.services_named import other_services_named
from conversations.flows.summary_words import (
    adds_to_description,
    is_question,
    tells_an_addition,
    wants_a_document,
)
from conversations.formatting import or_list
from conversations.understanding import understand_choice
from domain.catalogue import local

#: The summary's changes and the step each goes back to.
EDIT_TARGETS = {
    "e:service": "group",
    "e:est": "establishment",
    "e:id": "identity",
    "e:phone": "phone",
    "e:desc": "description",
    "e:files": "attachments",
}


def _changes_offered(ctx: Ctx) -> dict[str, str]:
    """The summary's changes shown (option id -> label), without «Confirm»."""
    return {
        option_id: label
        for option_id, label in ctx.state.offered
        if option_id in EDIT_TARGETS or option_id == ADD_DOCUMENT
    }


def summary_reads(ctx: Ctx, text: str) -> bool:
    """Whether ``text``, typed at the summary, asks for one of its changes (a document,
    another service, a change offered), so the summary answers it, not the questions'
    knowledge base («رقم الجوال صح؟» got «ليس لدي جواب عن هذا السؤال»)."""
    if ctx.state.flow != "intake" or ctx.state.step != "summary":
        return False
    if unknown_number(text) is not None and only_asks(text):
        # «ما اعرف رقم اقامتي»: where that number is, answered (helper 25: it went to
        # the number step as «تعديل رقم الهوية»)
        return False
    return (
        wants_a_document(text)
        or wants_another_service(ctx, text)
        or understand_choice(text, list(_changes_offered(ctx).items())) is not None
    )


async def typed_at_summary(
    ctx: Ctx, event: Text, answer_summary: Callable[[Ctx, Event], Awaitable[Outcome]]
) -> Outcome:
    """A typed message that is not a clear confirmation (routing sends only those on as
    «Confirm», summary_words.plain_confirmation): never sent; a wish for a document, for
    another service or for one of the changes offered goes there, a question is answered
    with the change that fits it, anything else with the choices (tester 14 §1, §6).
    ``answer_summary`` answers a change chosen in words, as if its button were pressed."""
    _ = ctx.texts.gettext
    if wants_a_document(event.text):
        ctx.state.editing = True
        return Next("attachments")
    if tells_an_addition(event.text) and ctx.state.answers.get("description"):
        # «ابي اضيف ان الكفيل مسافر», «نسيت اقول ان الجواز جديد»: the words told are
        # added, the summary shown again (helper 235: they were dropped with «لم يُرسَل
        # طلبك»); before a service is read in them («جواز جديد» is a passport's issue)
        ctx.state.editing = True
        return add_to_description(ctx, event.text)
    if wants_another_service(ctx, event.text):
        named = other_services_named(ctx, event.text)
        if named:
            # «لا لحظه ابي اغير الخدمه لتاشيرة خروج وعوده»: to the change itself, with the
            # service named first, as its button does (tester 16 §11; README)
            ctx.state.editing = True
            ctx.state.answers[SERVICE_BEFORE] = ctx.state.answers.get("service")
            ctx.state.answers["suggestions"] = named
            return Next(
                "suggest",
                (
                    _(
                        "Alright, let's choose the service again. I have kept what you gave so far and will use it where the new service takes it."
                    ),
                ),
            )
        return Retry(
            _(
                "Your request has not been sent. To change its service (now «%(service)s»), please press «Change the service»."
            )
            % {"service": local(service_of(ctx).name, ctx.locale)}
        )
    labels = _changes_offered(ctx)
    if "e:desc" in labels and adds_to_description(event.text):
        # «صحيح بس ابي اضيف شي للوصف», «الوصف ناقص…»: what comes next is added to it
        ctx.state.answers[ADDING] = True
        return await answer_summary(ctx, Choice(event.origin, "e:desc"))
    understood = understand_choice(event.text, list(labels.items()))
    if understood is not None and understood.chosen is not None:
        if is_question(event.text):
            # answered here, under the summary's choices (a Retry to a question would be
            # taken for one the knowledge base cannot answer)
            return Stay(
                (
                    _(
                        "Your request has not been sent. The summary above is what will be sent; to change it, please press «%(option)s»."
                    )
                    % {"option": labels[understood.chosen]},
                )
            )
        return await answer_summary(ctx, Choice(event.origin, understood.chosen))
    if understood is not None:
        which = or_list(ctx.texts, [f"«{labels[c]}»" for c in understood.candidates])
        return Retry(_("Which one do you mean: %(options)s?") % {"options": which})
    return Retry(
        _(
            "Your request has not been sent. Please choose what to change, or press «Confirm and send» if everything is right."
        )
    )
