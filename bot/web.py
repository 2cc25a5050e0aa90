"""The web server ``tawasul run`` starts for webhooks: WhatsApp's, and a health check.

``POST /whatsapp/webhook`` checks the signature on the raw body, parses the payload and
answers 200 at once; the messages and statuses in it are handled afterwards by a few
worker tasks reading a bounded queue. WhatsApp retries a webhook that is not answered
within seconds, and a photo download or a database write can take longer than that.
When the queue is full the answer is 503, so WhatsApp delivers the payload again later;
messages of it that were already queued are not handled twice (the engine claims each
wamid with SET NX in Redis, which also covers redeliveries to another worker process).

Errors while handling are logged by type and place only: the exception's text could hold
what a person wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import socket
import time
import traceback
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web
from redis.exceptions import RedisError

from bot.app import Services
from bot.channels.telegram_webhook import TelegramHook, add_telegram_webhook, telegram_queue
from bot.channels.whatsapp_inbound import (
    CHANNEL,
    DeliveryStatus,
    Inbound,
    WebhookBatch,
    parse_webhook,
    verify_signature,
)
from bot.channels.whatsapp_masking import masked
from bot.channels.whatsapp_render import OutText
from bot.health import Health, add_health, drain_left, draining
from bot.metrics import HANDLING_SECONDS, UPDATES_HANDLED, RequestFigures
from bot.outbox.staff_group import StaffGroupState
from bot.redis_ha import replicas_to_wait
from bot.webhook_journal import LEASE_S, Journal, drain, room_for, sweep, tend
from bot.webhook_turns import SEP
from conversations.engine import apology
from conversations.i18n import DEFAULT_LOCALE
from conversations.replays import replaying

if TYPE_CHECKING:
    from bot.outbox.whatsapp_delivery import WhatsAppDelivery
    from bot.whatsapp_runtime import WhatsAppRuntime, renumberer, whatsapp_runtime

# bot.whatsapp_runtime (and with it pywa and httpx, ~9 MB) is imported only when WhatsApp
# is served; its names are still found here, as tests and callers know them (__getattr__)
__all__ = ["WhatsAppRuntime", "renumberer", "whatsapp_runtime"]
log = logging.getLogger(__name__)


def __getattr__(name: str) -> Any:
    if name in __all__:
        import bot.whatsapp_runtime

        return getattr(bot.whatsapp_runtime, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


WEBHOOK_PATH: Final = "/whatsapp/webhook"
DEFAULT_WORKERS: Final = 8
DEFAULT_QUEUE_SIZE: Final = 1000
#: Meta's webhook payloads are small; a body larger than this is not one of theirs.
MAX_BODY_BYTES: Final = 3 * 1024 * 1024
#: How long shutting down waits for queued messages to be handled.
DRAIN_TIMEOUT_S: Final = 10.0

WorkItem = Inbound | DeliveryStatus
# What a worker takes from the queue: the webhook body it came in (its journal id) and one
# message or status of that body.
Job = tuple[str, WorkItem]
# Accepted webhook bodies not yet handled whole, in Redis: a process that dies after
# answering 200 leaves them there, and the next one to start replays them (the engine's
# claim on each wamid makes a replay of what was handled already a no-op).
# the journal's hash tag covers its done markers too (webhook_journal), one Cluster slot
INBOX_KEY: Final = "tawasul:{wa:inbox}"


WHATSAPP_KEY: Final[web.AppKey[WhatsAppRuntime]] = web.AppKey("whatsapp")
QUEUE_KEY: Final = web.AppKey("queue", asyncio.Queue[Job])


def build_web_app(
    services: Services,
    *,
    whatsapp: WhatsAppRuntime | None = None,
    telegram: TelegramHook | None = None,
    workers: int = DEFAULT_WORKERS,
    queue_size: int | None = None,
    lease_s: float = LEASE_S,
) -> web.Application:
    """The aiohttp application: ``GET /healthz``, ``/readyz`` and ``/metrics`` always
    (bot.health); ``POST /telegram/webhook`` when `telegram` is given; ``GET``/``POST
    /whatsapp/webhook`` when `whatsapp` is given or WhatsApp is configured in the
    settings (the runtime is then built on start-up and closed on clean-up). Each webhook
    queues at most `queue_size` (TAWASUL_WEBHOOK_QUEUE_SIZE) updates."""
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
    staff = StaffGroupState(services.redis).problem if services.settings.staff_chat_id else None
    figures = RequestFigures(services.sessions, services.engine.catalogue)
    add_health(
        app,
        Health(services.redis, services.sessions, depths, staff_problem=staff, requests=figures),
    )
    if whatsapp is None and not services.settings.whatsapp_enabled:
        return app

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            runtime: WhatsAppRuntime
            if whatsapp is not None:
                runtime = whatsapp
            else:
                from bot.whatsapp_runtime import whatsapp_runtime

                runtime = await stack.enter_async_context(whatsapp_runtime(services))
            app[WHATSAPP_KEY] = runtime
            queue: asyncio.Queue[Job] = asyncio.Queue(maxsize=queue_size)
            app[QUEUE_KEY] = queue
            inbox = Journal(
                runtime.channel.sender.redis, INBOX_KEY, lease_s=lease_s, replicas=replicas
            )
            app[INBOX_APP_KEY] = inbox
            tasks = [
                asyncio.create_task(_worker(runtime, queue, inbox), name=f"whatsapp-worker-{i}")
                for i in range(workers)
            ]
            stop = asyncio.Event()
            if runtime.reminders is not None:
                tasks.append(
                    asyncio.create_task(runtime.reminders.run_forever(stop), name="reminders")
                )
            free = queue.maxsize or DEFAULT_QUEUE_SIZE

            async def replay(taken: dict[str, bytes]) -> None:
                await _replay(runtime, queue, inbox, taken)

            def room() -> int:
                return free - queue.qsize()

            await sweep(inbox, replay, room, "WhatsApp")  # what a stopped process left
            tending = asyncio.create_task(tend(inbox, replay, room, "WhatsApp"), name="wa-journal")
            try:
                yield
            finally:
                stop.set()
                tending.cancel()
                await asyncio.gather(tending, return_exceptions=True)
                await drain(queue, tasks, drain_left(app, DRAIN_TIMEOUT_S))
                with contextlib.suppress(RedisError):  # what is left, for others to take now
                    await inbox.release()

    app.cleanup_ctx.append(lifecycle)
    app.router.add_get(WEBHOOK_PATH, _verify)
    app.router.add_post(WEBHOOK_PATH, _receive)
    return app


async def _verify(request: web.Request) -> web.Response:
    """Meta's subscription check: echo hub.challenge when the verify token matches."""
    runtime = request.app[WHATSAPP_KEY]
    query = request.query
    if query.get("hub.mode") == "subscribe" and _same(
        query.get("hub.verify_token", ""), runtime.verify_token
    ):
        return web.Response(text=query.get("hub.challenge", ""))
    return web.Response(status=403, text="forbidden")


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


