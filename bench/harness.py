"""What the Telegram benchmarks share: the simulated residents, the Bot API they talk to
(the stand-in in this process, or one running alone at ``--api URL``), and the figures.

A resident reads what the bot last showed them (its inline keyboard, or the
share-my-number keyboard) and answers the way a person filing a request would: /start,
"individual", the service's group, the service, the identity number, "share my number",
the description, two photos as an album, "done", "confirm". What the bot showed is read
off the bot's own Bot API calls (an aiogram request middleware, :class:`Screen`), so the
bench asks the stand-in nothing per update and works the same whichever process serves it.

Figures (one JSON line, see :func:`figures`): ``updates_per_s``, ``p50_ms``, ``p99_ms``,
``max_ms``, ``first_update_ms`` (the process's very first update, after start-up),
``first_of_resident_max_ms`` (the slowest /start among the counted residents),
``first_of_kind`` (the latency and CPU time of the first update of each kind the process
handled: each button's tap, a photo, a contact, /start, text) with its slowest
``first_of_kind_max_ms`` and ``first_of_kind_max_cpu_ms``, ``cpu_ms_by_kind`` (the median CPU
time of the counted updates of each kind; CPU times are an update's own only with
``--sequential``),
``cpu_ms_per_update`` (the process's CPU time, all threads, over the counted updates,
divided by their number) and ``peak_rss_mb`` (``getrusage`` maximum resident set).
``own_p50_ms`` and ``own_p99_ms`` are the same latencies less the time the update waited on
Bot API calls (each call the bot makes while handling it, timed by :class:`Screen`): the
bot's own part, which the stand-in and the HTTP hops do not weigh on; ``api_ms_per_update``
is the mean of that waiting. File downloads stream outside the calls and count as own.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import random
import resource
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiogram import Bot, Dispatcher
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, Update
from PIL import Image

from conversations.stale_buttons import split_stamp
from standins.telegram_botapi import DEFAULT_TOKEN, TelegramBotAPIStandin, fake_file_id
from standins.telegram_updates import TgUser, UpdateFactory

JSON = dict[str, Any]

IDENTITY = {"resident": "2000000006", "citizen": "1000000008"}
DESCRIPTION = (
    "انتهت صلاحية هويتي وأحتاج إلى إصدار هوية مقيم جديدة، وقد حاولت من أبشر ولم تنجح العملية."
)
PHONE = "966501234567"
NAV = frozenset({"back", "cancel", "help"})
# A dialogue that has not reached "confirm" after this many updates is stuck.
MAX_UPDATES_PER_USER = 30
PHOTOS_PER_PERSON = 2


class BenchError(RuntimeError):
    pass


def new_photo() -> bytes:
    """A real JPEG of about 70 KB, of noise drawn afresh: the bot decides a file's type
    from its bytes, so random bytes are refused (and the dialogue never reaches
    «confirm»), and it keeps a file sent twice to one request once, so the photos of one
    album must differ."""
    out = io.BytesIO()
    Image.effect_noise((400, 300), 48).convert("RGB").save(out, format="JPEG", quality=85)
    return out.getvalue()


PHOTO = new_photo()


def distinct_photo(tag: str) -> bytes:
    """:data:`PHOTO` with ``tag`` after the end of its JPEG data: the same picture to look
    at, but a different file to the bot, which keeps the same bytes once per request (so
    a person's two photos must differ, as real ones do)."""
    return PHOTO + tag.encode()


#: The seconds the update being fed has waited on Bot API calls so far (one list per
#: update, set by Residents._send; aiogram handles an update in the task that feeds it).
_API_WAIT: ContextVar[list[float] | None] = ContextVar("bench_api_wait", default=None)


# --------------------------------------------------------------------------- the screen


@dataclass
class Screen:
    """What each private chat shows, read off the bot's own calls: an aiogram request
    middleware (``bot.session.middleware(screen)``). Like the stand-in's
    ``last_keyboard``: the last call that carried an inline or reply keyboard decides."""

    bot_user: JSON = field(
        default_factory=lambda: {"id": 123456789, "is_bot": True, "first_name": "Bot"}
    )
    # chat id -> (callback ids of the inline keyboard, whether it asks for the contact)
    keyboards: dict[int, tuple[tuple[str, ...], bool]] = field(default_factory=dict)
    # chat id -> the bot message that carries the last inline keyboard (for a tap on it)
    messages: dict[int, JSON] = field(default_factory=dict)
    # chat id -> what the bot sent there, in order: (API method, text or caption)
    sent: dict[int, list[tuple[str, str]]] = field(default_factory=dict)

    async def __call__(
        self,
        make_request: Callable[[Bot, TelegramMethod[TelegramType]], Awaitable[Any]],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        # aiogram's annotations say Response, but what comes back is the call's result
        started = time.perf_counter()
        try:
            response = await make_request(bot, method)
        finally:
            waited = _API_WAIT.get()
            if waited is not None:
                waited[0] += time.perf_counter() - started
        chat_id = getattr(method, "chat_id", None)
        markup = getattr(method, "reply_markup", None)
        if not isinstance(chat_id, int):
            return response
        said = getattr(method, "text", None) or getattr(method, "caption", None)
        self.sent.setdefault(chat_id, []).append((method.__api_method__, str(said or "")))
        if isinstance(markup, InlineKeyboardMarkup):
            ids = tuple(
                b.callback_data
                for row in markup.inline_keyboard
                for b in row
                if b.callback_data is not None
            )
            self.keyboards[chat_id] = (ids, False)
            # the bot's replies come back unread (bot.channels.telegram_session): the Bot
            # API's JSON; the baseline's as aiogram's Message
            sent_id = response.get("message_id") if isinstance(response, dict) else None
            if isinstance(response, Message):
                sent_id = response.message_id
            if isinstance(sent_id, int):
                self.messages[chat_id] = {
                    "message_id": sent_id,
                    "from": self.bot_user,
                    "chat": {"id": chat_id, "type": "private", "first_name": "User"},
                    "date": int(time.time()),
                    "text": "…",
                }
        elif isinstance(markup, ReplyKeyboardMarkup):
            contact = any(b.request_contact for row in markup.keyboard for b in row)
            self.keyboards[chat_id] = ((), contact)
        return response


# --------------------------------------------------------------------------- the API


@dataclass
class BotApi:
    """The Bot API the bot talks to: its URL, token and photo file ids ready to send."""

    url: str
    token: str
    in_process: bool
    photo_ids: list[str]


@asynccontextmanager
async def bot_api(
    url: str | None, people: int, token: str = DEFAULT_TOKEN
) -> AsyncIterator[BotApi]:
    """The stand-in in this process (`url` None), or the one running alone at `url`
    (``python -m standins.telegram_botapi --port P``); the file ids of the photos of
    `people` residents (:func:`distinct_photo` pictures) are made downloadable there before
    anything is counted."""
    photos = people * PHOTOS_PER_PERSON
    if url is None:
        async with TelegramBotAPIStandin(token=token) as api:
            ids = [fake_file_id("photo") for _ in range(photos)]
            for file_id in ids:
                api.add_file(file_id, distinct_photo(file_id))
            yield BotApi(api.url, api.token, True, ids)
        return
    base = url.rstrip("/")
    ids = []
    async with aiohttp.ClientSession() as session:
        # one file a call: each has bytes of its own (see distinct_photo)
        for index in range(photos):
            async with session.post(
                f"{base}/_standin/files",
                params={"count": "1"},
                data=distinct_photo(f"photo-{index}"),
            ) as answer:
                if answer.status != 200:
                    raise BenchError(f"{base}: the stand-in refused files ({answer.status})")
                ids += (await answer.json())["file_ids"]
    yield BotApi(base, token, False, ids)


# --------------------------------------------------------------------------- residents


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
        token = _API_WAIT.set(waited)
        started, cpu = time.perf_counter(), time.process_time()
        try:
            await self.feed(raw)
        finally:
            _API_WAIT.reset(token)
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


def report(result: JSON, users: int) -> None:
    """Prints the JSON line; exits 1 (after printing it) when not every counted resident
    filed a request, so a run that measured a broken dialogue is not taken for a result."""
    print(json.dumps(result))
    if result["requests_created"] != users:
        print(
            f"bench: {result['requests_created']} requests filed for {users} users", file=sys.stderr
        )
        sys.exit(1)


def new_people(count: int) -> list[Person]:
    """`count` people with fresh ids, so a long-lived Redis holds nothing of theirs."""
    base = random.randrange(10**9, 5 * 10**9)
    return [Person(TgUser(base + i, f"مستخدم {i}")) for i in range(count)]


def fresh_updates() -> UpdateFactory:
    """Update ids that no earlier run against the same Redis used."""
    return UpdateFactory(first_update_id=random.randrange(10**8, 10**9))


# --------------------------------------------------------------------------- figures


@dataclass
class Counted:
    """The counted phase: wall and CPU time around it."""

    wall_s: float = 0.0
    cpu_s: float = 0.0
    _wall0: float = 0.0
    _cpu0: float = 0.0

    def __enter__(self) -> Counted:
        self._wall0, self._cpu0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall_s = time.perf_counter() - self._wall0
        self.cpu_s = time.process_time() - self._cpu0


def peak_rss_mb() -> float:
    """The process's peak resident set so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _cpu_by_kind(people: list[Person]) -> dict[str, float]:
    by_kind: dict[str, list[float]] = {}
    for person in people:
        for kind, cpu in zip(person.kinds, person.cpu, strict=True):
            by_kind.setdefault(kind, []).append(cpu)
    return {kind: _ms(statistics.median(cpus)) for kind, cpus in by_kind.items()}


def figures(
    name: str, people: list[Person], counted: Counted, residents: Residents, args: Any
) -> JSON:
    """The JSON line's common fields (see the module's docstring)."""
    latencies = sorted(t for p in people for t in p.latencies)
    own = sorted(t for p in people for t in p.own)
    count = len(latencies)
    if count < 2:
        raise BenchError("too few updates to measure")
    return {
        "bench": name,
        "users": len(people),
        "warmup": args.warmup,
        "sequential": args.sequential,
        "api": "in-process" if args.api is None else "separate process",
        "updates": count,
        "updates_per_person": round(count / len(people), 2),
        "updates_per_s": round(count / counted.wall_s, 1),
        "p50_ms": _ms(statistics.median(latencies)),
        "p99_ms": _ms(statistics.quantiles(latencies, n=100, method="inclusive")[98]),
        "max_ms": _ms(latencies[-1]),
        "own_p50_ms": _ms(statistics.median(own)),
        "own_p99_ms": _ms(statistics.quantiles(own, n=100, method="inclusive")[98]),
        "api_ms_per_update": _ms((sum(latencies) - sum(own)) / count),
        "first_update_ms": _ms(residents.first or 0.0),
        "first_of_resident_max_ms": _ms(max(p.latencies[0] for p in people)),
        # the first update of each kind the process handled (counted or not): the slowest,
        # and every one's latency and CPU time
        "first_of_kind_max_ms": _ms(max(t for t, _ in residents.first_of_kind.values())),
        "first_of_kind_max_cpu_ms": _ms(max(c for _, c in residents.first_of_kind.values())),
        "first_of_kind": {
            kind: {"ms": _ms(t), "cpu_ms": _ms(c)}
            for kind, (t, c) in residents.first_of_kind.items()
        },
        # CPU per update over the counted ones, by kind (median), to set the firsts against
        "cpu_ms_by_kind": _cpu_by_kind(people),
        "cpu_ms_per_update": round(counted.cpu_s * 1000 / count, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        # "uvloop" or "asyncio": the event loop the bench ran on (--loop)
        "loop": type(asyncio.get_running_loop()).__module__.split(".")[0],
    }


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
