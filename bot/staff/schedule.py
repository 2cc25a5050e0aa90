"""The staff group's clock: a daily digest at 08:00 Riyadh time (after an outage across
08:00, at the first tick later that day, logged as late; a deployment's first digest only
until 10:00; one line when there is nothing to count), the weekly report on
Sundays at the same hour (:mod:`bot.staff.weekly`), a reminder when a request has one
working day left, an escalation when it is overdue.

Every worker runs :func:`run_schedule`; a Redis key per tick slot lets one of them do
each tick, and the work itself is idempotent (the digest's outbox ``dedupe_key``, the
compare-and-set stamps on requests), so a slow tick overlapping the next one, or two
workers on clocks a little apart, still send each message once. Messages go through the
outbox as ``staff_text`` rows; the dispatcher delivers them.

Reminders and escalations go out from 08:00 on working days only: a warning at midnight
or on a Friday would be read on the next working morning anyway, under newer ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable, Collection, Sequence
from typing import TYPE_CHECKING, Final, Protocol

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import utcnow
from bot.media_store import MediaStore
from bot.settings import Settings, holidays_of
from bot.staff.reports import DueItem, StaffReports
from bot.staff.say_words import SayWords
from bot.staff.views import HTML, Fmt, StaffViews, mention
from bot.staff.weekly import WeeklyReport
from conversations.formatting import format_due_date, format_gregorian
from conversations.i18n import DEFAULT_LOCALE
from domain.catalogue import Catalogue, load_catalogue
from domain.sla import RIYADH, is_working_day
from domain.status import RequestStatus
from officers.digest import daily_digest
from officers.report_figures import DIGEST_OVERDUE, DigestFigures, digest_figures
from officers.staff_warnings import warn

if TYPE_CHECKING:
    from aiogram import Bot, Dispatcher

    from bot.staff.desk import StaffDesk
    from bot.staff.group import Kick

log = logging.getLogger(__name__)

DIGEST_AT: Final = dt.time(8, 0)
#: A digest queued after this time of the day is late: a worker (or every worker) was down
#: at 08:00, and the digest is queued at the first tick after, however late in the day, with
#: a log line saying so. Until session 10 it was dropped after 10:00, so an outage across the
#: morning left the group without a digest that day and the logs without a word of it. A
#: missed day is not sent the next day: that day's digest counts from the last one queued.
DIGEST_LATE_AFTER: Final = dt.time(8, 10)
#: A deployment that has never queued a digest (a first install, a staging copy) queues its
#: first one only until this time: the fresh-clone tester saw an all-zero digest as soon as
#: a worker first started in the afternoon, and the catch-up above then logged an outage
#: that never was (review 10, item 5). Nothing was missed, so nothing is caught up.
DIGEST_FIRST_UNTIL: Final = dt.time(10, 0)
TICK_S: Final = 30.0
_TICK_KEY: Final = "tawasul:staff:schedule:tick:{slot}"


class ScheduleServices(Protocol):
    """What the schedule needs of :class:`bot.app.Services`."""

    settings: Settings
    redis: Redis
    sessions: async_sessionmaker[AsyncSession]


class StaffSchedule:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        redis: Redis,
        catalogue: Catalogue,
        *,
        holidays: Collection[dt.date] | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
        locale: str = DEFAULT_LOCALE,
        tick_s: float = TICK_S,
        weekly: bool = True,
        media: MediaStore | None = None,
    ) -> None:
        self._redis = redis
        self._clock = clock
        self._holidays = holidays
        self._tick_s = tick_s
        self.reports = StaffReports(sessions, holidays=holidays, clock=clock)
        self.views = StaffViews(catalogue, locale=locale, holidays=holidays)
        # TAWASUL_WEEKLY_REPORT: off, no Sunday report (the digest and warnings stay)
        # ``media``: where the report's chart is kept, drawn when queued (without it, when sent)
        self.weekly = WeeklyReport(sessions, self.views, media) if weekly else None

    async def tick(self) -> bool:
        """One round; False when it is not time yet or another worker has this slot."""
        now = self._clock()
        local = now.astimezone(RIYADH)
        if local.time() < DIGEST_AT:
            return False
        slot = int(now.timestamp() // self._tick_s)
        # the key outlives its slot so a worker whose clock lags a little still sees it
        claimed = await self._redis.set(
            _TICK_KEY.format(slot=slot), b"1", nx=True, ex=max(1, int(self._tick_s * 4))
        )
        if not claimed:
            return False
        today = local.date()
        await self._digest_when_due(today, now, local.time())
        if self.weekly is not None:
            await self.weekly.tick(now)
        if is_working_day(today, self._holidays):
            await self.warnings(today)
        return True

    # ---- the digest -------------------------------------------------------------------

    async def _digest_when_due(self, today: dt.date, now: dt.datetime, time: dt.time) -> None:
        """Today's digest at 08:00; later in the day only when it is due: a deployment that
        has queued digests before catches up (and logs it as late), a new one (no digest
        ever queued) only until DIGEST_FIRST_UNTIL."""
        if time < DIGEST_LATE_AFTER:
            await self.digest(today, now)
            return
        if await self.reports.digest_queued(today):
            return
        if await self.reports.previous_digest_at(today) is None:
            if time < DIGEST_FIRST_UNTIL:
                await self.digest(today, now)  # the first ever: nothing was missed
            return
        if await self.digest(today, now):
            log.warning(
                "the digest for %s was queued late, at %s Riyadh time (due at %s): "
                "no worker ticked in time (stopped or restarted across the morning?)",
                today,
                time.strftime("%H:%M"),
                DIGEST_AT.strftime("%H:%M"),
            )

    async def digest(self, today: dt.date, now: dt.datetime) -> bool:
        """Queues today's digest unless it is already queued; True when this call did
        (:func:`officers.digest.daily_digest`)."""
        department_of = self.views.department_of
        return await daily_digest(self.reports, today, now, department_of, self.render_figures)

    def render_digest(
        self,
        today: dt.date,
        *,
        new: Sequence[tuple[str, str]],
        open_: Sequence[tuple[str, str, RequestStatus, dt.date]],
        decided: Sequence[tuple[str, RequestStatus]],
        waiting: int = 0,
        rated: Sequence[tuple[str, int]] = (),
    ) -> str:
        """The digest's text from what it counts
        (:func:`officers.report_figures.digest_figures`)."""
        figures = digest_figures(
            today,
            new=new,
            open_=open_,
            decided=decided,
            waiting=waiting,
            rated=rated,
            department_of=self.views.department_of,
        )
        return self.render_figures(today, figures)

    def render_figures(self, today: dt.date, figures: DigestFigures) -> str:
        """The digest's text, HTML for the staff group (every label escaped)."""
        views, fmt = self.views, HTML
        _ = views.texts.gettext
        date = format_due_date(today, views.locale)
        if _nothing(figures):
            # one line, not a column of zeros: the group still sees the bot is at work
            return fmt.t(
                _(
                    "Daily digest: %(date)s — nothing to report: no request is open or new, and none was decided yesterday."
                )
                % {"date": date}
            )
        lines = [
            fmt.b(_("Daily digest: %(date)s") % {"date": date}),
            _count(fmt, _("New since the last digest"), figures.new),
            _count(fmt, _("Open"), figures.open),
            _count(fmt, _("Due today"), figures.due_today),
            _count(fmt, _("Overdue"), len(figures.overdue)),
            fmt.t(
                _("Decided yesterday: %(total)d (accepted %(accepted)d, rejected %(rejected)d)")
                % {
                    "total": figures.accepted + figures.rejected,
                    "accepted": figures.accepted,
                    "rejected": figures.rejected,
                }
            ),
        ]
        if figures.waiting:
            # WhatsApp notifications held until the person writes (no template configured)
            lines.append(
                _count(fmt, _("Notifications waiting for the person to write"), figures.waiting)
            )
        if figures.per_department:
            lines.append(fmt.b(_("By department:")))
            for department, counts in figures.per_department.items():
                lines.append(
                    fmt.t(
                        "• "
                        + _(
                            "%(department)s: open %(open)d, new %(new)d, due today %(due)d, "
                            "overdue %(overdue)d, decided yesterday %(decided)d"
                        )
                        % {"department": views.department(department), **counts}
                    )
                )
        if figures.satisfaction:
            # the ratings given since the last digest: average and count per department
            since = _("Satisfaction since the last digest, by department (average of 5):")
            lines += SayWords(views).satisfaction(figures.satisfaction, fmt, since)
        if figures.overdue:
            lines.append(fmt.b(_("Overdue requests:")))
            for number, service, due in figures.overdue[:DIGEST_OVERDUE]:
                lines.append(
                    f"• {fmt.code(number)} — {fmt.t(views.service(service))} — "
                    f"{fmt.t(views.days_late(due, today))}"
                )
            if len(figures.overdue) > DIGEST_OVERDUE:
                lines.append(fmt.t(_("…and the rest in /overdue.")))
        return "\n".join(lines)

    # ---- reminders and escalations ----------------------------------------------------

    async def warnings(self, today: dt.date) -> tuple[list[DueItem], list[DueItem]]:
        """Today's reminders and escalations (:func:`officers.staff_warnings.warn`)."""
        return await warn(
            self.reports,
            today,
            holidays=self._holidays,
            reminder=lambda stamped: self.render_reminder(stamped, today),
            escalation=lambda stamped: self.render_escalation(stamped, today),
        )

    def render_reminder(self, items: Sequence[DueItem], today: dt.date) -> str:
        views, fmt = self.views, HTML
        _ = views.texts.gettext
        lines = [fmt.b(_("Reminder: these requests are due within one working day:"))]
        for item in items:
            lines.append(
                f"• {fmt.code(item.number)} — {fmt.t(views.service(item.service_id))} — "
                f"{fmt.t(_('due %(date)s') % {'date': format_gregorian(item.due_date, views.texts)})} — "
                f"{mention(item.assigned_to, item.assigned_name, fmt, views.texts)}"
            )
        return "\n".join(lines)

    def render_escalation(self, items: Sequence[DueItem], today: dt.date) -> str:
        views, fmt = self.views, HTML
        _ = views.texts.gettext
        lines = [fmt.b(_("Escalation: these requests are past their 7-working-day limit:"))]
        for item in items:
            department = views.department(views.department_of(item.service_id))
            lines.append(
                f"• {fmt.code(item.number)} — {fmt.t(views.service(item.service_id))} "
                f"({fmt.t(department)}) — "
                f"{fmt.t(_('due %(date)s') % {'date': format_gregorian(item.due_date, views.texts)})} — "
                f"{fmt.b(views.days_late(item.due_date, today))} — "
                f"{mention(item.assigned_to, item.assigned_name, fmt, views.texts)}"
            )
        return "\n".join(lines)