async def _receive(request: web.Request) -> web.Response:
    runtime = request.app[WHATSAPP_KEY]
    body = await request.read()
    if not verify_signature(runtime.app_secret, body, request.headers.get("X-Hub-Signature-256")):
        log.warning("WhatsApp webhook with a missing or wrong signature refused")
        return web.Response(status=403, text="bad signature")
    batch = _parsed(body, runtime.phone_id)
    if batch is None:
        return web.Response(status=400, text="not a webhook payload")
    if draining(request.app):
        # shutting down: WhatsApp delivers it again, to a worker that is not
        return web.Response(status=503, text="draining")
    items: list[WorkItem] = [*batch.messages, *batch.statuses]
    queue = request.app[QUEUE_KEY]
    if not room_for(queue, len(items)):
        # WhatsApp redelivers; what was handled already is recognised by its wamid
        log.warning("WhatsApp queue full (%d); asking for a redelivery", queue.qsize())
        return web.Response(status=503, text="busy")
    if not items:
        return web.Response(text="ok")
    inbox = request.app[INBOX_APP_KEY]
    # journalled before the 200: from here on a crash cannot lose the body. Each message
    # takes its place in its sender's line in the same step (one script): a worker killed
    # between the journal and the line left the message out of it, and the person's next
    # message, on another worker, went first (the WhatsApp side of what 3be8743 found on
    # Telegram). A body delivered again is journalled again under a new id and lined up
    # anew; its wamid keeps it from being handled twice.
    lines = [(i.sender.user_key, i.wamid) for i in items if isinstance(i, Inbound)]
    try:
        body_id = await inbox.keep(body, len(items), lines=lines) or ""
    except RedisError:
        # Redis is away: the messages are handled all the same, so the person gets the
        # apology at once (see WhatsAppChannel.on_message), and the 500 makes Meta
        # deliver them again, to be handled for real once Redis is back
        log.warning("WhatsApp webhook body not journalled: Redis unreachable")
        for item in items:
            queue.put_nowait(("", item))
        return web.Response(status=500, text="try again")
    for item in items:
        queue.put_nowait((body_id, item))
    return web.Response(text="ok")


def _member(body_id: str, item: Inbound) -> str:
    """A message's place in its sender's line (bot.webhook_turns)."""
    return f"{body_id}{SEP}{item.wamid}"


def _parsed(body: bytes, phone_id: str | None) -> WebhookBatch | None:
    """The messages and statuses of a signed body; None when it is not a payload we can
    read. Signed is not the same as well-formed: JSON nested a hundred thousand deep makes
    the parser recurse out of the stack, and a number of thousands of digits is refused by
    int(). Such a body gets a 400 and one log line naming the kind of error (never a
    traceback, nor the body, which may quote a person)."""
    try:
        return parse_webhook(json.loads(body), phone_id=phone_id)
    except (ValueError, RecursionError) as exc:
        log.warning("WhatsApp webhook body refused: %s", type(exc).__name__)
    except Exception as exc:  # an unforeseen shape must not become a 500 with a traceback
        _log_failure_at("reading a WhatsApp webhook body", exc)
    return None


