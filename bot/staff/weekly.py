"""The weekly report on SQL and in the staff group (issue 14): :class:`WeeklyReport` reads
the week through :class:`SqlWeekSource` for the use case :func:`officers.weekly.week_figures`
(what the report holds, and when it is due: :func:`officers.weekly.report_day`), words it
in HTML for the group, draws its chart and queues both.

The chart is drawn when the report is queued and kept in the media store; the row also
carries its numbers and words, so a delivery that does not find the file draws it again.

Once: the report is one ``staff_text`` outbox row whose ``dedupe_key`` is ``weekly:<the
Sunday>`` (unique in SQL), looked for before anything is read and relied on when two
workers get past the schedule's Redis tick key at once; the outbox delivers it, text then
chart, with retries, whatever happens to the worker that queued it. A Sunday that is a
holiday gets its report at 08:00 like any Sunday (it waits in the group for the next
working morning, as the daily digest does); reminders and escalations keep to working days.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import OutboxMessage, Request
from bot.media_store import MediaStore
from bot.outbox.queue import STAFF
from bot.staff.chart import draw_stats_chart
from bot.staff.chart_data import load_chart_data
from bot.staff.chart_payload import chart_to_payload
from bot.staff.views import HTML, StaffViews
from conversations.formatting import format_gregorian
from domain.catalogue import Catalogue
from domain.status import FINAL, RequestStatus
from officers.charts import PAST_WEEK, ChartTexts, chart_texts
from officers.report_figures import ChartData
from officers.weekly import WEEKLY_AT as WEEKLY_AT
from officers.weekly import WeekFigures as WeekFigures
from officers.weekly import report_day as report_day
from officers.weekly import week_before as week_before
from officers.weekly import week_figures, weekly_report

log = logging.getLogger(__name__)

WEEKLY_KEY_PREFIX: Final = "weekly:"
_OPEN: Final = [s.value for s in RequestStatus if s not in FINAL]


def weekly_key(sunday: dt.date) -> str:
    """The outbox ``dedupe_key`` of the report sent on ``sunday``."""
    return f"{WEEKLY_KEY_PREFIX}{sunday.isoformat()}"


class SqlWeekSource:
    """The week's reads (:class:`officers.weekly.WeekSource`) on ``sessions``, in one
    session per report."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], catalogue: Catalogue) -> None:
        self._sessions = sessions
        self._catalogue = catalogue

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[SqlWeekReads]:
        async with self._sessions() as session:
            yield SqlWeekReads(session, self._catalogue)


class SqlWeekReads:
    """:class:`officers.weekly.WeekReads` in one SQL session."""

    def __init__(self, session: AsyncSession, catalogue: Catalogue) -> None:
        self._session = session
        self._catalogue = catalogue

    async def chart(self, last: dt.date, days: int, *, as_of: dt.date) -> ChartData:
        return await load_chart_data(self._session, self._catalogue, last, days=days, as_of=as_of)

    async def ratings(self, start: dt.datetime, end: dt.datetime) -> list[tuple[str, int]]:
        rated = await self._session.execute(
            select(Request.service_id, Request.satisfaction).where(
                Request.satisfaction.is_not(None),
                Request.satisfaction_at >= start,
                Request.satisfaction_at < end,
            )
        )
        return [(service, int(rating or 0)) for service, rating in rated]

    async def open_filed(self) -> list[tuple[str, str, dt.datetime]]:
        rows = await self._session.execute(
            select(Request.number, Request.service_id, Request.submitted_at)
            .where(Request.status.in_(_OPEN))
            .order_by(Request.submitted_at, Request.id)
        )
        return [(number, service, at) for number, service, at in rows]

    async def overdue(self, day: dt.date) -> int:
        overdue = await self._session.scalars(
            select(Request.id).where(
                Request.status.in_(_OPEN),
                Request.status != RequestStatus.NEEDS_INFO.value,
                Request.due_date < day,
            )
        )
        return len(list(overdue))


