"""A need or a documents question said with one word several services share (helper 22's
recheck): «ابي جواز» got «يُرجى اختيار واحد من ٤ خيارات», «الاوراق المطلوبه للجواز» was not
understood, «وش الاوراق المطلوبه لتجديد الاقامه» got the seed's conditions instead of the
documents the request will ask for."""

from __future__ import annotations

import pytest

from .fakes import Chat

PASSPORTS = ["s:passport_issue", "s:passport_renew", "s:passport_extend", "s:passport_amend"]


@pytest.mark.parametrize("typed", ["ابي جواز", "جواز", "ابغى الجواز"])
async def test_a_shared_word_offers_the_services_that_share_it(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.text(typed)
    assert "أيّ هذه الخدمات هي المطلوبة؟" in chat.said, chat.said
    assert [c for c in chat.choice_ids if c.startswith("s:")] == PASSPORTS


@pytest.mark.parametrize("typed", ["تأشيرة", "ابي تأشيرة", "تاشيره"])
async def test_a_word_with_its_hamza_too(chat: Chat, typed: str) -> None:
    # helper 23: «تأشيرة» with its hamza got «يُرجى اختيار واحد من ٤ خيارات»
    await chat.command("start")
    await chat.text(typed)
    assert "s:exit_reentry_visa" in chat.choice_ids and "s:final_exit_visa" in chat.choice_ids


async def test_after_individual_too_and_only_the_applicants_services(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("اقامة")
    offered = [c for c in chat.choice_ids if c.startswith("s:")]
    assert "s:iqama_renew" in offered and "s:profession_change" not in offered, offered


async def test_a_longer_message_is_matched_as_ever(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("ابي جواز لولدي")
    assert [c for c in chat.choice_ids if c.startswith("s:")] == ["s:passport_issue"]


@pytest.mark.parametrize("typed", ["الاوراق المطلوبه للجواز", "وش الاوراق المطلوبه للجواز"])
async def test_documents_of_a_shared_word_are_listed_for_each_service(
    chat: Chat, typed: str
) -> None:
    await chat.command("start")
    await chat.text(typed)
    said = chat.said
    assert "تختلف المستندات المطلوبة باختلاف الخدمة" in said, said
    assert "• تجديد جواز السفر (للمواطنين فقط): صورة الجواز الحالي" in said
    assert "يُرجى اختيار" not in said and "kb:iqama_conditions" not in chat.choice_ids


@pytest.mark.parametrize(
    "typed",
    [
        "وش الاوراق المطلوبه لتجديد الاقامه",
        # helper 23: worded otherwise, the conditions were not offered
        "وش يبون اوراق عشان اجدد الاقامه",
        "وش الاوراق اللي احتاجها لتجديد الاقامه",
        "ايش يطلبون من مستندات لتجديد الاقامة",
    ],
)
async def test_the_iqamas_documents_question_lists_its_documents_and_offers_the_conditions(
    chat: Chat, typed: str
) -> None:
    await chat.command("start")
    await chat.text(typed)
    said = chat.said
    assert "المستندات المطلوبة لخدمة «تجديد هوية مقيم»" in said, said
    assert "• إيصال سداد رسوم التجديد" in said
    assert "kb:iqama_conditions" in chat.choice_ids and "file:iqama_renew" in chat.choice_ids
    await chat.tap("kb:iqama_conditions")
    assert "اجتياز الفحص الطبي" in chat.said


async def test_in_another_services_draft_the_conditions_are_named(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي تاشيرة خروج وعودة")
    await chat.tap("s:exit_reentry_visa")
    await chat.text("وش الاوراق المطلوبه لتجديد الاقامه")
    said = chat.said
    assert "المستندات المطلوبة لخدمة «تجديد هوية مقيم»" in said, said
    assert "ويمكنك أيضًا السؤال هنا عن «" in said
    assert "لمن هذا الطلب؟" in chat.last[-1].text  # the draft's question again


async def test_as_the_first_message_too(chat: Chat) -> None:
    await chat.text("ابي تأشيرة")
    assert "s:exit_reentry_visa" in chat.choice_ids, chat.said


@pytest.mark.parametrize(
    ("typed", "then"), [("تجديد", "أين صاحب الإقامة الآن؟"), ("التابعين", "تابع لك")]
)
async def test_a_word_of_one_offered_label_picks_it(chat: Chat, typed: str, then: str) -> None:
    # helper 23: «تجديد» under «تجديد هوية مقيم» and «خدمات التابعين» searched again and
    # offered the passport's renewal
    await chat.command("start")
    await chat.text("ابي اجدد اقامة زوجتي")
    assert chat.choice_ids[:2] == ["s:iqama_renew", "s:dependents"]
    await chat.text(typed)
    assert then in chat.last[-1].text and "s:passport_renew" not in chat.choice_ids, chat.said
