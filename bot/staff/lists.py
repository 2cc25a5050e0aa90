"""What officers read about many requests: the overdue list, any list under a heading
(waiting, mine, nobody's, a search), the open requests, and the counts by status and
department. Part of :class:`bot.staff.views.StaffViews` (same texts, same :class:`Fmt`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Final, cast

from bot.db.requests_repo import RequestRecord
from bot.staff.fmt import Fmt, label
from bot.staff.say_words import SayWords
from conversations.i18n import Texts
from domain.status import RequestStatus

if TYPE_CHECKING:
    from bot.staff.views import StaffViews

#: Telegram's limit is 4096 characters; lists stop well before it and say how many remain.
MAX_LIST_ITEMS: Final = 40
#: What a list's message may hold, counted on its HTML (tags included, so never less than
#: what Telegram counts), keeping room for the closing «…and N more.»: forty lines of a
#: long service name, a late count and an officer's name came to some 4,700 characters.
MAX_LIST_TEXT: Final = 3900


class ListViews:
    """Mixed into :class:`bot.staff.views.StaffViews`."""

    if TYPE_CHECKING:
        # provided by the StaffViews this is mixed into
        texts: Texts

        def line(self, record: RequestRecord, fmt: Fmt, *, today: dt.date) -> str: ...
        def status(self, status: RequestStatus) -> str: ...
        def department(self, department: str) -> str: ...

    def overdue(
        self,
        records: Iterable[RequestRecord],
        fmt: Fmt,
        *,
        today: dt.date,
        waiting: Iterable[RequestRecord] = (),
    ) -> str:
        """The overdue requests, then those past their date that wait for the person (their
        clock is paused: not overdue, but someone may want to remind them)."""
        _ = self.texts.gettext
        items = sorted(records, key=lambda r: (r.due_date, r.number))
        if items:
            head = fmt.b(
                self.texts.ngettext(
                    "%(count)d overdue request:", "%(count)d overdue requests:", len(items)
                )
                % {"count": len(items)}
            )
            lines = [head, *self._capped(items, fmt, today, used=len(head))]
        else:
            lines = [fmt.t(_("No request is overdue."))]
        paused = [r for r in waiting if r.due_date < today]
        if paused:
            lines.append(
                fmt.b(
                    self.texts.ngettext(
                        "%(count)d more is past its date but waits for the person's answer (the clock is paused, so it is not overdue):",
                        "%(count)d more are past their date but wait for the person's answer (the clock is paused, so they are not overdue):",
                        len(paused),
                    )
                    % {"count": len(paused)}
                )
            )
            lines += self._capped(paused, fmt, today, used=_length(lines))
        return "\n".join(lines)

    def listing(
        self, records: Sequence[RequestRecord], fmt: Fmt, *, today: dt.date, head: str, empty: str
    ) -> str:
        """A list under ``head`` (already counted and translated), or ``empty``."""
        if not records:
            return fmt.t(empty)
        shown = fmt.b(head)
        return "\n".join([shown, *self._capped(list(records), fmt, today, used=len(shown))])

    def open_list(
        self,
        records: Iterable[RequestRecord],
        fmt: Fmt,
        *,
        today: dt.date,
        reconsiderations: Sequence[RequestRecord] = (),
    ) -> str:
        """The open requests, then the rejected ones whose person asked for a
        reconsideration (closed, yet waiting for an officer's ``reopen`` or ``keep``)."""
        _ = self.texts.gettext
        items = list(records)
        lines: list[str] = []
        if items:
            head = self.texts.ngettext(
                "%(count)d open request:", "%(count)d open requests:", len(items)
            )
            lines.append(fmt.b(head % {"count": len(items)}))
            lines += self._capped(items, fmt, today, used=_length(lines))
        elif not reconsiderations:
            return fmt.t(_("No open requests."))
        else:
            lines.append(fmt.t(_("No open requests.")))
        if reconsiderations:
            asked = self.texts.ngettext(
                "%(count)d rejected request whose person asks for it to be reconsidered (answer with reopen or keep):",
                "%(count)d rejected requests whose people ask for them to be reconsidered (answer with reopen or keep):",
                len(reconsiderations),
            )
            lines.append(fmt.b(asked % {"count": len(reconsiderations)}))
            lines += self._capped(list(reconsiderations), fmt, today, used=_length(lines))
        return "\n".join(lines)

    def _capped(
        self, items: list[RequestRecord], fmt: Fmt, today: dt.date, *, used: int = 0
    ) -> list[str]:
        """One line per request, at most :data:`MAX_LIST_ITEMS`, and no further than the
        message (``used`` characters so far) can hold; then how many more there are."""
        lines: list[str] = []
        for record in items[:MAX_LIST_ITEMS]:
            line = self.line(record, fmt, today=today)
            used += len(line) + 1
            if used > MAX_LIST_TEXT:
                break
            lines.append(line)
        rest = len(items) - len(lines)
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
        satisfaction: Mapping[str, tuple[float, int]] | None = None,
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
        lines.append(label(fmt, _("Due today"), str(due_today)))
        lines.append(label(fmt, _("Overdue"), str(overdue)))
        if satisfaction is not None:
            lines += SayWords(cast("StaffViews", self)).satisfaction(satisfaction, fmt)
        return "\n".join(lines)


def _length(lines: list[str]) -> int:
    return sum(len(line) + 1 for line in lines)
