"""A slip about a number told at the description step («غلطت في رقم الاقامه ابي اعدله»)
is not the description: the summary's option to correct it is named, the description is
asked for again, and the number can then be corrected at the summary. Helper 23's probe:
it was taken as the description and the documents were asked for."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_describe import _to_description

DESCRIPTION = "انتهت صلاحية إقامتي الشهر الماضي وحاولت التجديد من أبشر"
NOT_TAKEN = "لم يُعتمد هذا وصفًا لطلبك"


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def chat(gateway: MemoryGateway) -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)


@pytest.mark.parametrize(
    ("typed", "option"),
    [
        ("غلطت في رقم الاقامه ابي اعدله", "«تعديل رقم الهوية»"),
        ("كتبت رقم جوالي غلط", "«تعديل رقم الجوال»"),
        ("sorry wrong iqama number", "«تعديل رقم الهوية»"),
    ],
)
async def test_a_number_slip_is_not_the_description(
    chat: Chat, gateway: MemoryGateway, typed: str, option: str
) -> None:
    await _to_description(chat)
    await chat.text(typed)
    assert NOT_TAKEN in chat.said and option in chat.said, chat.said
    assert "يُرجى وصف طلبك" in chat.said
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    assert "يُرجى مراجعة طلبك" in chat.said
    await chat.tap("confirm")
    assert gateway.submissions[0].description == DESCRIPTION


async def test_the_identity_is_then_corrected_at_the_summary(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    await chat.text("غلطت في رقم الاقامه ابي اعدله")
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    await chat.tap("e:id")
    await chat.text("2000000014")
    assert "يُرجى مراجعة طلبك" in chat.said, chat.said
    await chat.tap("confirm")
    filed = gateway.submissions[0]
    assert filed.identity_number == "2000000014" and filed.description == DESCRIPTION


async def test_a_case_about_a_wrong_number_is_still_the_description(
    chat: Chat, gateway: MemoryGateway
) -> None:
    case = "رقم الاقامة غلط في النظام ولا اقدر اجدد من ابشر ابدا"
    await _to_description(chat)
    await chat.text(case)
    assert NOT_TAKEN not in chat.said and "إرسال صور" in chat.said, chat.said
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == case


async def test_from_the_summary_the_description_stays(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_description(chat)
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    await chat.tap("e:desc")
    await chat.text("كتبت رقم جوالي غلط")
    assert "لم يتغير وصفك" in chat.said and "يُرجى مراجعة طلبك" in chat.said, chat.said
    await chat.tap("confirm")
    assert gateway.submissions[0].description == DESCRIPTION


async def test_a_run_of_one_letter_is_not_kept(chat: Chat, gateway: MemoryGateway) -> None:
    """Helper 23's probe: 5000 «ا» were kept (cut to 1000) as the description."""
    await _to_description(chat)
    await chat.text("انتهت إقامتي")  # short: kept, more asked for
    await chat.text("ا" * 5000)
    assert "لا يبدو هذا وصفًا، فهو حروف مكررة" in chat.said, chat.said[:300]
    await chat.text("وحاولت التجديد من أبشر")
    await chat.text("ه" * 30)  # at the documents step: nothing added either
    assert "لا تبدو هذه كلمات لوصفك" in chat.said, chat.said
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == "انتهت إقامتي\nوحاولت التجديد من أبشر"
