"""``tawasul staff export``: the requests filed in a range of (Riyadh) days and their
decisions, as CSV for a spreadsheet.

UTF-8 with a byte-order mark, so Excel opens the Arabic correctly. It is for people: the
headers and every value a person reads (status, applicant, channel, identity type, who
decided, yes/no) are in the officer's ``--lang``, never the ids the database stores;
there is no machine-readable variant. Without
``--with-personal-data`` no identity, establishment or phone number is written (issue 14);
with it they are, and the export is recorded in the audit log. A number the retention
deleted reads «(محذوف)» («(deleted)»), in the export's language, never the database's
placeholder. Every export is recorded
there (who, when, which days, whether with personal data, where to), never the data itself.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, TextIO

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from bot.db.models import AuditEntry, Request
from bot.db.retention import REDACTED
from bot.staff.actors import actor_name
from bot.staff.views import APPLICANT_LABELS, CHANNEL_LABELS, IDENTITY_LABELS, StaffViews
from conversations.i18n import N_, Texts
from domain.days import InvalidDay, parse_day
from domain.normalize import strip_invisible
from domain.sla import RIYADH
from domain.status import FINAL, RequestStatus
from officers.officer import Officer

#: Excel reads a CSV as UTF-8 only when it starts with this
BOM: Final = "\ufeff"
_BATCH: Final = 500

COLUMNS: Final = (
    N_("Request number"),
    N_("Service"),
    N_("Department"),
    N_("Applicant"),
    N_("Channel"),
    N_("Status"),
    N_("Filed at (Riyadh)"),
    N_("Reply due by"),
    N_("Decided at (Riyadh)"),
    N_("Decided by"),
    N_("Reason"),
    N_("Decided within the 7 working days"),
    N_("Satisfaction (1-5)"),
)
#: A cell names the channel on its own, not inside a sentence as the request card does
#: («the terminal»), so the terminal has its own label here.
_CHANNEL_CELLS: Final = {**CHANNEL_LABELS, "console": N_("Terminal")}
PERSONAL_COLUMNS: Final = (
    N_("Identity number"),
    N_("Identity type"),
    N_("Establishment number"),
    N_("Mobile number"),
    N_("Mobile verified"),
)


@dataclass(frozen=True)
class ExportRange:
    """The Riyadh days ``first`` to ``last``, both included; raises ValueError when
    ``last`` is before ``first``."""

    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("the last day is before the first")

    def instants(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) in UTC."""
        start = dt.datetime.combine(self.first, dt.time(), RIYADH)
        end = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), RIYADH)
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


#: The days shown as an example when the officer's are missing or wrong (the form matters,
#: not the days).
EXAMPLE_FIRST: Final = "2026-12-01"
EXAMPLE_LAST: Final = "2026-12-31"


def read_days(first: str | None, last: str | None, texts: Texts) -> ExportRange | str:
    """The Riyadh days typed after ``--from`` and ``--to`` (year-month-day, any digits:
    :func:`domain.days.parse_day`), or the one line, in ``texts``' language, that says
    what is wrong: which option, what was typed, the form expected and an example. Found
    by the review of session 10: a wrong day got «YYYY-MM-DD (السنة-الشهر-اليوم)» mixed
    into an Arabic line (a terminal reorders it), and a line for each wrong day or two
    lines for a missing one."""
    _ = texts.gettext
    example = {"example_first": EXAMPLE_FIRST, "example_last": EXAMPLE_LAST}
    if not first or not last:
        return _(
            "Please give both days, year-month-day, for example: --from %(example_first)s --to %(example_last)s"
        ) % example  # fmt: skip
    days = []
    for option, text, shown in (("--from", first, EXAMPLE_FIRST), ("--to", last, EXAMPLE_LAST)):
        try:
            days.append(parse_day(text))
        except InvalidDay as exc:
            if exc.reason == "calendar":
                problem = _(
                    "The day «%(text)s» after %(option)s is not in the calendar (please check the month and the day); for example: %(option)s %(example)s"
                )
            else:
                problem = _(
                    "The day «%(text)s» after %(option)s is not written year-month-day; for example: %(option)s %(example)s"
                )
            typed = strip_invisible(text)
            return problem % {"text": typed, "option": option, "example": shown}  # fmt: skip
    try:
        return ExportRange(days[0], days[1])
    except ValueError:
        return _(
            "The last day (%(last)s) is before the first (%(first)s); for example: --from %(example_first)s --to %(example_last)s"
        ) % {"first": days[0].isoformat(), "last": days[1].isoformat(), **example}  # fmt: skip


