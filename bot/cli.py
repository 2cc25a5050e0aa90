"""``tawasul``: the command line (chat, run, staff, webhook, db upgrade)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import logging
import os
import sys

from bot.logging_setup import LOG_FILE, configure_logging
from bot.settings import Settings, load_settings
from bot.staff.cli import add_staff_parser, run_staff


async def _chat(settings: Settings, user: str) -> None:
    from bot.app import build_services
    from bot.channels.console import CHANNEL, ConsoleCardSend, ConsoleDelivery, chat, opening
    from bot.outbox.dispatcher import OutboxDispatcher
    from bot.outbox.receipts import WithReceipts

    async with build_services(settings) as services:
        # decisions taken in `tawasul staff` reach this terminal while the chat runs, and
        # so does the receipt card after the confirmation
        handler = WithReceipts(ConsoleDelivery(user), services.cards, ConsoleCardSend(user))
        # only this person's rows: another terminal's chat claiming them would put them
        # off for good (each claim deferred them 30 s, and the chat that deferred them woke
        # first at the new time)
        notices = OutboxDispatcher(services.sessions, {CHANNEL: handler}, target=user)
        services.receipts.kick = notices.kick
        stop = asyncio.Event()
        delivering = asyncio.create_task(notices.run_forever(stop, poll_s=1.0))
        try:
            first = await opening(services.engine.store, user)
            await chat(
                services.engine.handle,
                services.media,
                user_key=user,
                first=first,
                follow_ups=services.receipts,
            )
            # what the last lines released (a card) is shown before the chat ends
            await notices.run_once()
        finally:
            stop.set()
            await delivering


async def _run(settings: Settings) -> None:
    if not settings.telegram_token and not settings.whatsapp_enabled:
        print(
            "tawasul: no TAWASUL_TELEGRAM_TOKEN set: the terminal chat (type a message, "
            f"/photo PATH, /contact NUMBER; Ctrl-D to quit; log in {settings.data_dir / LOG_FILE})",
            file=sys.stderr,
        )
        await _chat(settings, "local")
        return
    from bot.app import build_services
    from bot.channels.telegram import build_dispatcher, make_bot, run_polling
    from bot.channels.telegram_webhook import TelegramHook
    from bot.db.accounts import membership_recorder
    from bot.media_sweep import sweep_forever
    from bot.outbox.receipts import WithReceipts
    from bot.outbox.whatsapp_cards import WhatsAppCardSend
    from bot.outbox.whatsapp_delivery import WHATSAPP
    from bot.outbox.wiring import build_delivery
    from bot.staff.schedule import staff_running
    from bot.web import start_web, wait_for_stop, whatsapp_delivery

    async with build_services(settings) as services:
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
        web_runner = None
        delivering: asyncio.Task[None] | None = None
        sweeping: asyncio.Task[None] | None = None
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
                        redis=services.redis,
                    )
                    await stack.enter_async_context(
                        staff_running(services, dispatcher, kick=delivery.kick)
                    )
                hook = None
                if bot is not None and dispatcher is not None and settings.telegram_webhook:
                    assert settings.telegram_webhook_secret
                    hook = TelegramHook(
                        bot, dispatcher, settings.telegram_webhook_secret, services.redis
                    )
                # the web server: webhooks (WhatsApp, Telegram), health and metrics; also
                # for health and metrics alone when TAWASUL_HTTP_PORT is set
                if hook is not None or settings.whatsapp_enabled or settings.http_port_given:
                    web_runner = await start_web(services, telegram=hook)
                whatsapp = whatsapp_delivery(web_runner) if web_runner is not None else None
                if whatsapp is not None:
                    # notifications, and the receipt card after the confirmation
                    delivery.handlers[WHATSAPP] = WithReceipts(
                        whatsapp, services.cards, WhatsAppCardSend(whatsapp.sender)
                    )
                delivering = asyncio.create_task(delivery.run_forever(stop), name="outbox")
                sweeping = asyncio.create_task(
                    sweep_forever(
                        services.media,
                        services.sessions,
                        stop,
                        grace=dt.timedelta(hours=settings.media_grace_hours),
                    ),
                    name="media-sweep",
                )
                if bot is None or dispatcher is None or hook is not None:
                    await wait_for_stop()
                else:
                    await run_polling(bot, dispatcher)
        finally:
            # the web server first: readiness turns 503 and the webhook queues drain
            # while the outbox can still deliver what they produce
            if web_runner is not None:
                await web_runner.cleanup()
            stop.set()
            for task in (delivering, sweeping):
                if task is not None:
                    await task
            if bot is not None:
                await bot.session.close()


async def _webhook(settings: Settings, action: str) -> int:
    from bot.channels.telegram_webhook_admin import run_webhook

    return await run_webhook(settings, action, sys.stdout)


async def _db_upgrade(settings: Settings) -> None:
    from bot.app import prepare_data_dir
    from bot.db.migrate import upgrade

    prepare_data_dir(settings.data_dir)
    await upgrade(settings.sqlalchemy_url)
    print("database is up to date")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="tawasul", description="Tawasul request bot")
    sub = parser.add_subparsers(dest="command", required=True)
    chat_p = sub.add_parser("chat", help="the resident dialogue in this terminal")
    chat_p.add_argument("--user", default="local", help="who is chatting (a local user key)")
    sub.add_parser("run", help="run the configured channels (terminal chat without a token)")
    add_staff_parser(sub)
    hook_p = sub.add_parser(
        "webhook", help="register the Telegram webhook (a deploy step, run once), show or remove it"
    )
    hook_p.add_argument("action", choices=["set", "info", "delete"])
    db_p = sub.add_parser("db", help="database maintenance")
    db_p.add_argument("action", choices=["upgrade"])
    args = parser.parse_args(argv)

    # Everything the bot and its embedded servers write (the database, the dialogues' Redis
    # files, logs, receipts) holds identity and phone numbers: the owner's only.
    os.umask(0o077)
    settings = load_settings()
    terminal = args.command == "chat" or (
        args.command == "run" and not settings.telegram_token and not settings.whatsapp_enabled
    )
    # a person chatting in the terminal sees the bot's words only; the log is in a file
    configure_logging(
        settings.log_level,
        file=settings.data_dir / LOG_FILE if terminal else None,
        fmt=settings.log_format,
    )
    try:
        if args.command == "chat":
            asyncio.run(_chat(settings, args.user))
        elif args.command == "run":
            asyncio.run(_run(settings))
        elif args.command == "webhook":
            sys.exit(asyncio.run(_webhook(settings, args.action)))
        elif args.command == "staff":
            sys.exit(asyncio.run(run_staff(settings, args)))
        else:
            asyncio.run(_db_upgrade(settings))
    except KeyboardInterrupt:
        pass
    if terminal:
        # Everything is closed by now (database, Redis, the embedded server left or
        # stopped, the outbox task) and the goodbye printed; tearing down the interpreter's
        # modules took seconds more on a loaded machine, which a person at Ctrl-D waits
        # through. So the terminal chat ends here.
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
