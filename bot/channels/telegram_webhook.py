"""Telegram by webhook: ``POST /telegram/webhook`` on the web server of ``tawasul run``.

Telegram posts one update per call. The call is checked against the secret token set
with ``tawasul webhook set`` (constant-time; 401 and nothing else otherwise), the update
is journalled in Redis under its ``update_id`` (see bot.webhook_journal: once across
workers and restarts), and the answer is 200 at once: handling (downloads, the database)
can take longer than Telegram waits. A few worker tasks take updates off a bounded queue
(503 when it is full, so Telegram delivers again later) and feed them to the same aiogram
dispatcher polling uses. A person's updates are handled one at a time, in the order of
their ``update_id``, across workers too (bot.webhook_turns). Every worker takes over and
replays what a stopped or dead one journalled and did not finish, once its lease ran out
(bot.webhook_journal), without waiting for a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import traceback
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Final

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiohttp import web
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.channels.keyed_locks import KeyedLocks
from bot.channels.telegram import albums_of
from bot.channels.telegram_albums import album_item
from bot.channels.telegram_apology import Apologies, watching
from bot.health import drain_left, draining
from bot.metrics import UPDATES_HANDLED
from bot.webhook_journal import LEASE_S, Journal, drain, room_for, sweep, tend
from conversations.replays import replaying

log = logging.getLogger(__name__)

CHANNEL: Final = "telegram"
WEBHOOK_PATH: Final = "/telegram/webhook"
SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
#: The journal of accepted updates (update_id -> body).
# the journal's hash tag covers its done markers too (webhook_journal), one Cluster slot
JOURNAL_KEY: Final = "tawasul:{tg:inbox}"
DEFAULT_WORKERS: Final = 8
DEFAULT_QUEUE_SIZE: Final = 1000
#: How long shutting down waits for queued updates to be handled.
DRAIN_TIMEOUT_S: Final = 10.0
#: Telegram's updates are small (files come by file_id); larger is not one of theirs.
MAX_BODY_BYTES: Final = 1024 * 1024

#: (journal id, the update as JSON)
Job = tuple[str, dict[str, Any]]


@dataclass
class TelegramHook:
    """What the webhook feeds: the bot and the dispatcher (residents' and staff routers),
    and the secret Telegram sends with each call."""

    bot: Bot
    dispatcher: Dispatcher
    secret: str
    redis: Redis


@dataclass
class _Running:
    hook: TelegramHook
    queue: asyncio.Queue[Job]
    journal: Journal
    locks: KeyedLocks[int | str]
    #: the general apology for an update that failed outside the dialogue
    apologies: Apologies
    #: updates queued here and not started, entry id -> update: a waiter of the same person
    #: handles an earlier one at once rather than wait for it behind itself (a sweep's
    #: replay queued after the waiter, when every worker task could be such a waiter)
    queued: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: those a waiter handled: skipped when the queue hands them out
    handled_early: set[str] = field(default_factory=set)


HOOK_KEY: Final = web.AppKey("telegram_hook", _Running)


def add_telegram_webhook(
    app: web.Application,
    hook: TelegramHook,
    *,
    workers: int = DEFAULT_WORKERS,
    queue_size: int = DEFAULT_QUEUE_SIZE,
    lease_s: float = LEASE_S,
    replicas: int = 0,
) -> None:
    """Serve ``POST /telegram/webhook`` from `app`, with its queue and workers started on
    the app's start-up and drained on clean-up. `lease_s`: how long a stopped worker's
    accepted updates wait before another worker replays them; `replicas`: how many Redis
    replicas must hold an update before its 200 (bot.webhook_journal)."""
    journal = Journal(hook.redis, JOURNAL_KEY, lease_s=lease_s, replicas=replicas)
    running = _Running(
        hook,
        asyncio.Queue(maxsize=queue_size),
        journal,
        KeyedLocks(),
        Apologies(hook.bot, hook.redis),
    )
    app[HOOK_KEY] = running

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        tasks = [
            asyncio.create_task(_worker(running), name=f"telegram-worker-{i}")
            for i in range(workers)
        ]
        free = running.queue.maxsize or DEFAULT_QUEUE_SIZE

        def room() -> int:
            return free - running.queue.qsize()

        async def replay(taken: dict[str, bytes]) -> None:
            await _replay(running, taken)

        try:  # what a stopped process left, before serving
            await sweep(journal, replay, room, "Telegram")
        except RedisError:
            log.warning("Telegram: journal not replayed, Redis unreachable")
        tending = asyncio.create_task(tend(journal, replay, room, "Telegram"), name="tg-journal")
        try:
            yield
        finally:
            tending.cancel()
            await asyncio.gather(tending, return_exceptions=True)
            await drain(running.queue, tasks, drain_left(app, DRAIN_TIMEOUT_S))
            with contextlib.suppress(RedisError):  # what is left, for others to take now
                await journal.release()

    app.cleanup_ctx.append(lifecycle)
    app.router.add_post(WEBHOOK_PATH, _receive)


def telegram_queue(app: web.Application) -> asyncio.Queue[Job] | None:
    """The app's queue of accepted updates (None without the Telegram webhook)."""
    running = app.get(HOOK_KEY)
    return running.queue if running is not None else None


async def _receive(request: web.Request) -> web.Response:
    running = request.app[HOOK_KEY]
    given = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(given.encode(), running.hook.secret.encode()):
        log.warning("Telegram webhook call without the right secret token refused")
        return web.Response(status=401, text="unauthorised")
    if draining(request.app):
        # shutting down: Telegram delivers it again, to a worker that is not
        return web.Response(status=503, text="draining")
    body = await request.read()
    update = _parsed(body)
    if update is None:
        return web.Response(status=400, text="not an update")
    if not room_for(running.queue, 1):
        log.warning("Telegram queue full (%d); asking for a redelivery", running.queue.qsize())
        return web.Response(status=503, text="busy")
    try:
        entry_id = await running.journal.keep(body, 1, entry_id=str(update["update_id"]))
    except RedisError:
        # not journalled: Telegram delivers it again once Redis answers
        log.warning("Telegram webhook update not journalled: Redis unreachable")
        return web.Response(status=503, text="try again")
    person = whose(update)
    albums = albums_of(running.hook.dispatcher)
    if entry_id is not None and albums is not None:
        # an album's file noted before it waits its turn, so its album's count holds it
        # (bot.channels.telegram_albums); not noted, it joins the album at its turn
        with contextlib.suppress(RedisError):
            await albums.join(album_item(update))
    if entry_id is None:
        # journalled already: handled, or in hand somewhere. Its place in the person's line
        # is taken again (at its update_id; a place held already is kept): a worker that
        # died between the journal and the line, before its 200, left it out of the line,
        # and the person's later updates went ahead of it (a request filed before the
        # album's other photo was replayed, by bench/load.py --supervisor). The place of
        # one handled already is dropped at the next look (its body has left the journal).
        if isinstance(person, int):
            with contextlib.suppress(RedisError):
                await running.journal.turns.line_up(
                    str(person), str(update["update_id"]), update["update_id"]
                )
        UPDATES_HANDLED.labels(CHANNEL, "duplicate").inc()
        return web.Response(text="ok")
    if isinstance(person, int):
        try:
            await running.journal.turns.line_up(str(person), entry_id, update["update_id"])
        except RedisError:  # journalled: handled all the same, only not lined up
            log.warning("Telegram update not lined up: Redis unreachable")
    running.queued[entry_id] = update
    running.queue.put_nowait((entry_id, update))
    return web.Response(text="ok")


def _parsed(body: bytes) -> dict[str, Any] | None:
    """The update as JSON when it has an integer update_id; None otherwise (one log line
    naming the kind of error, never the body, which may quote a person)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        log.warning("Telegram webhook body refused: %s", type(exc).__name__)
        return None
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:
        log.warning("Telegram webhook body refused: no update_id")
        return None
    return data


def whose(update: dict[str, Any]) -> int | str:
    """The conversation an update belongs to (its chat, else its sender), so that one
    person's updates are handled in order; the update's own id when it has neither."""
    for value in update.values():
        if not isinstance(value, dict):
            continue
        message = value.get("message")
        chat = value.get("chat") or (message.get("chat") if isinstance(message, dict) else None)
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            chat_id: int = chat["id"]
            return chat_id
        sender = value.get("from")
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            sender_id: int = sender["id"]
            return sender_id
    return f"update:{update.get('update_id')}"


async def _replay(running: _Running, taken: dict[str, bytes]) -> None:
    """Queues again the updates a stopped process accepted but did not finish (taken over
    from the journal, leased to this process), oldest first."""
    for entry_id, body in sorted(taken.items(), key=lambda kv: _as_int(kv[0])):
        update = _parsed(body)
        if update is None:
            await running.journal.forget(entry_id)
            continue
        running.journal.pending[entry_id] = 1
        running.queued[entry_id] = update
        await running.queue.put((entry_id, update))


def _as_int(text: str) -> int:
    return int(text) if text.lstrip("-").isdigit() else 0


def _turn(
    running: _Running, person: int | str, entry_id: str
) -> contextlib.AbstractAsyncContextManager[None]:
    """The person's turn across workers; none for an update without a person. An earlier
    update of theirs left by a dead worker is handled here first (bot.webhook_turns)."""
    if not isinstance(person, int):
        return contextlib.nullcontext()

    async def rescue(earlier: str, body: bytes) -> None:
        update = _parsed(body)
        if update is None:
            await running.journal.forget(earlier)
            return
        running.journal.rescued(earlier)
        await _handle(running, earlier, update)

    async def here(earlier: str) -> bool:
        update = running.queued.pop(earlier, None)
        if update is None:
            return False
        running.handled_early.add(earlier)
        await _handle(running, earlier, update)
        return True

    return running.journal.turns.taking(str(person), entry_id, rescue, here)


#: How many album files one worker task leaves waiting detached at once (each a coroutine
#: polling Redis while its album gathers); past it a file waits in the worker task.
DETACHED_MAX: Final = 32


def _gathers(running: _Running, data: dict[str, Any]) -> bool:
    """An album's photo or file, which waits for the rest of its album before the dialogue
    sees it (bot.channels.telegram_albums)."""
    return albums_of(running.hook.dispatcher) is not None and album_item(data) is not None


async def _worker(running: _Running) -> None:
    """Handles the queue's updates one at a time, except an album's files: the first
    waits for the rest of its album (a second or so) holding the person's turn, and the
    others wait behind it; held in the worker tasks, an album of ten filled all eight and
    everyone else's messages on the process waited. So each such file is handled in a
    task of its own, counted in the queue until it is finished (the drain waits for it),
    cancelled with this worker (its journal entry stays, for a replay)."""
    detached: set[asyncio.Task[None]] = set()

    def finished(task: asyncio.Task[None]) -> None:
        detached.discard(task)
        running.queue.task_done()

    try:
        while True:
            entry_id, data = await running.queue.get()
            if entry_id in running.handled_early:
                running.handled_early.discard(entry_id)  # a waiter of its person did
                running.queue.task_done()
                continue
            running.queued.pop(entry_id, None)
            if _gathers(running, data) and len(detached) < DETACHED_MAX:
                task = asyncio.create_task(
                    _handle(running, entry_id, data), name="telegram-album-file"
                )
                detached.add(task)
                task.add_done_callback(finished)
                continue
            try:
                await _handle(running, entry_id, data)
            finally:
                running.queue.task_done()
    finally:
        for task in list(detached):
            task.cancel()
        await asyncio.gather(*detached, return_exceptions=True)


async def _handle(running: _Running, entry_id: str, data: dict[str, Any]) -> None:
    """Handles one update and closes its journal entry."""
    person = whose(data)
    replay = entry_id in running.journal.replayed
    with watching() as sent:
        try:
            await _feed(running, entry_id, data, person, replay)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # counted by the dispatcher's middleware (bot.channels.telegram._measured)
            frames = traceback.extract_tb(exc.__traceback__)[-4:]
            where = " < ".join(f"{f.name}:{f.lineno}" for f in reversed(frames))
            # type and place only: the exception's text could quote the person
            log.error(
                "%s while handling Telegram update %s at %s", type(exc).__name__, entry_id, where
            )
            # the person is answered as WhatsApp's are (bot.channels.telegram_apology)
            with replaying(replay):
                await running.apologies.failed(data, entry_id, sent)
    # handled, or failed on our side: finished either way, not to be replayed
    with contextlib.suppress(RedisError):
        await running.journal.done(entry_id, remember=True)


async def _feed(
    running: _Running, entry_id: str, data: dict[str, Any], person: int | str, replay: bool
) -> None:
    """The update fed to the dispatcher in the person's turn. Raises what the channel's
    code raises outside the dialogue."""
    hook = running.hook
    # The person's turn across workers first, holding nothing while it waits (an
    # earlier update of theirs, replayed here, must be able to take the lock), then
    # this process's lock, which keeps their updates one at a time here even when
    # Redis cannot say whose turn it is.
    async with _turn(running, person, entry_id), running.locks.hold(person):
        update = Update.model_validate(data, context={"bot": hook.bot})
        with replaying(replay):
            await hook.dispatcher.feed_update(hook.bot, update)