async def _requests(
    sessions: async_sessionmaker[AsyncSession], days: ExportRange
) -> AsyncIterator[Request]:
    start, end = days.instants()
    query = (
        select(Request)
        .where(Request.submitted_at >= start, Request.submitted_at < end)
        .order_by(Request.submitted_at, Request.id)
        .options(selectinload(Request.events))
        .execution_options(yield_per=_BATCH)
    )
    async with sessions() as session:
        async for request in await session.stream_scalars(query):
            yield request


def _local(moment: dt.datetime | None) -> str:
    return moment.astimezone(RIYADH).strftime("%Y-%m-%d %H:%M") if moment else ""


def _row(request: Request, views: StaffViews, personal: bool) -> list[str]:
    _ = views.texts.gettext
    status = RequestStatus(request.status)
    decision = None
    if status in FINAL:
        # the event that made the current decision (a reconsidered request: the last one)
        moves = [e for e in request.events if e.kind is None and e.to_status == request.status]
        decision = moves[-1] if moves else None
    decided_at = decision.at if decision else None
    within = ""
    if decided_at is not None:
        within = _("yes") if decided_at.astimezone(RIYADH).date() <= request.due_date else _("no")
    row = [
        request.number,
        views.service(request.service_id),
        views.department(views.department_of(request.service_id))
        if _known(views, request.service_id)
        else "",
        _(APPLICANT_LABELS.get(request.applicant_kind, request.applicant_kind)),
        _label(_CHANNEL_CELLS, request.channel, views),
        views.status(status),
        _local(request.submitted_at),
        request.due_date.isoformat(),
        _local(decided_at),
        actor_name(decision.actor, views.texts) if decision else "",
        (request.decision_reason or "") if status is RequestStatus.REJECTED else "",
        within,
        str(request.satisfaction) if request.satisfaction else "",
    ]
    if personal:
        row += [
            _shown(request.identity_number, views),
            _label(IDENTITY_LABELS, request.identity_kind, views),
            _shown(request.establishment_number or "", views),
            _shown(request.phone, views),
            _("yes") if request.phone_verified else _("no"),
        ]
    return [_safe(cell) for cell in row]


def _shown(value: str, views: StaffViews) -> str:
    """A number as the officer reads it: one the retention deleted (the database keeps
    bot.db.retention.REDACTED, an English «[redacted]») is «(محذوف)» in the export's
    language, as on the card (bot.staff.views). Found by the review of session 10."""
    _ = views.texts.gettext
    return _("(deleted)") if value == REDACTED else value


def _label(labels: Mapping[str, str], value: str, views: StaffViews) -> str:
    # a value stored before its label existed is written as stored rather than dropped
    return views.texts.gettext(labels[value]) if value in labels else value


def _known(views: StaffViews, service_id: str) -> bool:
    try:
        views.catalogue.get(service_id)
    except KeyError:
        return False
    return True


def _safe(cell: str) -> str:
    # A cell a spreadsheet would take for a formula (text the person or an officer typed:
    # a reason, a name) is written as text: the OWASP advice against CSV injection.
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number_like(cell):
        return "'" + cell
    return cell


def _number_like(cell: str) -> bool:
    # the mobile number is written +9665…: a number, not a formula
    return cell[:1] == "+" and cell[1:].isdigit()


async def write_export(
    sessions: async_sessionmaker[AsyncSession],
    views: StaffViews,
    out: TextIO,
    days: ExportRange,
    *,
    officer: Officer,
    personal: bool,
    destination: str,
) -> int:
    """Records the export in the audit log, then writes the header and one row per
    request filed in ``days`` (oldest first) to ``out`` (a text stream; the caller opens
    it with ``newline=""``); returns the number of requests written."""
    async with sessions.begin() as session:
        session.add(
            AuditEntry(
                actor=officer.signature,
                action="export",
                detail={
                    "from": days.first.isoformat(),
                    "to": days.last.isoformat(),
                    "personal_data": personal,
                    "output": destination,
                },
            )
        )
    _ = views.texts.gettext
    header: Sequence[str] = [_(c) for c in COLUMNS]
    if personal:
        header = [*header, *(_(c) for c in PERSONAL_COLUMNS)]
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(header)
    count = 0
    async for request in _requests(sessions, days):
        writer.writerow(_row(request, views, personal))
        count += 1
    return count
