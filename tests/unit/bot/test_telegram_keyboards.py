"""A tapped message's reference (``Choice.message``) and the later edit of its keyboard
(``Reply.spent_on``): the keyboard comes back whole but for the spent buttons."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.methods import EditMessageReplyMarkup, TelegramMethod
from aiogram.types import InlineKeyboardMarkup

from bot.channels.telegram_keyboards import retire_earlier
from conversations.events import Choice, Reply
from standins.telegram_botapi import DEFAULT_TOKEN
from standins.telegram_updates import TgUser, UpdateFactory

from .test_telegram_inbound import translate

USER = TgUser(5_123_456_790, "سارة")


class Recording(Bot):
    """A Bot whose calls are recorded, never sent."""

    def __init__(self) -> None:
        super().__init__(DEFAULT_TOKEN)
        self.calls: list[TelegramMethod[Any]] = []

    async def __call__(
        self, method: TelegramMethod[Any], request_timeout: int | None = None
    ) -> Any:
        self.calls.append(method)
        return True


@pytest.fixture
async def bot() -> AsyncIterator[Recording]:
    bot = Recording()
    yield bot
    await bot.session.close()


def _tap(bot: Bot, data: str) -> Choice:
    message = {
        "message_id": 41,
        "from": {"id": 1, "is_bot": True, "first_name": "Tawasul"},
        "chat": USER.private_chat(),
        "date": 1_700_000_000,
        "text": "لم يُقبل طلبك",
        "reply_markup": {
            "inline_keyboard": [
                [{"text": "اطلب إعادة النظر", "callback_data": "recon:12345674~ab12cd"}],
                [{"text": "حالة طلبي", "callback_data": "status"}],
                [{"text": "أبشر", "url": "https://www.absher.sa"}],
            ]
        },
    }
    event = translate(bot, UpdateFactory().callback(USER, data, message=message))
    assert isinstance(event, Choice)
    return event


async def test_the_spent_button_leaves_the_earlier_message_and_the_rest_stays(
    bot: Recording,
) -> None:
    tapped = _tap(bot, "recon:12345674~ab12cd")
    assert tapped.message is not None
    await retire_earlier(bot, [Reply("أُرسل", spent=("recon:12345674",), spent_on=tapped.message)])
    [edit] = bot.calls
    assert isinstance(edit, EditMessageReplyMarkup)
    assert (edit.chat_id, edit.message_id) == (USER.id, 41)
    assert isinstance(edit.reply_markup, InlineKeyboardMarkup)
    kept = [[b.text for b in row] for row in edit.reply_markup.inline_keyboard]
    assert kept == [["حالة طلبي"], ["أبشر"]]  # the link and the other button stay


async def test_nothing_is_edited_without_a_spent_button_or_with_a_broken_reference(
    bot: Recording,
) -> None:
    tapped = _tap(bot, "status")
    assert tapped.message is not None
    await retire_earlier(bot, [Reply("…", spent=("note:12345674",), spent_on=tapped.message)])
    await retire_earlier(bot, [Reply("…", spent=("recon:12345674",), spent_on="{not json")])
    await retire_earlier(bot, [Reply("…", spent=("recon:12345674",))])  # the tapped one's
    assert bot.calls == []


async def test_a_message_without_a_keyboard_gives_no_reference(bot: Recording) -> None:
    raw = UpdateFactory().callback(USER, "status")
    event = translate(bot, raw)
    assert isinstance(event, Choice) and event.message is None
