"""A Telegram album counted before the dialogue sees it: one answer, with its count.

Telegram sends an album's photos as separate updates sharing a ``media_group_id`` and
never says how many there are. The dialogue answered such an album at its first photo
(«وصلتني ملفاتك»), and a repeated file among them got an answer of its own: two answers
for one album (session 11, helpers' own not done), where WhatsApp's, counted by
bot.channels.whatsapp_bursts, gets one. So each photo or file of an album is noted in
Redis as it arrives (:meth:`TelegramAlbums.join`: the webhook's acceptance, before its
200, or polling's fetched batch, both before the update waits its turn behind the
person's earlier ones), and the album's first file, at its turn, waits until no file of
the album has arrived for :data:`QUIET_S` (Redis's clock, so workers' clocks do not
matter) or until it holds the ten files an album can hold; then the album is closed, and
every one of its files reaches the dialogue with the count (``Media.album_size``,
``Media.album_photos``), which answers once, after the last (conversations.flows.
file_counts). A file that arrives after the close is an album of its own, so no count is
ever short; an album none of whose files was noted (a channel fed without the arrival
step) is handed over as before, uncounted.

Everything is in Redis under the chat's hash tag, so the album's updates may be accepted
and handled by different workers. An update is noted once, however often Telegram
delivers it.

Redis away (a restart on its append-only file, a failover) while a file is at these steps:
each step is tried again until Redis answers, for :data:`STORE_WAIT_S` at most, as the
dialogue's own turn waits for its store (conversations.store_outage); past that the file
goes to the dialogue uncounted, which waits for the store in its turn and, past its own
wait, tells the person the file was not received. Found in session 14 (issue 11, the load
test's Redis restart): the step's ConnectionError left the channel, the webhook logged it
and closed the update, so that file never reached the dialogue; its album, counted there
(answered after the last of its files), was never answered, neither its count nor an
apology: 3 to 11 albums a run of bench/load.py --faults redis went unanswered.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Awaitable, Callable
from typing import Any, Final, TypeVar

from aiogram.types import Message
from redis.asyncio import Redis

from bot.channels.redis_patience import AWAY as _AWAY
from bot.channels.redis_patience import STORE_WAIT_S, patient
from bot.channels.redis_patience import gave_up as _gave_up_in
from conversations.events import Media
from conversations.flows.file_counts import REFUSED

_T = TypeVar("_T")

#: How long (seconds, Redis's clock) an album waits for another of its files before it is
#: closed: Telegram sends an album's updates one right after another.
QUIET_S: Final = 1.0
#: However many files keep coming, an album is closed this long after its first waited.
MAX_WAIT_S: Final = 10.0
#: The most files a Telegram album holds: an album this full is closed at once.
ALBUM_MAX: Final = 10
ALBUM_TTL_S: Final = 3600
#: The abuse screen's reason (bot.abuse.guard) for which an album's file is still counted.
TOO_FAST: Final = "too_fast"
_KINDS: Final = ("photo", "document")
# KEYS[1] the album's hash (update id -> kind; "~last", "~closed"). ARGV: update id, kind,
# ttl, "1" to note it only into an album already noted. Returns 1 when noted (or noted
# before), 0 when the album was closed already (or not noted, with ARGV[4]).
_JOIN = """
if redis.call('HGET', KEYS[1], ARGV[1]) then return 1 end
if ARGV[4] == '1' and redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], '~closed') == '1' then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2], '~last', now)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
"""

# KEYS[1] the album's hash. ARGV: update id, quiet ms, "1" when waited long enough, the
# most files. {0, ms left} while open and quiet for less than ARGV[2]; else closes it and
# returns {1, files, photos, 1 if ARGV[1] is one of them}.
_SETTLE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local flat = redis.call('HGETALL', KEYS[1])
local files, photos, last, closed, mine = 0, 0, 0, false, 0
for i = 1, #flat, 2 do
  local field, value = flat[i], flat[i + 1]
  if field == '~last' then last = tonumber(value)
  elseif field == '~closed' then closed = value == '1'
  else
    files = files + 1
    if value == 'photo' then photos = photos + 1 end
    if field == ARGV[1] then mine = 1 end
  end
end
if files > 0 and not closed then
  local left = last + tonumber(ARGV[2]) - now
  if left > 0 and ARGV[3] ~= '1' and files < tonumber(ARGV[4]) then
    return {0, left}
  end
  redis.call('HSET', KEYS[1], '~closed', 1)
end
return {1, files, photos, mine}
"""


