"""The bot's Bot API session (bot.channels.telegram_session) against the stand-in: a call
sent as JSON must reach Telegram meaning what aiogram's own form says, a file must still
go as a form, an answer said to be unread comes back as the Bot API's JSON, and errors
raise aiogram's exceptions as before, read or unread."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.methods import SendMessage, SendPhoto
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.channels.telegram import make_bot
from bot.channels.telegram_session import BotApiSession, answer_unread
from standins.telegram_botapi import BlockedChats, TelegramBotAPIStandin

CHAT = 5_200_000_077
# bidi isolates and Arabic-Indic digits, as the bot's texts carry them
TEXT = "رقم الطلب: \u2066٤٥١٢٣٤٥٦٧١\u2069 — «تم»"


@pytest.fixture
async def api() -> AsyncIterator[TelegramBotAPIStandin]:
    async with TelegramBotAPIStandin() as api:
        yield api


async def _the_calls(bot: Bot) -> None:
    inline = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="تأكيد وإرسال", callback_data="confirm~ab12")]]
    )
    share = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="مشاركة رقمي", request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    first = await bot.send_message(CHAT, TEXT, reply_markup=inline, disable_notification=False)
    await bot.send_message(CHAT, "شارك رقمك", reply_markup=share)
    await bot.send_message(CHAT, "شكرًا", reply_markup=ReplyKeyboardRemove())
    await bot.edit_message_reply_markup(chat_id=CHAT, message_id=first.message_id)


async def test_json_calls_reach_telegram_as_aiogram_form_calls_do(
    api: TelegramBotAPIStandin,
) -> None:
    server = TelegramAPIServer.from_base(api.url)
    stock = Bot(api.token, session=AiohttpSession(api=server))
    ours = make_bot(api.token, api.url)
    assert isinstance(ours.session, BotApiSession)
    try:
        await _the_calls(stock)
        by_form = [(c.method, c.params) for c in api.calls_for(CHAT)]
        await _the_calls(ours)
        by_json = [(c.method, c.params) for c in api.calls_for(CHAT)][len(by_form) :]
    finally:
        await stock.session.close()
        await ours.session.close()

    def _same_message(params: dict[str, object]) -> dict[str, object]:
        # the edit names the message it edits, numbered afresh in the second run
        return {k: v for k, v in params.items() if k != "message_id"}

    assert [m for m, _ in by_json] == [m for m, _ in by_form]
    assert [_same_message(p) for _, p in by_json] == [_same_message(p) for _, p in by_form]
    assert api.texts(CHAT)[-3] == TEXT  # the isolates and digits unchanged


async def test_a_file_still_goes_as_a_form(api: TelegramBotAPIStandin) -> None:
    bot = make_bot(api.token, api.url)
    session = bot.session
    assert isinstance(session, BotApiSession)
    photo = SendPhoto(chat_id=CHAT, photo=BufferedInputFile(b"\xff\xd8jpeg", "r.jpg"))
    assert session.json_body(bot, photo) is None
    text = session.json_body(bot, SendMessage(chat_id=CHAT, text=TEXT))
    assert text is not None and json.loads(text) == {"chat_id": CHAT, "text": TEXT}
    try:
        sent = await bot.send_photo(CHAT, BufferedInputFile(b"\xff\xd8jpeg", "r.jpg"))
        assert sent.photo is not None
        [upload] = api.calls_for(CHAT, "sendPhoto")
        assert any(
            isinstance(v, dict) and v.get("upload") == "r.jpg" for v in upload.params.values()
        )
    finally:
        await bot.session.close()


async def test_errors_raise_aiograms_exceptions(api: TelegramBotAPIStandin) -> None:
    bot = make_bot(api.token, api.url)
    try:
        api.fail_next("sendMessage", retry_after=3)
        with pytest.raises(TelegramRetryAfter) as caught:
            await bot.send_message(CHAT, TEXT)
        assert caught.value.retry_after == 3
        with pytest.raises(TelegramBadRequest, match="too long"):
            await bot.send_message(CHAT, "ا" * 4097)
        api.add_policy(BlockedChats({CHAT}))
        with pytest.raises(TelegramForbiddenError):
            await bot.send_message(CHAT, TEXT)
    finally:
        await bot.session.close()


async def test_an_unread_answer_is_the_bot_apis_json_and_errors_still_raise(
    api: TelegramBotAPIStandin,
) -> None:
    bot = make_bot(api.token, api.url)
    try:
        read = await bot.send_message(CHAT, "أ")
        assert isinstance(read, Message)
        with answer_unread():
            unread: object = await bot.send_message(CHAT, TEXT)
            assert isinstance(unread, dict)
            assert unread["message_id"] == read.message_id + 1 and unread["text"] == TEXT
            api.fail_next("sendMessage", retry_after=2)
            with pytest.raises(TelegramRetryAfter) as caught:
                await bot.send_message(CHAT, TEXT)
            assert caught.value.retry_after == 2
            with pytest.raises(TelegramBadRequest, match="empty"):
                await bot.send_message(CHAT, "   ")
            api.add_policy(BlockedChats({CHAT}))
            with pytest.raises(TelegramForbiddenError):
                await bot.send_message(CHAT, TEXT)
        # only within: the next answer is read again
        me = await bot.get_me()
        assert not isinstance(me, dict) and me.id == api.bot_id
    finally:
        await bot.session.close()
