"""A resident who reaches a service only Saudi citizens may file is told so, and what to do
instead. Found by tester 14 (§1): «ابي اجدد جوازي» → «تجديد جواز السفر»; the iqama number
got «هذه الخدمة تتطلب رقم هوية وطنية (يبدأ بـ١)», «انا مقيم مو سعودي ابي اجدد جوازي» was
kept as the description and the question asked again, and «ابي اجدد اقامتي» was offered
the same service."""

from __future__ import annotations

import pytest

from conversations.citizens_only import names_iqama, says_not_citizen
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import CITIZEN, RESIDENT

BORDER = "3000000004"
FOR_CITIZENS = "«تجديد جواز السفر» للمواطنين السعوديين فقط"


def _chat() -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)


async def _at_passport_number(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد جوازي")
    await chat.tap("s:passport_renew")
    assert "رقم هوية وطنية" in chat.said


@pytest.mark.parametrize(("number", "kind"), [(RESIDENT, "رقم إقامة"), (BORDER, "رقم حدود")])
async def test_an_iqama_or_border_number_is_told_the_service_is_for_citizens(
    number: str, kind: str
) -> None:
    chat = _chat()
    await _at_passport_number(chat)
    await chat.text(number)
    said = chat.said
    assert FOR_CITIZENS in said and kind in said, said
    assert "جواز السفر السعودي" in said and "جوازات الدول الأخرى" in said
    assert "«تجديد هوية مقيم»" in said  # what a resident can file instead
    assert "اختيار خدمة أخرى" in said and "other_service" in chat.choice_ids
    assert "هذه الخدمة تتطلب" not in said
    await chat.tap("other_service")  # the way out
    assert "ما الخدمة المطلوبة؟" in chat.said
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    assert "other_service" not in chat.choice_ids


async def test_saying_one_is_a_resident_is_understood_not_kept_as_the_description() -> None:
    chat = _chat()
    await _at_passport_number(chat)
    await chat.text("انا مقيم مو سعودي ابي اجدد جوازي")
    said = chat.said
    assert FOR_CITIZENS in said and "other_service" in chat.choice_ids, said
    assert "احتفظتُ بما كتبته" not in said


async def test_a_national_id_after_the_explanation_goes_on() -> None:
    chat = _chat()
    await _at_passport_number(chat)
    await chat.text(RESIDENT)
    await chat.text(CITIZEN)  # the request is for a citizen after all
    assert chat.last[-1].ask_contact


async def test_a_need_naming_the_iqama_is_not_offered_a_citizens_service() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    assert "s:iqama_renew" in chat.choice_ids
    assert "s:passport_renew" not in chat.choice_ids, chat.choice_ids


async def test_citizens_services_are_listed_as_such_and_picked_by_their_name() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.tap("g:passports")
    labels = {c.id: c.label for c in chat.last[-1].choices}
    assert labels["s:passport_renew"] == "تجديد جواز السفر (للمواطنين فقط)"
    await chat.text("تجديد جواز السفر")  # the name typed, without the note
    assert "لمن هذا الطلب؟" in chat.said


async def test_in_english() -> None:
    chat = _chat()
    await chat.text("I want to renew my passport")
    await chat.tap("s:passport_renew")
    await chat.text(RESIDENT)
    said = chat.said
    assert "«Renew a passport» is for Saudi citizens only" in said, said
    assert "Choose another service" in said


@pytest.mark.parametrize(
    ("text", "resident"),
    [
        ("انا مقيم مو سعودي", True),
        ("انا مقيمة", True),
        ("ماني سعودي", True),
        ("I'm a resident, not Saudi", True),
        ("انا مو مقيم انا سعودي", False),
        ("ابي اجدد جوازي", False),
    ],
)
def test_words_saying_one_is_no_citizen(text: str, resident: bool) -> None:
    assert says_not_citizen(text) is resident


@pytest.mark.parametrize(
    ("text", "iqama"),
    [("ابي اجدد اقامتي", True), ("اقامة زوجتي", True), ("ابي اجدد جوازي", False)],
)
def test_words_naming_the_iqama(text: str, iqama: bool) -> None:
    assert names_iqama(text) is iqama


async def test_an_iqama_number_sent_first_is_told_at_the_citizens_service() -> None:
    chat = _chat()
    await chat.text(RESIDENT)
    await chat.text("ابي اجدد جوازي")
    await chat.tap("s:passport_renew")
    said = chat.said
    assert FOR_CITIZENS in said and "رقم إقامة" in said, said
    assert "other_service" in chat.choice_ids
    await chat.text(CITIZEN)
    assert chat.last[-1].ask_contact


async def test_a_resident_said_in_the_first_words_is_told_before_typing_a_number() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("انا مقيم ابي اجدد جوازي")
    # the residents' service alone, under the line saying the passport's renewal is for
    # citizens (session 18's faults list: it was offered after the line, listed last)
    assert FOR_CITIZENS in chat.said, chat.said
    assert "s:iqama_renew" in chat.choice_ids
    assert not any(c.startswith("s:passport") for c in chat.choice_ids), chat.choice_ids
    await chat.text("تجديد جواز السفر")  # named all the same: offered, and told at once
    await chat.tap("s:passport_renew")
    said = chat.said
    assert FOR_CITIZENS in said and "other_service" in chat.choice_ids, said
    await chat.text(CITIZEN)  # a Saudi's passport after all: on to the phone
    assert chat.last[-1].ask_contact


@pytest.mark.parametrize("typed", ["انا مقيم", "انا مقيمة مو سعودية", "I'm a resident"])
async def test_saying_one_is_a_resident_at_for_whom_is_the_explanation(typed: str) -> None:
    """Session 15 (fresh users): «انا مقيم» at «لمن هذا الطلب؟» of the passport's renewal
    got «لم أفهم إجابتك»: the person files for themselves and is told what the service is
    for and what a resident can choose instead."""
    chat = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.tap("g:passports")
    await chat.tap("s:passport_renew")
    assert "لمن هذا الطلب؟" in chat.said
    await chat.text(typed)
    said = chat.said
    assert "لم أفهم" not in said and FOR_CITIZENS in said, said
    assert "«تجديد هوية مقيم»" in said and "other_service" in chat.choice_ids
    await chat.tap("other_service")
    assert "ما الخدمة المطلوبة؟" in chat.said


async def test_a_resident_renewing_a_saudi_wifes_passport_is_not_told_citizens_only() -> None:
    """Review of session 15: «انا مقيم وابي اجدد جواز زوجتي السعودية» was told «للمواطنين
    فقط» (since 8070ff2), though the applicant is the Saudi wife: her national ID is
    asked for."""
    chat = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("انا مقيم وابي اجدد جواز زوجتي السعودية")
    await chat.tap("s:passport_renew")
    said = chat.said
    assert FOR_CITIZENS not in said and "other_service" not in chat.choice_ids, said
    assert "رقم هوية وطنية" in said
    await chat.text(CITIZEN)
    assert chat.last[-1].ask_contact


async def test_a_resident_who_then_says_the_request_is_for_family_is_asked_their_number() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("انا مقيم ابي اجدد جواز")
    await chat.tap("s:passport_renew")
    assert "لمن هذا الطلب؟" in chat.said
    await chat.tap("q:family")
    assert FOR_CITIZENS not in chat.said and "رقم هوية وطنية" in chat.said, chat.said


async def test_a_need_typed_at_the_explanation_is_that_service() -> None:
    """Session 15 (fresh users): «ابي اجدد اقامتي» typed under «… للمواطنين فقط» was kept
    as the description and the national ID asked for again. It is the iqama's renewal,
    whose number step uses the iqama number already typed; the description keeps nothing."""
    chat = _chat()
    await _at_passport_number(chat)
    await chat.text(RESIDENT)
    assert FOR_CITIZENS in chat.said
    await chat.text("ابي اجدد اقامتي")
    said = chat.said
    assert "احتفظتُ بما كتبته" not in said and "أين أنت الآن؟" in said, said
    await chat.tap("q:inside")
    assert "2******006" in chat.said and chat.last[-1].ask_contact, chat.said
    await chat.text("رجوع")
    await chat.text("رجوع")
    await chat.text("رجوع")
    assert "ما الخدمة المطلوبة؟" in chat.said  # the way back leads to the services


@pytest.mark.parametrize("typed", ["ابي اجدد جوازي", "جوازي انتهى وانا مسافر بكرة"])
async def test_the_citizens_service_named_again_at_the_explanation_is_not_a_change(
    typed: str,
) -> None:
    chat = _chat()
    await _at_passport_number(chat)
    await chat.text(RESIDENT)
    await chat.text(typed)
    assert "أين أنت الآن؟" not in chat.said and "other_service" in chat.choice_ids


@pytest.mark.parametrize(
    ("typed", "line", "heading"),
    [
        ("انا مقيم ابي اجدد جوازي", FOR_CITIZENS, "فهذه بعض خدمات المقيمين"),
        (
            "I'm a resident, I want to renew my passport",
            "«Renew a passport» is for Saudi",
            "these are residents' services",
        ),
    ],
)
async def test_a_resident_renewing_their_passport_sees_the_residents_services(
    typed: str, line: str, heading: str
) -> None:
    """Session 15: «انا مقيم ابي اجدد جوازي» listed «تجديد جواز السفر» (the Saudi
    passport's) first; a resident renewing a passport renews another country's. Session
    18's faults list: then it was listed last, under the line saying it is not theirs.
    Session 20's new-user probe: then «هل هذه هي الخدمة المطلوبة؟ 1) تجديد هوية مقيم»,
    a service never asked for, offered as the need: now the residents' services alike,
    under a heading that says so."""
    chat = _chat()
    await chat.text(typed)  # the first message: in English, the chat is in English
    said = chat.said
    assert line in said and heading in said, said
    assert "هل هذه هي الخدمة المطلوبة" not in said and "Is this the service" not in said
    services = [c for c in chat.choice_ids if c.startswith("s:")]
    assert services[0] == "s:iqama_renew" and len(services) == 4, services
    assert "s:exit_reentry_visa" in services, services
    assert not any(s.startswith("s:passport") for s in services), services
    await chat.text("renew my passport")  # no resident said: the usual heading
    assert heading not in chat.said and "s:passport_renew" in chat.choice_ids, chat.said
    await chat.tap("none")  # «لا شيء مما سبق»: the groups, to choose from
    assert any(c.startswith("g:") for c in chat.choice_ids), chat.choice_ids


async def test_a_resident_renewing_a_passport_not_said_whose_sees_the_residents_first() -> None:
    # «جواز» without «my»: perhaps a Saudi relative's, so still listed, after
    chat = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("انا مقيم ابي اجدد جواز")
    assert FOR_CITIZENS in chat.said
    services = [c for c in chat.choice_ids if c.startswith("s:")]
    assert services[0] == "s:iqama_renew" and "s:passport_renew" in services, services


async def test_a_resident_naming_a_saudi_wifes_passport_sees_it_first() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("انا مقيم وابي اجدد جواز زوجتي السعودية")
    assert FOR_CITIZENS not in chat.said
    assert next(c for c in chat.choice_ids if c.startswith("s:")) == "s:passport_renew"


async def test_an_iqama_change_no_service_fits_is_other_not_the_passports() -> None:
    # helper 21: «ابي اعدل اسمي في الاقامة» was offered only «تعديل بيانات الجواز (للمواطنين
    # فقط)»
    chat = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اعدل اسمي في الاقامة")
    services = [c for c in chat.choice_ids if c.startswith("s:")]
    assert services == ["s:other"], services
