"""What officers read about requests: a request's summary and history, and the labels
(the lists and counts are :mod:`bot.staff.lists`).

The same views serve the staff group (Telegram HTML) and ``tawasul staff`` (plain text),
through :class:`Fmt`. In HTML every piece of text is escaped where it is put in, whatever
its origin (the person's description, an officer's name or question, a translation), and
tags come only from this module, so nothing a person types can become markup.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Final

from bot.db.requests_repo import RequestRecord, StatusEventRecord
from bot.db.retention import REDACTED
from bot.staff.actors import actor_name
from bot.staff.fmt import HTML, PLAIN, Fmt, label, mention, moment, script_mismatch
from bot.staff.history import history_line, reopened_as_asked
from bot.staff.lists import ListViews
from bot.staff.say_words import SayWords
from conversations.formatting import format_due_date, format_gregorian
from conversations.i18n import N_, Texts
from domain.catalogue import Catalogue, local
from domain.sla import working_days_between
from domain.status import FINAL, RequestStatus
from officers.desk_port import InternalNote

# the formatting helpers are re-exported: every staff module reads them from here
__all__ = ["HTML", "PLAIN", "Fmt", "StaffViews", "mention", "script_mismatch"]

#: A description is cut in a summary so the whole message stays under Telegram's limit.
MAX_DESCRIPTION: Final = 1500
#: A caption is cut in a summary; the album under the card carries it whole.
MAX_CAPTION: Final = 300
#: The last status changes shown in a summary.
MAX_EVENTS: Final = 5
#: The last officers' internal notes shown in a summary, and where each is cut in the
#: staff group (a Telegram message holds 4096 characters; the terminal shows it whole).
MAX_NOTES_SHOWN: Final = 5
MAX_NOTE_HTML: Final = 500

STATUS_LABELS: Final[Mapping[RequestStatus, str]] = {
    RequestStatus.RECEIVED: N_("New"),
    RequestStatus.UNDER_REVIEW: N_("Under review"),
    RequestStatus.NEEDS_INFO: N_("Waiting for the person's answer"),
    RequestStatus.ACCEPTED: N_("Accepted"),
    RequestStatus.REJECTED: N_("Rejected"),
}
DEPARTMENT_LABELS: Final[Mapping[str, str]] = {
    "passports": N_("Passports"),
    "residency": N_("Residency"),
    "visas": N_("Visas"),
    "labour": N_("Labour and workers"),
    "support": N_("Technical support"),
}
APPLICANT_LABELS: Final[Mapping[str, str]] = {
    "individual": N_("Individual"),
    "establishment": N_("Establishment"),
}
#: The channel a request came by, in the officer's language (was printed as its id,
#: «(console)» in Arabic text; found by the fresh-clone tester).
CHANNEL_LABELS: Final[Mapping[str, str]] = {
    "telegram": N_("Telegram"),
    "whatsapp": N_("WhatsApp"),
    "console": N_("the terminal"),
}
LANGUAGE_LABELS: Final[Mapping[str, str]] = {
    "ar": N_("Arabic"),
    "en": N_("English"),
}
IDENTITY_LABELS: Final[Mapping[str, str]] = {
    "citizen": N_("national ID"),
    "resident": N_("iqama"),
    "border": N_("border number"),
}


class StaffViews(ListViews):
    """Texts for officers in one language (the staff group's: Arabic by default)."""

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        locale: str,
        holidays: Collection[dt.date] | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.locale = locale
        self.texts = Texts(locale)
        self.holidays = holidays

    # ---- labels -----------------------------------------------------------------------

    def status(self, status: RequestStatus) -> str:
        return self.texts.gettext(STATUS_LABELS[status])

    def department(self, department: str) -> str:
        label = DEPARTMENT_LABELS.get(department)
        return self.texts.gettext(label) if label else department

    def department_of(self, service_id: str) -> str:
        return self.catalogue.get(service_id).department

    def service(self, service_id: str) -> str:
        try:
            return local(self.catalogue.get(service_id).name, self.locale)
        except KeyError:  # a service retired from the catalogue after the request was filed
            return service_id

    def days_late(self, due: dt.date, today: dt.date) -> str:
        late = working_days_between(due, today, self.holidays)
        return self.texts.ngettext(
            "%(count)d working day late", "%(count)d working days late", late
        ) % {"count": late}

    # ---- one request ------------------------------------------------------------------

    def summary(
        self,
        record: RequestRecord,
        fmt: Fmt,
        *,
        today: dt.date,
        files: Sequence[str] | None = None,
        notes: Sequence[InternalNote] = (),
    ) -> str:
        """The request as it stands: who filed it, for what, in which language, the
        answers to the service's questions, the clock, who is responsible, the history by
        name. ``files`` lists where the attachments can be opened (the terminal);
        ``notes``, the officers' internal notes, oldest first (the last few are shown)."""
        _ = self.texts.gettext
        record, notes = _deleted_shown(record, notes, _("(deleted)"))
        lines = [
            fmt.b(_("Request %(number)s") % {"number": record.number}),
            label(fmt, _("Service"), self.service(record.service_id)),
            label(fmt, _("Department"), self.department(self.department_of(record.service_id))),
            label(fmt, _("Status"), self.status(record.status)),
            label(
                fmt,
                _("Filed by"),
                _(APPLICANT_LABELS.get(record.applicant_kind, record.applicant_kind))
                + f" ({_(CHANNEL_LABELS.get(record.channel, record.channel))})",
            ),
            label(fmt, _("The person's language"), self.language(record.locale)),
        ]
        if record.establishment_number:
            lines.append(label(fmt, _("Establishment number"), record.establishment_number))
        kind = IDENTITY_LABELS.get(record.identity_kind)
        identity = record.identity_number + (f" ({_(kind)})" if kind else "")
        lines += [
            label(fmt, _("Identity number"), identity),
            label(fmt, _("Mobile"), _mobile(record, _)),
        ]
        lines += [
            f"{fmt.b(question + ':')} {fmt.user(answer)}"
            for question, answer in self.eligibility(record)
        ]
        lines += [
            label(fmt, _("Filed on"), moment(record.submitted_at)),
            label(fmt, _("Answer due by"), format_due_date(record.due_date, self.locale)),
        ]
        if record.status is RequestStatus.NEEDS_INFO:
            lines.append(fmt.t(_("The clock is paused while the person is asked.")))
        elif record.status not in FINAL and record.due_date < today:
            lines.append(fmt.b("⏰ " + self.days_late(record.due_date, today)))
        officer = record.assigned_name if record.assigned_to else None
        responsible = _("Responsible officer")
        lines.append(
            fmt.b(responsible + ":")
            + " "
            + (fmt.user(officer) if officer else fmt.t(_("nobody yet")))
        )
        if record.related:
            lines.append(
                label(
                    fmt,
                    _("Other open requests of this identity number"),
                    ", ".join(record.related),
                )
            )
        if record.pending_question:
            title = _("Question to the person")
            lines.append(fmt.b(title + ":") + " " + fmt.user(record.pending_question))
        if record.decision_reason:
            title = _("Reason or note")
            lines.append(fmt.b(title + ":") + " " + fmt.user(record.decision_reason))
        lines.append(self._attachments(fmt, len(record.attachments)))
        lines += [fmt.t(f"  {path}") for path in files or ()]
        lines += self._captions(fmt, record)
        lines += SayWords(self).summary_lines(record, fmt)
        lines += self._internal_notes(fmt, notes)
        description = record.description
        if len(description) > MAX_DESCRIPTION:
            description = description[:MAX_DESCRIPTION] + "…"
        lines += [fmt.b(_("Description:")), fmt.quote(description)]
        asked = reopened_as_asked(record.events)
        first = max(len(record.events) - MAX_EVENTS, 0)
        if record.events:
            lines.append(fmt.b(_("History:")))
            lines += [
                self.history_line(event, fmt, as_asked=at in asked)
                for at, event in enumerate(record.events[first:], start=first)
            ]
        return "\n".join(lines)

    def _captions(self, fmt: Fmt, record: RequestRecord) -> list[str]:
        """What the person wrote with each file, numbered as the files follow the card;
        each in its own isolate so a caption's direction cannot spill into the line."""
        _ = self.texts.gettext
        lines = []
        for number, attachment in enumerate(record.attachments, start=1):
            caption = (attachment.caption or "").strip()
            if not caption:
                continue
            if len(caption) > MAX_CAPTION:
                caption = caption[:MAX_CAPTION] + "…"
            caption = " ".join(caption.split())
            title = _("Words with file %(number)d") % {"number": number}
            lines.append("• " + fmt.b(title + ":") + " " + fmt.user(caption))
        return lines

    def _internal_notes(self, fmt: Fmt, notes: Sequence[InternalNote]) -> list[str]:
        """The officers' notes, each with who wrote it and when; the officer's words are
        escaped and isolated like a person's (:meth:`Fmt.user`)."""
        if not notes:
            return []
        _ = self.texts.gettext
        lines = [fmt.b(_("Internal notes (for officers only; the person never sees them):"))]
        earlier = len(notes) - MAX_NOTES_SHOWN
        if earlier > 0:
            lines.append(
                fmt.t(
                    self.texts.ngettext(
                        "…and %(count)d earlier note.", "…and %(count)d earlier notes.", earlier
                    )
                    % {"count": earlier}
                )
            )
        for note in notes[-MAX_NOTES_SHOWN:]:
            text = note.text.strip()
            if fmt.html and len(text) > MAX_NOTE_HTML:
                text = text[:MAX_NOTE_HTML] + "…"
            who = actor_name(note.author, self.texts)
            lines.append(f"• {fmt.t(moment(note.at))} — {fmt.user(who)}: {fmt.user(text)}")
        return lines

    def language(self, locale: str) -> str:
        label = LANGUAGE_LABELS.get(locale)
        return self.texts.gettext(label) if label else locale

    def eligibility(self, record: RequestRecord) -> list[tuple[str, str]]:
        """The service's questions and the person's answers, in the staff's language; an
        answer to a question the catalogue no longer has is shown as stored."""
        try:
            questions = {q.id: q for q in self.catalogue.get(record.service_id).questions}
        except KeyError:
            questions = {}
        shown = []
        for key, value in record.eligibility.items():
            question = questions.get(key)
            if question is None:
                shown.append((key, str(value)))
                continue
            try:
                answer = local(question.option(str(value)).label, self.locale)
            except KeyError:
                answer = str(value)
            shown.append((local(question.text, self.locale), answer))
        return shown

    def history_line(self, event: StatusEventRecord, fmt: Fmt, *, as_asked: bool = False) -> str:
        """``• when — who: what`` (:func:`bot.staff.history.history_line`)."""
        return history_line(self, event, fmt, as_asked=as_asked)

    def _attachments(self, fmt: Fmt, count: int) -> str:
        return fmt.t(
            self.texts.ngettext(
                "Attachments: %(count)d file", "Attachments: %(count)d files", count
            )
            % {"count": count}
        )

    def line(self, record: RequestRecord, fmt: Fmt, *, today: dt.date) -> str:
        """One request in a list: number, service, status, due date, who has it."""
        _ = self.texts.gettext
        parts = [
            fmt.code(record.number),
            fmt.t(self.service(record.service_id)),
            fmt.t(self.status(record.status)),
            # «1 ديسمبر 2026م», as the weekly report dates (the card's long form with the
            # weekday and the Hijri date would take 40 lines past Telegram's 4096 characters)
            fmt.t(_("due %(date)s") % {"date": format_gregorian(record.due_date, self.texts)}),
        ]
        if record.status is RequestStatus.NEEDS_INFO and record.paused_since is not None:
            parts.append(fmt.t(_("waiting since %(date)s") % {"date": moment(record.paused_since)}))
        elif record.status not in FINAL and record.due_date < today:
            parts.append(fmt.b(self.days_late(record.due_date, today)))
        if record.assigned_to and record.assigned_name:
            parts.append(fmt.user(record.assigned_name))
        else:
            parts.append(fmt.t(_("nobody yet")))
        return "• " + " — ".join(parts)


def _deleted_shown(
    record: RequestRecord, notes: Sequence[InternalNote], word: str
) -> tuple[RequestRecord, list[InternalNote]]:
    """The record and notes with the retention job's marker (bot.db.retention.REDACTED, an
    English «[redacted]» kept in the database) shown as ``word``, in the officer's
    language: found by the fresh-clone tester, an Arabic card read «رقم الهوية: [redacted]»."""

    def shown(value: str) -> str:
        return word if value == REDACTED else value

    def maybe(value: str | None) -> str | None:
        return None if value is None else shown(value)

    changed = dataclasses.replace(
        record,
        identity_number=shown(record.identity_number),
        establishment_number=maybe(record.establishment_number),
        phone=shown(record.phone),
        description=shown(record.description),
        satisfaction_comment=maybe(record.satisfaction_comment),
        reconsider_reason=maybe(record.reconsider_reason),
        events=tuple(dataclasses.replace(e, reason=maybe(e.reason)) for e in record.events),
        attachments=tuple(
            dataclasses.replace(a, caption=maybe(a.caption)) for a in record.attachments
        ),
    )
    return changed, [dataclasses.replace(n, text=shown(n.text)) for n in notes]


def _mobile(record: RequestRecord, _: Callable[[str], str]) -> str:
    """The number, marked when the person typed it and no channel vouched for it."""
    if record.phone_verified:
        return record.phone
    return _("%(phone)s (not verified: typed by the person)") % {"phone": record.phone}
