"""Telegram updates (raw JSON as Telegram sends it, parsed by aiogram) → neutral events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.types import Update

from bot.channels.telegram_inbound import (
    normalise_phone,
    parse_command,
    translate_callback,
    translate_message,
)
from conversations.events import (
    Choice,
    Command,
    Contact,
    Event,
    Media,
    Origin,
    Text,
    Unsupported,
)
from standins.telegram_botapi import DEFAULT_TOKEN
from standins.telegram_updates import TgUser, UpdateFactory

USER = TgUser(5_123_456_789, "سارة", username="sara")


@pytest.fixture
async def bot() -> AsyncIterator[Bot]:
    bot = Bot(DEFAULT_TOKEN)  # never makes a request here
    yield bot
    await bot.session.close()


@pytest.fixture
def updates() -> UpdateFactory:
    return UpdateFactory()


def translate(bot: Bot, raw: dict[str, Any]) -> Event | None:
    update = Update.model_validate(raw, context={"bot": bot})
    if update.message is not None:
        return translate_message(update.message, update.update_id)
    assert update.callback_query is not None
    return translate_callback(update.callback_query, update.update_id)


def origin(raw: dict[str, Any]) -> Origin:
    message = raw.get("message")
    message_id = str(message["message_id"]) if message is not None else None
    # the app's language comes along (a hint for the dialogue's language)
    return Origin(
        "telegram", str(USER.id), str(raw["update_id"]), message_id, language=USER.language_code
    )


async def test_text(bot: Bot, updates: UpdateFactory) -> None:
    raw = updates.text(USER, "  رقم الهوية ١٠٠٠٠٠٠٠٠٨ ")
    assert translate(bot, raw) == Text(origin(raw), "  رقم الهوية ١٠٠٠٠٠٠٠٠٨ ")


async def test_the_origin_says_the_app_splits_a_long_paste(
    bot: Bot, updates: UpdateFactory
) -> None:
    """Telegram's apps send a paste longer than 4096 characters as several messages: the
    dialogue may take the next one for its rest only where an app does (fresh14 #2)."""
    event = translate(bot, updates.text(USER, "انتهت إقامتي"))
    assert event.origin.splits_texts_at == 4096


async def test_event_id_is_the_update_id(bot: Bot, updates: UpdateFactory) -> None:
    first, second = updates.text(USER, "a"), updates.text(USER, "a")
    one, two = translate(bot, first), translate(bot, second)
    assert one is not None and two is not None
    assert one.origin.event_id == str(first["update_id"])
    assert two.origin.event_id == str(first["update_id"] + 1)
    # The same update redelivered gives the same id, so the engine drops it.
    again = translate(bot, first)
    assert again is not None and again.origin.event_id == one.origin.event_id


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("/start", "start", ""),
        ("/help", "help", ""),
        ("/cancel", "cancel", ""),
        ("/START", "start", ""),
        ("/start@tawasul_test_bot", "start", ""),
        ("/start ref_abc", "start", "ref_abc"),
        ("/status  123 456 ", "status", "123 456"),
    ],
)
async def test_commands(bot: Bot, updates: UpdateFactory, text: str, name: str, args: str) -> None:
    raw = updates.text(USER, text)
    assert translate(bot, raw) == Command(origin(raw), name, args)


@pytest.mark.parametrize("text", ["/", "/ start", "/إلغاء", "/home/user", "a /start"])
async def test_not_commands_stay_text(bot: Bot, updates: UpdateFactory, text: str) -> None:
    event = translate(bot, updates.text(USER, text))
    assert isinstance(event, Text) and event.text == text


async def test_callback_is_a_choice(bot: Bot, updates: UpdateFactory) -> None:
    raw = updates.callback(USER, "svc:iqama_renew")
    assert translate(bot, raw) == Choice(origin(raw), "svc:iqama_renew")


async def test_photo_takes_the_largest_size(bot: Bot, updates: UpdateFactory) -> None:
    raw = updates.photo(
        USER, "AgACAgQAAxkBAAIBig", file_size=123_456, media_group_id="1371", caption="الجواز"
    )
    event = translate(bot, raw)
    assert event == Media(
        origin(raw),
        kind="photo",
        ref="AgACAgQAAxkBAAIBig",
        mime="image/jpeg",
        size=123_456,
        album_id="1371",
        caption="الجواز",
    )
    assert len(raw["message"]["photo"]) > 1  # really picked among several


async def test_document(bot: Bot, updates: UpdateFactory) -> None:
    raw = updates.document(
        USER, "BQACAgQAAxkBAAIB", file_name="إقامة.pdf", mime_type="application/pdf", file_size=9
    )
    assert translate(bot, raw) == Media(
        origin(raw),
        kind="document",
        ref="BQACAgQAAxkBAAIB",
        mime="application/pdf",
        size=9,
        file_name="إقامة.pdf",
    )


async def test_own_contact(bot: Bot, updates: UpdateFactory) -> None:
    raw = updates.contact(USER, "966501234567", own=True)
    assert translate(bot, raw) == Contact(origin(raw), "+966501234567", is_own=True)


