"""After confirming, a Telegram user gets the receipt card as a photo, drawn in their
language, through the whole real stack (aiogram, engine, Redis, SQLite, Bot API stand-in)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import zxingcpp
from aiogram.types import Update
from PIL import Image

from bot.app import build_services
from bot.channels.telegram import build_dispatcher, make_bot
from bot.receipt import HEIGHT, WIDTH
from bot.settings import Settings
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests import samples

PNG = samples.png(seed=5)


async def _file_request(tmp: Path, redis_url: str, user: TgUser, *, english: bool) -> Any:
    # update ids are claimed in the shared Redis: each test its own range
    updates = UpdateFactory(first_update_id=user.id * 100)
    async with (
        TelegramBotAPIStandin() as api,
        build_services(
            Settings(data_dir=tmp, redis_url=redis_url, telegram_token=None)
        ) as services,
    ):
        bot = make_bot(api.token, api.url)
        dp = build_dispatcher(services.engine.handle, services.media)
        api.add_file("photo-1", PNG)
        script = [
            updates.text(user, "/start"),
            *([updates.text(user, "English")] if english else []),
            updates.callback(user, "ind"),
            updates.text(user, "renew my iqama"),
            updates.callback(user, "s:iqama_renew"),
            updates.callback(user, "q:inside"),
            updates.text(user, "2000000006"),
            updates.contact(user, "966501234567"),
            updates.text(user, "My iqama expired and Absher shows an error when I renew it"),
            updates.photo(user, "photo-1", file_size=len(PNG)),
            updates.callback(user, "done"),
            updates.callback(user, "confirm"),
        ]
        try:
            for raw in script:
                await dp.feed_update(bot, Update.model_validate(raw, context={"bot": bot}))
        finally:
            await bot.session.close()
        return api.calls_for(user.id)


def _card(calls: Any) -> tuple[Image.Image, str]:
    methods = [c.method.lower() for c in calls]
    assert methods.count("sendphoto") == 1
    at = methods.index("sendphoto")
    params = calls[at].params
    photo = params["photo"]  # uploaded: "attach://<field>" names the multipart field
    upload = params[photo.removeprefix("attach://")] if isinstance(photo, str) else photo
    # the card comes just before the message with the number, which carries the buttons
    final = calls[at + 1].params["text"]
    return Image.open(io.BytesIO(upload["data"])), final


async def test_an_arabic_user_gets_an_arabic_card(tmp_path: Path, redis_url: str) -> None:
    calls = await _file_request(tmp_path, redis_url, TgUser(5_300_000_001, "منى"), english=False)
    card, final = _card(calls)
    assert card.format == "PNG" and card.size == (WIDTH, HEIGHT)
    (code,) = zxingcpp.read_barcodes(card)
    assert f"رقم الطلب: \u2066{code.text}\u2069" in final
    # in Arabic the code sits on the left
    assert code.position.top_left.x < WIDTH // 2


async def test_an_english_user_gets_an_english_card(tmp_path: Path, redis_url: str) -> None:
    calls = await _file_request(tmp_path, redis_url, TgUser(5_300_000_002, "Sam"), english=True)
    card, final = _card(calls)
    (code,) = zxingcpp.read_barcodes(card)
    assert f"Request number: {code.text}" in final
    assert code.position.top_left.x > WIDTH // 2  # mirrored
