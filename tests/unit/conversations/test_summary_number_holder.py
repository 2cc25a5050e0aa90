"""The summary names the identity number's kind and whose it is. Found by tester 14 (§13):
a visit-visa extension filed for a mother read «رقم الهوية: 3000000004» — her border
number, shown as an identity number with no word of whose it was."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import CITIZEN, PHONE, RESIDENT

BORDER = "3000000004"


def _chat() -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)


async def _to_summary(chat: Chat, number: str) -> str:
    await chat.text(number)
    await chat.contact(PHONE)
    await chat.text("يحتاج الطلب مراجعة لأن النظام يرفضه منذ أسبوع كامل")
    await chat.media()
    await chat.tap("done")
    if "confirm" not in chat.choice_ids:
        await chat.tap("send_anyway")
    return chat.said


async def test_a_visitors_border_number_is_named_as_the_visitors() -> None:
    chat = _chat()
    await chat.text("ابي امدد زيارة امي وهي سورية")
    await chat.tap("s:visit_visa_extension")
    said = await _to_summary(chat, BORDER)
    assert f"رقم الحدود للزائر: ⁦{BORDER}⁩" in said, said
    assert "رقم الهوية:" not in said


@pytest.mark.parametrize(
    ("first", "service", "answer", "number", "line"),
    [
        ("ابي اجدد اقامتي", "s:iqama_renew", "q:inside", RESIDENT, "رقم الإقامة الخاص بك"),
        (
            "ابي اجدد اقامة زوجتي",
            "s:iqama_renew",
            "q:inside",
            RESIDENT,
            "رقم الإقامة للتابع لك أو المكفول لديك",
        ),
        (
            "ابي اجدد جواز ولدي",
            "s:passport_renew",
            None,
            CITIZEN,
            "رقم الهوية الوطنية لفرد من أسرتك",
        ),
    ],
)
async def test_the_number_says_its_kind_and_whose_it_is(
    first: str, service: str, answer: str | None, number: str, line: str
) -> None:
    chat = _chat()
    await chat.text(first)
    await chat.tap(service)
    if answer is not None and answer in chat.choice_ids:
        await chat.tap(answer)
    said = await _to_summary(chat, number)
    assert f"{line}: ⁦{number}⁩" in said, said


async def test_an_establishments_worker_number_is_the_workers() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.tap("est")
    await chat.text("ابي انقل خدمات عامل")
    await chat.tap("s:transfer_of_services")
    await chat.text("7000000001")
    said = await _to_summary(chat, RESIDENT)
    assert f"رقم الإقامة للعامل: ⁦{RESIDENT}⁩" in said, said


async def test_in_english_the_kind_and_whose() -> None:
    chat = _chat()
    await chat.text("I want to extend my mother's visit visa, she is Syrian")
    if "s:visit_visa_extension" in chat.choice_ids:
        await chat.tap("s:visit_visa_extension")
    if "q:syrian" in chat.choice_ids:
        await chat.tap("q:syrian")
    said = await _to_summary(chat, BORDER)
    assert f"Border number (the visitor's): {BORDER}" in said, said
