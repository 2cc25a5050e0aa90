"""The Bot API stand-in itself, driven by aiogram's own client: what aiogram sends must
come back as JSON aiogram accepts, and errors must map to aiogram's exceptions."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
)

from bot.channels.telegram import make_bot
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory

CHAT = 5_200_000_001


@pytest.fixture
async def api() -> AsyncIterator[TelegramBotAPIStandin]:
    async with TelegramBotAPIStandin() as api:
        yield api


@pytest.fixture
async def bot(api: TelegramBotAPIStandin) -> AsyncIterator[Bot]:
    bot = make_bot(api.token, api.url)
    yield bot
    await bot.session.close()


async def test_get_me(bot: Bot, api: TelegramBotAPIStandin) -> None:
    me = await bot.get_me()
    assert me.id == api.bot_id and me.is_bot and me.username == api.bot_username


async def test_get_chat_decodes_through_aiogram(bot: Bot) -> None:
    """getChat answers a ChatFullInfo aiogram accepts (it failed to decode without
    accepted_gift_types), for the staff group and a resident's private chat."""
    group = await bot.get_chat(-1_001_234_567_890)
    assert group.id == -1_001_234_567_890 and group.type == "supergroup" and group.is_forum
    assert group.accepted_gift_types is not None
    private = await bot.get_chat(CHAT)
    assert private.id == CHAT and private.type == "private"


async def test_messages_are_numbered_and_editable(bot: Bot, api: TelegramBotAPIStandin) -> None:
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="نعم", callback_data="yes")]]
    )
    first = await bot.send_message(CHAT, "أ", reply_markup=keyboard)
    second = await bot.send_message(CHAT, "ب")
    assert second.message_id == first.message_id + 1
    # Compare dumps: parsed objects also carry the bot they were mounted on.
    assert first.reply_markup is not None and first.chat.type == "private"
    assert first.reply_markup.model_dump() == keyboard.model_dump()

    edited = await bot.edit_message_text("أ (تم)", chat_id=CHAT, message_id=first.message_id)
    assert not isinstance(edited, bool) and edited.text == "أ (تم)"
    assert edited.reply_markup is None
    again = await bot.edit_message_reply_markup(
        chat_id=CHAT, message_id=first.message_id, reply_markup=keyboard
    )
    assert not isinstance(again, bool) and again.reply_markup is not None
    assert again.reply_markup.model_dump() == keyboard.model_dump()
    assert [m["text"] for m in api.messages(CHAT)] == ["أ (تم)", "ب"]
    with pytest.raises(TelegramBadRequest, match="not found"):
        await bot.edit_message_text("x", chat_id=CHAT, message_id=999)


async def test_html_entities_are_recorded_where_the_text_is(
    bot: Bot, api: TelegramBotAPIStandin
) -> None:
    # a long first line and a multi-line source: HTMLParser's own position fields move as
    # it reads, so the entities must be counted in visible UTF-16 units, not taken from them
    html = (
        "🆕 <b>الطلب رقم 4512345671</b>\n"
        "الخدمة: تجديد هوية مقيم &amp; غيرها\n"
        '<a href="tg://user?id=7">نورة</a> — <code>2000000006</code>'
    )
    await bot.send_message(CHAT, html, parse_mode="HTML")
    message = api.last_message(CHAT)
    assert message is not None
    text = message["text"]
    utf16 = text.encode("utf-16-le")

    def covered(entity: dict[str, object]) -> str:
        start, length = int(entity["offset"]) * 2, int(entity["length"]) * 2  # type: ignore[call-overload]
        return utf16[start : start + length].decode("utf-16-le")

    by_type = {e["type"]: e for e in message["entities"]}
    assert covered(by_type["bold"]) == "الطلب رقم 4512345671"
    assert (
        covered(by_type["text_link"]) == "نورة" and by_type["text_link"]["url"] == "tg://user?id=7"
    )
    assert covered(by_type["code"]) == "2000000006"
    assert "&amp;" not in text and "& غيرها" in text


async def test_text_limits(bot: Bot) -> None:
    await bot.send_message(CHAT, "ا" * 4096)
    with pytest.raises(TelegramBadRequest, match="too long"):
        await bot.send_message(CHAT, "ا" * 4097)
    with pytest.raises(TelegramBadRequest, match="empty"):
        await bot.send_message(CHAT, "   ")


async def test_uploads_can_be_downloaded_again(bot: Bot, api: TelegramBotAPIStandin) -> None:
    sent = await bot.send_photo(CHAT, BufferedInputFile(b"\xff\xd8jpeg", "receipt.jpg"))
    assert sent.photo is not None
    [upload] = api.calls_for(CHAT, "sendPhoto")
    assert upload.params["photo"] == "attach://" + next(
        k for k, v in upload.params.items() if isinstance(v, dict) and "upload" in v
    )
    buffer = io.BytesIO()
    await bot.download(sent.photo[-1].file_id, destination=buffer)
    assert buffer.getvalue() == b"\xff\xd8jpeg"

    document = await bot.send_document(CHAT, BufferedInputFile(b"%PDF", "طلب.pdf"))
    assert document.document is not None and document.document.file_name == "طلب.pdf"


async def test_media_group(bot: Bot, api: TelegramBotAPIStandin) -> None:
    api.add_file("AgACphoto1", b"1")
    messages = await bot.send_media_group(
        CHAT,
        [InputMediaPhoto(media="AgACphoto1"), InputMediaPhoto(media=BufferedInputFile(b"2", "b"))],
    )
    assert len(messages) == 2 and messages[0].media_group_id == messages[1].media_group_id
    assert messages[0].photo is not None and messages[0].photo[-1].file_id == "AgACphoto1"


async def test_get_file_errors(bot: Bot, api: TelegramBotAPIStandin) -> None:
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await bot.get_file("nope")
    api.add_file("BQAChuge", b"\0" * (20 * 1024 * 1024 + 1))
    with pytest.raises(TelegramBadRequest, match="too big"):
        await bot.get_file("BQAChuge")


async def test_wrong_token_is_unauthorized(api: TelegramBotAPIStandin) -> None:
    bot = make_bot("42:wrong", api.url)
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await bot.get_me()
    finally:
        await bot.session.close()


async def test_injected_429(bot: Bot, api: TelegramBotAPIStandin) -> None:
    api.fail_next("sendMessage", retry_after=7)
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(CHAT, "x")
    assert caught.value.retry_after == 7
    await bot.send_message(CHAT, "x")  # only the next one failed


async def test_get_updates_confirms_by_offset(bot: Bot, api: TelegramBotAPIStandin) -> None:
    updates = UpdateFactory()
    user = TgUser(CHAT)
    for text in ("1", "2", "3"):
        api.queue_update(updates.text(user, text))
    got = await bot.get_updates(limit=2)
    assert [u.message.text for u in got if u.message] == ["1", "2"]
    got = await bot.get_updates(offset=got[-1].update_id + 1, timeout=1)
    assert [u.message.text for u in got if u.message] == ["3"]
    got = await bot.get_updates(offset=got[-1].update_id + 1, timeout=1)
    assert got == []  # after a (short) long poll
