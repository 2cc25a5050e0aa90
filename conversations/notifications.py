"""What the person is told when their request changes, in their own language.

The staff desk writes these into the outbox at the moment of the decision, so the text
is fixed in the person's language then and delivered later by whichever channel they use.
"""

from __future__ import annotations

import datetime as dt

from conversations.events import Option, Reply
from conversations.formatting import Digits, format_due_date, isolate, present
from conversations.i18n import Texts
from domain.status import RequestStatus


def status_name(status: str, locale: str, *, owner: bool = True) -> str:
    """A status as the person reads it ("under_review" -> «قيد الدراسة»). ``owner`` False:
    read by someone other than the filing chat (who proved the identity number in a
    status look-up), to whom «needs_info» is waiting for the applicant, not «from you»
    (found by the fresh-clone tester)."""
    _ = Texts(locale).gettext
    if status == "needs_info" and not owner:
        return _("Waiting for more information from the applicant")
    return {
        "received": _("Received"),
        "under_review": _("Under review"),
        "needs_info": _("Waiting for more information from you"),
        "accepted": _("Accepted"),
        "rejected": _("Rejected"),
    }[status]


def answer_choice_id(number: str) -> str:
    """The button that opens the more-information answer for a request."""
    return f"ans:{number}"


def status_notice(
    *,
    locale: str,
    number: str,
    service_name: str,
    status: RequestStatus,
    due: dt.date,
    reason: str | None = None,
    question: str | None = None,
    arabic_digits: Digits = "arab",
    reopened: str | None = None,
) -> list[Reply]:
    """The notice as the person reads it: their words quoted as typed, numbers in their
    language's digits, identifiers kept whole. ``reopened``: the officer's reason for
    taking a decided request back to review (the notice of "under review" says it)."""
    return [
        Reply(present(r.text, locale, arabic_digits), choices=r.choices, locale=locale)
        for r in _notice(locale, number, service_name, status, due, reason, question, reopened)
    ]


def _notice(
    locale: str,
    number: str,
    service_name: str,
    status: RequestStatus,
    due: dt.date,
    reason: str | None,
    question: str | None,
    reopened: str | None = None,
) -> list[Reply]:
    texts = Texts(locale)
    _ = texts.gettext
    head = _("Update on your request %(number)s (%(service)s):") % {
        "number": number,
        "service": service_name,
    }
    if status is RequestStatus.RECEIVED:
        body = _("Your request has been received. You will have an answer by %(date)s.") % {
            "date": format_due_date(due, locale)
        }
        return [Reply(f"{head}\n{body}")]
    if status is RequestStatus.UNDER_REVIEW and reopened:
        body = _(
            "Your request has been reopened and an officer is reviewing it again.\n"
            "The officer's reason: %(reason)s\n"
            "You will have an answer by %(date)s."
        ) % {"reason": isolate(reopened), "date": format_due_date(due, locale)}
        return [Reply(f"{head}\n{body}")]
    if status is RequestStatus.UNDER_REVIEW:
        body = _(
            "An officer is now reviewing your request. You will have an answer by %(date)s."
        ) % {"date": format_due_date(due, locale)}
        return [Reply(f"{head}\n{body}")]
    if status is RequestStatus.NEEDS_INFO:
        body = _(
            "The officer needs more information to continue:\n«%(question)s»\n"
            "Press «Answer» to reply with text or photos. The time for the answer is paused until you reply."
        ) % {"question": isolate(question or "")}
        return [Reply(f"{head}\n{body}", choices=(Option(answer_choice_id(number), _("Answer")),))]
    if status is RequestStatus.ACCEPTED:
        body = _("Good news: your request has been accepted.")
        if reason:
            body += "\n" + _("Officer's note: %(note)s") % {"note": isolate(reason)}
        return [Reply(f"{head}\n{body}")]
    body = _("We're sorry: your request was not accepted.\nReason: %(reason)s") % {
        "reason": isolate(reason or "")
    }
    body += "\n" + _(
        "If the problem cannot be solved online, book an appointment at the nearest passports "
        "branch through Absher (Appointments) and bring the documents with you. "
        "You can also file a new request with the missing information."
    )
    return [Reply(f"{head}\n{body}")]
