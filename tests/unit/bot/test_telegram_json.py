"""The JSON body of a Bot API call (bot.channels.telegram_json through BotApiSession) is
exactly what aiogram's own preparation gives for the same call, for every shape the bot
sends: a plain text, an inline keyboard, the share-my-number keyboard, its removal, a
ForceReply, edits of a message and of its keyboard, a tap's answer; and a call aiogram
must prepare itself (a file, a default inside an object) is left to it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.default import Default, DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import (
    BufferedInputFile,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MessageEntity,
)

from bot.channels.telegram_json import call_fields
from bot.channels.telegram_render import render_replies
from bot.channels.telegram_session import BotApiSession
from conversations.events import Option, Reply

CHAT = 5_200_000_077
TOKEN = "42:TEST"
TEXT = 'رقم الطلب: \u2066٤٥١٢٣٤٥٦٧١\u2069 — «تم» <b>x</b> & "q"'
CHOICES = (
    Option("confirm", "تأكيد وإرسال"),
    Option("edit", "تعديل"),
    Option("cancel", "إلغاء الطلب وحذف كل ما أدخلته حتى الآن"),
)


def _aiograms(session: BotApiSession, bot: Bot, method: TelegramMethod[Any]) -> dict[str, Any]:
    """aiogram's preparation of every field, as its own form sends them (None and "" left
    out), before each is made a string."""
    files: dict[str, Any] = {}
    fields = {}
    for key, value in method.model_dump(warnings=False).items():
        prepared = session.prepare_value(value, bot=bot, files=files, _dumps_json=False)
        if prepared is None or prepared == "":
            continue
        fields[key] = prepared
    assert not files
    return fields


def _bots() -> list[Bot]:
    return [
        # the residents' bot (bot.channels.telegram_bot.make_bot): no default parse mode
        Bot(TOKEN, default=DefaultBotProperties(parse_mode=None)),
        # defaults that aiogram fills in where a call leaves them
        Bot(
            TOKEN,
            default=DefaultBotProperties(
                parse_mode=ParseMode.HTML, protect_content=True, disable_notification=False
            ),
        ),
    ]


def _replies_shapes() -> list[TelegramMethod[Any]]:
    """What the residents' renderer sends: text, inline keyboard, share-my-number
    keyboard, the keyboard's removal (on a plain text, and the carrier message)."""
    methods: list[TelegramMethod[Any]] = []
    plain = Reply(text=TEXT)
    buttons = Reply(text="اختر:", choices=CHOICES, stamp="ab12")
    contact = Reply(
        text="شارك رقمك",
        ask_contact=True,
        choices=(Option("share_contact", "📱 مشاركة رقمي"), Option("back", "رجوع")),
    )
    rendered, _ = render_replies(CHAT, [plain, buttons, contact], reply_keyboard_shown=False)
    methods += rendered
    rendered, _ = render_replies(CHAT, [plain, buttons], reply_keyboard_shown=True)
    methods += rendered  # the removal rides on the plain text
    rendered, _ = render_replies(CHAT, [buttons], reply_keyboard_shown=True, removal_text="حسنًا.")
    methods += rendered  # a carrier message of its own
    return methods


def _other_shapes() -> list[TelegramMethod[Any]]:
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text="استلام", callback_data="take:451234")],
            [InlineKeyboardButton(text="الموقع", url="https://example.org/x?a=1&b=ب")],
        ]
    )
    return [
        SendMessage(
            chat_id=-1001234567890,
            message_thread_id=7,
            text="<b>طلب جديد</b>",
            parse_mode="HTML",
            reply_markup=ForceReply(
                force_reply=True, selective=True, input_field_placeholder="السبب"
            ),
        ),
        SendMessage(
            chat_id="@channel",
            text="x",
            entities=[MessageEntity(type="bold", offset=0, length=1)],
            disable_notification=True,
        ),
        EditMessageText(
            chat_id=-1001234567890,
            message_id=99,
            text="<i>محدّث</i>",
            parse_mode="HTML",
            reply_markup=keyboard,
        ),
        EditMessageReplyMarkup(chat_id=CHAT, message_id=12, reply_markup=keyboard),
        EditMessageReplyMarkup(chat_id=CHAT, message_id=12),  # every button taken off
        AnswerCallbackQuery(callback_query_id="4242"),
        AnswerCallbackQuery(callback_query_id="4242", text="تم", show_alert=False),
    ]


@pytest.mark.parametrize("bot", _bots(), ids=["residents", "defaults"])
def test_every_shape_is_sent_as_aiogram_prepares_it(bot: Bot) -> None:
    session = BotApiSession()
    methods = _replies_shapes() + _other_shapes()
    assert {type(m).__name__ for m in methods} >= {
        "SendMessage",
        "EditMessageText",
        "EditMessageReplyMarkup",
        "AnswerCallbackQuery",
    }
    markups = {type(getattr(m, "reply_markup", None)).__name__ for m in methods}
    assert markups >= {
        "InlineKeyboardMarkup",
        "ReplyKeyboardMarkup",
        "ReplyKeyboardRemove",
        "ForceReply",
        "NoneType",
    }
    for method in methods:
        expected = _aiograms(session, bot, method)
        fast = call_fields(bot, method)
        assert fast == expected, type(method).__name__
        # the body's bytes, key order included, are those of aiogram's preparation
        body = session.json_body(bot, method)
        assert body == session.json_dumps(expected).encode()
        assert json.loads(body) == expected


def test_the_residents_reply_as_telegram_receives_it() -> None:
    """One reply written out in full, so a change in either preparation shows here."""
    bot = _bots()[0]
    (method,) = render_replies(
        CHAT,
        [Reply(text="اختر:", choices=CHOICES[:2], stamp="ab12")],
        reply_keyboard_shown=False,
    )[0]
    assert call_fields(bot, method) == {
        "chat_id": CHAT,
        "text": "اختر:",
        "reply_markup": {
            "inline_keyboard": [
                [
                    {"text": "تأكيد وإرسال", "callback_data": "confirm~ab12"},
                    {"text": "تعديل", "callback_data": "edit~ab12"},
                ]
            ]
        },
    }


def test_what_aiogram_must_prepare_is_left_to_it(tmp_path: Path) -> None:
    """A file, a date, a bot default inside an object, an unknown field: None here, and the
    body is aiogram's (a file: its multipart form)."""
    bot = Bot(TOKEN, default=DefaultBotProperties(link_preview_is_disabled=True))
    session = BotApiSession()
    photo = SendPhoto(chat_id=CHAT, photo=BufferedInputFile(b"\x89PNG", "a.png"))
    assert call_fields(bot, photo) is None
    assert session.json_body(bot, photo) is None
    nested_default = SendMessage(
        chat_id=CHAT,
        text="x",
        link_preview_options=LinkPreviewOptions(is_disabled=Default("link_preview_is_disabled")),
    )
    assert call_fields(bot, nested_default) is None
    body = session.json_body(bot, nested_default)
    assert body is not None
    assert json.loads(body) == _aiograms(session, bot, nested_default)
    assert json.loads(body)["link_preview_options"] == {"is_disabled": True}
    extra = SendMessage(chat_id=CHAT, text="x", some_new_field=dt.timedelta(seconds=5))  # type: ignore[call-arg]
    assert call_fields(bot, extra) is None
