"""The Prometheus metrics ``GET /metrics`` serves (prometheus-client's text format).

Every name starts with ``tawasul_``. Labels are drawn from small fixed sets (channel,
outcome, department, Redis command, SQL statement kind): never a user key, chat id, phone
or identity number, so a scrape holds no personal data and the series count stays bounded.

Under ``tawasul run --workers N`` every worker writes its figures to the supervisor's shared
directory (prometheus-client's multiprocess mode, bot.metrics_shared) and a scrape of any
worker answers the sum of them all. How a gauge adds up is its ``multiprocess_mode``: a
worker's own figure (the webhook queue depth) is summed over the live workers; a figure read
from the shared database (the outbox, the open and overdue requests) is the latest reading of
any worker, not N workers' readings added up.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import values as prometheus_values
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector
from redis.asyncio import Redis
from redis.exceptions import NoScriptError, RedisError
from sqlalchemy import case, event, func, select
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.models import OutboxMessage, Request, utcnow
from bot.metrics_shared import DIR_ENV, reading
from domain.catalogue import Catalogue
from domain.sla import riyadh_date
from domain.status import RequestStatus

#: The process's registry (not prometheus-client's global one, so that importing this
#: module twice in tests or beside another library cannot clash on names).
REGISTRY: Final = CollectorRegistry()

CONTENT_TYPE: Final = CONTENT_TYPE_LATEST


def _counter(name: str, documentation: str, *labels: str) -> Counter:
    """A counter in :data:`REGISTRY`; ``labels`` are the label names (small fixed sets)."""
    return Counter(name, documentation, labels, registry=REGISTRY)


#: How a gauge's figures from several workers add up (prometheus-client's multiprocess
#: modes): "livesum" for what each worker holds (summed over the workers alive),
#: "livemostrecent" for a figure every worker reads from the same database (the last
#: reading, whichever worker made it; summed, N workers would show it N times).
GaugeMode = Literal["livesum", "livemostrecent"]


def _gauge(name: str, documentation: str, *labels: str, mode: GaugeMode) -> Gauge:
    """A gauge in :data:`REGISTRY`; ``labels`` are the label names (small fixed sets),
    `mode` how several workers' figures add up (:data:`GaugeMode`)."""
    return Gauge(name, documentation, labels, registry=REGISTRY, multiprocess_mode=mode)


#: outcome: "ok" (handled), "duplicate" (a redelivery recognised and skipped),
#: "error" (failed on our side; logged by type and place).
UPDATES_HANDLED: Final = _counter(
    "tawasul_updates_handled",
    "Updates (Telegram) and messages/statuses (WhatsApp) taken from a webhook, by outcome.",
    "channel",
    "outcome",
)
#: why: "blocked" (an officer blocked the person), "too_fast" (TAWASUL_MESSAGES_PER_MINUTE),
#: "flood" (a new chat past TAWASUL_NEW_CHATS_LIMIT); see bot.abuse.guard.
INBOUND_REFUSED: Final = _counter(
    "tawasul_inbound_refused",
    "Messages the inbound guard kept from the dialogue before any work, by why.",
    "why",
)
HANDLING_SECONDS: Final = Histogram(
    "tawasul_update_handling_seconds",
    "Time from taking an update off the webhook queue to its replies sent.",
    ["channel"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
WEBHOOK_QUEUE_DEPTH: Final = _gauge(
    "tawasul_webhook_queue_depth",
    "Accepted webhook updates waiting to be handled (in all the workers of the port).",
    "channel",
    mode="livesum",
)
OUTBOX_PENDING: Final = _gauge(
    "tawasul_outbox_pending",
    "Outbox rows (notifications, staff cards) not yet sent.",
    mode="livemostrecent",
)
OUTBOX_OLDEST_AGE: Final = _gauge(
    "tawasul_outbox_oldest_pending_age_seconds",
    "Age of the oldest unsent outbox row (0 when none waits).",
    mode="livemostrecent",
)

CHANNELS: Final = ("telegram", "whatsapp")


async def refresh_outbox(
    sessions: async_sessionmaker[AsyncSession], now: Callable[[], dt.datetime] = utcnow
) -> None:
    """Reads the outbox's unsent rows (count, oldest) into the gauges; done at each scrape
    so every worker reports the shared database's figure. Raises SQLAlchemyError."""
    async with sessions() as session:
        count, oldest = (
            await session.execute(
                select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at)).where(
                    OutboxMessage.sent_at.is_(None)
                )
            )
        ).one()
    OUTBOX_PENDING.set(count)
    if oldest is None:
        OUTBOX_OLDEST_AGE.set(0.0)
        return
    if oldest.tzinfo is None:  # SQLite hands back naive datetimes; they are UTC
        oldest = oldest.replace(tzinfo=dt.UTC)
    OUTBOX_OLDEST_AGE.set(max(0.0, (now() - oldest).total_seconds()))


