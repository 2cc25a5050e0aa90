"""Which Telegram updates are files of an album to count before the dialogue sees them
(bot.channels.telegram_albums): read from the JSON Telegram posts to the webhook and from
the update aiogram reads in polling, the same way."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.types import Update

from bot.channels.telegram_albums import album_item, message_item
from standins.telegram_botapi import DEFAULT_TOKEN
from standins.telegram_updates import TgUser, UpdateFactory

USER = TgUser(5_123_456_701, "سارة")
GROUP = "13719276493812345"


@pytest.fixture
async def bot() -> AsyncIterator[Bot]:
    bot = Bot(DEFAULT_TOKEN)  # never makes a request here
    yield bot
    await bot.session.close()


def _both(bot: Bot, raw: dict[str, Any]) -> tuple[Any, Any]:
    update = Update.model_validate(raw, context={"bot": bot})
    return album_item(raw), message_item(update.update_id, update.message)


async def test_a_photo_and_a_file_of_an_album_are_counted(bot: Bot) -> None:
    u = UpdateFactory()
    photo = u.photo(USER, media_group_id=GROUP)
    document = u.document(USER, media_group_id=GROUP)
    for raw, kind in ((photo, "photo"), (document, "document")):
        expected = (USER.id, GROUP, str(raw["update_id"]), kind)
        assert _both(bot, raw) == (expected, expected)


async def test_other_updates_are_not(bot: Bot) -> None:
    u = UpdateFactory()
    alone = u.photo(USER)
    text = u.text(USER, "مرحبا")
    video = u.video_note(USER)
    video["message"]["media_group_id"] = GROUP  # not a photo or a file: answered alone
    group = u.photo(USER, media_group_id=GROUP)
    group["message"]["chat"] = {"id": -100123, "type": "supergroup", "title": "Staff"}
    edited = u.photo(USER, media_group_id=GROUP)
    edited["edited_message"] = edited.pop("message")
    for raw in (alone, text, video, group, edited):
        assert _both(bot, raw) == (None, None), raw
