"""Rate limits shared by every worker, kept in Redis.

Telegram allows about one message a second in a private chat, twenty a minute in a group
and about thirty a second overall, and answers 429 with ``retry_after`` beyond that. Several
dispatcher processes send for one bot, so the counting has to be shared: each limit is a
sliding-window log (a sorted set of send times) checked and updated by one Lua script, so
"is there room in every window this message needs?" and "take it" happen atomically across
all the windows involved (the chat's and the overall one).

A sliding window rather than a token bucket: a bucket of 20 refilling at 20/min lets 40
messages through in one minute (a full bucket, then the refill), which is exactly what the
group limit forbids. The log never holds more than ``count`` entries per key.

The limiter never sleeps. :meth:`RateLimiter.acquire` either takes the room and returns 0,
or takes nothing and says how long until there is room; the dispatcher then releases the
outbox row with that delay instead of holding its claim while waiting. Time is Redis's own
clock (``TIME`` inside the script), the one clock every worker shares.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Final

from redis.asyncio import Redis

# KEYS: for each limit its log (a sorted set) and its pause key, then one sequence key.
# ARGV: mode ("take" or "peek"), then for each limit: count, window_ms, cost.
# Returns {wait_ms, room}: wait_ms 0 means granted (in "take" mode the entries are added);
# room is the smallest number of messages that fit right now across the limits.
_SCRIPT: Final = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = (#KEYS - 1) / 2
local seq = KEYS[#KEYS]
local wait = 0
local room = 1000000000
for i = 1, n do
  local log = KEYS[2 * i - 1]
  local pause = KEYS[2 * i]
  local limit = tonumber(ARGV[3 * i - 1])
  local window = tonumber(ARGV[3 * i])
  local cost = math.min(tonumber(ARGV[3 * i + 1]), limit)
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now - window)
  local count = redis.call('ZCARD', log)
  local paused = redis.call('PTTL', pause)
  if paused > 0 then
    wait = math.max(wait, paused)
    room = 0
  else
    room = math.min(room, limit - count)
  end
  if count + cost > limit then
    local index = count + cost - limit - 1
    local oldest = redis.call('ZRANGE', log, index, index, 'WITHSCORES')
    wait = math.max(wait, tonumber(oldest[2]) + window - now + 1)
  end
end
if ARGV[1] == 'take' and wait == 0 then
  for i = 1, n do
    local log = KEYS[2 * i - 1]
    local window = tonumber(ARGV[3 * i])
    local cost = math.min(tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i - 1]))
    for _ = 1, cost do
      redis.call('ZADD', log, now, now .. ':' .. redis.call('INCR', seq))
    end
    redis.call('PEXPIRE', log, window)
  end
end
return {math.max(0, room), wait}
"""


@dataclass(frozen=True, slots=True)
class Window:
    """At most `count` messages in any `seconds`."""

    count: int
    seconds: float

    def __post_init__(self) -> None:
        if self.count < 1 or self.seconds <= 0:
            raise ValueError("a window needs count >= 1 and seconds > 0")


@dataclass(frozen=True, slots=True)
class Claim:
    """Room for `cost` messages under `window`, counted under `key`. A cost above the
    window's count is taken as the whole window (it could never be granted otherwise)."""

    key: str
    window: Window
    cost: int = 1


@dataclass(frozen=True, slots=True)
class TelegramLimits:
    """Telegram's published limits (DESIGN.md, "Facts about the platforms").

    `scaled(0.05)` keeps the counts and shrinks every window, so a test can show the group
    limit being honoured in seconds instead of minutes (the Bot API stand-in takes the same
    factor).
    """

    private_chat: Window = Window(1, 1.0)
    group: Window = Window(20, 60.0)
    overall: Window = Window(30, 1.0)

    def scaled(self, factor: float) -> TelegramLimits:
        return TelegramLimits(
            private_chat=replace(self.private_chat, seconds=self.private_chat.seconds * factor),
            group=replace(self.group, seconds=self.group.seconds * factor),
            overall=replace(self.overall, seconds=self.overall.seconds * factor),
        )

    def chat_claim(self, chat_id: int, cost: int = 1) -> Claim:
        """Private chats have positive ids, groups and channels negative ones."""
        if chat_id > 0:
            return Claim(f"tg:chat:{chat_id}", self.private_chat, cost)
        return Claim(f"tg:group:{chat_id}", self.group, cost)

    def overall_claim(self, cost: int = 1) -> Claim:
        return Claim("tg:all", self.overall, cost)

    def claims(self, chat_id: int, cost: int = 1) -> tuple[Claim, Claim]:
        return self.chat_claim(chat_id, cost), self.overall_claim(cost)


class RateLimiter:
    """Sliding-window limits in Redis, shared by every process using the same `prefix`.

    Every window is lengthened by `margin` (a fraction) plus `pad_s`: our clock starts when
    we take the room, Telegram's when the request arrives, and two requests can take
    different times to get there; the margin keeps the second from landing inside the
    platform's window of the first.
    """

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = "tawasul:rl",
        margin: float = 0.05,
        pad_s: float = 0.02,
    ) -> None:
        self._redis = redis
        # one hash tag: all keys of a script call live in one Redis Cluster slot
        self._prefix = prefix + ":{tg}:"
        self._margin = margin
        self._pad_s = pad_s
        self._script = redis.register_script(_SCRIPT)

    @property
    def redis(self) -> Redis:
        """The shared Redis the limits live in (other shared delivery state goes there too)."""
        return self._redis

    def _window_ms(self, window: Window) -> int:
        return math.ceil((window.seconds * (1 + self._margin) + self._pad_s) * 1000)

    async def _run(self, mode: str, claims: tuple[Claim, ...]) -> tuple[int, float]:
        if not claims:
            return 1_000_000_000, 0.0
        keys: list[str] = []
        args: list[str | int] = [mode]
        for claim in claims:
            keys += [self._prefix + claim.key, self._prefix + claim.key + ":pause"]
            args += [claim.window.count, self._window_ms(claim.window), max(1, claim.cost)]
        keys.append(self._prefix + "seq")
        room, wait_ms = await self._script(keys=keys, args=args)
        return int(room), int(wait_ms) / 1000

    async def acquire(self, *claims: Claim) -> float:
        """Take room under every claim at once and return 0.0, or take nothing and return
        the seconds until all of them have room."""
        _room, wait = await self._run("take", claims)
        return wait

    async def room(self, *claims: Claim) -> int:
        """How many single messages fit under every claim's window right now (0 while
        paused); takes nothing."""
        room, _wait = await self._run("peek", claims)
        return room

    async def pause(self, key: str, seconds: float) -> None:
        """Nothing more under `key` for `seconds` (Telegram answered 429 for that chat)."""
        ms = max(1, math.ceil(seconds * 1000))
        await self._redis.set(self._prefix + key + ":pause", b"1", px=ms)
