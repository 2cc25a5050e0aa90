"""One worker of ``tawasul run``: the configured channels, the outbox, the schedule and
the web server, until SIGTERM or SIGINT, and then an orderly stop.

Stopping (the drain): at the signal /readyz answers 503 «draining» and the webhooks 503
to new calls (the platforms deliver them again) while the server still listens; polling
stops; what was accepted (webhook queues, updates being handled) is finished within
TAWASUL_DRAIN_S seconds; then the server closes, the outbox and the sweep stop, and the
process exits 0. An update not finished within the bound is not dropped: it stays in the
Redis journal (bot.webhook_journal; polling's too, bot.channels.poll_journal) and the next
worker to start (by webhook), or to poll, replays it.

The database step comes before serving (bot.db.startup.prepare_database): with
TAWASUL_AUTO_MIGRATE on the process migrates; off, it does not, and stops with one line
when the database is not at the newest revision (migrating is then a deploy step:
``tawasul db upgrade``). Under ``--workers N`` the supervisor takes that step once, before
starting any worker, and a supervised worker never migrates nor checks again.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
import socket
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.heartbeat import beating
from bot.settings import Settings

if TYPE_CHECKING:
    # only for annotations: importing aiogram's types takes seconds, and a refusal
    # (bot.db.startup) should not wait for them
    from aiogram import Dispatcher
    from aiogram.types import TelegramObject


log = logging.getLogger(__name__)


class InFlight:
    """Counts the Telegram updates being handled (an outer middleware of the dispatcher),
    polling's and the webhook's alike, so a stop can wait for them."""

    def __init__(self) -> None:
        self.count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def middleware(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        self.count += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self.count -= 1
            if not self.count:
                self._idle.set()

    async def idle(self) -> None:
        """Until no update is being handled."""
        await self._idle.wait()


def _on_stop_signals(stopping: asyncio.Event) -> Callable[[], None]:
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        loop.add_signal_handler(sig, stopping.set)

    def restore() -> None:
        for sig in signals:
            loop.remove_signal_handler(sig)

    return restore


async def serve(settings: Settings, *, listen_fd: int | None = None) -> None:
    """Run the channels until SIGTERM/SIGINT, then drain (see the module's text).
    `listen_fd`: a listening socket inherited from the supervisor, served by the web
    server instead of binding TAWASUL_HTTP_HOST:PORT; such a worker is supervised, and its
    supervisor took the database step already (bot.db.startup)."""
    # from the start: a signal during start-up is a stop asked for, not a crash
    stopping = asyncio.Event()
    restore = _on_stop_signals(stopping)
    try:
        # from the start too: a supervised worker's loop beats for its supervisor, which
        # kills one whose loop has stopped running (bot.heartbeat)
        async with beating():
            if listen_fd is None:
                from bot.db.startup import prepare_database

                await prepare_database(settings)
            await _serve(settings, stopping, listen_fd)
    finally:
        restore()


async def _serve(settings: Settings, stopping: asyncio.Event, listen_fd: int | None) -> None:
    from bot.app import build_services
    from bot.channels.poll_journal import PollJournal
    from bot.channels.poll_lease import PollLease, poll_under_lease
    from bot.channels.sent_marks import SentMarks
    from bot.channels.telegram import build_dispatcher, make_bot
    from bot.channels.telegram_albums import TelegramAlbums
    from bot.channels.telegram_webhook import JOURNAL_KEY, TelegramHook
    from bot.db.accounts import membership_recorder
    from bot.health import begin_drain
    from bot.media_sweep import sweep_forever
    from bot.outbox.receipts import WithReceipts
    from bot.outbox.wiring import build_delivery
    from bot.redis_ha import replicas_to_wait
    from bot.retention import retention_forever
    from bot.staff.schedule import staff_running
    from bot.warmup import freeze_start_up_heap, warm_cards, warm_up
    from bot.web import start_web, webhook_queues, whatsapp_delivery
    from bot.webhook_journal import Journal

    sock = socket.socket(fileno=listen_fd) if listen_fd is not None else None
    # migrated (or checked) by serve or by the supervisor, before this
    async with build_services(settings, migrate=False) as services:
        cards_warm: asyncio.Task[None] | None = None
        if settings.telegram_token:
            # the receipt cards' process is an interpreter of its own (imports, fonts, ~2 s
            # of CPU): started beside the warm-up, on the other core, and /readyz does not
            # wait for it. Awaited in turn, it held readiness back 1.5 s on a quiet machine
            # and 10 s at a load average of 11; a first card drawn before it is ready
            # waits in its queue instead.
            cards_warm = asyncio.create_task(warm_cards(services), name="cards-warm-up")
            # what a process's first resident would pay, paid before the web server is
            # up (so /readyz is not 200 before it): see bot.warmup. Workers warm up at
            # the same time: on SQLite each in a throwaway database of its own (they
            # took turns on the shared file, and still collided with its other writers)
            await warm_up(services)
        # the start-up's objects out of the collector's full passes (bot.warmup)
        freeze_start_up_heap()
        bot = (
            make_bot(
                settings.telegram_token,
                settings.telegram_api_url,
                api_is_local=settings.telegram_api_local,
            )
            if settings.telegram_token
            else None
        )
        # notifications and staff cards: the outbox, delivered from this process too
        delivery = build_delivery(services, bot)
        stop = asyncio.Event()
        inflight = InFlight()
        web_runner = None
        tasks: list[asyncio.Task[None]] = [cards_warm] if cards_warm is not None else []
        tasks_after_drain: list[asyncio.Task[None]] = []
        poll_journal: PollJournal | None = None
        try:
            async with contextlib.AsyncExitStack() as stack:
                dispatcher = None
                if bot is not None:
                    membership = membership_recorder(
                        services.sessions, "telegram", kick=delivery.kick
                    )
                    dispatcher = build_dispatcher(
                        services.engine.handle,
                        services.intake,
                        membership=membership,
                        follow_ups=services.receipts,
                        screen=services.screen,
                        fetching=services.engine.handle,
                        # an album answered once, with its count (telegram_albums)
                        albums=TelegramAlbums(services.redis),
                        sent_marks=SentMarks(
                            services.redis,
                            replicas=replicas_to_wait(settings.redis_sentinel_target),
                        ),
                    )
                    dispatcher.update.outer_middleware(inflight.middleware)
                    await stack.enter_async_context(
                        staff_running(services, dispatcher, kick=delivery.kick, bot=bot)
                    )
                hook = None
                if bot is not None and dispatcher is not None and settings.telegram_webhook:
                    assert settings.telegram_webhook_secret
                    hook = TelegramHook(
                        bot, dispatcher, settings.telegram_webhook_secret, services.redis
                    )
                # the web server: webhooks (WhatsApp, Telegram), health and metrics; also
                # for health and metrics alone when TAWASUL_HTTP_PORT is set, and always
                # for a supervised worker (the port is the supervisor's)
                if (
                    hook is not None
                    or settings.whatsapp_enabled
                    or settings.http_port_given
                    or sock is not None
                ):
                    web_runner = await start_web(services, telegram=hook, sock=sock, bot=bot)
                whatsapp = whatsapp_delivery(web_runner) if web_runner is not None else None
                if whatsapp is not None:
                    # here, not at the top: pywa is not imported when WhatsApp is off
                    from bot.outbox.whatsapp_cards import WhatsAppCardSend
                    from bot.outbox.whatsapp_delivery import WHATSAPP

                    # notifications, and the receipt card after the confirmation
                    delivery.handlers[WHATSAPP] = WithReceipts(
                        whatsapp, services.cards, WhatsAppCardSend(whatsapp.sender)
                    )
                tasks.append(asyncio.create_task(delivery.run_forever(stop), name="outbox"))
                tasks.append(
                    asyncio.create_task(
                        sweep_forever(
                            services.media,
                            services.sessions,
                            stop,
                            grace=dt.timedelta(hours=settings.media_grace_hours),
                            exports=settings.data_dir / "exports",
                        ),
                        name="media-sweep",
                    )
                )
                tasks.append(
                    asyncio.create_task(
                        retention_forever(
                            services.redis,
                            services.sessions,
                            services.media,
                            stop,
                            days=settings.retention_days,
                            media_grace=dt.timedelta(hours=settings.media_grace_hours),
                        ),
                        name="retention",
                    )
                )
                polling = None
                if bot is not None and dispatcher is not None and hook is None:
                    lease = PollLease(services.redis, bot.id)
                    # fetched updates journalled before they are confirmed, so that a stop
                    # whose drain bound ran out leaves them to the next poller
                    poll_journal = PollJournal(
                        Journal(
                            services.redis,
                            JOURNAL_KEY,
                            replicas=replicas_to_wait(settings.redis_sentinel_target),
                        ),
                        bot,
                        dispatcher,
                    )
                    dispatcher.update.outer_middleware(poll_journal.middleware)
                    tasks_after_drain.append(
                        asyncio.create_task(poll_journal.tend(), name="poll-journal")
                    )
                    polling = asyncio.create_task(
                        poll_under_lease(bot, dispatcher, lease, stopping, journal=poll_journal),
                        name="polling",
                    )
                await _until_stopped(stopping, polling)
                log.info("stopping: finishing what was accepted (at most %g s)", settings.drain_s)
                deadline = time.monotonic() + settings.drain_s
                if web_runner is not None and web_runner.app is not None:
                    begin_drain(web_runner.app, settings.drain_s)
                if polling is not None:
                    with contextlib.suppress(Exception):  # raised by _until_stopped already
                        await polling
                waits: list[Awaitable[Any]] = [_idle_and_settled(inflight, dispatcher)]
                if web_runner is not None and web_runner.app is not None:
                    waits += [queue.join() for queue in webhook_queues(web_runner.app)]
                try:
                    async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                        await asyncio.gather(*waits)
                except TimeoutError:
                    log.warning(
                        "stopping: not all accepted updates finished within %g s; the "
                        "webhooks' stay journalled for the next process",
                        settings.drain_s,
                    )
        finally:
            # polling's journal: what the drain did not finish is left to the next poller
            for task in tasks_after_drain:
                task.cancel()
            await asyncio.gather(*tasks_after_drain, return_exceptions=True)
            if poll_journal is not None:
                await poll_journal.release()
            # the web server first: its webhook queues' workers end (what is left stays
            # journalled) while the outbox can still deliver what they produced
            if web_runner is not None:
                await web_runner.cleanup()
            stop.set()
            for task in tasks:
                await task
            if bot is not None:
                await bot.session.close()


async def _idle_and_settled(inflight: InFlight, dispatcher: Dispatcher | None) -> None:
    """Until no update is being handled, then until the receipts' releases the updates
    left running are written (bot.channels.telegram: not awaited by the turn)."""
    await inflight.idle()
    if dispatcher is not None:
        from bot.channels.telegram import follow_ups_settled  # imported with aiogram

        await follow_ups_settled(dispatcher)


async def _until_stopped(stopping: asyncio.Event, polling: asyncio.Task[None] | None) -> None:
    """Until a stop signal; raises what ended polling on its own (a revoked token)."""
    waiting = asyncio.create_task(stopping.wait())
    try:
        await asyncio.wait(
            {waiting, *([polling] if polling else [])}, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        waiting.cancel()
    if polling is not None and polling.done() and not stopping.is_set():
        polling.result()  # raises its error
        stopping.set()  # (polling never ends without one)
