"""A number sent with an emoji beside it («2000000006 👍») is the number (helper 233: it
was refused with «يجب أن يتكون الرقم من أرقام فقط»)."""

from __future__ import annotations

import pytest

from conversations.engine import Engine

from .fakes import Chat
from .journeys import RESIDENT, _to_establishment, _to_identity


@pytest.mark.parametrize(
    "typed", [f"{RESIDENT} 👍", f"{RESIDENT}🙏🏽", f"🙏 {RESIDENT}", f"{RESIDENT} ✅"]
)
async def test_an_identity_number_with_an_emoji_is_taken(
    chat: Chat, engine: Engine, typed: str
) -> None:
    await _to_identity(chat)
    await chat.text(typed)
    assert "أرقام فقط" not in chat.said and "رقم جوالك" in chat.said, chat.said
    state = await engine.store.load("test", "u1")
    assert state.answers["identity"] == RESIDENT


async def test_an_establishment_number_with_an_emoji_is_taken(chat: Chat) -> None:
    await _to_establishment(chat)
    await chat.text("7001234567 👍")
    assert "أرقام فقط" not in chat.said and "رقم العامل" in chat.said, chat.said


async def test_an_emoji_with_a_short_number_still_says_what_is_wrong(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text("20000006 👍")
    assert "رقم جوالك" not in chat.said, chat.said
