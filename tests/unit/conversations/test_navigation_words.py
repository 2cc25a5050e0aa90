"""Issue 10 item 5: navigation in the person's own words, in the real dialogue."""

from __future__ import annotations

import pytest

from .fakes import Chat, MemoryGateway
from .test_intake import RESIDENT, _done_after_a_file_files_the_description, _to_identity


@pytest.mark.parametrize("typed", ["الرجوع", "ارجع ورا", "رجعني", "back", "go back please"])
async def test_back_in_other_words(chat: Chat, typed: str) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)  # at the phone step
    await chat.text(typed)
    assert "رقم هويتك" in chat.said  # one step back, not a re-entry visa
    assert "خروج وعودة" not in chat.said


@pytest.mark.parametrize("typed", ["المساعدة", "ابي مساعده", "help me", "Help please"])
async def test_help_in_other_words(chat: Chat, typed: str) -> None:
    await _to_identity(chat)
    await chat.text(typed)
    assert "تواصل" in chat.said and "رقم هويتك" in chat.said  # help, then the step


@pytest.mark.parametrize("typed", ["؟", "?", " ؟ ", "؟؟"])
async def test_a_question_mark_alone_is_help_at_every_step(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.text(typed)
    assert "تواصل" in chat.said and "فرد" in chat.said  # help, then the first question
    assert "اختيار أحد الخيارين" not in chat.said
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text(typed)  # at the phone step it was read as a typed phone number
    assert "تواصل" in chat.said and "مشاركة رقمي" in chat.said
    # not refused as a typed number («حرصًا على حمايتك، يجب أن يكون الرقم من حسابك أنت»);
    # the help says what this step needs (tester 13, §6)
    assert "حرصًا على حمايتك" not in chat.said and "نحتاج رقم جوالك" in chat.said


@pytest.mark.parametrize("typed", ["الغاء الطلب", "ابي الغي", "cancel please", "إلغاء"])
async def test_cancel_in_other_words(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(typed)
    assert "تم الإلغاء" in chat.said


@pytest.mark.parametrize("typed", ["من البداية", "القائمة", "main menu", "start over"])
async def test_restart_in_other_words(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(typed)
    assert chat.choice_ids[:2] == ["ind", "est"]


async def test_a_description_that_mentions_cancelling_is_a_description(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact("+966501234567")
    await chat.text("ابي الغي بلاغ التغيب المسجل على العامل بالخطأ")
    assert "للمستندات" in chat.said  # on to the documents


async def test_a_number_at_the_phone_step_is_no_menu_number(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    assert chat.choice_ids[:2] == ["share_contact", "back"]
    # no channel numbers «رجوع» (the terminal and WhatsApp name navigation): digits typed
    # here are a phone, so «1» is answered by the step, not read as «رجوع»
    await chat.text("1")
    assert "رقم هويتك" not in chat.said
    await chat.text("رجوع")
    assert "رقم هويتك" in chat.said


async def _to_question(chat: Chat, applicant: str, service: str) -> None:
    await chat.command("start")
    await chat.tap(applicant)
    await chat.text(service)
    await chat.tap(f"s:{service}")


@pytest.mark.parametrize("typed", ["ابدأ من جديد", "ابي ابدا من جديد"])
@pytest.mark.parametrize(
    ("applicant", "service", "question", "refusal"),
    [
        ("ind", "dependents", "هل صاحب الطلب تابع لك", "لا يتبع لحسابك"),
        ("est", "absence_report", "هل العامل مسجّل على منشأتك", "عن عمالها المسجّلين"),
    ],
)
async def test_start_again_at_a_yes_no_question_is_no_no(
    chat: Chat, typed: str, applicant: str, service: str, question: str, refusal: str
) -> None:
    # found by the tester: «ابدأ» folds to «ابدا», which is also a dialect «no» («never»),
    # so the yes/no reader took «ابدأ من جديد» as «لا» and turned the person away
    await _to_question(chat, applicant, service)
    assert question in chat.said
    await chat.text(typed)
    assert refusal not in chat.said
    assert chat.choice_ids[:2] == ["discard", "keep"] or chat.choice_ids[:2] == ["ind", "est"]


@pytest.mark.parametrize("typed", ["1", "2", "3", "٣"])
async def test_a_lone_digit_at_the_identity_step_is_a_short_number(chat: Chat, typed: str) -> None:
    # found by the tester: «رجوع • مساعدة • إلغاء» are shown by name, yet «3» cancelled
    # the draft without asking, «1» went back and «2» showed help
    await _to_identity(chat)
    await chat.text(typed)
    assert "تم الإلغاء" not in chat.said
    assert "تواصل" not in chat.said  # not the help text
    assert "أين صاحب الإقامة" not in chat.said  # not one step back
    assert "كتبت رقمًا واحدًا" in chat.said
    await chat.text(RESIDENT)
    assert "مشاركة رقمي" in chat.said  # the draft went on to the phone step


@pytest.mark.parametrize(
    "typed", ["ابي اقدم طلب جديد", "ابي طلب جديد", "I want to file a new request"]
)
async def test_a_new_request_in_words_after_filing_starts_one(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    # helper 26: «ابي اقدم طلب جديد» after filing was offered «إصدار هوية مقيم» («جديد»)
    await _done_after_a_file_files_the_description(chat, gateway, "تم")
    await chat.text(typed)
    assert "ind" in chat.choice_ids and "s:iqama_issue" not in chat.choice_ids, chat.said
