"""A slip about a number told at the description step («غلطت في رقم الاقامه ابي اعدله»)
is not the description: the number's step comes again, then the steps after it. Helper
23's probe: it was taken as the description and the documents were asked for."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_describe import _to_description

DESCRIPTION = "انتهت صلاحية إقامتي الشهر الماضي وحاولت التجديد من أبشر"
NOT_TAKEN = "لم يُضَف هذا إلى وصفك"


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def chat(gateway: MemoryGateway) -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)


@pytest.mark.parametrize(
    ("typed", "again", "asked"),
    [
        ("غلطت في رقم الاقامه ابي اعدله", "يمكن تصحيح رقم الهوية الآن", "يُرجى كتابة رقم هويتك"),
        ("sorry wrong iqama number", "يمكن تصحيح رقم الهوية الآن", "يُرجى كتابة رقم هويتك"),
        ("ابي اغير رقم الجوال", "يمكن تصحيح رقم الجوال الآن", "مشاركة رقمي"),
    ],
)
async def test_a_number_slip_goes_back_to_that_number(
    chat: Chat, gateway: MemoryGateway, typed: str, again: str, asked: str
) -> None:
    """Helper 24: pointing to the summary, after the description and the documents, was
    far; the step of the number comes again now, and the steps after it."""
    await _to_description(chat)
    await chat.text(typed)
    assert "لم يُضَف هذا إلى وصفك" in chat.said and again in chat.said, chat.said
    assert asked in chat.said, chat.said
    if "هويتك" in asked:
        await chat.text("2000000014")
    await chat.contact("+966501234567")
    assert "يُرجى وصف طلبك" in chat.said, chat.said
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    filed = gateway.submissions[0]
    assert filed.description == DESCRIPTION
    assert filed.identity_number == ("2000000014" if "هويتك" in asked else "2000000006")


async def test_a_slip_about_the_number_naming_neither_points_back(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    await chat.text("غلطت في الرقم")
    assert "لم يُضَف هذا إلى وصفك" in chat.said and "«رجوع»" in chat.said, chat.said
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == DESCRIPTION


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


async def _to_phone(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("تجديد الاقامة")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:self")
    await chat.tap("q:inside")
    await chat.text("2000000006")
    assert "مشاركة رقمي" in chat.said, chat.said


async def _file_from_phone(chat: Chat, gateway: MemoryGateway) -> str:
    await chat.contact("+966501234567")
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    return gateway.submissions[0].identity_number


async def test_at_the_phone_step_a_wish_to_change_the_identity_asks_it_again(
    chat: Chat, gateway: MemoryGateway
) -> None:
    # helper 24: «ابي اغير رقم الهوية» was kept as the description, the number unchanged
    await _to_phone(chat)
    await chat.text("ابي اغير رقم الهوية")
    assert "يمكن تصحيح رقم الهوية الآن" in chat.said and "رقم هويتك" in chat.said, chat.said
    await chat.text("2000000014")
    assert await _file_from_phone(chat, gateway) == "2000000014"
    assert gateway.submissions[0].description == DESCRIPTION


async def test_at_the_phone_step_a_replacing_number_replaces(
    chat: Chat, gateway: MemoryGateway
) -> None:
    # helper 24: «لا، اكتب بداله: 2000000014» was told to type «back»
    await _to_phone(chat)
    await chat.text("لا، اكتب بداله: 2000000014")
    assert "وضعتُ الرقم ⁨2******014⁩ مكان رقم الهوية ⁨2******006⁩" in chat.said, chat.said
    assert await _file_from_phone(chat, gateway) == "2000000014"


async def test_at_the_phone_step_another_number_alone_is_not_taken(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_phone(chat)
    await chat.text("2000000014")
    assert "«رجوع»" in chat.said, chat.said
    assert await _file_from_phone(chat, gateway) == "2000000006"


async def test_at_the_phone_step_a_bare_mistake_points_back(chat: Chat) -> None:
    await _to_phone(chat)
    await chat.text("غلطت")
    assert "«رجوع»" in chat.said and "ليس رقم جوال" not in chat.said, chat.said


async def test_one_word_said_again_and_again_is_not_kept(
    chat: Chat, gateway: MemoryGateway
) -> None:
    """Helper 24's probe: «ساعدوني» typed 80 times was filed as the description."""
    await _to_description(chat)
    await chat.text("انتهت إقامتي")  # short: kept, more asked for
    await chat.text(" ".join(["ساعدوني"] * 80))
    assert "هذه كلمة واحدة مكررة، ولا تكفي الموظف" in chat.said, chat.said[:300]
    await chat.text("وحاولت التجديد من أبشر")
    await chat.text("عاجل عاجل عاجل عاجل")  # at the documents step: nothing added either
    assert "هذه كلمة واحدة مكررة، ولذلك لم يُضف شيء إلى وصفك" in chat.said, chat.said
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == "انتهت إقامتي\nوحاولت التجديد من أبشر"


async def test_at_the_phone_step_a_wish_to_change_the_mobile_asks_for_it(
    chat: Chat, gateway: MemoryGateway
) -> None:
    # helper 25: «ابي اغير رقم الجوال» here was kept and filed as the whole description
    await _to_phone(chat)
    await chat.text("ابي اغير رقم الجوال")
    assert "يُرجى إرسال رقم الجوال الذي يُستعمل لهذا الطلب" in chat.said, chat.said
    assert "احتفظتُ بما كتبته" not in chat.said
    await _file_from_phone(chat, gateway)
    assert gateway.submissions[0].description == DESCRIPTION
