"""The WhatsApp webhook's work, after the 200 (bot.web_whatsapp answered it): a few tasks
take the messages and statuses of the accepted bodies from a bounded queue and handle
them, each message in its sender's line across workers (bot.webhook_turns), then close
the body's journal entry; bodies a stopped process left are read again and queued.

Errors while handling are logged by type and place only: the exception's text could hold
what a person wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import traceback
from typing import TYPE_CHECKING, Final

from redis.exceptions import RedisError

from bot.channels.whatsapp_inbound import (
    CHANNEL,
    DeliveryStatus,
    Inbound,
    WebhookBatch,
    parse_webhook,
)
from bot.channels.whatsapp_masking import masked
from bot.channels.whatsapp_render import OutText
from bot.metrics import HANDLING_SECONDS, UPDATES_HANDLED
from bot.webhook_journal import Journal
from bot.webhook_turns import SEP
from conversations.engine import apology
from conversations.events import Media, Text
from conversations.languages import unstored_locale
from conversations.replays import replaying

if TYPE_CHECKING:
    from bot.whatsapp_runtime import WhatsAppRuntime

# the logger it always had (this was bot.web): operators' filters keep working
log = logging.getLogger("bot.web")

WorkItem = Inbound | DeliveryStatus
# What a worker takes from the queue: the webhook body it came in (its journal id) and one
# message or status of that body.
Job = tuple[str, WorkItem]


def member(body_id: str, item: Inbound) -> str:
    """A message's place in its sender's line (bot.webhook_turns)."""
    return f"{body_id}{SEP}{item.wamid}"


def parsed(body: bytes, phone_id: str | None) -> WebhookBatch | None:
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


async def replay(
    runtime: WhatsAppRuntime, queue: asyncio.Queue[Job], inbox: Journal, taken: dict[str, bytes]
) -> None:
    """Queues again the bodies a stopped process accepted but did not finish (taken over
    from the journal, leased to this process)."""
    for body_id, body in taken.items():
        batch = parsed(body, runtime.phone_id)
        if batch is None:
            await inbox.forget(body_id)
            continue
        items: list[WorkItem] = [*batch.messages, *batch.statuses]
        inbox.pending[body_id] = len(items)
        for item in items:
            await queue.put((body_id, item))


#: How many of an album's files one worker task leaves waiting detached at once (each a
#: coroutine polling Redis every few hundred ms); past it a file waits in the worker task.
DETACHED_MAX: Final = 32


def gathers(item: WorkItem) -> bool:
    """A photo or file that waits for the rest of its album before the dialogue sees it
    (bot.channels.whatsapp_bursts): up to QUIET_S, or MAX_WAIT_S while files keep coming."""
    return (
        isinstance(item, Inbound)
        and isinstance(item.event, Media)
        and item.event.kind in ("photo", "document")
        and item.event.origin.edits is None
        and item.change is None
    )


async def worker(runtime: WhatsAppRuntime, queue: asyncio.Queue[Job], inbox: Journal) -> None:
    """Handles the queue's items one at a time, except an album's files: they wait for
    their album to be whole (seconds), and the album's later files wait behind its first
    in the sender's line; held in the worker task, ten photos of one person filled every
    task of the process and stalled everyone else's messages for the album's wait (review
    10). So each such file is handled in a task of its own, counted in the queue until it
    is finished (the drain and ``queue.join`` wait for it), cancelled with this worker.
    Its journal entry closes only when it is finished: if the process dies during the
    wait, the body is replayed by another worker, as any unfinished body is."""
    detached: set[asyncio.Task[None]] = set()

    def finished(task: asyncio.Task[None]) -> None:
        detached.discard(task)
        queue.task_done()

    try:
        while True:
            body_id, item = await queue.get()
            if gathers(item) and len(detached) < DETACHED_MAX:
                task = asyncio.create_task(
                    _work(runtime, inbox, body_id, item), name="whatsapp-album-file"
                )
                detached.add(task)
                task.add_done_callback(finished)
                continue
            try:
                await _work(runtime, inbox, body_id, item)
            finally:
                # after the journal's close: the drain (and a test) waiting on the queue
                # knows the body is finished for good, not only answered; the close used
                # to come after this, so a drain could cut it and the body be replayed
                queue.task_done()
    finally:
        for task in list(detached):
            task.cancel()
        await asyncio.gather(*detached, return_exceptions=True)


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
            async with inbox.turns.taking(item.sender.user_key, member(body_id, item)):
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
    Redis (the person's language and window live there), in the language of the message's
    words (conversations.languages.unstored_locale: Arabic unless they read as English)."""
    to = item.sender.wa_id or item.sender.user_key
    said = item.event.text if isinstance(item.event, Text) else None
    try:
        text = apology(unstored_locale(None, said))
        await runtime.channel.sender.send_message(to, OutText(text))
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
