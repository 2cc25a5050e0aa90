"""The residents of bench/load.py and what they talk to: the Bot API stand-in that tells
each one of the bot's replies (Recorder), and the deliveries to the workers' webhook, done
as Telegram does them (Deliveries).

A resident sends one thing at a time (an album's two photos together) and waits for the
bot's answer before going on, reading the buttons of the bot's last message as a person
would. An answer without buttons (an apology) makes them say the same again, and so does an
apology among the answers to an album (its photo was not kept); no answer at all within its
reply_timeout_s counts as an unanswered update, and they try again too.
"""

from __future__ import annotations

import asyncio
import bisect
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import aiohttp
from aiohttp import web

from bench.harness import DESCRIPTION, IDENTITY, NAV, new_photo
from bench.load_cluster import WEBHOOK_SECRET, Cluster
from bot.channels.telegram_webhook import SECRET_HEADER, WEBHOOK_PATH
from conversations.engine import apology
from conversations.i18n import LOCALES
from conversations.stale_buttons import split_stamp
from conversations.store_outage import file_apology
from domain.catalogue import Service, load_catalogue
from standins.telegram_botapi import TelegramBotAPIStandin, fake_file_id
from standins.telegram_updates import TgUser, UpdateFactory

__all__ = ["PHOTOS", "Deliveries", "Recorder", "Resident", "Timed", "pick_service"]

#: After an answer without buttons, how long to wait for the message with them (a reply
#: can come in two messages, e.g. «thank you, number saved» then the next question).
SETTLE_S: Final = 1.5
#: Updates one resident may send before the bench calls them stuck.
MAX_TURNS: Final = 40
#: Telegram goes on delivering an update for hours; the bench gives up after this long
#: (long enough for the only worker, killed, to be started again on a loaded machine).
DELIVERY_GIVE_UP_S: Final = 600.0
#: Photos in each resident's album.
PHOTOS: Final = 2
REQUEST_NUMBER = re.compile(r"\b\d{10}\b")
#: The engine's «something went wrong on our side, send it again», in either language.
APOLOGIES: Final = frozenset(
    text for locale in LOCALES for text in (apology(locale), file_apology(locale))
)

#: What a resident says next: made afresh each time it is said.
Move = Callable[[], list[dict[str, Any]]]


def pick_service() -> Service:
    """A service an individual files with a resident's number, no eligibility question and
    at most PHOTOS documents, so every resident's script reaches the end (bench/dialogue.py
    picks by the same rule; it is a script, not importable from here)."""
    for service in load_catalogue().services:
        if (
            "individual" in service.applicants
            and "resident" in service.identity_kinds
            and not service.questions
            and service.min_attachments <= PHOTOS
        ):
            return service
    raise RuntimeError("no service in the catalogue fits the load script")


@dataclass
class BotMessage:
    """A message the bot sent (sendMessage answered 200), when it reached the stand-in."""

    at: float
    text: str
    markup: dict[str, Any] | None
    message: dict[str, Any]

    @property
    def buttons(self) -> list[str]:
        """The buttons' ids (their data without the question's stamp, «ind~3fa9c2»)."""
        return [split_stamp(data)[0] for data in self.datas]

    @property
    def datas(self) -> list[str]:
        rows = (self.markup or {}).get("inline_keyboard", [])
        return [b.get("callback_data", "") for row in rows for b in row]

    def data_for(self, button: str) -> str:
        """The data ``button`` was sent with, which a tap sends back."""
        return next((d for d in self.datas if split_stamp(d)[0] == button), button)

    @property
    def wants_contact(self) -> bool:
        rows = (self.markup or {}).get("keyboard", [])
        return any(b.get("request_contact") for row in rows for b in row)

    @property
    def numbers(self) -> list[str]:
        return REQUEST_NUMBER.findall(self.text)

    @property
    def numbers_in_first_line(self) -> list[str]:
        return REQUEST_NUMBER.findall(self.text.partition("\n")[0])

    @property
    def requests_announced(self) -> set[str]:
        """The request numbers a staff-group message announces: a card names its request in
        its first line (the rest may hold other numbers); a digest, which the outbox sends
        instead of cards when more new requests are due than the group's 20 a minute allow
        (bot.outbox.telegram_staff), names each of its requests in a take button's data."""
        in_buttons = {n for data in self.datas for n in REQUEST_NUMBER.findall(data)}
        return set(self.numbers_in_first_line) | in_buttons

    def same_as(self, other: BotMessage) -> bool:
        return self.text == other.text and self.markup == other.markup


