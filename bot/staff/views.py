"""What officers read about requests: a request's summary, the overdue list, the counts.

The same views serve the staff group (Telegram HTML) and ``tawasul staff`` (plain text),
through :class:`Fmt`. In HTML every piece of text is escaped where it is put in, whatever
its origin (the person's description, an officer's name or question, a translation), and
tags come only from this module, so nothing a person types can become markup.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from bot.db.requests_repo import RequestRecord
from conversations.formatting import format_due_date, isolate
from conversations.i18n import N_, Texts
from domain.catalogue import Catalogue, local
from domain.sla import RIYADH, working_days_between
from domain.status import FINAL, RequestStatus

#: Telegram's limit is 4096 characters; lists stop well before it and say how many remain.
MAX_LIST_ITEMS: Final = 40
#: A description is cut in a summary so the whole message stays under Telegram's limit.
MAX_DESCRIPTION: Final = 1500
#: A caption is cut in a summary; the album under the card carries it whole.
MAX_CAPTION: Final = 300
#: The last status changes shown in a summary.
MAX_EVENTS: Final = 5

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
IDENTITY_LABELS: Final[Mapping[str, str]] = {
    "citizen": N_("national ID"),
    "resident": N_("iqama"),
    "border": N_("border number"),
}


@dataclass(frozen=True, slots=True)
class Fmt:
    """Telegram HTML (``html=True``) or plain text for the terminal."""

    html: bool = True

    def t(self, text: str) -> str:
        return html.escape(text, quote=False) if self.html else text

    def b(self, text: str) -> str:
        return f"<b>{self.t(text)}</b>" if self.html else text

    def code(self, text: str) -> str:
        return f"<code>{self.t(text)}</code>" if self.html else text

    def link(self, text: str, url: str) -> str:
        if not self.html:
            return text
        return f'<a href="{html.escape(url, quote=True)}">{self.t(text)}</a>'

    def quote(self, text: str) -> str:
        if self.html:
            return f"<blockquote>{self.t(text)}</blockquote>"
        return "\n".join(f"  {line}" for line in text.splitlines() or [""])


HTML: Final = Fmt(html=True)
PLAIN: Final = Fmt(html=False)


class StaffViews:
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

    def summary(self, record: RequestRecord, fmt: Fmt, *, today: dt.date) -> str:
        _ = self.texts.gettext
        lines = [
            fmt.b(_("Request %(number)s") % {"number": record.number}),
            _label(fmt, _("Service"), self.service(record.service_id)),
            _label(fmt, _("Department"), self.department(self.department_of(record.service_id))),
            _label(fmt, _("Status"), self.status(record.status)),
            _label(
                fmt,
                _("Filed by"),
                _(APPLICANT_LABELS.get(record.applicant_kind, record.applicant_kind))
                + f" ({record.channel})",
            ),
        ]
        if record.establishment_number:
            lines.append(_label(fmt, _("Establishment number"), record.establishment_number))
        kind = IDENTITY_LABELS.get(record.identity_kind)
        identity = record.identity_number + (f" ({_(kind)})" if kind else "")
        lines += [
            _label(fmt, _("Identity number"), identity),
            _label(fmt, _("Mobile"), _mobile(record, _)),
            _label(fmt, _("Filed on"), _moment(record.submitted_at)),
            _label(fmt, _("Answer due by"), format_due_date(record.due_date, self.locale)),
        ]
        if record.status is RequestStatus.NEEDS_INFO:
            lines.append(fmt.t(_("The clock is paused while the person is asked.")))
        elif record.status not in FINAL and record.due_date < today:
            lines.append(fmt.b(self.days_late(record.due_date, today)))
        lines.append(_label(fmt, _("Officer"), record.assigned_name or _("nobody yet")))
        if record.pending_question:
            lines.append(_label(fmt, _("Question to the person"), record.pending_question))
        if record.decision_reason:
            lines.append(_label(fmt, _("Reason or note"), record.decision_reason))
        lines.append(self._attachments(fmt, len(record.attachments)))
        lines += self._captions(fmt, record)
        description = record.description
        if len(description) > MAX_DESCRIPTION:
            description = description[:MAX_DESCRIPTION] + "…"
        lines += [fmt.b(_("Description:")), fmt.quote(description)]
        events = record.events[-MAX_EVENTS:]
        if events:
            lines.append(fmt.b(_("History:")))
            for event in events:
                line = f"{_moment(event.at)} — {self.status(event.to_status)}"
                if event.reason:
                    line += f": {event.reason}"
                lines.append(fmt.t(f"• {line}"))
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
            label = _("Words with file %(number)d") % {"number": number}
            lines.append(f"• {_label(fmt, label, isolate(caption))}")
        return lines

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
            fmt.t(_("due %(date)s") % {"date": record.due_date.isoformat()}),
        ]
        if record.status not in FINAL and record.status is not RequestStatus.NEEDS_INFO:
            if record.due_date < today:
                parts.append(fmt.b(self.days_late(record.due_date, today)))
        parts.append(fmt.t(record.assigned_name or _("nobody yet")))
        return "• " + " — ".join(parts)

    # ---- lists and counts -------------------------------------------------------------

    def overdue(self, records: Iterable[RequestRecord], fmt: Fmt, *, today: dt.date) -> str:
        _ = self.texts.gettext
        items = sorted(records, key=lambda r: (r.due_date, r.number))
        if not items:
            return fmt.t(_("No request is overdue."))
        head = fmt.b(
            self.texts.ngettext(
                "%(count)d overdue request:", "%(count)d overdue requests:", len(items)
            )
            % {"count": len(items)}
        )
        return "\n".join([head, *self._capped(items, fmt, today)])

    def open_list(self, records: Iterable[RequestRecord], fmt: Fmt, *, today: dt.date) -> str:
        _ = self.texts.gettext
        items = list(records)
        if not items:
            return fmt.t(_("No open requests."))
        head = fmt.b(
            self.texts.ngettext("%(count)d open request:", "%(count)d open requests:", len(items))
            % {"count": len(items)}
        )
        return "\n".join([head, *self._capped(items, fmt, today)])

    def _capped(self, items: list[RequestRecord], fmt: Fmt, today: dt.date) -> list[str]:
        lines = [self.line(r, fmt, today=today) for r in items[:MAX_LIST_ITEMS]]
        rest = len(items) - MAX_LIST_ITEMS
        if rest > 0:
            lines.append(
                fmt.t(
                    self.texts.ngettext("…and %(count)d more.", "…and %(count)d more.", rest)
                    % {"count": rest}
                )
            )
        return lines

    def stats(
        self,
        by_status: Mapping[str, int],
        by_department: Mapping[str, int],
        *,
        due_today: int,
        overdue: int,
        fmt: Fmt,
    ) -> str:
        _ = self.texts.gettext
        lines = [fmt.b(_("Requests by status:"))]
        for status in RequestStatus:
            lines.append(fmt.t(f"• {self.status(status)}: {by_status.get(status.value, 0)}"))
        lines.append(fmt.b(_("Open requests by department:")))
        if by_department:
            for department, count in sorted(by_department.items(), key=lambda kv: -kv[1]):
                lines.append(fmt.t(f"• {self.department(department)}: {count}"))
        else:
            lines.append(fmt.t("• " + _("none")))
        lines.append(_label(fmt, _("Due today"), str(due_today)))
        lines.append(_label(fmt, _("Overdue"), str(overdue)))
        return "\n".join(lines)


def mention(assigned_to: str | None, name: str | None, fmt: Fmt, texts: Texts) -> str:
    """The officer who has a request: a Telegram mention (it notifies them) when they took
    it from Telegram, their name otherwise (``tawasul staff`` uses a local id)."""
    if not assigned_to:
        return fmt.t(texts.gettext("nobody yet"))
    display = name or texts.gettext("an officer")
    kind, _, rest = assigned_to.partition(":")
    user_id = rest.split(":", 1)[0]
    if kind == "officer" and user_id.isascii() and user_id.isdigit() and int(user_id) > 0:
        return fmt.link(display, f"tg://user?id={int(user_id)}")
    return fmt.t(display)


def _mobile(record: RequestRecord, _: Callable[[str], str]) -> str:
    """The number, marked when the person typed it and no channel vouched for it."""
    if record.phone_verified:
        return record.phone
    return _("%(phone)s (not verified: typed by the person)") % {"phone": record.phone}


def _label(fmt: Fmt, label: str, value: str) -> str:
    return f"{fmt.b(label + ':')} {fmt.t(value)}"


def _moment(moment: dt.datetime) -> str:
    """A Riyadh wall-clock time, digits only, so it reads the same in both directions."""
    return moment.astimezone(RIYADH).strftime("%Y-%m-%d %H:%M")