def shared_dir() -> str | None:
    """The directory of the workers' figures when this process is one of the workers of
    ``tawasul run --workers N`` (its supervisor set ``PROMETHEUS_MULTIPROC_DIR`` before
    prometheus-client was imported: bot.metrics_shared), else None."""
    path = os.environ.get(DIR_ENV)
    multiprocess = getattr(prometheus_values.ValueClass, "_multiprocess", False)
    return path if path and multiprocess else None


def exposition() -> bytes:
    """The figures in the Prometheus text format: this process's registry, or, for a worker
    of ``--workers N``, every worker's figures added up (:func:`shared_dir`), so that a
    scrape of the port reads the same totals whichever worker answers it."""
    path = shared_dir()
    if path is None:
        return generate_latest(REGISTRY)
    everyone = CollectorRegistry()
    MultiProcessCollector(everyone, path)  # type: ignore[no-untyped-call]
    with reading(path):  # no dead worker's files folded meanwhile (bot.metrics_shared)
        return generate_latest(everyone)


async def report_depths(depths: Mapping[str, Callable[[], int]], every_s: float = 1.0) -> None:
    """Sets :data:`WEBHOOK_QUEUE_DEPTH` from `depths` (channel -> this process's queue
    depth now) every `every_s` seconds, for ever: a worker's depth is read from its file by
    whichever worker is scraped, so it must be kept current without a scrape of its own."""
    while True:
        for channel in CHANNELS:
            depth = depths.get(channel)
            WEBHOOK_QUEUE_DEPTH.labels(channel).set(depth() if depth else 0)
        await asyncio.sleep(every_s)


# ---------------------------------------------------------------- errors and limits

REDIS_ERRORS: Final = _counter(
    "tawasul_redis_errors",
    "Redis commands that failed (connection lost, timeout, refused), by command.",
    "operation",
)
SQL_ERRORS: Final = _counter(
    "tawasul_sql_errors",
    "SQL statements that failed, by kind (select, insert, update, delete, connect, other).",
    "operation",
)
RATE_LIMITED: Final = _counter(
    "tawasul_rate_limited",
    "Rate-limit refusals received from a platform (Telegram's 429, WhatsApp's throttling).",
    "channel",
)

_SQL_KINDS: Final = frozenset({"select", "insert", "update", "delete", "begin", "commit"})