@pytest.mark.parametrize("other", [None, 777])
async def test_someone_elses_contact(bot: Bot, updates: UpdateFactory, other: int | None) -> None:
    raw = updates.contact(USER, "+966 55 000 1111", own=False, other_user_id=other)
    assert translate(bot, raw) == Contact(origin(raw), "+966550001111", is_own=False)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("966501234567", "+966501234567"),
        ("+966501234567", "+966501234567"),
        ("00966501234567", "+966501234567"),
        ("+966 (50) 123-4567", "+966501234567"),
        ("٩٦٦٥٠١٢٣٤٥٦٧", "+966501234567"),
    ],
)
def test_normalise_phone(raw: str, normal: str) -> None:
    assert normalise_phone(raw) == normal


async def test_sticker_and_voice_are_media_to_refuse(bot: Bot, updates: UpdateFactory) -> None:
    sticker = translate(bot, updates.sticker(USER, "CAACAgIAAxkBAAIC"))
    assert isinstance(sticker, Media) and sticker.kind == "sticker"
    assert sticker.ref == "CAACAgIAAxkBAAIC" and sticker.checksum is None
    voice = translate(bot, updates.voice(USER))
    assert isinstance(voice, Media) and voice.kind == "voice" and voice.mime == "audio/ogg"


async def test_animation_is_not_taken_for_a_document(bot: Bot, updates: UpdateFactory) -> None:
    raw = updates.text(USER, "x")
    message = raw["message"]
    del message["text"]
    gif = {
        "file_id": "CgACAgQAAxkBAAIBb",
        "file_unique_id": "AgADb",
        "width": 320,
        "height": 240,
        "duration": 3,
        "mime_type": "video/mp4",
        "file_size": 5000,
    }
    # Telegram sends both fields for a GIF, for the sake of old clients.
    message["animation"] = gif
    message["document"] = {k: gif[k] for k in ("file_id", "file_unique_id", "mime_type")}
    event = translate(bot, raw)
    assert isinstance(event, Media) and event.kind == "animation"


async def test_video_note_is_a_video(bot: Bot, updates: UpdateFactory) -> None:
    raw = updates.text(USER, "x")
    del raw["message"]["text"]
    raw["message"]["video_note"] = {
        "file_id": "DQACAgQAAxkBAAIB",
        "file_unique_id": "AgADc",
        "length": 240,
        "duration": 5,
        "file_size": 300_000,
    }
    event = translate(bot, raw)
    assert isinstance(event, Media) and event.kind == "video" and event.size == 300_000


async def test_location_is_unsupported(bot: Bot, updates: UpdateFactory) -> None:
    raw = updates.location(USER)
    # with its point, which may answer where the iqama holder is (early_place)
    assert translate(bot, raw) == Unsupported(origin(raw), "location", (24.7136, 46.6753))


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        (
            "venue",
            {
                "location": {"latitude": 24.7, "longitude": 46.6},
                "title": "الجوازات",
                "address": "الرياض",
            },
            "venue",
        ),
        ("dice", {"emoji": "🎲", "value": 3}, "dice"),
        (
            "poll",
            {
                "id": "1",
                "question": "?",
                "options": [
                    {"text": "a", "voter_count": 0, "persistent_id": "0"},
                    {"text": "b", "voter_count": 0, "persistent_id": "1"},
                ],
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
                "allows_revoting": False,
                "members_only": False,
            },
            "poll",
        ),
    ],
)
async def test_other_unsupported(
    bot: Bot, updates: UpdateFactory, field: str, value: dict[str, Any], kind: str
) -> None:
    raw = updates.text(USER, "x")
    del raw["message"]["text"]
    raw["message"][field] = value
    place = None
    if field == "venue":
        raw["message"]["location"] = value["location"]  # Telegram sends both
        place = (24.7, 46.6)
    assert translate(bot, raw) == Unsupported(origin(raw), kind, place)


async def test_service_messages_get_no_event(bot: Bot, updates: UpdateFactory) -> None:
    raw = updates.text(USER, "x")
    del raw["message"]["text"]
    raw["message"]["write_access_allowed"] = {"from_request": True}
    assert translate(bot, raw) is None


def test_parse_command_edge_cases() -> None:
    assert parse_command("/start\nمرحبا") == ("start", "مرحبا")
    assert parse_command("/a" + "b" * 40) is None


async def test_an_edited_message_names_the_message_it_replaces(
    bot: Bot, updates: UpdateFactory
) -> None:
    raw = updates.text(USER, "2000000007")
    edit = updates.edited(raw, "2000000006")
    update = Update.model_validate(edit, context={"bot": bot})
    assert update.edited_message is not None
    event = translate_message(update.edited_message, update.update_id, edited=True)
    message_id = str(raw["message"]["message_id"])
    origin = Origin(
        "telegram",
        str(USER.id),
        str(edit["update_id"]),
        message_id,
        edits=message_id,
        language="ar",
    )
    assert event == Text(origin, "2000000006")
