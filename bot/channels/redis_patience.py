"""Waiting for Redis through a restart or a failover: a call tried again while Redis is
away, until a bound, as the dialogue's turn waits for its store
(conversations.store_outage). Shared by the album steps of both channels
(bot.channels.telegram_albums, bot.channels.whatsapp_bursts), which run before the
dialogue's turn: their ConnectionError left the channel and the file never reached the
dialogue (issue 11, the load test's Redis restart)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Final, TypeVar

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError

from conversations.store_outage import STORE_WAIT_S

__all__ = ["AWAY", "STORE_WAIT_S", "gave_up", "patient"]

log = logging.getLogger(__name__)
_T = TypeVar("_T")

#: Redis away, not a refusal nor a bug: a connection refused or cut, a timeout, a server
#: loading its append-only file, a demoted master refusing writes (Sentinel failover).
AWAY: Final = (RedisConnectionError, RedisTimeoutError, ReadOnlyError, OSError)
#: Pauses between tries while Redis is away: at first, then at most (seconds).
PAUSE_S: Final = 0.05
PAUSE_MAX_S: Final = 1.0


async def patient(
    call: Callable[[], Awaitable[_T]],
    until: float,
    clock: Callable[[], float],
    sleep: Callable[[float], Awaitable[None]],
) -> _T:
    """``call()``, tried again while Redis is away (:data:`AWAY`) and ``until`` (on
    ``clock``, seconds) is not reached; then its error is raised."""
    pause = PAUSE_S
    while True:
        try:
            return await call()
        except AWAY:
            if clock() + pause >= until:
                raise
        await sleep(pause)
        pause = min(pause * 2, PAUSE_MAX_S)


def gave_up(channel: str, what: str, exc: BaseException) -> None:
    """One warning for an album's file whose step gave up waiting for Redis; the type
    only: no chat id, number nor file id in the logs."""
    log.warning("%s album file not %s: Redis unreachable (%s)", channel, what, type(exc).__name__)
