"""A long first message that holds the iqama number, the mobile number and the city
(tester 12, §9, terminal): none of them was kept. Now the identity number is taken when
the other numbers cannot be it (a 05… mobile), the city answers «أين صاحب الإقامة الآن؟»
for the sender's own request, «اقامتي… ابي اجددها» answers «لمن هذا الطلب؟», the mobile is
kept where a typed one is taken, and the person is told what was kept. A message where two
numbers could each be the identity number keeps none."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.flows.numbers_first import identity_beside_mobiles, identity_first
from conversations.keywords_early import early_answers, place_of_writer, without_places
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore, TerminalChat, WhatsAppChat

LONG = (
    "السلام عليكم ورحمة الله وبركاته يا اخوان انا مقيم هنا في جدة واقامتي رقمها ٢٠٠٠٠٠٠٠٠٦ "
    "وبتنتهي بعد اسبوع وابي اجددها بس ابشر ما يفتح معي وجوالي ٠٥٠١٢٣٤٥٦٧ الله يعافيكم ساعدوني"
)
KEPT_ID = "احتفظتُ برقم الهوية ⁨2******006⁩ لطلبك."
KEPT_PHONE = "احتفظتُ برقم جوالك ⁨+966501234567⁩ لطلبك."
FOR_SELF = "سجّلتُ إجابة «لمن هذا الطلب؟»: «لي أنا»"
INSIDE = "سجّلتُ إجابة «أين أنت الآن؟»: «داخل المملكة»"


def _chat(make: type[Chat]) -> tuple[Chat, MemoryGateway]:
    gateway = MemoryGateway()
    return make(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle), gateway


async def test_the_terminal_keeps_the_number_the_mobile_the_city_and_for_whom() -> None:
    chat, gateway = _chat(TerminalChat)
    await chat.text(LONG)
    assert KEPT_ID in chat.said and KEPT_PHONE in chat.said
    assert chat.choice_ids[:2] == ["s:iqama_renew", "s:technical_issue"]
    await chat.text("1")
    said = chat.said
    assert FOR_SELF in said and INSIDE in said
    assert "لمن هذا الطلب؟\n" not in said and "رقم هوية صاحب الطلب" not in said
    assert "keep_description" in chat.choice_ids  # the story, offered as the description
    await chat.tap("keep_description")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    [filed] = gateway.submissions
    assert filed.identity_number == "2000000006" and filed.phone == "+966501234567"
    assert filed.eligibility == {"for_whom": "self", "location": "inside"}


@pytest.mark.parametrize(("make", "kept"), [(Chat, False), (WhatsAppChat, True)])
async def test_other_channels_keep_the_number_and_the_mobile_their_way(
    make: type[Chat], kept: bool
) -> None:
    """Telegram takes a mobile from the account only; a channel that cannot vouch for one
    keeps it as typed (not verified), as a number typed at the phone step."""
    chat, _ = _chat(make)
    await chat.text(LONG)
    assert KEPT_ID in chat.said and (KEPT_PHONE in chat.said) == kept
    await chat.tap("s:technical_issue")
    assert "رقم هوية" not in chat.said  # the number is not asked again


async def test_for_a_wife_the_writers_city_is_not_hers() -> None:
    chat, _ = _chat(TerminalChat)
    await chat.text("ابي اجدد اقامة زوجتي رقمها ٢٠٠٠٠٠٠٠٠٦ انا مقيم هنا في جدة وجوالي ٠٥٠١٢٣٤٥٦٧")
    assert KEPT_ID in chat.said
    await chat.tap("s:iqama_renew")
    assert "«تابع لي أو مكفول لدي»" in chat.said and "أين صاحب الإقامة الآن؟" in chat.said
    assert "q:inside" in chat.choice_ids  # asked, not taken from the writer's place


@pytest.mark.parametrize(
    "text",
    [
        # two numbers that could each be the identity number
        "اقامتي ٢٠٠٠٠٠٠٠٠٦ واقامة زوجتي 2123456788 وجوالي ٠٥٠١٢٣٤٥٦٧ ابي اجددها",
        # another long number (a request number?) beside it
        "ابي اجدد اقامتي ٢٠٠٠٠٠٠٠٠٦ طلبي السابق 9302959813",
    ],
)
async def test_a_really_ambiguous_message_keeps_no_number(text: str) -> None:
    chat, _ = _chat(TerminalChat)
    await chat.text(text)
    assert "احتفظتُ برقم الهوية" not in chat.said


def test_the_identity_number_beside_mobiles_and_counts() -> None:
    assert identity_beside_mobiles(LONG) is not None
    found = identity_beside_mobiles("اقامتي 2000000006 تنتهي بعد ٣ ايام وجوالي 050 123 4567")
    assert found is not None and found.value == "2000000006"
    assert identity_beside_mobiles("2000000006 1000000008 0501234567") is None
    assert identity_beside_mobiles("جوالي 0501234567") is None


def test_words_between_the_writer_and_the_place_are_looked_past() -> None:
    assert early_answers("انا مقيم هنا في جدة")["location"] == "inside"
    assert early_answers("وانا حاليا بالرياض")["location"] == "inside"
    assert place_of_writer("انا مقيم هنا في جدة")
    assert without_places("انا مقيم هنا في جدة وابي اجدد اقامتي") == "وابي اجدد اقامتي"
    assert early_answers("واقامتي انتهت")["for_whom"] == "self"


@pytest.mark.parametrize(
    "text",
    [
        # review 13 (§8): the iqama's expiry written as residents write it, Hijri or not
        "اقامتي ٢٠٠٠٠٠٠٠٠٦ تنتهي ١٤٤٧/٠٦/١٠ وجوالي ٠٥٠١٢٣٤٥٦٧ ابي اجددها",
        "ابي اجدد اقامتي رقمها 2000000006 انتهت 10-12-2026 وجوالي 0501234567",
        # a lone «و» between the numbers is a word, not a letter typed into a number
        "ابي اجدد اقامتي 2000000006 و 0501234567",
    ],
)
async def test_a_date_or_an_and_beside_the_numbers_keeps_them(text: str) -> None:
    chat, _ = _chat(TerminalChat)
    await chat.text(text)
    assert KEPT_ID in chat.said and KEPT_PHONE in chat.said


def test_a_dates_digits_are_never_the_identity_number() -> None:
    # eight digits of a date and two of a count make ten, «1447061001» a right citizen's
    # number: no number is made of them
    assert identity_first("اقامتي انتهت ١٤٤٧/٠٦/١٠ يعني قبل 01 يوم") is None
    assert identity_first("1447/06/10") is None
    # an identity number written with dashes is no date
    found = identity_first("اقامتي 2000-000-006 وجوالي 0501234567")
    assert found is not None and found.value == "2000000006"
