"""«انا برا» typed at «أين صاحب الإقامة الآن؟» says where the sender is: it answers the
question only on the sender's own request, as a shared location does since dea2a46.
Found in session 12: typed at the question of a wife's renewal it filed her iqama
«خارج المملكة». On Telegram, WhatsApp and the terminal chat fakes."""

from __future__ import annotations

import pytest

from conversations.engine import Engine

from .fakes import Chat, TerminalChat, WhatsAppChat
from .test_status import plain

WHERE = "أين صاحب الإقامة الآن؟"
ABOUT_HOLDER = "فهمتُ أنك أنت خارج المملكة، أما هذا السؤال فعن صاحب الإقامة."


async def _at_location(chat: Chat, need: str) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(need)
    await chat.tap("s:iqama_renew")
    assert "الآن؟" in plain(chat.said), chat.said


@pytest.mark.parametrize("channel", [Chat, WhatsAppChat, TerminalChat])
async def test_my_place_typed_for_my_wife_asks_again(engine: Engine, channel: type[Chat]) -> None:
    chat = channel(engine.handle)
    await _at_location(chat, "ابي اجدد اقامة زوجتي")
    await chat.text("انا برا")
    said = plain(chat.said)
    assert ABOUT_HOLDER in said and WHERE in said, said
    state = await engine.store.load(chat.channel, chat.user)
    assert "location" not in state.answers.get("eligibility", {})
    await chat.text("هي داخل المملكة")  # said of her: taken
    assert "location" in (await engine.store.load(chat.channel, chat.user)).answers.get(
        "eligibility", {}
    )


async def test_my_place_typed_for_my_own_iqama_answers(engine: Engine) -> None:
    chat = Chat(engine.handle)
    await _at_location(chat, "ابي اجدد اقامتي")
    await chat.text("انا برا")
    assert ABOUT_HOLDER not in plain(chat.said)
    state = await engine.store.load(chat.channel, chat.user)
    assert state.answers["eligibility"]["location"] == "outside"