@dataclass
class Recorder(TelegramBotAPIStandin):
    """The Bot API stand-in, also keeping each chat's delivered messages in order and
    waking the resident of that chat when one arrives."""

    inbox: dict[int, list[BotMessage]] = field(default_factory=lambda: defaultdict(list))
    replies: int = 0
    _arrived: dict[int, asyncio.Event] = field(default_factory=lambda: defaultdict(asyncio.Event))

    async def _dispatch(self, method: str, params: dict[str, Any]) -> web.Response:
        response = await super()._dispatch(method, params)
        chat = params.get("chat_id")
        if method.lower() == "sendmessage" and response.status == 200 and isinstance(chat, int):
            assert isinstance(response.body, bytes)
            message = json.loads(response.body)["result"]
            markup = params.get("reply_markup")
            self.inbox[chat].append(
                BotMessage(
                    time.monotonic(),
                    str(message.get("text", "")),
                    markup if isinstance(markup, dict) else None,
                    message,
                )
            )
            self.replies += 1
            self._arrived[chat].set()
        return response

    def sent_to(self, chat: int) -> list[BotMessage]:
        return list(self.inbox.get(chat, []))

    async def wait_beyond(self, chat: int, count: int, timeout_s: float) -> bool:
        """Whether the chat has more than `count` messages within `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        while len(self.inbox[chat]) <= count:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            event = self._arrived[chat]
            event.clear()
            try:
                await asyncio.wait_for(event.wait(), left)
            except TimeoutError:
                return False
        return True


@dataclass
class Deliveries:
    """Telegram's side of the webhook, and the load balancer: each update POSTed to the
    next worker in turn, and delivered again (same update_id, next worker) until one
    answers 200."""

    cluster: Cluster
    sent: int = 0
    redeliveries: int = 0
    finished: bool = False
    _next: int = 0

    async def deliver(self, update: dict[str, Any]) -> int:
        """The index of the worker that accepted it; raises RuntimeError when none did for
        DELIVERY_GIVE_UP_S."""
        http = self.cluster.http
        assert http is not None
        body = json.dumps(update, ensure_ascii=False).encode()
        headers = {SECRET_HEADER: WEBHOOK_SECRET, "Content-Type": "application/json"}
        self.sent += 1
        give_up = time.monotonic() + DELIVERY_GIVE_UP_S
        backoff = 0.05
        while True:
            workers = self.cluster.workers
            worker = workers[self._next % len(workers)]
            self._next += 1
            try:
                async with http.post(
                    f"{worker.base}{WEBHOOK_PATH}",
                    data=body,
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=10),
                ) as answer:
                    if answer.status == 200:
                        return worker.index
                    if answer.status in (400, 401):
                        raise RuntimeError(f"webhook refused an update: {answer.status}")
            except (aiohttp.ClientError, TimeoutError):
                pass
            self.redeliveries += 1
            if time.monotonic() > give_up:
                raise RuntimeError("no worker accepted an update")
            await asyncio.sleep(backoff)
            backoff = min(1.0, backoff * 2)


@dataclass
class Timed:
    """One thing a resident said (an update, or an album's two): when it was first
    delivered and when the bot's first answer to it arrived (None: never)."""

    sent: float
    #: the chat's messages before it (the bot's answer is the next one)
    seen: int = 0
    replied: float | None = None
    #: the workers that accepted its updates
    workers: list[int] = field(default_factory=list)
    #: what its updates were (text, callback_query, photo, contact)
    kinds: list[str] = field(default_factory=list)


def _kind(update: dict[str, Any]) -> str:
    if "callback_query" in update:
        return "tap:" + str(update["callback_query"].get("data"))
    message = update.get("message", {})
    return next((k for k in ("photo", "contact", "text") if k in message), "other")


@dataclass
class Resident:
    user: TgUser
    api: Recorder
    deliveries: Deliveries
    updates: UpdateFactory
    service: Service
    #: seconds before answering each message (0: at once, the heaviest load)
    think_s: float = 0.0
    #: no answer in this long: the update is counted unanswered and they try again
    reply_timeout_s: float = 90.0
    timed: list[Timed] = field(default_factory=list)
    number: str | None = None
    apologies: int = 0
    #: the last message (its start) each time no buttons came and they said it again
    apology_texts: list[str] = field(default_factory=list)
    #: when stuck (no request number after MAX_TURNS): the bot's last messages, shortened,
    #: each with its buttons, to tell what went round in circles
    stuck: list[str] = field(default_factory=list)
    #: messages after «confirm» that showed their identity number and no request number
    #: (before, the bench took that for the request's number), shortened, with buttons
    identity_only: list[str] = field(default_factory=list)
    shared_phone: bool = False
    #: index in the inbox of the first answer after the album was sent (-1: not sent)
    album_answered_from: int = -1
    #: (index in the inbox where it was sent, what) per turn, for telling duplicates
    turns: list[int] = field(default_factory=list)

    @property
    def chat(self) -> int:
        return self.user.id

    @property
    def expected_replies(self) -> int:
        """Messages the bot sends in a filing without trouble: two after /start and after
        the number is shared, one after each other step."""
        return 12

    def duplicates(self, kills: Sequence[float] = ()) -> tuple[int, int, list[str]]:
        """(sent twice, resent after a kill, the texts sent twice): messages the bot sent
        twice in a row with nothing from the resident between. A repeat whose first copy
        reached the Bot API before a worker was killed (`kills`, monotonic times) and whose
        second came after is the replay of a turn the killed worker had answered and not
        closed, the documented window (conversations.replays); any other is an answer sent
        twice. Not counted: the late answer to a turn the resident had given up on (counted
        unanswered) arriving next to the answer to its repetition, and one apology per
        photo of an album sent while something was down (each photo is its own update)."""
        inbox = self.api.sent_to(self.chat)
        starts = set(self.turns)
        twice = resent = 0
        texts: list[str] = []
        for i in range(1, len(inbox)):
            if i in starts or not inbox[i].same_as(inbox[i - 1]):
                continue
            turn = bisect.bisect_right(self.turns, i) - 1
            updates = len(self.timed[turn].kinds) if 0 <= turn < len(self.timed) else 1
            if updates > 1 and inbox[i].text in APOLOGIES:
                continue
            if any(inbox[i - 1].at <= kill < inbox[i].at for kill in kills):
                resent += 1
            else:
                twice += 1
                texts.append(inbox[i].text[:60])
        return twice, resent, texts

    def waiting_on(self, worker: int) -> bool:
        """Whether `worker` accepted the resident's last turn and no answer to it has
        reached the Bot API yet."""
        last = self.timed[-1] if self.timed else None
        if last is None or worker not in last.workers:
            return False
        return len(self.api.inbox.get(self.chat, [])) <= last.seen

    def _tap(self, data: str, on: BotMessage) -> Move:
        return lambda: [self.updates.callback(self.user, on.data_for(data), message=on.message)]

    def _album(self) -> list[dict[str, Any]]:
        album = f"album-{self.chat}-{len(self.turns)}"
        out = []
        for _ in range(PHOTOS):
            file_id, data = fake_file_id("photo"), new_photo()
            self.api.add_file(file_id, data)
            out.append(
                self.updates.photo(self.user, file_id, file_size=len(data), media_group_id=album)
            )
        return out

    def next_move(self, last: BotMessage, index: int) -> Move | None:
        """What the resident sends on reading `last` (the inbox's message `index`), made
        afresh each time it is said (new update ids, as when a person repeats themselves);
        None when the message has no buttons to act on."""
        ids = last.buttons
        group, service = f"g:{self.service.group}", f"s:{self.service.id}"
        if last.wants_contact:
            self.shared_phone = True
            return lambda: [self.updates.contact(self.user, "966501234567", own=True)]
        for wanted in ("confirm", "ind", group, service):
            if wanted in ids:
                return self._tap(wanted, last)
        if "done" in ids:
            if 0 <= self.album_answered_from <= index:
                return self._tap("done", last)
            return self._album
        if ids and set(ids) <= NAV:
            if not self.shared_phone:
                kind = "resident" if "resident" in self.service.identity_kinds else "citizen"
                return lambda: [self.updates.text(self.user, IDENTITY[kind])]
            return lambda: [self.updates.text(self.user, DESCRIPTION)]
        return None

    async def _say(self, move: list[dict[str, Any]]) -> tuple[Timed, int]:
        seen = len(self.api.inbox[self.chat])
        self.turns.append(seen)
        timed = Timed(time.monotonic(), seen)
        self.timed.append(timed)
        for update in move:
            timed.kinds.append(_kind(update))
            timed.workers.append(await self.deliveries.deliver(update))
        return timed, seen

    async def file(self, delay_s: float) -> None:
        """Files one request, start to end; when stuck, keeps the bot's last messages in
        `stuck` and gives up (counted as lost; the run goes on, so its figures and the
        workers' logs are there to say why)."""
        await asyncio.sleep(delay_s)
        move: Move = lambda: [self.updates.text(self.user, "/start")]  # noqa: E731
        confirming = False
        for _ in range(MAX_TURNS):
            said = move()
            timed, seen = await self._say(said)
            if not await self.api.wait_beyond(self.chat, seen, self.reply_timeout_s):
                continue  # unanswered: say it again
            inbox = self.api.inbox[self.chat]
            timed.replied = inbox[seen].at
            nxt: Move | None = None
            while True:
                index = len(inbox) - 1
                last = inbox[index]
                if len(said) > 1:
                    # a photo answered with an apology was not kept: the album goes again,
                    # as the apology asks, though its other photo was received
                    sorry = any(m.text in APOLOGIES for m in inbox[seen:])
                    self.album_answered_from = -1 if sorry else seen
                # the request's number, not their identity number (the same for every
                # resident, bench.harness), which some messages after «confirm» show too
                numbers = [n for n in last.numbers if n not in IDENTITY.values()]
                if confirming and last.numbers and not numbers:
                    self.identity_only.append(f"{last.text[:120]} {last.buttons}")
                if confirming and numbers:
                    self.number = numbers[0]
                    return
                nxt = self.next_move(last, index)
                if nxt is not None:
                    break
                if not await self.api.wait_beyond(self.chat, index + 1, SETTLE_S):
                    break
            if nxt is None:
                self.apologies += 1  # no buttons came: say the same again
                self.apology_texts.append(inbox[-1].text[:60])
                continue
            confirming = "confirm" in inbox[-1].buttons
            move = nxt
            if self.think_s:
                await asyncio.sleep(self.think_s)
        self.stuck = [f"{m.text[:80]} {m.buttons}" for m in self.api.inbox.get(self.chat, [])[-4:]]
