"""The retention job: once a (Riyadh) day one worker redacts the decided requests older
than ``TAWASUL_RETENTION_DAYS`` (see :mod:`bot.db.retention`), and ``tawasul data purge
[--dry-run]`` does it, or shows what it would do, from a terminal."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from typing import Final, TextIO

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.retention import PurgeReport, purge_decided
from bot.media_store import MediaStore
from bot.settings import Settings
from conversations.i18n import DEFAULT_LOCALE, Texts
from domain.sla import RIYADH

log = logging.getLogger(__name__)

#: How often a worker looks whether today's purge was done; one of them does it.
CHECK_EVERY_S: Final = 3600.0
_DAY_KEY: Final = "tawasul:retention:day:{day}"
# the day's key outlives the day, so a worker whose clock is a little behind does not
# take a day already done for a new one
_DAY_KEY_TTL_S: Final = 2 * 24 * 3600


async def purge_once_today(
    redis: Redis,
    sessions: async_sessionmaker[AsyncSession],
    store: MediaStore,
    *,
    now: dt.datetime,
    days: int,
    media_grace: dt.timedelta,
) -> PurgeReport | None:
    """Runs the day's purge unless a worker already took this Riyadh day (None then).
    A purge that fails gives the day back, so the next check tries again."""
    key = _DAY_KEY.format(day=now.astimezone(RIYADH).date().isoformat())
    if not await redis.set(key, "1", nx=True, ex=_DAY_KEY_TTL_S):
        return None
    try:
        return await purge_decided(sessions, store, now=now, days=days, media_grace=media_grace)
    except BaseException:
        with contextlib.suppress(Exception):
            await redis.delete(key)
        raise


async def retention_forever(
    redis: Redis,
    sessions: async_sessionmaker[AsyncSession],
    store: MediaStore,
    stop: asyncio.Event,
    *,
    days: int,
    media_grace: dt.timedelta,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    every_s: float = CHECK_EVERY_S,
) -> None:
    """Every ``every_s`` seconds until ``stop`` is set, does the day's purge if no worker
    has. A failure is logged and tried again at the next check."""
    while not stop.is_set():
        try:
            await purge_once_today(
                redis, sessions, store, now=clock(), days=days, media_grace=media_grace
            )
        except Exception:
            log.exception("retention purge failed; trying again later")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every_s)


async def run_purge(
    settings: Settings, *, dry_run: bool, out: TextIO, locale: str = DEFAULT_LOCALE
) -> None:
    """``tawasul data purge``: redacts now (or, with ``dry_run``, lists what would be),
    whatever the day's job did; prints the counts in ``locale`` and the request numbers.
    Upgrades the schema first, as ``tawasul staff`` does, so a database never served
    yet answers «nothing to redact» rather than a missing table."""
    from bot.db.engine import make_engine, make_sessionmaker
    from bot.db.migrate import upgrade
    from bot.db.startup import prepare_data_dir

    prepare_data_dir(settings.data_dir)
    await upgrade(settings.sqlalchemy_url)
    db = make_engine(settings.sqlalchemy_url)
    try:
        report = await purge_decided(
            make_sessionmaker(db),
            MediaStore(settings.data_dir),
            now=dt.datetime.now(dt.UTC),
            days=settings.retention_days,
            media_grace=dt.timedelta(hours=settings.media_grace_hours),
            dry_run=dry_run,
        )
    finally:
        await db.dispose()
    for line in purge_lines(report, days=settings.retention_days, dry_run=dry_run, locale=locale):
        print(line, file=out)


def purge_lines(report: PurgeReport, *, days: int, dry_run: bool, locale: str) -> list[str]:
    """What ``tawasul data purge`` says about ``report``, in ``locale``: the count, the
    attachments, then one request number a line. Numbers are ASCII digits, as in the other
    terminal commands (an operator copies them into ``tawasul staff show``)."""
    texts = Texts(locale)
    _, ngettext = texts.gettext, texts.ngettext
    count = len(report.numbers)
    period = ngettext("%(days)d day", "%(days)d days", days) % {"days": days}
    if dry_run:
        head = ngettext(
            "%(count)d request decided more than %(period)s ago would have its personal data redacted.",
            "%(count)d requests decided more than %(period)s ago would have their personal data redacted.",
            count,
        )
        files = ngettext(
            "%(count)d attached file would be removed with them.",
            "%(count)d attached files would be removed with them.",
            report.attachments,
        ) % {"count": report.attachments}
    else:
        head = ngettext(
            "%(count)d request decided more than %(period)s ago had its personal data redacted.",
            "%(count)d requests decided more than %(period)s ago had their personal data redacted.",
            count,
        )
        files = _(
            "Attachments removed: %(attachments)d; files deleted from the disk: %(files)d (a file another request still uses is kept)."
        ) % {"attachments": report.attachments, "files": report.files}
    lines = [head % {"count": count, "period": period}]
    if count:
        lines.append(files)
    lines += [f"  {number}" for number in report.numbers]
    if report.blocks and dry_run:
        blocks = ngettext(
            "%(count)d block lifted more than %(period)s ago would have its person and reason redacted.",
            "%(count)d blocks lifted more than %(period)s ago would have their person and reason redacted.",
            report.blocks,
        )
        lines.append(blocks % {"count": report.blocks, "period": period})
    elif report.blocks:
        blocks = ngettext(
            "%(count)d block lifted more than %(period)s ago had its person and reason redacted.",
            "%(count)d blocks lifted more than %(period)s ago had their person and reason redacted.",
            report.blocks,
        )
        lines.append(blocks % {"count": report.blocks, "period": period})
    return lines
