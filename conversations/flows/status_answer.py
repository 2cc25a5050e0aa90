"""The status answer: what a request is, when it was filed, where it stands, why, by
when, and what happens next, as the chat that filed it or another chat reads it.

What each proof shows. DESIGN.md: "the bot must never show a request to someone who
cannot prove it is theirs"; the real inquiry asks for the request number, the identity
number, the mobile and the e-mail (seeds), and a request is filed "by the person concerned
from their own account" (seed 004).

- The chat that filed it (the account the request came from: the strongest proof the bot
  has) sees everything: service, dates, status, history, the officer's free text (a
  rejection's reason, an acceptance's note, a question to answer) and the actions (answer,
  note, reconsideration, rating).
- Another chat that gives the request number and the identity number it was filed with
  (two of the four things the real inquiry asks; a relative, an employer's clerk or anyone
  who saw the receipt and the card may know both) sees where the request stands, so that
  it can follow it for the applicant: service, filing date, status, due date, the history
  of statuses and what happens next. Never the officers' free text, which is addressed to
  the applicant and may name their documents, health or family: the gateway's
  ``status_with_identity`` does not return it, and the answer says a rejection's reason is
  in the chat that filed it. Nor any action, which only that chat may take.
- Anyone with less (a request number alone, a wrong identity number) sees nothing, not
  even whether the number exists (conversations.flows.status_identity).
"""

from __future__ import annotations

import datetime as dt

from conversations.events import Option
from conversations.flow import Ctx, Finish
from conversations.formatting import format_due_date, isolate
from conversations.notifications import answer_choice_id, status_name
from conversations.ports import DECISION_KEPT, RECONSIDERATION_ASKED, StatusView
from conversations.their_say import note_id, reconsider_id
from domain.catalogue import local
from domain.sla import riyadh_date
from domain.status import FINAL, RequestStatus


def status_label(ctx: Ctx, status: str, *, owner: bool = True) -> str:
    """A status as this person reads it; see notifications.status_name for ``owner``."""
    return status_name(status, ctx.locale, owner=owner)


def _date(day: dt.datetime, ctx: Ctx) -> str:
    return format_due_date(riyadh_date(day), ctx.locale)


def render_status(ctx: Ctx, view: StatusView, *, owner: bool = False) -> Finish:
    """The whole answer: what, when, where it stands, why, by when, and what to do next.
    The chat that filed it (``owner``) may also add a note to it while it is open, answer
    an officer's question, or ask for a rejection to be reconsidered. Anyone else (who
    proved the identity number) is told where those, and the updates, happen: in the
    chat that filed it, the only one the bot writes to about it. They are not shown the
    officers' free text (the question, a rejection's reason, an acceptance's note), which is
    addressed to the applicant and may name their documents or family, and a request
    waiting for an answer reads as waiting for the applicant, not «from you» (found by the
    fresh-clone tester; the reason by the review of session 10). The rule, proof by proof,
    is the module's docstring."""
    _ = ctx.texts.gettext
    status = RequestStatus(view.status)
    service = local(ctx.catalogue.get(view.service_id).name, ctx.locale)
    lines = [
        _("Request %(number)s") % {"number": view.number},
        _("Service: %(service)s") % {"service": service},
        _("Filed on: %(date)s") % {"date": _date(view.submitted_at, ctx)},
        _("Status: %(status)s") % {"status": status_label(ctx, view.status, owner=owner)},
    ]
    choices: tuple[Option, ...] = ()
    today = riyadh_date(ctx.now)
    if status is RequestStatus.REJECTED and not owner:
        # the officers' words are the applicant's to read (see the module's docstring)
        lines.append(_("The reason is shown only in the chat the request was filed from."))
    elif status is RequestStatus.REJECTED and view.reason:
        lines.append(_("Reason: %(reason)s") % {"reason": isolate(view.reason)})
    if status is RequestStatus.ACCEPTED and view.reason and owner:
        lines.append(_("Officer's note: %(note)s") % {"note": isolate(view.reason)})
    if status is RequestStatus.NEEDS_INFO and owner:
        lines.append(
            _("The officer asks: «%(question)s»") % {"question": isolate(view.question or "")}
        )
        # the answer is taken only from the chat that filed it
        choices = (Option(answer_choice_id(view.number), _("Answer")),)
    if status not in FINAL and status is not RequestStatus.NEEDS_INFO:
        lines.append(
            _("Answer due by: %(date)s") % {"date": format_due_date(view.due_date, ctx.locale)}
        )
    lines.append("")
    lines.append(_("History:"))
    lines += [
        f"• {_date(at, ctx)}: {_history_label(ctx, what, owner=owner)}" for at, what in view.history
    ]
    lines.append("")
    if view.reconsidering and owner:
        # not «book an appointment or file anew»: the person waits on this very request
        # (tester 13, §5)
        lines.append(
            _(
                "Next: your request to reconsider it is with the officers; nothing is needed from you now, and you will be told the outcome here. You can still add a note to it."
            )
        )
    elif view.reconsidering:
        lines.append(_next_step(ctx, RequestStatus.UNDER_REVIEW, False, owner=owner))
    else:
        lines.append(_next_step(ctx, status, view.due_date < today, owner=owner))
    if status not in FINAL and status is not RequestStatus.NEEDS_INFO and view.due_date < today:
        lines.insert(
            0,
            _("We apologise: the answer to this request was due on %(date)s and is late.")
            % {"date": format_due_date(view.due_date, ctx.locale)},
        )
    if owner and (status not in FINAL or view.reconsidering):
        choices = (*choices, Option(note_id(view.number), _("Add a note to my request")))
    if owner and view.reconsiderable:  # not once asked, nor while one is pending
        choices = (*choices, Option(reconsider_id(view.number), _("Ask to reconsider")))
    return Finish(("\n".join(lines),), choices)


def _history_label(ctx: Ctx, what: str, *, owner: bool) -> str:
    """A line of the history: a new status, or a step that changed none (a
    reconsideration asked, the rejection kept after it)."""
    _ = ctx.texts.gettext
    if what == RECONSIDERATION_ASKED:
        return _("Reconsideration asked")
    if what == DECISION_KEPT:
        return _("Decision kept after reconsideration: %(status)s") % {
            "status": status_label(ctx, RequestStatus.REJECTED.value)
        }
    return status_label(ctx, what, owner=owner)


def _next_step(ctx: Ctx, status: RequestStatus, late: bool, *, owner: bool) -> str:
    """What comes next. To someone other than the filer (``owner`` False) it promises
    only what happens: the bot writes to the chat that filed the request, never to them
    (found by the fresh-clone tester: they were told «وسنبلغك بكل تحديث»)."""
    _ = ctx.texts.gettext
    if not owner and status is RequestStatus.NEEDS_INFO:
        return _(
            "Next: the officer's question is answered from the chat the request was filed from; updates are sent there too. You can look up its status here again with the request number and the identity number."
        )
    if not owner and status not in FINAL and not late:
        return _(
            "Next: nothing is needed now. Updates are sent to the chat the request was filed from, not to this one; you can look up its status here again with the request number and the identity number."
        )
    if status is RequestStatus.NEEDS_INFO:
        return _(
            "Next: press «Answer» and send what the officer asked for; the clock is paused until then."
        )
    if status is RequestStatus.ACCEPTED:
        return _("Next: nothing more is needed from you.")
    if status is RequestStatus.REJECTED or late:
        return _(
            "Next: you can book an appointment at the nearest passports branch through Absher (Appointments) and bring the documents, or file a new request."
        )
    return _("Next: nothing is needed from you now; you will be told of every change.")
