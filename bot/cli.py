"""``tawasul``: the command line (chat, run, staff, webhook, db upgrade, redis, data)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from typing import NoReturn

from bot import metrics_shared
from bot.logging_setup import LOG_FILE, configure_logging
from bot.settings import Settings, load_settings
from bot.staff.cli import add_staff_parser, run_staff
from bot.staff.cli_args import help_locale
from bot.supervisor import LISTEN_FD_OPTION
from conversations.i18n import Texts

#: The exit status of a chat ended by Ctrl-C: 128 + SIGINT, the shell's convention, so a
#: script that ran `tawasul chat` learns it was interrupted, not finished.
INTERRUPTED = 128 + signal.SIGINT


async def _chat(settings: Settings, user: str) -> bool:
    """The terminal chat of ``user``; True when it ended by Ctrl-C."""
    from bot.app import build_services
    from bot.channels.console import CHANNEL, chat, kept_draft, opening
    from bot.channels.console_delivery import ConsoleCardSend, ConsoleDelivery
    from bot.channels.console_lines import ctrl_c_sets
    from bot.outbox.dispatcher import OutboxDispatcher
    from bot.outbox.receipts import WithReceipts

    if not settings.auto_migrate:
        from bot.db.startup import check_at_head

        await check_at_head(settings)
    async with build_services(settings, migrate=settings.auto_migrate) as services:
        # decisions taken in `tawasul staff` reach this terminal while the chat runs, and
        # so does the receipt card after the confirmation
        handler = WithReceipts(ConsoleDelivery(user), services.cards, ConsoleCardSend(user))
        # only this person's rows: another terminal's chat claiming them would put them
        # off for good (each claim deferred them 30 s, and the chat that deferred them woke
        # first at the new time)
        notices = OutboxDispatcher(services.sessions, {CHANNEL: handler}, target=user)
        services.receipts.kick = notices.kick
        # news that waited while the chat was closed (an officer's question, a decision)
        # is shown first, above «welcome back» and the question (found by the tester: the
        # news came below the menu)
        await notices.run_once()
        stop = asyncio.Event()
        delivering = asyncio.create_task(notices.run_forever(stop, poll_s=1.0))
        interrupted = asyncio.Event()
        try:
            first = await opening(services.engine.store, user)
            # Ctrl-C ends the chat as Ctrl-D does, with the goodbye, the draft kept in Redis
            with ctrl_c_sets(interrupted):
                await chat(
                    services.engine.handle,
                    services.media,
                    user_key=user,
                    first=first,
                    follow_ups=services.receipts,
                    # a block put by an officer holds here too, as on every channel
                    screen=None if services.guard is None else services.guard.screen_blocks,
                    kept=lambda: kept_draft(services.engine.store, user),
                    interrupted=interrupted,
                )
            # what the last lines released (a card) is shown before the chat ends
            await notices.run_once()
        finally:
            stop.set()
            await delivering
        return interrupted.is_set()


async def _run(settings: Settings, listen_fd: int | None) -> bool:
    """The configured channels, or the terminal chat without any; True when that chat
    ended by Ctrl-C."""
    if not settings.telegram_token and not settings.whatsapp_enabled:
        print(
            "tawasul: no TAWASUL_TELEGRAM_TOKEN set: the terminal chat (type a message, "
            f"/photo PATH [PATH…], /contact NUMBER; Ctrl-D or Ctrl-C to quit; log in {settings.data_dir / LOG_FILE})",
            file=sys.stderr,
        )
        return await _chat(settings, "local")
    from bot.runner import serve

    await serve(settings, listen_fd=listen_fd)
    return False


async def _webhook(settings: Settings, action: str) -> int:
    from bot.channels.telegram_webhook_admin import run_webhook

    return await run_webhook(settings, action, sys.stdout)


async def _db_upgrade(settings: Settings) -> None:
    """Migrates to the newest revision and says in one line what was done; alembic's own
    progress lines (a dozen at INFO) are left out of this command's output."""
    from bot.db.migrate import current_revision, head_revision, upgrade
    from bot.db.startup import database_address, prepare_data_dir, sqlite_file_missing

    logging.getLogger("alembic").setLevel(logging.WARNING)
    prepare_data_dir(settings.data_dir)
    url = settings.sqlalchemy_url
    head = head_revision(url)
    new_file = sqlite_file_missing(url)
    if new_file is not None and not new_file.parent.is_dir():
        # SQLite makes the file, not its directory: this read «cannot be reached
        # (OperationalError)» (found by the fresh-clone tester). A path only, no password.
        sys.exit(
            f"tawasul: the directory {new_file.parent.absolute()} of the SQLite file in "
            "TAWASUL_DATABASE_URL does not exist: create it, or correct the path"
        )
    try:
        before = await current_revision(url)
    except Exception as exc:  # the URL may hold a password: the error's type only
        sys.exit(
            f"tawasul: the database at {database_address(url)} cannot be reached "
            f"({type(exc).__name__})"
        )
    if before == head:
        print(f"database already up to date (revision {head})")
        return
    await upgrade(url)
    print(f"database upgraded from revision {before or 'none (empty)'} to {head}")