def watch_redis(redis: Redis) -> None:
    """Counts the failures of every command `redis` sends, pipelines and scripts included,
    in :data:`REDIS_ERRORS`. redis-py has no hook for failed commands, so the client's own
    two entry points are wrapped (on this instance only). NOSCRIPT is not counted: the
    client answers it itself by loading the script."""
    if getattr(redis, "_tawasul_watched", False):
        return
    command: Callable[..., Any] = redis.execute_command
    pipeline: Callable[..., Any] = redis.pipeline

    async def execute_command(*args: Any, **options: Any) -> Any:
        try:
            return await command(*args, **options)
        except NoScriptError:
            raise
        except RedisError:
            REDIS_ERRORS.labels(str(args[0]).split(" ", 1)[0].upper() if args else "?").inc()
            raise

    def watched_pipeline(*args: Any, **kwargs: Any) -> Any:
        pipe = pipeline(*args, **kwargs)
        execute = pipe.execute

        async def execute_pipeline(*a: Any, **k: Any) -> Any:
            try:
                return await execute(*a, **k)
            except RedisError:
                REDIS_ERRORS.labels("PIPELINE").inc()
                raise

        pipe.execute = execute_pipeline
        return pipe

    redis.execute_command = execute_command  # type: ignore[method-assign]
    redis.pipeline = watched_pipeline  # type: ignore[method-assign]
    redis.__dict__["_tawasul_watched"] = True


def watch_sql(engine: AsyncEngine) -> None:
    """Counts every failed statement of `engine` in :data:`SQL_ERRORS`, by its first word
    (SQLAlchemy's ``handle_error`` event sees them all, the pool's connects included)."""

    def on_error(context: ExceptionContext) -> None:
        statement = (context.statement or "").lstrip()
        word = statement.split(None, 1)[0].lower() if statement else "connect"
        SQL_ERRORS.labels(word if word in _SQL_KINDS else "other").inc()

    event.listen(engine.sync_engine, "handle_error", on_error)


# ------------------------------------------------------------- requests by department

REQUESTS_OPEN: Final = _gauge(
    "tawasul_requests_open",
    "Requests not yet decided (received, under review, needs more information), by department.",
    "department",
    mode="livemostrecent",
)
REQUESTS_OVERDUE: Final = _gauge(
    "tawasul_requests_overdue",
    "Open requests past their due date (a request waiting for the person's answer is not: "
    "its clock is paused), by department.",
    "department",
    mode="livemostrecent",
)

_OPEN: Final = (RequestStatus.RECEIVED, RequestStatus.UNDER_REVIEW, RequestStatus.NEEDS_INFO)


@dataclass
class RequestFigures:
    """Open and overdue requests by department, read from the database at a scrape at most
    once every `max_age_s` seconds in this process (a storm of scrapes reads it once: the
    others wait for that read). One grouped count over the open requests, which the
    (status, due_date) index finds; departments come from the catalogue, so every
    department has its series, 0 included."""

    sessions: async_sessionmaker[AsyncSession]
    catalogue: Catalogue
    clock: Callable[[], dt.datetime] = utcnow
    max_age_s: float = 15.0
    _read_at: float | None = field(default=None, init=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)

    async def refresh(self) -> None:
        """Sets the gauges when the last read is older than `max_age_s`. Raises
        SQLAlchemyError."""
        async with self._lock:
            if self._read_at is not None and time.monotonic() - self._read_at < self.max_age_s:
                return
            today = riyadh_date(self.clock())
            late = case(
                (
                    (Request.due_date < today) & (Request.status != RequestStatus.NEEDS_INFO),
                    1,
                ),
                else_=0,
            )
            async with self.sessions() as session:
                rows = (
                    await session.execute(
                        select(Request.service_id, func.count(Request.id), func.sum(late))
                        .where(Request.status.in_([s.value for s in _OPEN]))
                        .group_by(Request.service_id)
                    )
                ).all()
            departments = {s.department for s in self.catalogue.services}
            opened = dict.fromkeys(departments, 0)
            overdue = dict.fromkeys(departments, 0)
            for service_id, count, late_count in rows:
                department = self._department(service_id)
                opened[department] = opened.get(department, 0) + count
                overdue[department] = overdue.get(department, 0) + int(late_count or 0)
            for department, count in opened.items():
                REQUESTS_OPEN.labels(department).set(count)
                REQUESTS_OVERDUE.labels(department).set(overdue[department])
            self._read_at = time.monotonic()

    def _department(self, service_id: str) -> str:
        try:
            return self.catalogue.get(service_id).department
        except KeyError:  # a service since removed from the catalogue
            return "unknown"
