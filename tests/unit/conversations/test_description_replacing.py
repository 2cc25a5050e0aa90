"""A new description typed with words saying it replaces the one kept («لا، اكتب بداله:
…», «الوصف الجديد: …») is filed without those words. Helper 23: «لا، اكتب بداله:» was kept at
the start of the description the officer reads."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.description_words import after_replacing_opener
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_describe import _to_description

FIRST = "انتهت صلاحية إقامتي الشهر الماضي وحاولت التجديد من أبشر"
NEW = "الإقامة منتهية منذ شهر والجواز ساري المفعول"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (f"لا، اكتب بداله: {NEW}", NEW),
        (f"لا اكتب بدله {NEW}", NEW),
        (f"الوصف الجديد: {NEW}", NEW),
        (f"طيب اكتب بداله - {NEW}", NEW),
        ("no, replace it with: my iqama expired last month", "my iqama expired last month"),
        ("لا، بدله :", ""),
        (NEW, None),
        ("لا ابي اغيره", None),
        ("بدلت الجواز الشهر الماضي", None),
    ],
)
def test_the_opener_is_cut_from_the_text_as_typed(typed: str, meant: str | None) -> None:
    assert after_replacing_opener(typed) == meant


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def chat(gateway: MemoryGateway) -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)


async def test_from_the_documents_step(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_description(chat)
    await chat.text(FIRST)
    await chat.text("ابي اغير الوصف")
    assert "keep_description" in chat.choice_ids, chat.said
    await chat.text(f"لا، اكتب بداله: {NEW}")
    await chat.media()
    await chat.tap("done")
    assert f"الوصف: ⁨{NEW}⁩" in chat.said, chat.said
    await chat.tap("confirm")
    assert gateway.submissions[0].description == NEW


async def test_from_the_summary(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_description(chat)
    await chat.text(FIRST)
    await chat.media()
    await chat.tap("done")
    await chat.tap("e:desc")
    await chat.text("الوصف الجديد:")
    assert "يُرجى كتابة الوصف الجديد" in chat.said, chat.said
    await chat.text(NEW)
    await chat.tap("confirm")
    assert gateway.submissions[0].description == NEW


async def test_at_the_first_description_the_words_are_the_persons(
    chat: Chat, gateway: MemoryGateway
) -> None:
    # no description kept yet: nothing is being replaced, so nothing is cut
    typed = f"بدله {NEW}"
    await _to_description(chat)
    await chat.text(typed)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == typed


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (f"الوصف الجديد: {NEW}", NEW),
        (f"الوصف الجديد : {NEW}", NEW),
        ("وصف جديد مفصل لمشكلة تجديد الإقامة", None),
        ("new description: my iqama expired", "my iqama expired"),
    ],
)
def test_a_heading_counts_only_with_its_colon(typed: str, meant: str | None) -> None:
    assert after_replacing_opener(typed) == meant
