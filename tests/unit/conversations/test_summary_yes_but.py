"""Tester 14 §1, §6: at the summary a yes-word inside a correction, a doubt or a
question («صحيح بس ابي اضيف شي للوصف», «ايوه بس رقم الجوال غلط», «رقم الجوال صح؟») sent
the request, which cannot be withdrawn or changed after. Only a clear confirmation sends;
a correction goes to its change, a question is answered, a wish for a document or for
another service is offered what does it."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_manners import _to_summary


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def chat(gateway: MemoryGateway) -> Chat:
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter())
    return Chat(engine.handle)


NOT_SENT = [
    "لا لحظة رقم اقامتها غلط الصحيح ٢٠٠٠٠٠٠٠٢٢",
    "الرقم الصحيح ٢٠٠٠٠٠٠٠٤٨",
    "صحيح بس ابي اضيف شي للوصف",
    "تمام بس ابي اعدل الوصف",
    "ايوه بس رقم الجوال غلط",
    "رقم الجوال صح؟",
    "زين بس وين المستندات الباقية",
    "yes but the phone number is wrong",
    "اوكي بس لحظة ابي اضيف صورة",
    "طيب ابي اضيف صورة",
    "غيرت رايي ابي اجدد جوازي مو الاقامة",
    "الوصف ناقص ابي اضيف ان الاقامة منتهية من شهر",
    "تمام لحظة",
    "ok wait",
    "البيانات صحيحة بس الجوال غلط",
]


@pytest.mark.parametrize("typed", NOT_SENT)
async def test_a_yes_word_in_a_correction_sends_nothing(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    await _to_summary(chat)
    await chat.text(typed)
    assert gateway.submissions == []
    assert "تم استلام طلبك" not in chat.said


@pytest.mark.parametrize(
    ("typed", "lands"),
    [
        ("صحيح بس ابي اضيف شي للوصف", "وصف"),
        ("تمام بس ابي اعدل الوصف", "وصف"),
        ("ايوه بس رقم الجوال غلط", "جوال"),
        ("yes but the phone number is wrong", "جوال"),
        ("لا لحظة رقم اقامتها غلط الصحيح ٢٠٠٠٠٠٠٠٢٢", "مكان رقم الهوية"),
    ],
)
async def test_the_correction_goes_to_its_change(chat: Chat, typed: str, lands: str) -> None:
    await _to_summary(chat)
    await chat.text(typed)
    assert lands in chat.said
    assert "confirm" not in chat.choice_ids or "e:id_typed" in chat.choice_ids


async def test_a_question_is_answered_with_its_change_not_sent(chat: Chat) -> None:
    await _to_summary(chat)
    await chat.text("رقم الجوال صح؟")
    assert "لم يُرسَل طلبك" in chat.said
    assert "«تعديل رقم الجوال»" in chat.said
    assert "confirm" in chat.choice_ids  # still at the summary


@pytest.mark.parametrize(
    "typed", ["طيب ابي اضيف صورة", "اوكي بس لحظة ابي اضيف صورة", "زين بس وين المستندات الباقية"]
)
async def test_a_document_wished_for_goes_back_to_the_documents_keeping_them(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    await _to_summary(chat)
    await chat.text(typed)
    assert "يُرجى إرسال صور" in chat.said or "صور أو ملفات" in chat.said
    await chat.media(ref="p2")
    await chat.tap("done")
    assert "يُرجى مراجعة طلبك" in chat.said
    await chat.tap("confirm")
    assert [a.ref for a in gateway.submissions[0].attachments] == ["p1", "p2"]


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("غيرت رايي ابي اجدد جوازي مو الاقامة", "s:passport_renew"),
        # tester 16 §11: was told to press «تغيير الخدمة»
        ("لا لحظه ابي اغير الخدمه لتاشيرة خروج وعوده", "s:exit_reentry_visa"),
    ],
)
async def test_another_service_in_words_goes_to_the_change_itself(
    chat: Chat, gateway: MemoryGateway, typed: str, named: str
) -> None:
    """README: another service named in words at the summary goes to «تغيير الخدمة»
    itself, the service named offered first; nothing is sent."""
    await _to_summary(chat)
    await chat.text(typed)
    assert "يُرجى الضغط على «تغيير الخدمة»" not in chat.said
    assert chat.choice_ids[0] == named, chat.choice_ids
    assert gateway.submissions == []


async def test_another_service_unnamed_is_pointed_to_the_button(chat: Chat) -> None:
    await _to_summary(chat)
    await chat.text("غيرت رايي ابي خدمة ثانية")
    assert "«تغيير الخدمة»" in chat.said and "لم يُرسَل طلبك" in chat.said


@pytest.mark.parametrize(
    "typed",
    [
        "ايوه",
        "تمام ارسله",
        "نعم كل شي صحيح",
        "طيب",
        "ok",
        # review 14 §3: plain confirmations 47440aa refused
        "البيانات صحيحة",
        "المعلومات صحيحة",
        "نعم البيانات صحيحة",
        "تمام ارسلوه",
        "نعم أؤكد",
    ],
)
async def test_a_clear_confirmation_sends(chat: Chat, gateway: MemoryGateway, typed: str) -> None:
    await _to_summary(chat)
    await chat.text(typed)
    assert len(gateway.submissions) == 1
    assert "تم استلام طلبك" in chat.said


async def test_a_service_changed_from_the_summary_asks_its_own_documents(
    chat: Chat, gateway: MemoryGateway
) -> None:
    """Tester 14 §7: «تغيير الخدمة» → «ابي خروج وعوده» → its question, then the summary
    at once: the exit/re-entry documents were never asked."""
    await _to_summary(chat)
    await chat.tap("e:service")
    await chat.text("ابي خروج وعوده")
    for _ in range(4):  # its question(s), answered with the first option
        if "يُرجى مراجعة طلبك" in chat.said or "PDF" in chat.said:
            break
        await chat.text("١")
    assert "يُرجى مراجعة طلبك" not in chat.said
    assert "PDF" in chat.said and "ملفًا واحدًا" in chat.said  # its list, the file kept
    await chat.media(ref="p2")
    await chat.tap("done")
    assert "يُرجى مراجعة طلبك" in chat.said and "خروج وعودة" in chat.said
    await chat.tap("confirm")
    filed = gateway.submissions[0]
    assert filed.service_id == "exit_reentry_visa"
    assert [a.ref for a in filed.attachments] == ["p1", "p2"]


@pytest.mark.parametrize("typed", ["صحيح بس ابي اضيف شي للوصف", "الوصف ناقص ابي اضيف شي"])
async def test_words_to_add_to_the_description_are_added_not_put_in_its_place(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    """Tester 14 §6: the summary's «تعديل الوصف» asked for a text «ليحلّ محلّه», so the
    words the person meant to add replaced the description."""
    await _to_summary(chat)
    await chat.text(typed)
    assert "إضافته" in chat.said and "ليحلّ محلّه" not in chat.said
    await chat.text("الاقامة منتهية من شهر وابشر ما يقبل")
    assert "أضفتُه إلى وصفك" in chat.said and "يُرجى مراجعة طلبك" in chat.said
    await chat.tap("confirm")
    assert gateway.submissions[0].description == (
        "انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام\nالاقامة منتهية من شهر وابشر ما يقبل"
    )


@pytest.mark.parametrize(
    "typed",
    [
        "ابي اضيف ان الكفيل مسافر",
        "نسيت اقول ان الجواز جديد",
        "كمان اقول ان الكفيل وافق",
        "الوصف ناقص ابي اضيف ان الاقامة منتهية من شهر",
    ],
)
async def test_words_told_with_adding_are_added_at_once(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    # helper 235: «ابي اضيف ان الكفيل مسافر» got «لم يُرسَل طلبك…» and the words were lost;
    # «جواز جديد» was read as another service
    await _to_summary(chat)
    await chat.text(typed)
    assert "أضفتُه إلى وصفك" in chat.said and "يُرجى مراجعة طلبك" in chat.said, chat.said
    assert not gateway.submissions  # shown again, not sent
    await chat.tap("confirm")
    assert gateway.submissions[0].description.endswith(f"\n{typed}")


@pytest.mark.parametrize("typed", ["ابي اضيف شي", "ابي اضيف تاشيرة خروج وعودة"])
async def test_a_wish_to_add_without_words_told_is_not_added(chat: Chat, typed: str) -> None:
    await _to_summary(chat)
    await chat.text(typed)
    assert "أضفتُه إلى وصفك" not in chat.said, chat.said


async def test_help_at_the_summary_shows_one_page_of_choices(chat: Chat) -> None:
    # helper 235: the summary under «مساعدة» showed twelve numbered choices
    await _to_summary(chat)
    await chat.text("مساعدة")
    shown = [i for i in chat.choice_ids if i not in ("back", "help", "cancel")]
    assert len(shown) <= 9, shown
    assert shown[0] == "confirm" and "lang:en" in shown and "status" in shown, shown
    await chat.text("English")  # the language the help's text points to still works
    assert "Please check your request" in chat.said, chat.said


@pytest.mark.parametrize("typed", ["إرسال", "ارسال", "send"])
async def test_the_send_word_at_the_summary_sends(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    # the fresh-clone probe: «إرسال» asked «تأكيد وإرسال» or «إعادة إرسال المستندات»?
    await _to_summary(chat)
    await chat.text(typed)
    assert "تم استلام طلبك" in chat.said and len(gateway.submissions) == 1, chat.said