INBOX_APP_KEY: Final = web.AppKey("inbox", Journal)


async def _replay(
    runtime: WhatsAppRuntime, queue: asyncio.Queue[Job], inbox: Journal, taken: dict[str, bytes]
) -> None:
    """Queues again the bodies a stopped process accepted but did not finish (taken over
    from the journal, leased to this process)."""
    for body_id, body in taken.items():
        batch = _parsed(body, runtime.phone_id)
        if batch is None:
            await inbox.forget(body_id)
            continue
        items: list[WorkItem] = [*batch.messages, *batch.statuses]
        inbox.pending[body_id] = len(items)
        for item in items:
            await queue.put((body_id, item))


async def _worker(runtime: WhatsAppRuntime, queue: asyncio.Queue[Job], inbox: Journal) -> None:
    while True:
        body_id, item = await queue.get()
        try:
            await _work(runtime, inbox, body_id, item)
        finally:
            # after the journal's close: the drain (and a test) waiting on the queue knows
            # the body is finished for good, not only answered; the close used to come after
            # this, so a drain could cut it and the body be replayed by the next worker
            queue.task_done()


async def _work(runtime: WhatsAppRuntime, inbox: Journal, body_id: str, item: WorkItem) -> None:
    """One item of a webhook body, then its journal entry closed (not when cancelled: a
    cut item stays in the journal for the next worker to replay)."""
    started, outcome = time.monotonic(), "error"
    try:
        if isinstance(item, Inbound):
            # a file joins its album before waiting behind the sender's earlier messages,
            # so the album's count includes it (bot.channels.whatsapp_bursts)
            item = await runtime.channel.arriving(item)
        if isinstance(item, Inbound) and body_id:
            # the sender's earlier messages first, whichever worker holds them
            async with inbox.turns.taking(item.sender.user_key, _member(body_id, item)):
                # a body taken over from a dead worker: a turn it saved and did not
                # answer is answered now (conversations.replays)
                with replaying(body_id in inbox.replayed):
                    await runtime.channel.on_message(item)
        elif isinstance(item, Inbound):
            await runtime.channel.on_message(item)
        else:
            await runtime.recorder.record(item)
        outcome = "ok"
    except asyncio.CancelledError:
        raise
    except RedisError as exc:
        _log_failure(item, exc)
        if isinstance(item, Inbound):
            await _apologise(runtime, item)
    except Exception as exc:
        _log_failure(item, exc)
    UPDATES_HANDLED.labels(CHANNEL, outcome).inc()
    HANDLING_SECONDS.labels(CHANNEL).observe(time.monotonic() - started)
    # handled, or failed on our side (the person was answered with an apology):
    # either way this item is finished and must not be replayed
    with contextlib.suppress(Exception):
        await inbox.done(body_id)


async def _apologise(runtime: WhatsAppRuntime, item: Inbound) -> None:
    """Redis is away: the apology the engine gives when the database is, sent without
    Redis (the person's language and window live there), in the default language."""
    to = item.sender.wa_id or item.sender.user_key
    try:
        await runtime.channel.sender.send_message(to, OutText(apology(DEFAULT_LOCALE)))
    except Exception as exc:
        _log_failure(item, exc)


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)[-4:]
    return " < ".join(f"{f.name}:{f.lineno}" for f in reversed(frames))


def _log_failure_at(what: str, exc: Exception) -> None:
    log.error("%s while %s at %s", type(exc).__name__, what, _where(exc))


def _log_failure(item: WorkItem, exc: Exception) -> None:
    """Type, where, and whose (hashed): never the exception's text, which may quote
    a person's message or number."""
    where = _where(exc)
    if isinstance(item, Inbound):
        # a wamid embeds the sender's number in base64: hashed like the user key
        whose = f"message {masked(item.wamid)} from {masked(item.sender.user_key)}"
    else:
        whose = f"status of {masked(item.wamid)}"
    log.error("%s while handling %s at %s", type(exc).__name__, whose, where)


# ------------------------------------------------------------------------ serving


async def start_web(
    services: Services,
    *,
    telegram: TelegramHook | None = None,
    host: str | None = None,
    port: int | None = None,
    sock: socket.socket | None = None,
) -> web.AppRunner:
    """Serve :func:`build_web_app` on TAWASUL_HTTP_HOST:PORT, or on `sock`, a listening
    socket shared with other workers (bot.supervisor); clean up the returned runner to
    stop (readiness turns 503 first, then the queues are drained)."""
    settings = services.settings
    runner = web.AppRunner(build_web_app(services, telegram=telegram), access_log=None)
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
