"""The check every channel makes on a person's message before any work on it: before a
file is downloaded, before the dialogue state is read or written, before SQL.

In order:

1. **Blocked** (:mod:`bot.abuse.blocks`): the person gets one polite message in their
   language, saying their messages are not handled and how to reach the directorate
   otherwise (Tawasul on Absher or Muqeem, a branch appointment on Absher: the routes the
   seeds name); every later message is dropped without a word.
2. **A flood of new chats**: a chat the bot has not seen for :data:`SEEN_TTL_S` takes one
   entry of a window shared by all new chats (``TAWASUL_NEW_CHATS_LIMIT`` per
   ``TAWASUL_NEW_CHATS_WINDOW_S``). Past it, new chats are dropped without a reply (hundreds
   of fake accounts must not cost the replies, and Telegram's 30 messages a second, of the
   people already being served) and the staff group gets one alert for the flood, not one
   per account. People the bot knows are never held back by a flood.
3. **Too fast**: ``TAWASUL_MESSAGES_PER_MINUTE`` per person (messages and button taps);
   beyond it one «slow down» saying in how many seconds they can go on, and the rest of
   the stretch dropped. **An album is one message** (Telegram's ``media_group_id``, a
   WhatsApp burst: the ``album`` a channel passes): its first file takes the entry and
   decides for the whole album (:data:`ALBUM_KEY`), so photos chosen together never use up
   the minute; an album refused is said so every time, naming the files, even within a
   stretch already told to slow down. Found by tester 13 (§3): every photo counted, so
   an ordinary person's album was cut, or dropped whole, without a word. The first file
   marks the album «pending» (SET NX) until the windows have decided; its other files,
   screened meanwhile on any worker (WhatsApp posts each file of a burst as its own
   webhook, milliseconds apart), wait for that verdict (short polls, at most
   :data:`ALBUM_WAIT_S`; a first file whose worker died leaves them admitted), so an album
   is never cut in two (review 13 §5: the key said «ok» before the window decided).
   «Pending» lasts :data:`ALBUM_PENDING_S` at most: a first file whose worker died
   mid-decision left it for the verdict's 300 s, and each later file of the album waited
   its full second (session 14); past it, the album's next file decides for the rest
   itself (taking a second entry of the minute: the dead one's may have been taken).
   «Pending» names the worker's screening (``pending:<token>``), and its verdict is
   written only while the key still holds that token or has run out with no verdict
   (one Lua script): a first file slower than :data:`ALBUM_PENDING_S`, whose album
   another worker decided meanwhile, no longer overwrites that verdict, so the album's
   remaining files follow one verdict (review 14 §8: they followed the last writer).

**Counted once per message.** Telegram redelivers an update it got no answer for with the
same update_id, WhatsApp a message with the same id, and the webhook journal replays a
body whose worker died: a message is one entry of the windows however often it arrives.
The first screening of an event id records it (:data:`EVENT_KEY`, SET NX in the first round
trip) and, when it refuses the message, why; a later screening of the same id takes no
window entry and says nothing more: a refused message is refused again in silence, an
admitted one is admitted (the engine's own claim then drops it as a duplicate, or handles
it when the worker that had it died before saving). A second copy arriving while the first
is still being screened is admitted: dropping it could lose the message if that worker
dies, and the engine's claim keeps it from being handled twice.

Two Redis round trips for a message that passes. When Redis cannot be reached the message
is let through: the dialogue, which needs Redis too, then gives its own apology.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final, Protocol

from redis.asyncio import Redis

from bot.abuse.blocks import BLOCKED_KEY, LOADED_KEY, BlockList, member
from bot.abuse.windows import Windows, window
from bot.metrics import INBOUND_REFUSED
from conversations.events import Reply
from conversations.formatting import Digits, present
from conversations.i18n import Texts
from conversations.keys import person_tag
from conversations.store import EVENT_TTL_S, DialogueStore

log = logging.getLogger(__name__)

#: How long a chat counts as known after its first message (refreshed by each message).
SEEN_TTL_S: Final = 30 * 24 * 3600
SEEN_KEY: Final = "tawasul:seen:{tag}"
#: set while a «slow down» was given for the current stretch
SLOW_KEY: Final = "tawasul:slow:{tag}"
#: how the first file of an album was screened (``ok`` or why it was refused; ``pending:<token>``
#: while it is being screened): its others take no entry of the windows and go the same way
ALBUM_KEY: Final = "tawasul:album-screened:{tag}:{album}"
ALBUM_TTL_S: Final = 300
_PENDING: Final = b"pending"
# KEYS[1] the album's key. ARGV: this screening's «pending» token, the verdict, its ttl (s).
# Writes the verdict while the key holds the token or has run out (no verdict yet); leaves
# another worker's «pending» or verdict alone. Returns 1 when written.
_ALBUM_DECIDE: Final = """
local now = redis.call('GET', KEYS[1])
if now and now ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
return 1
"""
#: how long «pending» stands without a verdict (seconds): the windows decide in a round
#: trip or two, a second or so on a loaded machine; a first file whose worker died holds
#: the album's other files no longer than this
ALBUM_PENDING_S: Final = 5.0
#: how long another file of an album waits for its first file's verdict (seconds; the
#: windows take a Redis round trip or two), and how often it looks
ALBUM_WAIT_S: Final = 1.0
ALBUM_POLL_S: Final = 0.02
#: set while the staff group has been alerted of a flood (one alert per flood)
FLOOD_ALERT_KEY: Final = "tawasul:flood:alerted"
#: an event id screened already: ``ok`` (admitted, or being screened) or why it was refused
EVENT_KEY: Final = "tawasul:screened:{channel}:{event_id}"
_ADMITTED: Final = b"ok"

#: told of the flood's size: (new chats admitted in the window, the window in seconds)
FloodAlert = Callable[[int, int], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Verdict:
    """``admit``: handle the message; otherwise send ``replies`` (perhaps none) and stop."""

    admit: bool
    replies: tuple[Reply, ...] = ()
    why: str = ""


ADMIT: Final = Verdict(True)


def _is_pending(raw: bytes | str | None) -> bool:
    """Whether an album's key says its first file is still being screened
    (``pending:<token>``, or plain ``pending`` as written before the token)."""
    if isinstance(raw, str):
        raw = raw.encode()
    return raw is not None and (raw == _PENDING or raw.startswith(_PENDING + b":"))


class Screen(Protocol):
    """What a channel calls (:meth:`InboundGuard.screen`): (channel, user key, event id,
    album) -> verdict; the event id is the update_id or the WhatsApp message id (None: not
    known, every screening counts); ``album`` the id grouping files sent together (None
    for anything else)."""

    def __call__(
        self, channel: str, user_key: str, event_id: str | None = None, album: str | None = None
    ) -> Awaitable[Verdict]: ...


class InboundGuard:
    def __init__(
        self,
        redis: Redis,
        blocks: BlockList,
        store: DialogueStore,
        *,
        messages_per_minute: int,
        new_chats_limit: int,
        new_chats_window_s: int,
        alert: FloodAlert | None = None,
        arabic_digits: Digits = "arab",
        windows: Windows | None = None,
    ) -> None:
        self._redis = redis
        self._blocks = blocks
        self._store = store
        self._per_minute = window(messages_per_minute, 60) if messages_per_minute else None
        self._new_chats = window(new_chats_limit, new_chats_window_s) if new_chats_limit else None
        self._new_chats_window_s = new_chats_window_s
        self._alert = alert
        self._digits: Digits = arabic_digits
        self._windows = windows or Windows(redis)
        self._album_decide = redis.register_script(_ALBUM_DECIDE)

    async def screen(
        self, channel: str, user_key: str, event_id: str | None = None, album: str | None = None
    ) -> Verdict:
        """Whether to handle message ``event_id`` of (channel, user_key), or what to answer
        instead; a redelivered ``event_id`` is not counted again, nor a file of ``album``
        after its first (see the module's text)."""
        try:
            verdict = await self._screen(channel, user_key, event_id, album)
        except Exception:
            log.exception("inbound guard failed on %s; the message is let through", channel)
            return ADMIT
        if not verdict.admit:
            INBOUND_REFUSED.labels(verdict.why).inc()
        return verdict

    async def screen_blocks(
        self, channel: str, user_key: str, event_id: str | None = None, album: str | None = None
    ) -> Verdict:
        """The block check alone, for the terminal chat (a :data:`Screen`): a blocked
        person gets the one notice, then nothing. The windows are left out there: the
        flood of new chats and the per-minute limit protect a shared platform from remote
        accounts, while the terminal is one person at the machine whose scripted input
        (tests, demonstrations) runs faster than 20 lines a minute."""
        try:
            locale = await self._blocks.blocked_locale(channel, user_key)
            verdict = ADMIT if locale is None else await self._blocked(channel, user_key, locale)
        except Exception:
            log.exception("block check failed on %s; the message is let through", channel)
            return ADMIT
        if not verdict.admit:
            INBOUND_REFUSED.labels(verdict.why).inc()
        return verdict

    async def _screen(
        self, channel: str, user_key: str, event_id: str | None, album: str | None
    ) -> Verdict:
        key, tag = member(channel, user_key), person_tag(channel, user_key)
        event_key = (
            None if event_id is None else EVENT_KEY.format(channel=channel, event_id=event_id)
        )
        # keys in several Cluster slots: a pipeline without a transaction, split by node
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.hget(BLOCKED_KEY, key)
            pipe.exists(LOADED_KEY)
            # EXPIRE answers whether the chat is known and keeps it known, in one command
            pipe.expire(SEEN_KEY.format(tag=tag), SEEN_TTL_S)
            if event_key is not None:
                # NX GET (Redis 7.0): records the event, and says how it was screened before
                pipe.set(event_key, _ADMITTED, nx=True, ex=EVENT_TTL_S, get=True)
            locale, loaded, known, *screened = await pipe.execute()
        if not loaded:
            raw = await self._blocks.blocked_locale(channel, user_key)
            locale = raw.encode() if raw else None
        if locale is not None:
            return await self._blocked(channel, user_key, locale.decode())
        before = screened[0] if screened else None
        if before is not None:
            # a redelivery: counted when it first came; refused then, refused now, in silence
            return ADMIT if before == _ADMITTED else Verdict(False, why=before.decode())
        verdict = await self._counted(channel, user_key, key, tag, known, album)
        if not verdict.admit and event_key is not None:
            await self._redis.set(event_key, verdict.why.encode(), xx=True, keepttl=True)
        return verdict

    async def _counted(
        self, channel: str, user_key: str, key: str, tag: str, known: bool, album: str | None
    ) -> Verdict:
        """The windows' word on a message seen for the first time (it takes its entries);
        a file of ``album`` after its first goes as the first went, taking none."""
        if album is None:
            return await self._windows_say(channel, user_key, key, tag, known, album=False)
        album_key = ALBUM_KEY.format(tag=tag, album=album)
        token = _PENDING + b":" + secrets.token_hex(8).encode()
        before = await self._redis.set(
            album_key, token, nx=True, px=int(ALBUM_PENDING_S * 1000), get=True
        )
        if isinstance(before, (bytes, str)):
            return await self._album_verdict(album_key, before)
        verdict = ADMIT
        try:
            verdict = await self._windows_say(channel, user_key, key, tag, known, album=True)
        finally:
            # on an error screen() admits this file: the others go the same way
            word = _ADMITTED if verdict.admit else verdict.why.encode()
            # the album's verdict, kept as long as its files may come; written also when
            # the short «pending» ran out with no verdict (the files after it go this
            # way), never over another worker's «pending» or verdict (review 14 §8)
            await self._album_decide(keys=[album_key], args=[token, word, ALBUM_TTL_S])
        return verdict

    async def _album_verdict(self, album_key: str, word: bytes | str) -> Verdict:
        """Another file of an album: its first file's verdict, waited for while pending
        (admitted when none comes within :data:`ALBUM_WAIT_S`); a refusal was told with the
        first file, so the rest go with it in silence."""
        raw: bytes | str | None = word
        for _ in range(round(ALBUM_WAIT_S / ALBUM_POLL_S)):
            if not _is_pending(raw):
                break
            await asyncio.sleep(ALBUM_POLL_S)
            raw = await self._redis.get(album_key)
        if raw is None or raw == _ADMITTED or _is_pending(raw):
            return ADMIT
        return Verdict(False, why=raw.decode() if isinstance(raw, bytes) else str(raw))

    async def _windows_say(
        self, channel: str, user_key: str, key: str, tag: str, known: bool, *, album: bool
    ) -> Verdict:
        """The flood and per-minute windows' word, taking their entries."""
        if not known and self._new_chats is not None:
            if await self._windows.take(self._new_chats, "new-chats"):
                await self._flood()
                return Verdict(False, why="flood")
        if not known:
            await self._redis.set(SEEN_KEY.format(tag=tag), b"1", ex=SEEN_TTL_S)
        if self._per_minute is not None:
            wait = await self._windows.take(self._per_minute, "messages", key)
            if wait and album:
                return await self._files_too_fast(channel, user_key, wait)
            if wait:
                return await self._too_fast(channel, user_key, wait)
        return ADMIT

    async def _blocked(self, channel: str, user_key: str, locale: str) -> Verdict:
        if not await self._blocks.first_notice(channel, user_key):
            return Verdict(False, why="blocked")
        text = present(blocked_text(locale), locale, self._digits)
        return Verdict(False, (Reply(text, locale=locale),), why="blocked")

    async def _too_fast(self, channel: str, user_key: str, wait: int) -> Verdict:
        told = await self._redis.set(
            SLOW_KEY.format(tag=person_tag(channel, user_key)), b"1", nx=True, ex=wait
        )
        if not told:
            return Verdict(False, why="too_fast")
        locale = (await self._store.load(channel, user_key)).locale
        text = present(slow_down_text(locale, wait), locale, self._digits)
        return Verdict(False, (Reply(text, locale=locale),), why="too_fast")

    async def _files_too_fast(self, channel: str, user_key: str, wait: int) -> Verdict:
        """An album refused: said every time, naming the files, since a person who sent
        photos must know they did not arrive (the stretch's «slow down» is set too)."""
        tag = person_tag(channel, user_key)
        await self._redis.set(SLOW_KEY.format(tag=tag), b"1", nx=True, ex=wait)
        locale = (await self._store.load(channel, user_key)).locale
        text = present(files_refused_text(locale, wait), locale, self._digits)
        return Verdict(False, (Reply(text, locale=locale),), why="too_fast")

    async def _flood(self) -> None:
        assert self._new_chats is not None
        first = await self._redis.set(
            FLOOD_ALERT_KEY, b"1", nx=True, ex=max(3600, self._new_chats_window_s)
        )
        if not first:
            return
        log.warning(
            "flood of new chats: more than %d in %d s; new chats dropped",
            self._new_chats.amount,
            self._new_chats_window_s,
        )
        if self._alert is not None:
            try:
                await self._alert(self._new_chats.amount, self._new_chats_window_s)
            except Exception:
                # the alert is worth another try on the next dropped chat; this chat is
                # dropped all the same (raising would let screen() admit it)
                log.exception("the staff group could not be alerted of the flood")
                await self._redis.delete(FLOOD_ALERT_KEY)


def blocked_text(locale: str) -> str:
    """The one message a blocked person gets."""
    _ = Texts(locale).gettext
    return _(
        "Your messages to this service are no longer being handled. You can still reach the General Directorate of Passports through the Tawasul service on the Absher platform (or Muqeem for establishments), or visit the nearest passports branch after booking an appointment on Absher."
    )


def slow_down_text(locale: str, seconds: int) -> str:
    """The one answer to a person who writes faster than the limit."""
    texts = Texts(locale)
    return texts.ngettext(
        "You are sending messages faster than I can take them. Please wait %(count)d second, then send your message again.",
        "You are sending messages faster than I can take them. Please wait %(count)d seconds, then send your message again.",
        seconds,
    ) % {"count": seconds}


def files_refused_text(locale: str, seconds: int) -> str:
    """The answer to photos or files sent together (an album) past the limit."""
    texts = Texts(locale)
    return texts.ngettext(
        "You are sending messages faster than I can take them, so the photos or files you just sent were not received. Please wait %(count)d second, then send them again.",
        "You are sending messages faster than I can take them, so the photos or files you just sent were not received. Please wait %(count)d seconds, then send them again.",
        seconds,
    ) % {"count": seconds}
