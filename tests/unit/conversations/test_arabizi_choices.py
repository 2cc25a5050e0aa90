"""Choices typed in Arabizi (Arabic in Latin letters and digits): found by the fresh-clone
tester, «da5el» at «أين أنت الآن؟» got «لم أفهم إجابتك». The forms are data
(conversations/data/choices.json), read like any other word for an option."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore


@pytest.fixture
def chat() -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)


async def _to_question(chat: Chat, need: str, service: str) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(need)
    await chat.tap(service)


async def _to_summary(chat: Chat) -> str:
    await chat.text("2000000006")
    await chat.contact("+966501234567")
    await chat.text("انتهت إقامتي الشهر الماضي ولم أستطع تجديدها")
    await chat.media(ref="iqama")
    await chat.tap("done")
    return chat.said


@pytest.mark.parametrize(
    ("typed", "where"),
    [
        ("da5el", "داخل المملكة"),
        ("Dakhel", "داخل المملكة"),
        ("da5el el mamlaka", "داخل المملكة"),
        ("5arej", "خارج المملكة"),
        ("kharij", "خارج المملكة"),
        ("barra", "خارج المملكة"),
    ],
)
async def test_inside_or_outside_in_arabizi(chat: Chat, typed: str, where: str) -> None:
    await _to_question(chat, "ابي اجدد اقامتي", "s:iqama_renew")
    assert "أين أنت الآن؟" in chat.said
    await chat.text(typed)
    assert "لم أفهم" not in chat.said and "كتابة رقم هويتك" in chat.said
    assert f"أين أنت الآن؟ {where}" in await _to_summary(chat)


@pytest.mark.parametrize("typed", ["souri", "yamani"])
async def test_nationality_in_arabizi(chat: Chat, typed: str) -> None:
    await _to_question(chat, "ابي امدد زيارة امي", "s:visit_visa_extension")
    await chat.text(typed)
    # Syrian and Yemeni nationals may extend: on to the number
    assert "لم أفهم" not in chat.said and "كتابة رقم هوية صاحب الطلب" in chat.said


@pytest.mark.parametrize("typed", ["aywa", "na3am", "eh"])
async def test_yes_in_arabizi(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي امدد زيارة امي")
    assert "هل هذه هي الخدمة المطلوبة؟" in chat.said
    await chat.text(typed)
    assert "s:visit_visa_extension" not in chat.choice_ids  # the suggestion taken
