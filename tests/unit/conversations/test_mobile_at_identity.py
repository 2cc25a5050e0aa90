"""A mobile typed at the identity step, where the channel takes a typed one (the
terminal): kept for the phone step (helper 22: «هذا يبدو رقم جوال.», the number dropped
and asked for again). Where the channel shares the number by its button, the step says
what it looks like, as before."""

from __future__ import annotations

from conversations.engine import Engine

from .fakes import Chat, MemoryGateway, TerminalChat
from .test_status import plain


async def _at_identity(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")


async def test_in_the_terminal_it_is_kept_for_the_phone_step(
    engine: Engine, gateway: MemoryGateway
) -> None:
    chat = TerminalChat(engine.handle)
    await _at_identity(chat)
    await chat.text("0551234567")
    said = plain(chat.said)
    assert "احتفظتُ برقم جوالك +966551234567 لطلبك" in said, said
    assert said.endswith("يُرجى كتابة رقم هويتك: رقم إقامة (يبدأ بـ2).")
    await chat.text("2000000006")
    assert "يُرجى وصف طلبك" in chat.said and "رقم جوالك" not in chat.last[-1].text


async def test_where_the_number_is_shared_by_button_it_is_named(engine: Engine) -> None:
    chat = Chat(engine.handle)
    await _at_identity(chat)
    await chat.text("0551234567")
    assert "هذا يبدو رقم جوال" in plain(chat.said)
