"""Files a WhatsApp person chose together: one album, acknowledged once, with its count.

WhatsApp has no albums: several photos chosen together arrive as one message each, often
in separate webhook calls that the load balancer hands to different workers. A file sent
within :data:`BURST_S` of the previous one (by WhatsApp's timestamps) joins its album, as
a Telegram album's photos share a media_group_id. The flow answers an album once, at the
first of its files it handles (conversations.flows.draft_files.album_once), so that answer
can give the album's count only once every file of it has arrived: each file waits, before
the dialogue sees it, until no file of its album has arrived for :data:`QUIET_S` seconds;
then the album is closed, and every one of its files carries the count
(``Media.album_size``, ``Media.album_photos``). A file arriving after the close starts an
album of its own, acknowledged on its own, so no count is ever short.

Everything is in Redis (one person's keys, one hash tag), so two workers handling files
of one album agree on it; the time is Redis's own (``TIME``), so workers' clocks do not
matter. A file's wamid is counted once, however often WhatsApp delivers it.

Redis away (a restart on its append-only file, a failover) while a file is at these steps
(join, settle, admit, the refused file's look-up): each Redis call is tried again until
Redis answers, for :data:`STORE_WAIT_S` at most, as Telegram's albums do
(bot.channels.telegram_albums) and the dialogue's turn does; past that the file goes on
uncounted (join, settle), or the note is left out (admit). Before (issue 11), the step's
ConnectionError left the channel and the worker answered the general apology for each
file: an album that met a Redis restart was never acknowledged.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Final, TypeVar

from redis.asyncio import Redis

from bot.channels.redis_patience import AWAY, STORE_WAIT_S, gave_up, patient
from bot.channels.whatsapp_keys import wa_person_key
from conversations.events import Media
from conversations.flows.file_counts import REFUSED

#: Files sent this close together (seconds, by WhatsApp's timestamps) were chosen
#: together: one acknowledgement for all of them.
BURST_S: Final = 5
BURST_TTL_S: Final = 3600
#: How long (seconds, Redis's clock) an album waits for another of its files before it is
#: closed and acknowledged: WhatsApp delivers the files of one «send» a second or two apart.
QUIET_S: Final = 2.5
#: However many files keep coming, an album is closed this long after its file arrived.
MAX_WAIT_S: Final = 15.0
#: The abuse screen's reason (bot.abuse.guard) for which an album's file is still counted.
TOO_FAST: Final = "too_fast"
_T = TypeVar("_T")

# The album of a file sent at ARGV[1] (WhatsApp's timestamp): the current one when it is
# not closed and its last file came at most ARGV[2] seconds before or after (workers may
# handle them out of order), else a new one, ARGV[3]. Notes when a file last joined.
_JOIN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cur = redis.call('HMGET', KEYS[1], 'album', 'at', 'closed')
local album = ARGV[3]
local at = tonumber(ARGV[1])
if cur[1] and cur[3] ~= '1' and math.abs(at - tonumber(cur[2])) <= tonumber(ARGV[2]) then
  album = cur[1]
  at = math.max(at, tonumber(cur[2]))
elseif cur[1] == album then
  -- the same webhook's files, one of them after its album closed: an album of its own
  album = album .. ':' .. now
end
redis.call('HSET', KEYS[1], 'album', album, 'at', at, 'last', now, 'closed', 0)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return album
"""

# ARGV[1] (a wamid) is a file of the album KEYS[1], of kind ARGV[2].
_COUNT = """
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
"""

# Album ARGV[1]: {0, ms left} while it is the current one and its last file came less
# than ARGV[2] ms ago (unless ARGV[3] is 1: waited long enough); else closes it and
# returns {1, its files, its photos}.
_SETTLE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cur = redis.call('HMGET', KEYS[1], 'album', 'last', 'closed')
if cur[1] == ARGV[1] and cur[3] ~= '1' then
  local left = tonumber(cur[2] or 0) + tonumber(ARGV[2]) - now
  if left > 0 and ARGV[3] ~= '1' then
    return {0, left}
  end
  redis.call('HSET', KEYS[1], 'closed', 1)
end
local photos = 0
for _, kind in ipairs(redis.call('HVALS', KEYS[2])) do
  if kind == 'photo' then photos = photos + 1 end
end
return {1, redis.call('HLEN', KEYS[2]), photos}
"""


def burst_key(user_key: str) -> str:
    """The person's current album: its id, WhatsApp time, Redis time of its last file."""
    return wa_person_key("burst", user_key)


def album_key(user_key: str, album: str) -> str:
    """The files of one album: wamid → kind."""
    return f"{burst_key(user_key)}:{album}"


def admitted_key(user_key: str, album: str) -> str:
    """Set once a file of the album passed the abuse screen (:meth:`Bursts.admit`)."""
    return f"{album_key(user_key, album)}:in"


