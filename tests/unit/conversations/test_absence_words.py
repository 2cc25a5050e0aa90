"""Tester 13 §2: the everyday words for an absconding worker («عامل هارب», «هربت»,
«هاربة», «السواق حقي متغيب عن العمل») name the absence report, and a household worker's
sponsor files it as an individual (seeds 001 and 004, cited in services.json) instead of
being switched to an establishment's request and told to cancel."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore


@pytest.fixture
def chat() -> Chat:
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), MemoryGateway(), limiter=MemoryLimiter()
    )
    return Chat(engine.handle)


@pytest.mark.parametrize(
    "typed",
    [
        "عندي عامل هارب من ٣ ايام ابي ابلغ عنه",
        "عاملتي المنزلية هربت",
        "عاملتي المنزلية هربت من البيت",
        "الخادمة هاربة",
        "السواق حقي متغيب عن العمل",
    ],
)
async def test_the_words_for_an_absconding_worker_name_the_absence_report(
    chat: Chat, typed: str
) -> None:
    await chat.command("start")
    await chat.text(typed)
    assert chat.choice_ids[0] == "s:absence_report"
    assert "تقدّمها المنشأة لعامليها" not in chat.said
    assert "«إلغاء»" not in chat.said


async def test_after_choosing_individual_a_maid_who_fled_is_understood(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("عاملتي المنزلية هربت من البيت")
    assert chat.choice_ids[0] == "s:absence_report"


async def test_a_household_workers_sponsor_files_the_report_as_an_individual(
    chat: Chat,
) -> None:
    await chat.command("start")
    await chat.text("السواق حقي متغيب عن العمل")
    await chat.tap("s:absence_report")
    assert "عامل منزلي" in chat.said
    await chat.tap("q:yes")
    # an individual's request: the worker's number, not an establishment's
    assert "الرقم الموحد للمنشأة" not in chat.said
    assert "إقامة" in chat.said or "حدود" in chat.said


async def test_a_worker_of_an_establishment_is_sent_to_the_establishment(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("عامل هارب")
    await chat.tap("s:absence_report")
    await chat.tap("q:no")
    assert "تبلّغ عنه منشأته" in chat.said
    assert "«منشأة»" in chat.said