async def _redis(settings: Settings) -> None:
    from bot.db.startup import prepare_data_dir
    from bot.redis_conn import open_redis
    from bot.redis_migrate import migrate_keys

    prepare_data_dir(settings.data_dir)
    async with open_redis(
        settings.redis_url,
        settings.data_dir / "redis",
        sentinels=settings.redis_sentinel_target,
        cluster=settings.redis_cluster,
    ) as redis:
        done = await migrate_keys(redis)
    print(f"{done.total} keys moved to their new names")
    for pattern, count in sorted(done.moved.items()):
        print(f"  {pattern}: {count}")
    for pattern, count in sorted(done.kept_newer.items()):
        print(f"  {pattern}: {count} dropped, the new name was newer")


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    # prometheus-client's multiprocess mode is for the supervised workers only (their
    # forkserver imported it with the supervisor's directory set): any other process drops
    # the variable before prometheus-client is imported and keeps its own figures; a single
    # `tawasul run` added the last run's counts at each restart, and `tawasul staff` wrote
    # its files into the live service's directory (review 12 §5)
    operator_metrics_dir = (
        None if LISTEN_FD_OPTION in arguments else metrics_shared.take_operator_dir()
    )
    # the help in the officers' language, Arabic unless --lang en is typed (help_locale)
    texts = Texts(help_locale(arguments))
    _ = texts.gettext
    parser = argparse.ArgumentParser(prog="tawasul", description=_("Tawasul request bot"))
    sub = parser.add_subparsers(dest="command", required=True, title=_("commands"))
    chat_help = _("the resident dialogue in this terminal")
    chat_p = sub.add_parser("chat", help=chat_help, description=chat_help)
    chat_p.add_argument("--user", default="local", help=_("who is chatting (a local user key)"))
    run_help = _("run the configured channels (the terminal chat without a token)")
    run_p = sub.add_parser("run", help=run_help, description=run_help)
    run_p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help=_("worker processes serving the one HTTP port (default TAWASUL_WORKERS, 1)"),
    )
    # the listening socket a supervised worker inherits (bot.supervisor); not for people
    run_p.add_argument(LISTEN_FD_OPTION, type=int, default=None, help=argparse.SUPPRESS)
    add_staff_parser(sub, texts)
    hook_help = _("register the Telegram webhook (a deploy step, run once), show or remove it")
    hook_p = sub.add_parser("webhook", help=hook_help, description=hook_help)
    hook_p.add_argument("action", choices=["set", "info", "delete"])
    db_help = _("database maintenance")
    db_p = sub.add_parser("db", help=db_help, description=db_help)
    db_p.add_argument("action", choices=["upgrade"])
    redis_help = _("Redis maintenance: migrate-keys moves keys to their hash-tagged names")
    redis_p = sub.add_parser("redis", help=redis_help, description=redis_help)
    redis_p.add_argument("action", choices=["migrate-keys"])
    data_help = _("personal data: purge redacts decided requests past TAWASUL_RETENTION_DAYS")
    data_p = sub.add_parser("data", help=data_help, description=data_help)
    data_p.add_argument("action", choices=["purge"])
    data_p.add_argument(
        "--dry-run", action="store_true", help=_("only list what would be redacted")
    )
    data_p.add_argument("--lang", choices=("ar", "en"), default="ar", help=_("output language"))
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
    workers = 1
    if args.command == "run" and args.listen_fd is None:
        workers = args.workers if args.workers is not None else settings.workers
        if workers < 1:
            parser.error("--workers must be at least 1")
        if workers > 1 and terminal:
            sys.exit(
                f"tawasul: {workers} workers serve webhooks and polling; without "
                "TAWASUL_TELEGRAM_TOKEN or WhatsApp `tawasul run` is the terminal chat, "
                "one process (set TAWASUL_WORKERS=1)"
            )
    interrupted = False
    try:
        if args.command == "chat":
            interrupted = asyncio.run(_chat(settings, args.user))
        elif args.command == "run" and workers > 1:
            from bot.db.startup import prepare_database
            from bot.supervisor import supervise

            # once, here, before any worker starts: workers never migrate (N of them would
            # each take the migration lock at every start and restart), and with
            # TAWASUL_AUTO_MIGRATE off each would stop with the same line, and be started
            # again, and again
            asyncio.run(prepare_database(settings))
            if operator_metrics_dir is not None:
                # the operator's directory, for the workers (emptied by the supervisor)
                os.environ[metrics_shared.DIR_ENV] = operator_metrics_dir
            sys.exit(
                supervise(
                    workers,
                    settings.http_host,
                    settings.http_port,
                    drain_s=settings.drain_s,
                    stall_s=settings.worker_stall_s,
                )
            )
        elif args.command == "run":
            from bot import event_loop

            # uvloop for the channels; the terminal chat (no channel configured) keeps
            # asyncio's loop, which its Ctrl-C handling was written and tested on
            loop: event_loop.LoopName | None = "asyncio" if terminal else None
            interrupted = event_loop.run(_run(settings, args.listen_fd), loop=loop)
        elif args.command == "webhook":
            sys.exit(asyncio.run(_webhook(settings, args.action)))
        elif args.command == "staff":
            code = asyncio.run(run_staff(settings, args))
            # in here, not at the interpreter's exit: `tawasul staff list | head` ends its
            # reader early, and the flush of what is left must meet the handler below
            sys.stdout.flush()
            sys.exit(code)
        elif args.command == "redis":
            asyncio.run(_redis(settings))
        elif args.command == "data":
            from bot.retention import run_purge

            asyncio.run(run_purge(settings, dry_run=args.dry_run, out=sys.stdout, locale=args.lang))
        else:
            asyncio.run(_db_upgrade(settings))
    except KeyboardInterrupt:
        # Ctrl-C before the chat listens for it, or a second one during a turn
        interrupted = terminal
    except BrokenPipeError:
        # the reader of our output left (`| head`): no traceback for that. Python's
        # documented way out: stdout to devnull, so the flush at exit cannot fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except SystemExit as stop:
        if not (terminal or args.command == "run"):
            raise
        # a refusal at start-up (SettingsError, RedisUnsuitable: one line) or the
        # supervisor's exit code: said as Python would, then ended as below
        if isinstance(stop.code, str):
            print(stop.code, file=sys.stderr)
        _end_now(stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1))
    except Exception:
        if not (terminal or args.command == "run"):
            raise
        logging.getLogger("tawasul").exception("tawasul %s stopped by an error", args.command)
        if terminal:
            print(
                f"tawasul: stopped by an error; the log ({settings.data_dir / LOG_FILE}) "
                "has the details",
                file=sys.stderr,
            )
        _end_now(1)
    if terminal or args.command == "run":
        # Everything is closed by now (database, Redis, the embedded server left or
        # stopped, the outbox task) and the goodbye printed; tearing down the interpreter's
        # modules took seconds more on a loaded machine, which a person at Ctrl-D waits
        # through, and a stopping worker is one its supervisor waits for (the drain's bound,
        # TAWASUL_DRAIN_S, is meant to be the whole of it). So the chat and run end here.
        _end_now(INTERRUPTED if interrupted else 0)


def _end_now(code: int) -> NoReturn:
    """Ends the process with ``code`` without the interpreter's teardown. Also after an
    error: the teardown waits for every thread that is not a daemon (aiosqlite's connection
    threads are not; nor is a pool's manager), so a start-up that failed with one of them
    still open would leave a process that never exits, which a supervisor (systemd,
    Kubernetes) takes for one still starting."""
    try:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # a closed pipe or stream (output piped to `head`) must not stop the exit
    os._exit(code)


if __name__ == "__main__":
    main()
