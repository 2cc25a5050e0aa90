"""The weekly report (issue 14, "Reports people look at"): every Sunday from 08:00 Riyadh
time, the directorate's week being Sunday to Saturday, a summary of the week just ended in
the staff group, followed by its chart: requests received and decided per day, the share
decided within 7 working days per department, the oldest open requests, and the week's
satisfaction ratings when there are any.

The chart is drawn when the report is queued and kept in the media store; the row also
carries its numbers and words, so a delivery that does not find the file draws it again.

Once: the report is one ``staff_text`` outbox row whose ``dedupe_key`` is ``weekly:<the
Sunday>`` (unique in SQL), looked for before anything is read and relied on when two
workers get past the schedule's Redis tick key at once; the outbox delivers it, text then
chart, with retries, whatever happens to the worker that queued it.

Late: a worker that was down at 08:00 queues the report at its first tick later that
Sunday (the figures are the same: the week ended on Saturday). From Monday on a missed
report is not sent: it would arrive next to the daily digest of a new week, and the
/stats chart covers the same ground on demand. A Sunday that is a holiday gets its report
at 08:00 like any Sunday (it waits in the group for the next working morning, as the
daily digest does); reminders and escalations keep to working days.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass, replace
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import OutboxMessage, Request
from bot.media_store import MediaStore
from bot.outbox.queue import STAFF
from bot.staff.chart import draw_stats_chart
from bot.staff.chart_data import OLDEST, ChartData, load_chart_data
from bot.staff.chart_payload import chart_to_payload
from bot.staff.their_say import by_department
from bot.staff.views import HTML, StaffViews
from conversations.formatting import format_gregorian
from domain.sla import RIYADH, riyadh_date
from domain.status import FINAL, RequestStatus
from officers.charts import PAST_WEEK, ChartTexts, chart_texts

log = logging.getLogger(__name__)

#: When on Sunday the report is due (Riyadh time), as the daily digest.
WEEKLY_AT: Final = dt.time(8, 0)
WEEKLY_KEY_PREFIX: Final = "weekly:"
_SUNDAY: Final = 6  # date.weekday()
_OPEN: Final = [s.value for s in RequestStatus if s not in FINAL]


def weekly_key(sunday: dt.date) -> str:
    """The outbox ``dedupe_key`` of the report sent on ``sunday``."""
    return f"{WEEKLY_KEY_PREFIX}{sunday.isoformat()}"


def report_day(now: dt.datetime) -> dt.date | None:
    """The Sunday whose report is due at ``now`` (aware): that Sunday from 08:00 Riyadh
    time to its end; None at any other time (see the module's note on late reports)."""
    local = now.astimezone(RIYADH)
    if local.weekday() != _SUNDAY or local.time() < WEEKLY_AT:
        return None
    return local.date()


def week_before(sunday: dt.date) -> tuple[dt.date, dt.date]:
    """The Sunday and the Saturday of the week that ended the day before ``sunday``."""
    return sunday - dt.timedelta(days=7), sunday - dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class WeekFigures:
    """What the report says. ``chart`` covers the week's seven days (its ``oldest`` aged
    to the report's Sunday, its ``satisfaction`` the ratings given during the week);
    ``oldest`` the same requests as (number, service id, days since filed); ``open_now``
    and ``overdue_now`` count on the report's Sunday (overdue: past the due date and not
    waiting for the person)."""

    sunday: dt.date
    chart: ChartData
    oldest: list[tuple[str, str, int]]
    open_now: int
    overdue_now: int


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
        call did."""
        sunday = report_day(now)
        if sunday is None or await self.queued(sunday):
            return False
        figures = await self.figures(sunday)
        texts = self.chart_texts(figures)
        chart = chart_to_payload(figures.chart, texts)
        if self._media is not None:
            # drawn here, in the schedule's background task, so the delivery only uploads
            # it (drawing takes seconds the staff group's other messages would wait)
            png = await self.draw(figures.chart, texts)
            if png is not None:
                chart["png"] = await asyncio.to_thread(self._media.save, png)
        return await self.queue(sunday, self.render(figures), chart)

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
        first, last = week_before(sunday)
        start = dt.datetime.combine(first, dt.time(), RIYADH)
        end = dt.datetime.combine(sunday, dt.time(), RIYADH)
        catalogue = self.views.catalogue
        async with self._sessions() as session:
            chart = await load_chart_data(session, catalogue, last, days=7, as_of=sunday)
            rated = await session.execute(
                select(Request.service_id, Request.satisfaction).where(
                    Request.satisfaction.is_not(None),
                    Request.satisfaction_at >= start,
                    Request.satisfaction_at < end,
                )
            )
            week_ratings = [(service, int(rating or 0)) for service, rating in rated]
            open_rows = list(
                await session.execute(
                    select(Request.number, Request.service_id, Request.submitted_at)
                    .where(Request.status.in_(_OPEN))
                    .order_by(Request.submitted_at, Request.id)
                )
            )
            overdue = await session.scalars(
                select(Request.id).where(
                    Request.status.in_(_OPEN),
                    Request.status != RequestStatus.NEEDS_INFO.value,
                    Request.due_date < sunday,
                )
            )
            overdue_now = len(list(overdue))
        satisfaction = by_department(week_ratings, lambda s: catalogue.get(s).department)
        return WeekFigures(
            sunday=sunday,
            chart=replace(chart, satisfaction=dict(sorted(satisfaction.items()))),
            oldest=[
                (number, service, (sunday - riyadh_date(at)).days)
                for number, service, at in open_rows[:OLDEST]
            ],
            open_now=len(open_rows),
            overdue_now=overdue_now,
        )

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
