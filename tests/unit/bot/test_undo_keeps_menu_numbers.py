"""After «ابدأ من جديد» → «نعم» the first menu keeps its numbers on every channel that
numbers choices: «تراجع» comes after the menu's own options, so «1» is still «فرد».

Found by tester 14 (§11): the menu read «1) تراجع 2) فرد 3) منشأة…», and a «1» meant for
«فرد» brought the deleted draft back instead."""

from __future__ import annotations

from bot.channels.console import render
from bot.channels.whatsapp_render import render_plain
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.i18n import Texts
from domain.catalogue import load_catalogue
from tests.unit.conversations.fakes import Chat, MemoryGateway, MemoryStore
from tests.unit.conversations.test_intake import RESIDENT, _to_identity


async def _deleted_by_start_over() -> Chat:
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await _to_identity(chat)
    await chat.text(RESIDENT)  # something typed: «ابدأ من جديد» asks first
    await chat.text("ابدأ من جديد")
    await chat.text("نعم")
    assert "حُذف الطلب" in chat.said
    return chat


async def test_the_first_menu_keeps_its_numbers_with_undo_numbered_last() -> None:
    chat = await _deleted_by_start_over()
    assert chat.choice_ids == ["ind", "est", "status", "faq", "undo", "help", "cancel"]
    menu = chat.last[-1]
    terminal = render(menu, Texts("ar")).splitlines()
    assert terminal[1:6] == [
        "  1) فرد",
        "  2) منشأة",
        "  3) حالة طلبي",
        "  4) أسئلة شائعة",
        "  5) استرجاع الطلب",
    ]
    whatsapp = render_plain(menu, Texts("ar"))[-1].body  # type: ignore[union-attr]
    assert (
        "1. فرد" in whatsapp
        and "5. استرجاع الطلب" in whatsapp
        and "1. استرجاع الطلب" not in whatsapp
    )


async def test_one_chooses_individual_and_the_deleted_draft_stays_deleted() -> None:
    chat = await _deleted_by_start_over()
    await chat.text("1")
    assert "ما الخدمة المطلوبة" in chat.said and "استرجعنا طلبك" not in chat.said
    assert not chat.last[-1].ask_contact


async def test_the_number_shown_for_undo_and_its_word_bring_the_draft_back() -> None:
    chat = await _deleted_by_start_over()
    await chat.text("5")
    assert "استرجعنا طلبك" in chat.said and chat.last[-1].ask_contact  # the phone step
    chat = await _deleted_by_start_over()
    await chat.text("تراجع")
    assert "استرجعنا طلبك" in chat.said and chat.last[-1].ask_contact
