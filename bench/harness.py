"""What the Telegram benchmarks share: the simulated residents, the Bot API they talk to
(the stand-in in this process, or one running alone at ``--api URL``), and the figures.

A resident reads what the bot last showed them (its inline keyboard, or the
share-my-number keyboard) and answers the way a person filing a request would: /start,
"individual", the service's group, the service, the identity number, "share my number",
the description, two photos as an album, "done", "confirm". What the bot showed is read
off the bot's own Bot API calls (an aiogram request middleware, :class:`Screen`), so the
bench asks the stand-in nothing per update and works the same whichever process serves it.

The figures are bench/figures.py's, the screen bench/screen.py's, the Bot API and the
photos bench/standin_api.py's; their names are also here, where the benches import them.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update

from conversations.stale_buttons import split_stamp
from standins.telegram_updates import TgUser, UpdateFactory

if __package__:  # imported as bench.harness (tests, bench/load_people.py)
    from .figures import JSON, BenchError, Counted, figures, peak_rss_mb, report
    from .screen import API_WAIT, Screen
    from .standin_api import (
        PHOTO,
        PHOTOS_PER_PERSON,
        BotApi,
        bot_api,
        distinct_photo,
        new_photo,
    )
else:  # python bench/dialogue.py: bench/ is first on the path
    from figures import JSON, BenchError, Counted, figures, peak_rss_mb, report
    from screen import API_WAIT, Screen
    from standin_api import (
        PHOTO,
        PHOTOS_PER_PERSON,
        BotApi,
        bot_api,
        distinct_photo,
        new_photo,
    )

__all__ = [
    "BenchError",
    "BotApi",
    "Counted",
    "Screen",
    "bot_api",
    "distinct_photo",
    "figures",
    "new_photo",
    "peak_rss_mb",
    "report",
]

IDENTITY = {"resident": "2000000006", "citizen": "1000000008"}
DESCRIPTION = (
    "انتهت صلاحية هويتي وأحتاج إلى إصدار هوية مقيم جديدة، وقد حاولت من أبشر ولم تنجح العملية."
)
PHONE = "966501234567"
NAV = frozenset({"back", "cancel", "help"})
# A dialogue that has not reached "confirm" after this many updates is stuck.
MAX_UPDATES_PER_USER = 30


@dataclass
class Person:
    user: TgUser
    latencies: list[float] = field(default_factory=list)
    # the same less the time spent waiting on Bot API calls
    own: list[float] = field(default_factory=list)
    #: the process's CPU seconds over each update (all threads): the update's own CPU time
    #: when residents run one at a time (--sequential), which a loaded machine does not
    #: inflate the way it inflates latency
    cpu: list[float] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    sent_identity: bool = False
    sent_phone: bool = False
    sent_description: bool = False
    photos_sent: int = 0
    confirmed: bool = False


Feed = Callable[[JSON], Awaitable[None]]


@dataclass
class Residents:
    """Drives people through the intake against a bot fed through `feed` (raw Update
    JSON in, handled when it returns)."""

    screen: Screen
    updates: UpdateFactory
    group: str
    service: str
    identity: str
    photo_ids: list[str]
    feed: Feed
    #: the latency of the very first update this process handled, in seconds
    first: float | None = None
    #: per kind of update (:func:`update_kind`), the (latency, CPU) seconds of the first
    #: one this process handled: what a step pays the first time, start-up not done
    first_of_kind: dict[str, tuple[float, float]] = field(default_factory=dict)

    def next_update(self, person: Person) -> JSON | None:
        """What the person sends next, read off the bot's last keyboard; None when done."""
        user, chat = person.user, person.user.id
        datas, wants_contact = self.screen.keyboards.get(chat, ((), False))
        # a button's data may carry its question's stamp («ind~3fa9c2»): read by its id,
        # tapped with the data it was sent with, as a person's tap sends it back
        sent_as = {split_stamp(data)[0]: data for data in datas}
        ids = tuple(sent_as)

        def tap(button: str) -> JSON:
            return self.updates.callback(
                user, sent_as.get(button, button), message=self.screen.messages.get(chat)
            )

        if person.confirmed:
            return None
        if wants_contact:
            person.sent_phone = True
            return self.updates.contact(user, PHONE, own=True)
        if "confirm" in ids:
            person.confirmed = True
            return tap("confirm")
        for step in ("ind", f"g:{self.group}", f"s:{self.service}"):
            if step in ids:
                return tap(step)
        if "done" in ids:
            if person.photos_sent < PHOTOS_PER_PERSON:
                person.photos_sent += 1
                file_id = self.photo_ids.pop()
                return self.updates.photo(
                    user, file_id, file_size=len(PHOTO), media_group_id=f"album-{chat}"
                )
            return tap("done")
        if ids and set(ids) <= NAV:  # a step that wants typed text
            if not person.sent_identity:
                person.sent_identity = True
                return self.updates.text(user, self.identity)
            if person.sent_phone and not person.sent_description:
                person.sent_description = True
                return self.updates.text(user, DESCRIPTION)
        raise BenchError(f"user {chat}: no way forward from keyboard {ids!r}")

    async def _send(self, person: Person, raw: JSON) -> None:
        waited = [0.0]
        token = API_WAIT.set(waited)
        started, cpu = time.perf_counter(), time.process_time()
        try:
            await self.feed(raw)
        finally:
            API_WAIT.reset(token)
        took = time.perf_counter() - started
        person.latencies.append(took)
        person.own.append(took - waited[0])
        person.cpu.append(time.process_time() - cpu)
        person.kinds.append(update_kind(raw))
        if self.first is None:
            self.first = took
        self.first_of_kind.setdefault(person.kinds[-1], (took, person.cpu[-1]))

    async def run_person(self, person: Person) -> None:
        await self._send(person, self.updates.text(person.user, "/start"))
        for _ in range(MAX_UPDATES_PER_USER):
            raw = self.next_update(person)
            if raw is None:
                return
            await self._send(person, raw)
        raise BenchError(f"user {person.user.id}: not finished in {MAX_UPDATES_PER_USER}")

    async def run(self, people: list[Person], *, sequential: bool) -> None:
        """All at once, or (`sequential`) one after another: latency without queueing."""
        if sequential:
            for person in people:
                await self.run_person(person)
        else:
            await asyncio.gather(*(self.run_person(p) for p in people))


