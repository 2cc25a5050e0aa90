"""Issue 13 on every channel: the frequently asked questions, the topics offered when the
bot is unsure and «تقديم طلب الآن» render as buttons within each platform's limits (a
WhatsApp list of ≤10 rows with titles ≤24, Telegram callback data ≤64 bytes, numbered
lines in the terminal), in Arabic and English, and typing a number answers like a tap."""

from __future__ import annotations

import pytest

from bot.channels import console, telegram_render
from bot.channels.whatsapp_render import (
    MAX_ROW_DESCRIPTION,
    MAX_ROW_TITLE,
    MAX_ROWS,
    OutList,
    render_reply,
    validate,
)
from conversations import knowledge
from conversations.engine import Engine
from conversations.events import Reply
from conversations.flows.intake import INTAKE
from conversations.i18n import Texts
from domain.catalogue import load_catalogue
from tests.unit.conversations.fakes import Chat, MemoryGateway, MemoryStore


async def _faq(locale: str) -> tuple[Chat, Reply]:
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await chat.command("start")
    if locale == "en":
        await chat.text("English")
    await chat.tap("faq")
    return chat, chat.last[-1]


@pytest.mark.parametrize("locale", ["ar", "en"])
async def test_the_faq_is_a_whatsapp_list_within_its_limits(locale: str) -> None:
    _chat, reply = await _faq(locale)
    [message] = render_reply(reply, Texts(locale), token="t0k3n")
    validate(message)
    assert isinstance(message, OutList)
    topics = knowledge.topics()
    assert len(message.rows) == len(topics) <= MAX_ROWS
    assert [r.id for r in message.rows] == [f"kb:{t.id}" for t in topics]
    for row, topic in zip(message.rows, topics, strict=True):
        assert len(row.title) <= MAX_ROW_TITLE and len(row.description) <= MAX_ROW_DESCRIPTION
        title = knowledge.title_text(topic, locale)
        if len(title) > MAX_ROW_TITLE - 3:
            assert row.description == title  # a title cut short is shown whole below it
    assert message.button == ("اختيار سؤال" if locale == "ar" else "Choose a question")


@pytest.mark.parametrize("locale", ["ar", "en"])
async def test_the_faq_is_a_telegram_keyboard_and_a_numbered_terminal_list(locale: str) -> None:
    chat, reply = await _faq(locale)
    methods = telegram_render.render_reply(1, reply)  # raises past Telegram's limits
    assert methods
    for option in reply.choices:
        assert len(option.id.encode()) <= 64
    shown = console.render(reply, Texts(locale))
    late = knowledge.title_text(knowledge.topics()[1], locale)
    assert f"  2) {late}" in shown
    await chat.text("2")  # typing the number is the same as the tap
    assert ("٥٠٠ ريال" if locale == "ar" else "500 SAR") in chat.last[0].text


async def test_file_now_follows_the_first_menus_own_options_on_every_channel() -> None:
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await chat.command("start")
    await chat.text("ايش شروط تجديد الاقامة")
    menu = chat.last[-1]
    [message] = render_reply(menu, Texts("ar"))
    validate(message)
    assert isinstance(message, OutList)
    # the first question's options keep the numbers they have without it
    assert (message.rows[0].id, message.rows[0].title) == ("ind", "1. فرد")
    assert (message.rows[4].id, message.rows[4].title) == ("file:iqama_renew", "5. تقديم طلب الآن")
    telegram_render.render_reply(1, menu)
    assert "  1) فرد\n  2) منشأة" in console.render(menu, Texts("ar"))
    assert "  5) تقديم طلب الآن" in console.render(menu, Texts("ar"))
