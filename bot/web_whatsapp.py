"""``GET``/``POST /whatsapp/webhook``: WhatsApp's webhook on the web server (bot.web).

``POST`` checks the signature on the raw body, parses the payload, journals it in Redis and
answers 200 at once; the messages and statuses in it are handled afterwards by a few
worker tasks reading a bounded queue (bot.web_whatsapp_work). WhatsApp retries a webhook
that is not answered within seconds, and a photo download or a database write can take
longer than that. When the queue is full the answer is 503, so WhatsApp delivers the
payload again later; messages of it that were already queued are not handled twice (the
engine claims each wamid with SET NX in Redis, which also covers redeliveries to another
worker process). ``GET`` is Meta's subscription check.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Final

from aiohttp import web
from redis.exceptions import RedisError

from bot.app import Services
from bot.channels.whatsapp_inbound import Inbound
from bot.channels.whatsapp_signatures import verify_signature
from bot.health import drain_left, draining
from bot.web_whatsapp_work import Job, WorkItem, parsed, replay, worker
from bot.webhook_journal import Journal, drain, room_for, sweep, tend

if TYPE_CHECKING:
    from bot.whatsapp_runtime import WhatsAppRuntime

# the logger it always had (this was bot.web): operators' filters keep working
log = logging.getLogger("bot.web")

WEBHOOK_PATH: Final = "/whatsapp/webhook"
DEFAULT_WORKERS: Final = 8
DEFAULT_QUEUE_SIZE: Final = 1000
#: How long shutting down waits for queued messages to be handled.
DRAIN_TIMEOUT_S: Final = 10.0

# Accepted webhook bodies not yet handled whole, in Redis: a process that dies after
# answering 200 leaves them there, and the next one to start replays them (the engine's
# claim on each wamid makes a replay of what was handled already a no-op).
# the journal's hash tag covers its done markers too (webhook_journal), one Cluster slot
INBOX_KEY: Final = "tawasul:{wa:inbox}"


WHATSAPP_KEY: Final[web.AppKey[WhatsAppRuntime]] = web.AppKey("whatsapp")
QUEUE_KEY: Final = web.AppKey("queue", asyncio.Queue[Job])


INBOX_APP_KEY: Final = web.AppKey("inbox", Journal)


def add_whatsapp_webhook(
    app: web.Application,
    services: Services,
    whatsapp: WhatsAppRuntime | None,
    *,
    workers: int,
    queue_size: int,
    lease_s: float,
    replicas: int,
) -> None:
    """Serve WhatsApp's webhook from `app`: the runtime (`whatsapp`, or built from the
    settings on start-up and closed on clean-up), its queue of at most `queue_size` items,
    `workers` tasks handling it, the journal (leases of `lease_s`, answered once `replicas`
    replicas hold a body) swept at start and tended; at clean-up the queue drains within
    what is left of the drain."""

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
                asyncio.create_task(worker(runtime, queue, inbox), name=f"whatsapp-worker-{i}")
                for i in range(workers)
            ]
            stop = asyncio.Event()
            if runtime.reminders is not None:
                tasks.append(
                    asyncio.create_task(runtime.reminders.run_forever(stop), name="reminders")
                )
            free = queue.maxsize or DEFAULT_QUEUE_SIZE

            async def replay_taken(taken: dict[str, bytes]) -> None:
                await replay(runtime, queue, inbox, taken)

            def room() -> int:
                return free - queue.qsize()

            await sweep(inbox, replay_taken, room, "WhatsApp")  # what a stopped process left
            tending = asyncio.create_task(
                tend(inbox, replay_taken, room, "WhatsApp"), name="wa-journal"
            )
            try:
                yield
            finally:
                stop.set()
                tending.cancel()
                await asyncio.gather(tending, return_exceptions=True)
                await drain(queue, tasks, drain_left(app, DRAIN_TIMEOUT_S))
                # the receipts' cards released after the turns just finished (not awaited
                # by them): written before the runtime closes
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(max(0.1, drain_left(app, DRAIN_TIMEOUT_S))):
                        await runtime.channel.settled()
                with contextlib.suppress(RedisError):  # what is left, for others to take now
                    await inbox.release()

    app.cleanup_ctx.append(lifecycle)
    app.router.add_get(WEBHOOK_PATH, _verify)
    app.router.add_post(WEBHOOK_PATH, _receive)


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
    batch = parsed(body, runtime.phone_id)
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