class Bursts:
    """Groups a person's files into albums and waits for each album to be whole.

    ``quiet_s``, ``max_wait_s`` and ``store_wait_s`` (seconds) are :data:`QUIET_S`,
    :data:`MAX_WAIT_S` and :data:`STORE_WAIT_S` unless a test sets shorter ones; ``clock``
    gives WhatsApp-comparable seconds for a file whose message has no timestamp; ``sleep``
    is every pause (the album's wait, the waits for Redis), which a test may hold, and
    ``monotonic`` the clock of the waits for Redis."""

    def __init__(
        self,
        redis: Redis,
        *,
        clock: Callable[[], float] = time.time,
        quiet_s: float = QUIET_S,
        max_wait_s: float = MAX_WAIT_S,
        store_wait_s: float = STORE_WAIT_S,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet_s = quiet_s
        self.max_wait_s = max_wait_s
        self.store_wait_s = store_wait_s
        self.sleep = sleep
        # the clock of the waits for Redis (a test moves it with its sleep)
        self._monotonic = monotonic
        self._redis = redis
        self._clock = clock
        self._join = redis.register_script(_JOIN)
        self._count = redis.register_script(_COUNT)
        self._settle = redis.register_script(_SETTLE)

    async def join(self, user_key: str, wamid: str, media: Media, timestamp: int) -> Media:
        """The file, with the album it belongs to (a photo or document; any other media
        as it is). Called as soon as the file arrives, before it waits its turn behind
        the person's earlier messages, so a file queued behind the first of its album is
        counted in it."""
        if media.kind not in ("photo", "document"):
            return media
        at = timestamp if timestamp > 0 else int(self._clock())
        # files of one webhook already share an album (whatsapp_inbound); a burst joins them
        proposed = media.album_id or f"wa-{uuid.uuid4().hex[:12]}"
        until = self._monotonic() + self.store_wait_s
        try:
            raw = await self._patient(
                lambda: self._join(
                    keys=[burst_key(user_key)], args=[at, BURST_S, proposed, BURST_TTL_S]
                ),
                until,
            )
            album = raw.decode() if isinstance(raw, bytes) else str(raw)
            await self._patient(
                lambda: self._count(
                    keys=[album_key(user_key, album)], args=[wamid, media.kind, BURST_TTL_S]
                ),
                until,
            )
        except AWAY as exc:
            gave_up("WhatsApp", "joined", exc)
            return media  # not in a counted album: settle hands it over as it is
        return dataclasses.replace(media, album_id=album)

    async def settle(self, user_key: str, media: Media) -> Media:
        """The file once its album is whole (no file of it for ``quiet_s``, or
        ``max_wait_s`` after this one came), with the album's count of files and photos.
        A file :meth:`join` did not put in an album is returned as it is."""
        if media.album_id is None or media.kind not in ("photo", "document"):
            return media
        keys = [burst_key(user_key), album_key(user_key, media.album_id)]
        quiet_ms = int(self.quiet_s * 1000)
        waited = 0.0
        until = self._monotonic() + self.store_wait_s
        while True:
            args = [media.album_id, quiet_ms, "1" if waited >= self.max_wait_s else "0"]
            try:
                result = await self._patient(
                    lambda args=args: self._settle(keys=keys, args=args),  # type: ignore[misc]
                    until,
                )
            except AWAY as exc:
                gave_up("WhatsApp", "counted", exc)
                return media  # uncounted: the dialogue waits for its store in turn
            if int(result[0]) == 1:
                files, photos = int(result[1]), int(result[2])
                if files == 0:
                    return media  # never joined (an album of one webhook, handed over as is)
                return dataclasses.replace(media, album_size=files, album_photos=photos)
            pause = min(int(result[1]) / 1000, max(self.max_wait_s - waited, 0.0)) + 0.01
            await self.sleep(pause)
            waited += pause
            # the wait for Redis is counted from the last answer it gave
            until = self._monotonic() + self.store_wait_s

    async def admit(self, user_key: str, media: Media) -> None:
        """Notes that ``media``, a file of an album, passed the abuse screen: a later file
        of the album the screen refuses is still counted (:meth:`refused`)."""
        if media.album_id is not None and media.kind in ("photo", "document"):
            key = admitted_key(user_key, media.album_id)
            # a file :meth:`settle` handed on uncounted (it gave up waiting for Redis) is
            # tried once: a second wait would keep the person another STORE_WAIT_S from
            # their answer or apology, as Telegram's one wait for both steps does not
            wait = self.store_wait_s if media.album_size is not None else 0.0
            until = self._monotonic() + wait
            try:
                await self._patient(lambda: self._redis.set(key, 1, ex=BURST_TTL_S), until)
            except AWAY as exc:
                # only a later refused file of the album goes uncounted for it
                gave_up("WhatsApp", "admitted", exc)

    async def refused(self, user_key: str, media: Media, why: str) -> Media | None:
        """A file (settled, :meth:`settle`) the abuse screen refused for ``why``, as the
        dialogue is to count it (``problem`` file_counts.REFUSED, not downloaded) when
        it was refused for sending too fast, its album holds others, and one of them was
        let through; None otherwise (dropped, as the screen drops it).

        Found in session 12: when the screen refused one file of a counted album, the
        dialogue waited for it, and the album's answer never came."""
        if why != TOO_FAST or media.album_id is None or (media.album_size or 0) < 2:
            return None
        key = admitted_key(user_key, media.album_id)
        try:
            let_through = await self._patient(
                lambda: self._redis.exists(key), self._monotonic() + self.store_wait_s
            )
        except AWAY as exc:
            # no word from the screen's Redis either: the screen lets files through then
            gave_up("WhatsApp", "looked up", exc)
            return None
        if not let_through:
            return None
        return dataclasses.replace(media, problem=REFUSED)

    async def _patient(self, call: Callable[[], Awaitable[_T]], until: float) -> _T:
        """``call()``, tried again while Redis is away and ``until`` (monotonic seconds) is
        not reached; then its error is raised (bot.channels.redis_patience)."""
        return await patient(call, until, self._monotonic, self.sleep)