def album_key(chat_id: int, media_group_id: str) -> str:
    """The album's hash in Redis (one hash tag per chat)."""
    return f"tawasul:{{tg:album:{chat_id}}}:{media_group_id}"


def admitted_key(chat_id: int, media_group_id: str) -> str:
    """Set once a file of the album passed the abuse screen (:meth:`TelegramAlbums.admit`)."""
    return f"{album_key(chat_id, media_group_id)}:in"


def _kind_of(message: dict[str, Any]) -> str | None:
    """«photo» or «document» as bot.channels.telegram_inbound reads the message; None
    for anything else (an animation, a video: answered on their own)."""
    live = message.get("live_photo")
    if message.get("photo") or (isinstance(live, dict) and live.get("photo")):
        return "photo"
    if message.get("animation") is None and message.get("document") is not None:
        return "document"
    return None


def album_item(update: dict[str, Any]) -> tuple[int, str, str, str] | None:
    """(chat id, media_group_id, update id, kind) of an update that is a photo or file of
    a private chat's album, as Telegram sends it (JSON); None for any other update (an
    edit, a group's message, a file alone)."""
    message = update.get("message")
    if not isinstance(message, dict) or not message.get("media_group_id"):
        return None
    chat = message.get("chat")
    if not isinstance(chat, dict) or chat.get("type") != "private":
        return None
    kind = _kind_of(message)
    if kind is None or not isinstance(chat.get("id"), int):
        return None
    return chat["id"], str(message["media_group_id"]), str(update.get("update_id")), kind


def message_item(update_id: int, message: Message | None) -> tuple[int, str, str, str] | None:
    """:func:`album_item` of an update aiogram has read (polling's batches)."""
    if message is None or not message.media_group_id or message.chat.type != "private":
        return None
    photo = message.photo or (message.live_photo.photo if message.live_photo else None)
    if photo:
        kind = "photo"
    elif message.animation is None and message.document is not None:
        kind = "document"
    else:
        return None
    return message.chat.id, message.media_group_id, str(update_id), kind


