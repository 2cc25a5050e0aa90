"""An identity number sent before anything else (found by the fresh-clone tester): kept,
said so, the service asked for, and never asked for again; and the first question's
«choose one» counts the options it shows."""

from __future__ import annotations

import pytest

from .fakes import Chat, MemoryGateway
from .test_intake import CITIZEN, PHONE, RESIDENT
from .test_status import plain


@pytest.mark.parametrize("opening", [None, "start"])
@pytest.mark.parametrize("typed", [RESIDENT, "٢٠٠٠٠٠٠٠٠٦", "رقم اقامتي 2000000006"])
async def test_an_identity_number_first_is_kept_and_not_asked_again(
    chat: Chat, gateway: MemoryGateway, opening: str | None, typed: str
) -> None:
    if opening:
        await chat.command(opening)
    await chat.text(typed)
    assert "احتفظتُ برقم الهوية" in chat.said and "2******006" in chat.said
    assert "اختيار أحد الخيارين" not in chat.said
    assert "ما الخدمة المطلوبة؟" in chat.said  # the service is asked for next
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    # past the identity step, with the number named, straight to the phone
    assert "رقم هويتك" not in chat.said
    assert "2******006" in chat.said and "مشاركة رقمي" in chat.said
    await chat.contact(PHONE)
    await chat.text("انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].identity_number == RESIDENT


async def test_a_number_the_service_does_not_take_is_named_at_the_identity_step(
    chat: Chat,
) -> None:
    await chat.command("start")
    await chat.text(CITIZEN)
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    assert "1******008" in chat.said and "لا تقبله" in chat.said
    assert "رقم هويتك" in chat.said
    await chat.text(RESIDENT)
    assert "مشاركة رقمي" in chat.said


async def test_choose_one_counts_the_options_shown(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("مدري")
    assert chat.choice_ids[:4] == ["ind", "est", "status", "faq"]
    assert "اختيار أحد الخيارين" not in chat.said
    assert "واحد من ٤ خيارات" in chat.said and "«أسئلة شائعة»" in chat.said


async def test_an_establishment_number_first_files_as_that_establishment(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await chat.text("7001234567")
    assert "احتفظتُ برقم المنشأة" in chat.said and "7001234567" in chat.said
    await chat.text("نقل خدمات")
    await chat.tap("s:transfer_of_services")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    # the establishment step is not asked: the worker's number comes next
    assert "سأستخدم رقم المنشأة" in chat.said and "كتابة رقم العامل" in chat.said
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text("نقل خدمات العامل متوقف بسبب خطأ في منصة مقيم")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    filed = gateway.submissions[0]
    assert filed.applicant_kind == "establishment" and filed.identity_number == RESIDENT
    assert filed.establishment_number == "7001234567"


async def test_an_identity_number_at_an_eligibility_question_is_kept(
    chat: Chat, gateway: MemoryGateway
) -> None:
    """At «لمن هذا الطلب؟» the tester typed the identity number: it got «لم أفهم إجابتك»
    and the number was lost. Now it is kept for the identity step, said so, and the
    question asked again."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد الجواز")
    await chat.tap("s:passport_renew")
    assert "لمن هذا الطلب؟" in chat.said
    await chat.text("1123456780")
    assert "احتفظتُ برقم الهوية" in chat.said and "1******780" in chat.said
    assert "لم أفهم" not in chat.said
    assert "لمن هذا الطلب؟" in chat.said and "q:self" in chat.choice_ids
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    assert "كتابة رقم هوية" not in chat.said  # not asked for again
    await chat.contact(PHONE)
    await chat.text("انتهت صلاحية جوازي وأحتاج تجديده قبل السفر")
    await chat.media(ref="p1")
    await chat.media(ref="p2")
    await chat.tap("done")
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert filed.identity_number == "1123456780"


async def _file_iqama_renewal(chat: Chat, gateway: MemoryGateway) -> str:
    """From «أيّ هذه الخدمات هي المطلوبة؟» to the request filed; the identity number filed."""
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    # past the identity step, with the number named, straight to the phone
    assert "رقم هويتك" not in chat.said
    assert "2******788" in chat.said and "مشاركة رقمي" in chat.said
    # it was not sent «at the start» («في البداية») but at the service question
    assert "الذي أرسلته سابقًا" in chat.said and "في البداية" not in chat.said
    await chat.contact(PHONE)
    await chat.text("انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    return filed.identity_number


@pytest.mark.parametrize("typed", ["٢١٢٣٤٥٦٧٨٨", "2123456788"])
async def test_an_identity_number_at_the_suggested_services_is_kept(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    """At «أيّ هذه الخدمات هي المطلوبة؟» the tester typed the iqama number in Arabic-Indic
    digits: «لم أتمكن من تحديد الخدمة المقصودة» and the number was lost. Now it is kept,
    said so, the services offered again, and the identity step skipped later."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    assert "s:iqama_renew" in chat.choice_ids
    await chat.text(typed)
    assert "احتفظتُ برقم الهوية" in chat.said and "2******788" in chat.said
    assert "لم أتمكن" not in chat.said
    assert "هل هذه هي الخدمة المطلوبة؟" in chat.said and "s:iqama_renew" in chat.choice_ids
    assert await _file_iqama_renewal(chat, gateway) == "2123456788"


async def test_a_wish_with_the_number_at_the_service_question_keeps_both(
    chat: Chat, gateway: MemoryGateway
) -> None:
    """The wish and the number in one message at «ما الخدمة المطلوبة؟»: the number is
    kept and the services the words name are offered."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي رقمها ٢١٢٣٤٥٦٧٨٨")
    assert "احتفظتُ برقم الهوية" in chat.said and "2******788" in chat.said
    assert "s:iqama_renew" in chat.choice_ids
    assert await _file_iqama_renewal(chat, gateway) == "2123456788"


async def test_a_second_identity_number_says_it_replaced_the_first(
    chat: Chat, gateway: MemoryGateway
) -> None:
    """Tester 12 (§19, terminal): «۲۰۰۰۰۰۰۰۰۶» then «3123456789» at the service question
    were each «kept» with no word that the second replaced the first."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("۲۰۰۰۰۰۰۰۰۶")
    assert "احتفظتُ برقم الهوية" in chat.said and "2******006" in chat.said
    await chat.text("ابي اجدد اقامتي")
    await chat.text("2123456788")
    said = plain(chat.said)
    assert "احتفظتُ برقم الهوية 2******788 لطلبك بدلًا من 2******006" in said, said
    # the same number again is no replacement
    await chat.text("٢١٢٣٤٥٦٧٨٨")
    assert "بدلًا من" not in chat.said and "2******788" in chat.said
    assert await _file_iqama_renewal(chat, gateway) == "2123456788"


async def test_the_unified_number_at_an_establishments_question_is_kept(chat: Chat) -> None:
    # helper 26: «٧٠٠٠٠٠٠٠٠٠» at «أين صاحب الإقامة الآن؟» got «لم أفهم إجابتك» and was lost
    await chat.command("start")
    await chat.tap("est")
    await chat.text("أبي أجدد إقامة العامل")
    await chat.tap("s:iqama_renew")
    await chat.text("٧٠٠٠٠٠٠٠٠٠")
    assert "احتفظتُ برقم المنشأة" in chat.said and "لم أفهم" not in chat.said, chat.said
    assert "أين صاحب الإقامة الآن؟" in chat.said
    await chat.tap("q:inside")
    assert "رقم العامل" in chat.said and "الرقم الموحد" not in chat.last[-1].text, chat.said