def _nothing(figures: DigestFigures) -> bool:
    """Whether the digest would show nothing but zeros: no request open, new, due,
    overdue or decided yesterday, no notification waiting and no rating to report (a
    fresh installation, the fresh-clone tester's column of zeros)."""
    return not (
        figures.satisfaction
        or figures.new
        or figures.open
        or figures.due_today
        or figures.overdue
        or figures.accepted
        or figures.rejected
        or figures.waiting
    )


def _count(fmt: Fmt, label: str, count: int) -> str:
    return f"{fmt.b(label + ':')} {count}"


async def run_schedule(
    services: ScheduleServices,
    stop: asyncio.Event,
    clock: Callable[[], dt.datetime] = utcnow,
    *,
    tick_s: float = TICK_S,
    locale: str = DEFAULT_LOCALE,
) -> None:
    """Ticks every ``tick_s`` seconds until ``stop`` is set. A failing tick is logged and
    the next one tries again: the schedule must outlive a database or Redis hiccup."""
    schedule = StaffSchedule(
        services.sessions,
        services.redis,
        load_catalogue(),
        holidays=holidays_of(services.settings),
        clock=clock,
        locale=locale,
        tick_s=tick_s,
        weekly=services.settings.weekly_report,
        media=MediaStore(services.settings.data_dir),
    )
    while not stop.is_set():
        try:
            await schedule.tick()
        except Exception:
            log.exception("staff schedule tick failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), tick_s)


class StaffServices(ScheduleServices, Protocol):
    desk: StaffDesk


#: How often a worker with a bot closes the staff prompts past their deadline.
PROMPT_SWEEP_S: Final = 60.0


class PromptSweeper(Protocol):
    """What closes expired prompts (:meth:`bot.staff.prompt_memory.PromptMemory.sweep_expired`)."""

    async def sweep_expired(self, bot: Bot, *, now_ms: int | None = None) -> int: ...


async def sweep_prompts(
    sweeper: PromptSweeper, bot: Bot, stop: asyncio.Event, *, every_s: float = PROMPT_SWEEP_S
) -> None:
    """Closes the staff prompts nobody answered in time, every ``every_s`` seconds until
    ``stop``; a failing round is logged and the next one tries again."""
    while not stop.is_set():
        try:
            await sweeper.sweep_expired(bot)
        except Exception:
            log.exception("staff prompt sweep failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)


@contextlib.asynccontextmanager
async def staff_running(
    services: StaffServices,
    dispatcher: Dispatcher,
    kick: Kick,
    *,
    clock: Callable[[], dt.datetime] = utcnow,
    bot: Bot | None = None,
) -> AsyncIterator[None]:
    """For ``tawasul run``: puts the staff group's router into the Telegram dispatcher and
    keeps the schedule ticking in the background (on ``clock``) until the block ends; with
    ``bot``, also closes the prompts nobody answered in time (:func:`sweep_prompts`).
    Without ``TAWASUL_STAFF_CHAT_ID`` there is no staff group: nothing is added."""
    from bot.staff.router import staff_into

    settings = services.settings
    if settings.staff_chat_id is None:
        log.warning("TAWASUL_STAFF_CHAT_ID is not set: no staff group, no digest")
        yield
        return
    handlers = staff_into(dispatcher, services.desk, settings, services.redis, kick)
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    if bot is not None:
        tasks.append(asyncio.create_task(sweep_prompts(handlers, bot, stop), name="staff-prompts"))
    if settings.staff_schedule:
        tasks.append(
            asyncio.create_task(run_schedule(services, stop, clock), name="staff-schedule")
        )
    else:
        log.info("TAWASUL_STAFF_SCHEDULE is off: no digest or reminders from this process")
    try:
        yield
    finally:
        stop.set()
        for task in tasks:
            await task