class TelegramAlbums:
    """Notes an album's files as they arrive and counts the album before the dialogue
    sees it (see the module). ``quiet_s``, ``max_wait_s`` and ``store_wait_s`` (seconds)
    are :data:`QUIET_S`, :data:`MAX_WAIT_S` and :data:`STORE_WAIT_S` unless a test sets
    others; ``clock`` (seconds, monotonic) and ``sleep`` likewise."""

    def __init__(
        self,
        redis: Redis,
        *,
        quiet_s: float = QUIET_S,
        max_wait_s: float = MAX_WAIT_S,
        store_wait_s: float = STORE_WAIT_S,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet_s = quiet_s
        self.max_wait_s = max_wait_s
        self.store_wait_s = store_wait_s
        self._sleep = sleep
        self._clock = clock
        self._redis = redis
        self._join = redis.register_script(_JOIN)
        self._settle = redis.register_script(_SETTLE)

    async def join(self, item: tuple[int, str, str, str] | None) -> None:
        """Notes a file of an album (:func:`album_item`, :func:`message_item`) as it
        arrives; nothing for None. Raises RedisError when Redis is away."""
        if item is None:
            return
        chat_id, group, update_id, kind = item
        await self._join(keys=[album_key(chat_id, group)], args=[update_id, kind, ALBUM_TTL_S, "0"])

    async def arrived(self, chat_id: int, media: Media) -> Media:
        """:meth:`admit` then :meth:`settle`, for a file the abuse screen let through, with
        one wait for Redis between them (:data:`STORE_WAIT_S`)."""
        if media.album_id is None or media.kind not in _KINDS:
            return media
        until = self._clock() + self.store_wait_s
        try:
            await self._patient(lambda: self._admit(chat_id, media), until)
        except _AWAY as exc:
            _gave_up("admitted", exc)
        return await self.settle(chat_id, media, until=until)

    async def settle(self, chat_id: int, media: Media, *, until: float | None = None) -> Media:
        """``media`` once its album is whole, with the album's count; a file noted after
        the album closed as an album of its own (of one); a file of an album none of
        whose files was noted as it is. Files other than photos and documents, and files
        alone, as they are. Redis away: tried again until it answers, until ``until``
        (``clock``; :data:`STORE_WAIT_S` from now by default), then ``media`` as it is,
        uncounted (the dialogue waits for its store in turn; see the module)."""
        if media.album_id is None or media.kind not in _KINDS:
            return media
        until = self._clock() + self.store_wait_s if until is None else until
        try:
            return await self._settled(chat_id, media, until)
        except _AWAY as exc:
            _gave_up("counted", exc)
            return media

    async def _settled(self, chat_id: int, media: Media, until: float) -> Media:
        assert media.album_id is not None  # settle's caller checked
        key = album_key(chat_id, media.album_id)
        update_id = media.origin.event_id
        # a file whose arrival was not noted (Redis away for a moment) joins its album now,
        # when the album's other files were noted
        await self._patient(
            lambda: self._join(keys=[key], args=[update_id, media.kind, ALBUM_TTL_S, "1"]),
            until,
        )
        quiet_ms = int(self.quiet_s * 1000)
        waited = 0.0
        while True:
            enough = "1" if waited >= self.max_wait_s else "0"
            args = [update_id, quiet_ms, enough, ALBUM_MAX]
            result = await self._patient(
                lambda args=args: self._settle(keys=[key], args=args),  # type: ignore[misc]
                until,
            )
            if int(result[0]) == 1:
                break
            pause = min(int(result[1]) / 1000, max(self.max_wait_s - waited, 0.0)) + 0.01
            await self._sleep(pause)
            waited += pause
        files, photos, mine = int(result[1]), int(result[2]), int(result[3])
        if files == 0:
            return media  # never noted: handed over uncounted, as before albums were counted
        if not mine:
            # came after its album was closed and answered: an album of its own
            return dataclasses.replace(
                media,
                album_id=f"{media.album_id}:{update_id}",
                album_size=1,
                album_photos=int(media.kind == "photo"),
            )
        return dataclasses.replace(media, album_size=files, album_photos=photos)

    async def _patient(self, call: Callable[[], Awaitable[_T]], until: float) -> _T:
        """``call()``, tried again while Redis is away and ``until`` (``clock``) is not
        reached; then its error is raised (bot.channels.redis_patience)."""
        return await patient(call, until, self._clock, self._sleep)

    async def admit(self, chat_id: int, media: Media) -> None:
        """Notes that ``media``, a file of an album, passed the abuse screen: a later file
        of the album the screen refuses is still counted (:meth:`refused`). Raises
        RedisError when Redis is away."""
        if media.album_id is not None and media.kind in _KINDS:
            await self._admit(chat_id, media)

    async def _admit(self, chat_id: int, media: Media) -> None:
        assert media.album_id is not None  # the callers checked
        await self._redis.set(admitted_key(chat_id, media.album_id), 1, ex=ALBUM_TTL_S)

    async def refused(self, chat_id: int, media: Media, why: str) -> Media | None:
        """A file the abuse screen refused for ``why``, as the dialogue is to count it
        (once its album is whole, ``problem`` file_counts.REFUSED, not downloaded) when
        it was refused for sending too fast and another file of its album was let
        through; None otherwise (dropped, as the screen drops it: a blocked person, a
        flood of new chats, an album refused whole get only the screen's word).

        Found in session 12: when the screen refused one file of a counted album, the
        dialogue waited for it, and the album's answer never came."""
        if why != TOO_FAST or media.album_id is None or media.kind not in _KINDS:
            return None
        until = self._clock() + self.store_wait_s
        key = admitted_key(chat_id, media.album_id)
        try:
            let_through = await self._patient(lambda: self._redis.exists(key), until)
        except _AWAY as exc:
            # no word from the screen's Redis either: the screen lets files through then
            _gave_up("looked up", exc)
            return None
        if not let_through:
            return None
        settled = await self.settle(chat_id, media, until=until)
        if (settled.album_size or 0) < 2:
            return None  # an album of its own (came after the close): nothing to count
        return dataclasses.replace(settled, problem=REFUSED)


def _gave_up(what: str, exc: BaseException) -> None:
    _gave_up_in("Telegram", what, exc)
