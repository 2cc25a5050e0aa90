"""A change of service asked for in words where the person's own words are taken (found
by the fresh-clone tester: «لا خلاص غيرت رايي ابي تاشيرة خروج وعودة» and the typed label
«تغيير الخدمة» were kept as the description). The label acts as the summary's button; a
wish in words is offered first; what was given is kept where the new service takes it."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore

RESIDENT = "2000000006"
PHONE = "+966501234567"
DESCRIPTION = "انتهت إقامتي الشهر الماضي ولم أستطع تجديدها من أبشر"
WISH = "لا خلاص غيرت رايي ابي تاشيرة خروج وعودة"


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def chat(gateway: MemoryGateway) -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)


async def _to_description(chat: Chat, *, english: bool = False) -> None:
    await chat.command("start")
    if english:
        await chat.tap("lang:en")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    await chat.text(RESIDENT)
    await chat.contact(PHONE)


async def test_a_wish_in_words_is_offered_and_what_was_given_is_kept(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    await chat.text(DESCRIPTION)
    assert "للمستندات" in chat.said  # at the documents step
    await chat.text(WISH)
    # offered, not added to the description
    assert "هل أغيّر خدمة طلبك" in chat.said and "تجديد هوية مقيم" in chat.said
    assert "أُضيف إلى وصفك" not in chat.said
    assert chat.choice_ids[:2] == ["chg:yes", "chg:no"]
    await chat.text("نعم")
    assert "لنختر الخدمة من جديد" in chat.said
    assert "s:exit_reentry_visa" in chat.choice_ids  # the service the words named
    await chat.tap("s:exit_reentry_visa")
    # the identity and mobile numbers are used again, the description offered again
    assert "سأستخدم رقم الهوية" in chat.said and "سأستخدم رقم الجوال" in chat.said
    assert DESCRIPTION in chat.said and "keep_description" in chat.choice_ids
    assert "كتبته قبل تغيير الخدمة" in chat.said and "قبل خطوة الوصف" not in chat.said
    await chat.tap("keep_description")
    await chat.media(ref="visa-doc")
    await chat.tap("done")
    assert "تأشيرة خروج وعودة" in chat.said  # the summary
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert filed.service_id == "exit_reentry_visa"
    assert filed.identity_number == RESIDENT and filed.phone == PHONE
    assert filed.description == DESCRIPTION
    # iqama renewal's «أين صاحب الإقامة الآن؟» is dropped; «لمن هذا الطلب؟» is the new
    # service's too, answered by the first words' «اقامتي» (keywords.json early_answers)
    assert filed.eligibility == {"for_whom": "self"}


async def test_no_keeps_the_service_and_the_wish_is_not_the_description(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    await chat.text(WISH)
    assert "هل أغيّر خدمة طلبك" in chat.said
    await chat.text("لا")
    assert "يبقى طلبك لخدمة «تجديد هوية مقيم»" in chat.said
    await chat.text(DESCRIPTION)
    await chat.media(ref="iqama")
    await chat.tap("done")
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert filed.service_id == "iqama_renew" and filed.description == DESCRIPTION


@pytest.mark.parametrize(
    ("english", "label"), [(False, "تغيير الخدمة"), (True, "Change the service")]
)
async def test_the_typed_label_acts_as_the_button(chat: Chat, english: bool, label: str) -> None:
    await _to_description(chat, english=english)
    await chat.text(label)
    assert any(c.startswith("g:") for c in chat.choice_ids)  # the service groups, at once
    said = "choose the service again" if english else "لنختر الخدمة من جديد"
    assert said in chat.said
    await chat.text("ابي تاشيرة خروج وعودة")
    await chat.tap("s:exit_reentry_visa")
    # nothing typed so far is asked again, and the label is no description
    expected = "describe your request" if english else "يُرجى وصف طلبك"
    assert expected in chat.said.lower() or expected in chat.said
    assert label not in chat.said


async def test_from_the_summary_the_summary_follows(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_description(chat)
    await chat.text(DESCRIPTION)
    await chat.media(ref="iqama")
    await chat.tap("done")
    await chat.tap("e:desc")
    await chat.text("غيرت رايي ابي خدمة ثانية")
    await chat.tap("chg:yes")
    await chat.text("ابي تاشيرة خروج وعودة")
    await chat.tap("s:exit_reentry_visa")
    assert "يُرجى مراجعة طلبك" in chat.said and "تأشيرة خروج وعودة" in chat.said
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert filed.service_id == "exit_reentry_visa" and filed.description == DESCRIPTION


CASE = "لما اختار خدمة ثانية في ابشر يطلع لي خطأ ولا يكمل الطلب ابدا"


async def test_words_that_only_speak_of_another_service_are_kept_when_no_is_said(
    chat: Chat, gateway: MemoryGateway
) -> None:
    """Found by the review: a description that mentions «خدمة ثانية» is offered a change;
    «لا» to it lost the words. They are now the description so far, kept or replaced."""
    await _to_description(chat)
    await chat.text(CASE)
    assert "هل أغيّر خدمة طلبك" in chat.said
    await chat.text("لا")
    assert "يبقى طلبك لخدمة «تجديد هوية مقيم»" in chat.said
    assert (
        CASE in chat.said and "keep_description" in chat.choice_ids
    )  # shown, with «Keep my description»
    await chat.tap("keep_description")
    await chat.media(ref="iqama")
    await chat.tap("done")
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert filed.description == CASE


async def test_at_the_documents_the_words_join_the_description_when_no_is_said(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    await chat.text(DESCRIPTION)
    await chat.text(CASE)
    assert "هل أغيّر خدمة طلبك" in chat.said
    await chat.tap("chg:no")
    await chat.media(ref="iqama")
    await chat.tap("done")
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert filed.description == f"{DESCRIPTION}\n{CASE}"