class WeeklyReport:
    """Reads the week from SQL and queues its report; :meth:`tick` is called by the staff
    schedule on each of its ticks."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        views: StaffViews,
        media: MediaStore | None = None,
    ) -> None:
        self._sessions = sessions
        self.views = views
        self._media = media

    async def tick(self, now: dt.datetime) -> bool:
        """Queues the report due at ``now`` unless it is queued already; True when this
        call did (:func:`officers.weekly.weekly_report`)."""
        catalogue = self.views.catalogue
        return await weekly_report(
            self.queued,
            SqlWeekSource(self._sessions, catalogue),
            now,
            lambda s: catalogue.get(s).department,
            self.send,
        )

    async def send(self, figures: WeekFigures) -> bool:
        """Words the report, draws its chart (when there is a media store) and queues
        both, unless that Sunday's is queued already; True when this call did."""
        texts = self.chart_texts(figures)
        chart = chart_to_payload(figures.chart, texts)
        if self._media is not None:
            # drawn here, in the schedule's background task, so the delivery only uploads
            # it (drawing takes seconds the staff group's other messages would wait)
            png = await self.draw(figures.chart, texts)
            if png is not None:
                chart["png"] = await asyncio.to_thread(self._media.save, png)
        return await self.queue(figures.sunday, self.render(figures), chart)

    async def draw(self, chart: ChartData, texts: ChartTexts) -> bytes | None:
        """The chart's PNG, drawn off the event loop; None (one warning) when it cannot be:
        the delivery then tries again from the row's numbers."""
        try:
            return await asyncio.to_thread(draw_stats_chart, chart, texts)
        except Exception as exc:
            log.warning("the weekly chart was not drawn: %s: %s", type(exc).__name__, exc)
            return None

    async def queued(self, sunday: dt.date) -> bool:
        async with self._sessions() as session:
            found = await session.scalar(
                select(OutboxMessage.id).where(OutboxMessage.dedupe_key == weekly_key(sunday))
            )
            return found is not None

    async def figures(self, sunday: dt.date) -> WeekFigures:
        """See :func:`officers.weekly.week_figures`."""
        catalogue = self.views.catalogue
        source = SqlWeekSource(self._sessions, catalogue)
        return await week_figures(source, sunday, lambda s: catalogue.get(s).department)

    # ---- the words --------------------------------------------------------------------

    def render(self, figures: WeekFigures) -> str:
        """The report's text, HTML for the staff group (every label escaped)."""
        views, fmt = self.views, HTML
        _, ngettext = views.texts.gettext, views.texts.ngettext
        first, last = week_before(figures.sunday)
        chart = figures.chart
        decided = sum(chart.decided)
        on_time = sum(good for good, _total in chart.on_time.values())
        lines = [
            fmt.b(
                _("Weekly report: %(first)s to %(last)s")
                % {
                    "first": format_gregorian(first, views.texts),
                    "last": format_gregorian(last, views.texts),
                }
            ),
            f"{fmt.b(_('Requests received') + ':')} {sum(chart.received)}",
            f"{fmt.b(_('Requests decided') + ':')} {decided}",
        ]
        if decided:
            lines.append(
                fmt.t(
                    _("Decided within 7 working days: %(share)d%% (%(good)d of %(total)d)")
                    % {"share": round(100 * on_time / decided), "good": on_time, "total": decided}
                )
            )
        lines.append(
            fmt.t(
                _("Open now: %(open)d, of which overdue: %(overdue)d")
                % {"open": figures.open_now, "overdue": figures.overdue_now}
            )
        )
        if chart.on_time:
            lines.append(fmt.b(_("Decided within 7 working days, by department")))
            for department, (good, total) in chart.on_time.items():
                lines.append(
                    fmt.t(
                        "• "
                        + _("%(department)s: %(share)d%% (%(good)d of %(total)d)")
                        % {
                            "department": views.department(department),
                            "share": round(100 * good / total),
                            "good": good,
                            "total": total,
                        }
                    )
                )
        if figures.oldest:
            lines.append(fmt.b(_("The oldest open requests")))
            for number, service, days in figures.oldest:
                age = ngettext("%(count)d day since filed", "%(count)d days since filed", days) % {
                    "count": days
                }
                lines.append(
                    f"• {fmt.code(number)} — {fmt.t(views.service(service))} — {fmt.t(age)}"
                )
        if chart.satisfaction:
            lines.append(fmt.b(_("Satisfaction this week, by department (average of 5):")))
            for department, (average, count) in chart.satisfaction.items():
                lines.append(
                    fmt.t(
                        "• "
                        + ngettext(
                            "%(department)s: %(average).1f (%(count)d rating)",
                            "%(department)s: %(average).1f (%(count)d ratings)",
                            count,
                        )
                        % {
                            "department": views.department(department),
                            "average": average,
                            "count": count,
                        }
                    )
                )
        return "\n".join(lines)

    def chart_texts(self, figures: WeekFigures) -> ChartTexts:
        """The chart's words, in the report's language (written into the row with it)."""
        views, chart = self.views, figures.chart
        return chart_texts(
            views.texts.gettext,
            PAST_WEEK,
            [*chart.on_time, *chart.satisfaction],
            views.department,
            rtl=views.locale == "ar",
        )

    # ---- the outbox -------------------------------------------------------------------

    async def queue(self, sunday: dt.date, html: str, chart: dict[str, Any]) -> bool:
        """Queues ``sunday``'s report unless one is already queued; True when this call
        did. ``chart`` travels as numbers and words (:func:`chart_to_payload`)."""
        try:
            async with self._sessions() as session, session.begin():
                await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
                session.add(
                    OutboxMessage(
                        kind="staff_text",
                        channel=STAFF,
                        target=STAFF,
                        payload={"html": html, "chart": chart},
                        dedupe_key=weekly_key(sunday),
                    )
                )
        except IntegrityError:
            log.info("weekly report for %s already queued by another worker", sunday)
            return False
        log.info("weekly report for %s queued", sunday)
        return True
