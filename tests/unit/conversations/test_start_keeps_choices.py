"""`/start` or «إلغاء» on a draft that holds only choices — a service, «لمن», a place from
a shared location — asks before deleting it, naming what it holds, and «تراجع» brings it
back (tester 12, §5: they were dropped with neither a question nor «تراجع»)."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.events import Unsupported
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore, TerminalChat, WhatsAppChat

WHERE = "أين صاحب الإقامة الآن؟"
RIYADH = (24.71, 46.68)


async def _wifes_renewal(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة زوجتي")
    await chat.send(Unsupported(chat.origin(), "location", RIYADH))
    await chat.tap("s:iqama_renew")
    assert WHERE in chat.said


@pytest.mark.parametrize("make", [Chat, WhatsAppChat, TerminalChat])
async def test_start_on_a_service_for_whom_and_a_location_asks_first(make: type[Chat]) -> None:
    chat = make(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await _wifes_renewal(chat)
    await chat.command("start")
    said = chat.said
    # the answer in the bot's voice, not the button's first person (review 13, §9)
    assert "لديك طلب لم يكتمل (تجديد هوية مقيم، لتابع لك أو مكفول لديك" in said, said
    assert "داخل المملكة بحسب الموقع الذي شاركته" in said
    assert "هل يُحذف ويُبدأ من جديد؟" in said
    assert chat.choice_ids == ["discard", "keep"]
    await chat.text("لا")  # kept: the question it was at
    assert WHERE in chat.said and "q:inside" in chat.choice_ids
    await chat.command("start")
    await chat.text("نعم")
    assert "حُذف الطلب" in chat.said and chat.choice_ids[:2] == ["ind", "est"]
    assert "undo" in chat.choice_ids
    await chat.text("تراجع")
    assert "استرجعنا طلبك" in chat.said and WHERE in chat.said


async def test_cancel_on_a_service_chosen_asks_and_undo_brings_it_back() -> None:
    gateway = MemoryGateway()
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي جواز جديد")
    await chat.tap("s:passport_issue")
    await chat.text("إلغاء")
    assert "لديك طلب لم يكتمل (إصدار جواز سفر سعودي). هل يُحذف؟" in chat.said, chat.said
    await chat.tap("discard")
    await chat.text("تراجع")
    assert "استرجعنا طلبك" in chat.said and "لمن هذا الطلب؟" in chat.said


async def test_whom_said_before_the_service_is_named_in_the_bots_voice() -> None:
    # review 13 (§9): «لديك طلب لم يكتمل (فرد من أسرتي)» spoke of the bot's own family
    chat = TerminalChat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await chat.text("ابي اجدد اقامة زوجتي وهي في الرياض")
    await chat.command("start")
    # no service chosen yet: what is kept, read from the words, not «a request not yet
    # finished» (tester 14, §7)
    assert "لم تُحدَّد الخدمة بعد، وما احتفظتُ به حتى الآن: لأحد أفراد أسرتك بحسب ما كتبته" in chat.said
    assert "أسرتي" not in chat.said


async def test_a_service_menu_alone_is_started_again_without_asking() -> None:
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي جواز جديد")  # services offered, none chosen yet
    await chat.command("start")
    assert "هل يُحذف" not in chat.said and chat.choice_ids[:2] == ["ind", "est"]
