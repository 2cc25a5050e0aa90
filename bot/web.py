"""The web server ``tawasul run`` starts: the application (health, readiness and metrics
always: bot.health; Telegram's webhook: bot.channels.telegram_webhook; WhatsApp's:
bot.web_whatsapp, its work after the 200 in bot.web_whatsapp_work) and its serving, on
TAWASUL_HTTP_HOST:PORT or on the supervisor's shared socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web

from bot.app import Services
from bot.channels.telegram_webhook import TelegramHook, add_telegram_webhook, telegram_queue
from bot.health import Health, add_health
from bot.metrics import RequestFigures, report_depths, shared_dir
from bot.redis_ha import replicas_to_wait
from bot.staff_reach import StaffReach
from bot.web_whatsapp import (
    DEFAULT_QUEUE_SIZE,
    DEFAULT_WORKERS,
    DRAIN_TIMEOUT_S,
    INBOX_APP_KEY,
    INBOX_KEY,
    QUEUE_KEY,
    WEBHOOK_PATH,
    WHATSAPP_KEY,
    add_whatsapp_webhook,
)
from bot.web_whatsapp_work import Job, WorkItem
from bot.webhook_journal import LEASE_S

if TYPE_CHECKING:
    from aiogram import Bot

    from bot.outbox.whatsapp_delivery import WhatsAppDelivery
    from bot.whatsapp_runtime import WhatsAppRuntime

# bot.whatsapp_runtime (and with it pywa and httpx, ~9 MB) is imported only when WhatsApp
# is served; its names are still found here, as tests and callers know them (__getattr__)
_LAZY = ("WhatsAppRuntime", "renumberer", "whatsapp_runtime")
# what callers and tests import from here (the WhatsApp webhook's names live in
# bot.web_whatsapp and bot.web_whatsapp_work since the split)
__all__ = [
    "DEFAULT_QUEUE_SIZE",
    "DEFAULT_WORKERS",
    "DRAIN_TIMEOUT_S",
    "INBOX_APP_KEY",
    "INBOX_KEY",
    "MAX_BODY_BYTES",
    "QUEUE_KEY",
    "WEBHOOK_PATH",
    "WHATSAPP_KEY",
    "Job",
    "WorkItem",
    "build_web_app",
    "start_web",
    "webhook_queues",
    "whatsapp_delivery",
    *_LAZY,
]
log = logging.getLogger(__name__)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import bot.whatsapp_runtime

        return getattr(bot.whatsapp_runtime, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Meta's webhook payloads are small; a body larger than this is not one of theirs.
MAX_BODY_BYTES: Final = 3 * 1024 * 1024


def build_web_app(
    services: Services,
    *,
    whatsapp: WhatsAppRuntime | None = None,
    telegram: TelegramHook | None = None,
    workers: int = DEFAULT_WORKERS,
    queue_size: int | None = None,
    lease_s: float = LEASE_S,
    bot: Bot | None = None,
) -> web.Application:
    """The aiohttp application: ``GET /healthz``, ``/readyz`` and ``/metrics`` always
    (bot.health); ``POST /telegram/webhook`` when `telegram` is given; ``GET``/``POST
    /whatsapp/webhook`` when `whatsapp` is given or WhatsApp is configured in the
    settings (the runtime is then built on start-up and closed on clean-up). Each webhook
    queues at most `queue_size` (TAWASUL_WEBHOOK_QUEUE_SIZE) updates. `bot` (by default
    the webhook's) probes the staff group for /readyz (bot.staff_reach)."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    queue_size = queue_size or services.settings.webhook_queue_size

    def depth(key: web.AppKey[asyncio.Queue[Job]]) -> Callable[[], int]:
        return lambda: app[key].qsize() if key in app else 0

    depths = {"whatsapp": depth(QUEUE_KEY)}
    # behind Sentinel a body is answered once the replica holds it (bot.webhook_journal)
    replicas = replicas_to_wait(services.settings.redis_sentinel_target)
    if telegram is not None:
        add_telegram_webhook(
            app,
            telegram,
            workers=workers,
            queue_size=queue_size,
            lease_s=lease_s,
            replicas=replicas,
        )
        tg_queue = telegram_queue(app)
        assert tg_queue is not None
        depths["telegram"] = tg_queue.qsize
    settings = services.settings
    staff = None
    if settings.staff_chat_id:
        staff = StaffReach(
            services.redis,
            bot if bot is not None else (telegram.bot if telegram is not None else None),
            settings.staff_chat_id,
            every_s=settings.ready_staff_probe_s,
            mode=settings.ready_staff_group,
            failures_needed=settings.ready_staff_failures,
        )
    figures = RequestFigures(services.sessions, services.engine.catalogue)
    add_health(
        app, Health(services.redis, services.sessions, depths, staff=staff, requests=figures)
    )
    if shared_dir() is not None:
        # a worker of --workers N: its queue depth is read by whichever worker is scraped
        app.cleanup_ctx.append(_reporting_depths(depths))
    if whatsapp is None and not services.settings.whatsapp_enabled:
        return app

    add_whatsapp_webhook(
        app,
        services,
        whatsapp,
        workers=workers,
        queue_size=queue_size,
        lease_s=lease_s,
        replicas=replicas,
    )
    return app


def _reporting_depths(
    depths: dict[str, Callable[[], int]],
) -> Callable[[web.Application], AsyncIterator[None]]:
    async def reporting(_app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(report_depths(depths), name="queue-depths")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return reporting


# ------------------------------------------------------------------------ serving


async def start_web(
    services: Services,
    *,
    telegram: TelegramHook | None = None,
    host: str | None = None,
    port: int | None = None,
    sock: socket.socket | None = None,
    bot: Bot | None = None,
) -> web.AppRunner:
    """Serve :func:`build_web_app` on TAWASUL_HTTP_HOST:PORT, or on `sock`, a listening
    socket shared with other workers (bot.supervisor); clean up the returned runner to
    stop (readiness turns 503 first, then the queues are drained). `bot` probes the
    staff group for /readyz."""
    settings = services.settings
    runner = web.AppRunner(build_web_app(services, telegram=telegram, bot=bot), access_log=None)
    await runner.setup()
    site: web.BaseSite
    if sock is not None:
        site = web.SockSite(runner, sock)
    else:
        site = web.TCPSite(runner, host or settings.http_host, port or settings.http_port)
    await site.start()
    log.info(
        "web server on %s:%s (health, metrics%s%s)",
        host or settings.http_host,
        port or settings.http_port,
        ", Telegram webhook" if telegram is not None else "",
        ", WhatsApp webhook" if settings.whatsapp_enabled else "",
    )
    return runner


def webhook_queues(app: web.Application) -> list[asyncio.Queue[Any]]:
    """The queues of accepted webhook updates `app` serves (Telegram's, WhatsApp's)."""
    queues: list[asyncio.Queue[Any]] = []
    telegram = telegram_queue(app)
    if telegram is not None:
        queues.append(telegram)
    if QUEUE_KEY in app:
        queues.append(app[QUEUE_KEY])
    return queues


def whatsapp_delivery(runner: web.AppRunner) -> WhatsAppDelivery | None:
    """The running app's outbox handler for rows with channel "whatsapp"; None when
    WhatsApp is not configured."""
    runtime = runner.app.get(WHATSAPP_KEY) if runner.app is not None else None
    return runtime.delivery if runtime is not None else None
