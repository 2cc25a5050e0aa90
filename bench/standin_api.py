"""The Bot API a Telegram benchmark talks to (the stand-in in the process, or one running
alone), and the residents' photos made downloadable there."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp
from PIL import Image

from standins.telegram_botapi import DEFAULT_TOKEN, TelegramBotAPIStandin, fake_file_id

if __package__:  # imported as bench.standin_api (tests, bench/load_people.py)
    from .figures import BenchError
else:  # python bench/dialogue.py: bench/ is first on the path
    from figures import BenchError

PHOTOS_PER_PERSON = 2


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