def update_kind(raw: JSON) -> str:
    """What a resident's update is, as a step sees it: a tap on a button (by its data), a
    photo, a contact, /start or typed text."""
    if "callback_query" in raw:
        return f"tap:{raw['callback_query']['data']}"
    message = raw.get("message", {})
    for kind in ("photo", "contact"):
        if kind in message:
            return kind
    return "/start" if message.get("text") == "/start" else "text"


def feeder(dispatcher: Dispatcher, bot: Bot) -> Feed:
    """Raw Update JSON into `dispatcher`, as a webhook or getUpdates body arrives: parsing
    it is the bot's work too."""

    async def feed(raw: JSON) -> None:
        update = Update.model_validate(raw, context={"bot": bot})
        await dispatcher.feed_update(bot, update)

    return feed


def residents_of(
    screen: Screen, api: BotApi, group: str, service: str, kind: str, feed: Feed
) -> Residents:
    """Residents filing `service` (of `group`) with the identity number of `kind`."""
    return Residents(screen, fresh_updates(), group, service, IDENTITY[kind], api.photo_ids, feed)


async def measure(
    residents: Residents, args: Any, counting: Callable[[], None] | None = None
) -> tuple[list[Person], Counted]:
    """Runs ``args.warmup`` residents, not counted, then ``args.users`` counted ones (one
    at a time with ``args.sequential``); `counting` is called just before the counted
    ones start. Returns them and the counted phase's times."""
    await residents.run(new_people(args.warmup), sequential=args.sequential)
    people = new_people(args.users)
    if counting is not None:
        counting()
    with Counted() as counted:
        await residents.run(people, sequential=args.sequential)
    return people, counted


def new_people(count: int) -> list[Person]:
    """`count` people with fresh ids, so a long-lived Redis holds nothing of theirs."""
    base = random.randrange(10**9, 5 * 10**9)
    return [Person(TgUser(base + i, f"مستخدم {i}")) for i in range(count)]


def fresh_updates() -> UpdateFactory:
    """Update ids that no earlier run against the same Redis used."""
    return UpdateFactory(first_update_id=random.randrange(10**8, 10**9))


def arguments(description: str) -> argparse.ArgumentParser:
    """The options both benchmarks take."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--users", type=int, default=200, help="counted residents (200)")
    parser.add_argument(
        "--warmup", type=int, default=0, help="residents run first, not counted (0)"
    )
    parser.add_argument("--redis", default=None, help="Redis URL (default: the embedded Valkey)")
    parser.add_argument(
        "--api",
        default=None,
        metavar="URL",
        help="a Bot API stand-in running alone (python -m standins.telegram_botapi --port P);"
        " default: one in this process",
    )
    parser.add_argument(
        "--sequential",
        action="store_true",
        help="one resident at a time: latency without queueing",
    )
    parser.add_argument(
        "--loop",
        choices=("uvloop", "asyncio"),
        default=None,
        help="the event loop (default: our bot's is tawasul run's, uvloop where installed;"
        " the baseline's asyncio's, as aiogram's documentation runs it)",
    )
    return parser


def check_arguments(parser: argparse.ArgumentParser, args: Any) -> None:
    if args.users < 1:
        parser.error("--users must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup must not be negative")
