"""How long a WhatsApp album's steps wait for Redis (bot.channels.whatsapp_bursts): a
counted file's admission is tried again while Redis is away, up to the store's wait; a file
settle handed on uncounted (it gave up waiting) is tried once, so the person does not wait
a second STORE_WAIT_S for their answer or apology. A Redis stand-in that refuses every
connection, as a stopped server does; the pauses counted, not slept."""

from __future__ import annotations

import dataclasses
from typing import Any

from redis.exceptions import ConnectionError as RedisConnectionError

from bot.channels.whatsapp_bursts import Bursts
from conversations.events import Media, Origin


class Away:
    """A Redis client whose every command fails as a stopped server's does."""

    def __init__(self) -> None:
        self.tries = 0

    def register_script(self, _script: str) -> Any:
        async def run(**_: Any) -> Any:
            self.tries += 1
            raise RedisConnectionError("Error 111 connecting. Connection refused.")

        return run

    async def set(self, *_: Any, **__: Any) -> Any:
        self.tries += 1
        raise RedisConnectionError("Error 111 connecting. Connection refused.")


def _photo(**changes: Any) -> Media:
    origin = Origin("whatsapp", "u1", "wamid.1")
    return dataclasses.replace(
        Media(origin, "photo", "m1", "image/jpeg", 1000, album_id="wa-1"), **changes
    )


async def _admitted(media: Media) -> tuple[int, float]:
    redis = Away()
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    def clock() -> float:
        return sum(slept)

    bursts = Bursts(redis, store_wait_s=2.0, sleep=sleep, monotonic=clock)  # type: ignore[arg-type]
    await bursts.admit("u1", media)  # never raises: the note is a courtesy
    return redis.tries, sum(slept)


async def test_a_counted_files_admission_waits_for_redis() -> None:
    tries, slept = await _admitted(_photo(album_size=2, album_photos=2))
    assert tries > 3 and 1.0 < slept <= 2.0


async def test_an_uncounted_files_admission_is_tried_once() -> None:
    tries, slept = await _admitted(_photo())
    assert (tries, slept) == (1, 0.0)
