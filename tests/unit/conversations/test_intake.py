"""The resident's intake dialogue, driven by neutral events (no channel, no Redis)."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.ports import Submission, SubmittedRequest
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .journeys import CITIZEN as CITIZEN
from .journeys import DESCRIPTION as DESCRIPTION
from .journeys import PHONE as PHONE
from .journeys import RESIDENT as RESIDENT
from .journeys import (
    _done_after_a_file_files_the_description as _done_after_a_file_files_the_description,
)
from .journeys import _to_attachments as _to_attachments
from .journeys import _to_establishment as _to_establishment
from .journeys import _to_identity as _to_identity
from .journeys import _to_whose as _to_whose


async def test_greeting_explains_service_and_offers_applicant_kinds(chat: Chat) -> None:
    await chat.command("start")
    assert "تواصل" in chat.said
    assert "٧ أيام عمل" in chat.said  # a count, so in the digits Arabic readers expect
    assert "إلغاء" in chat.said and "مساعدة" in chat.said
    assert chat.choice_ids[:2] == ["ind", "est"]


async def test_free_text_need_offers_iqama_renewal_first(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    assert chat.choice_ids[0] == "s:iqama_renew"


async def test_whole_request_gets_number_and_due_date(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_attachments(chat)
    await chat.media(ref="p1")
    await chat.media(ref="p2")
    assert chat.said.startswith("وصلتني الصورة.")
    await chat.tap("done")
    assert "يُرجى مراجعة طلبك" in chat.said and "المرفقات: ملفان" in chat.said
    assert RESIDENT in chat.said and PHONE in chat.said
    # the eligibility answer is in the summary, as the officer will see it on the card
    assert "أين أنت الآن؟ داخل المملكة" in chat.said
    await chat.tap("confirm")
    assert len(gateway.submissions) == 1
    filed = gateway.submissions[0]
    assert filed.service_id == "iqama_renew"
    assert filed.identity_number == RESIDENT and filed.identity_kind == "resident"
    assert filed.phone == PHONE
    assert filed.description == "انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام"
    assert [a.ref for a in filed.attachments] == ["p1", "p2"]
    # an identifier: ASCII digits, isolated left to right inside the Arabic sentence
    assert "رقم الطلب: \u20660000000001\u2069" in chat.said
    assert "هـ" in chat.said  # the due date in Hijri too


async def test_identity_in_arabic_indic_digits_with_marks_is_accepted(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text("\u200f٢٠٠٠ ٠٠٠-٠٠٦\u200e")
    assert "مشاركة رقم جوالك" in chat.said


@pytest.mark.parametrize(
    "typed",
    [
        "رقم اقامتي ٢٠٠٠ ٠٠٠ ٠٠٦",
        "رقمي 2000000006",
        "my iqama is 2000000006",
        # one 10-digit number and a short one: the short one is no candidate (tester 15
        # §5: it got «يجب أن يتكون الرقم من أرقام فقط», blaming letters nobody typed)
        "عمري 30 ورقمي 2000000006",
    ],
)
async def test_identity_said_in_words_is_taken(chat: Chat, typed: str) -> None:
    await _to_identity(chat)
    await chat.text(typed)  # once «يجب أن يتكون الرقم من أرقام فقط»
    assert "مشاركة رقم جوالك" in chat.said


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("20000000", "كتبت ٨ أرقام"),
        ("رقمي 2000000007", "الرقم الأخير لا يتوافق"),
        ("5000000006", "الرقم الأول غير صحيح"),
        ("2000000007", "الرقم الأخير لا يتوافق"),
        ("abc", "لا يوجد في رسالتك رقم"),  # words alone: nothing «to type again»
        ("2000x00006", "حرف بين الأرقام"),
        ("1000000008", "هذه الخدمة تتطلب رقم إقامة"),
        # a national ID's first digit where an iqama is needed, and a wrong check digit:
        # the first is the mistake to name (found by the tester)
        ("1234567890", "هذه الخدمة تتطلب رقم إقامة"),
    ],
)
async def test_wrong_identity_says_what_is_wrong_and_asks_again(
    chat: Chat, typed: str, expected: str
) -> None:
    await _to_identity(chat)
    await chat.text(typed)
    assert expected in chat.said
    await chat.text(RESIDENT)
    assert "مشاركة رقم جوالك" in chat.said


async def test_someone_elses_contact_is_refused(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact("+966509999999", own=False)
    assert "رقم شخص آخر" in chat.said
    assert chat.last[-1].ask_contact
    # a mobile typed instead is taken as a contact number, not verified (session 16: it
    # was refused as «not from your account»)
    await chat.text("0501234567")
    assert "غير موثّق" in chat.said and "حسابك أنت" not in chat.said


async def test_description_too_short_is_kept_asking_and_exact_text_kept(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text("قصير")
    assert "احتفظت بما كتبت" in chat.said
    exact = "  <b>إقامتي</b> & منتهية منذ شهر؛ أرجو المساعدة  "
    await chat.text(exact)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    # the short first message and the next one are one description, each as typed
    assert gateway.submissions[0].description == "قصير\n" + exact


async def test_album_gets_one_answer_but_every_item_counts(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_attachments(chat)
    answers = [await chat.media(album="A1", ref=f"a{i}") for i in range(4)]
    assert [len(a) for a in answers] == [1, 0, 0, 0]
    await chat.tap("done")
    assert "المرفقات: ٤ ملفات" in chat.said
    await chat.tap("confirm")
    assert len(gateway.submissions[0].attachments) == 4


async def test_wrong_file_type_size_and_voice_are_explained(chat: Chat) -> None:
    await _to_attachments(chat)
    await chat.media(kind="document", mime="application/zip")
    assert "صورة أو ملف PDF" in chat.said
    await chat.media(size=30 * 1024 * 1024)
    assert "ميغابايت" in chat.said
    await chat.media(kind="voice", mime="audio/ogg")
    assert "الرسائل الصوتية" in chat.said
    await chat.tap("done")
    assert "مستند واحد على الأقل" in chat.said  # nothing usable arrived yet
    await chat.media(kind="document", mime="application/pdf", size=200_000)
    assert "وصلني الملف" in chat.said
    await chat.tap("done")
    assert "يُرجى مراجعة طلبك" in chat.said and "المرفقات: ملف واحد" in chat.said


async def test_done_before_required_documents_asks_for_them(chat: Chat) -> None:
    await _to_identity(chat, "passport_renew")
    await chat.text(CITIZEN)
    await chat.contact(PHONE)
    await chat.text("جوازي انتهى وأحتاج تجديده قبل السفر")
    assert "skip" not in chat.choice_ids
    await chat.tap("done")
    # one file at least, as for every service with documents (the catalogue's rule)
    assert "مستند واحد على الأقل" in chat.said
    await chat.media()
    await chat.tap("done")
    assert "يُرجى مراجعة طلبك" in chat.said


async def test_confirming_twice_files_one_request(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_attachments(chat)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    await chat.tap("confirm")
    assert len(gateway.submissions) == 1
    assert "سبق إرسال طلبك" in chat.said


async def test_redelivered_event_is_handled_once(chat: Chat, gateway: MemoryGateway) -> None:
    from conversations.events import Choice

    await _to_attachments(chat)
    await chat.media()
    await chat.tap("done")
    event = Choice(chat.origin("same-update"), "confirm")
    first = await chat.send(event)
    second = await chat.send(event)
    assert first and second == []
    assert len(gateway.submissions) == 1


async def test_typed_number_and_label_answer_like_buttons(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("٢")  # the second option: establishment
    assert "الرقم" in chat.said or chat.choice_ids  # moved on to the groups
    assert any(c.startswith("g:") for c in chat.choice_ids)
    await chat.text("رجوع")
    await chat.text("فرد")
    assert any(c.startswith("g:") for c in chat.choice_ids)


async def test_help_keeps_the_place_and_cancel_clears(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text("مساعدة")
    assert "٧ أيام عمل" in chat.said
    assert chat.last[-1].ask_contact  # asked for the phone again: nothing lost
    await chat.contact(PHONE)
    assert "يُرجى وصف طلبك" in chat.said
    await chat.text("إلغاء")
    assert "هل يُحذف" in chat.said  # the identity and phone given: asked first
    await chat.text("نعم")
    assert "حُذف الطلب" in chat.said
    await chat.text("مرحبا")
    assert chat.choice_ids[:2] == ["ind", "est"]
    assert gateway.submissions == []


async def test_back_returns_one_step(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.tap("back")
    assert "رقم هويتك" in chat.said


async def test_unexpected_messages_get_a_hint_not_silence(chat: Chat) -> None:
    await _to_identity(chat)
    for send in (chat.unsupported("location"), chat.media(kind="sticker", mime="image/webp")):
        replies = await send
        assert replies and replies[0].text
    await chat.command("whatever")
    assert "الأمر غير معروف" in chat.said
    await chat.text(RESIDENT)
    assert chat.last[-1].ask_contact


async def test_visit_visa_extension_refused_for_other_nationalities(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("تمديد تأشيرة الزيارة")
    await chat.tap("s:visit_visa_extension")
    refusing = [c for c in chat.choice_ids if c.startswith("q:") and "other" in c]
    assert refusing, chat.choice_ids
    await chat.tap(refusing[0])
    assert "سوري" in chat.said or "السوري" in chat.said
    assert "other" in chat.choice_ids


async def test_summary_edit_returns_to_summary(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_attachments(chat)
    await chat.media()
    await chat.tap("done")
    await chat.tap("e:desc")
    await chat.text("وصف جديد مفصل لمشكلة تجديد الإقامة")
    assert "يُرجى مراجعة طلبك" in chat.said
    assert "وصف جديد مفصل" in chat.said
    await chat.tap("confirm")
    assert gateway.submissions[0].description == "وصف جديد مفصل لمشكلة تجديد الإقامة"


async def test_establishment_gives_its_number_and_the_workers_iqama(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_establishment(chat)
    await chat.text("8000000000")
    assert "يبدأ بالرقم ٧" in chat.said
    await chat.text("7001234567")
    assert "رقم العامل" in chat.said
    await chat.text(CITIZEN)
    assert "رقم إقامة" in chat.said
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text("نرغب في نقل خدمات العامل إلى منشأتنا الجديدة")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    filed = gateway.submissions[0]
    assert filed.applicant_kind == "establishment"
    assert filed.establishment_number == "7001234567"
    assert filed.identity_number == RESIDENT


async def test_changing_to_a_service_that_needs_more_documents_asks_for_them(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_identity(chat, "other")  # «other»: documents may be skipped
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text(DESCRIPTION)
    await chat.tap("skip")
    await chat.tap("e:service")
    await chat.text("ابي اصدار جواز سفر")
    await chat.tap("s:passport_issue")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    await chat.text(CITIZEN)  # the new service needs a national ID
    await chat.tap("confirm")
    assert gateway.submissions == []
    assert "مستند واحد على الأقل" in chat.said
    await chat.media(ref="first")
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].service_id == "passport_issue"
    assert [a.ref for a in gateway.submissions[0].attachments] == ["first"]


async def test_abadan_is_not_a_restart(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text("أبداً")  # "never": too short a description, not "start over"
    assert "احتفظت بما كتبت" in chat.said


async def test_help_offers_every_way_out_as_buttons(chat: Chat) -> None:
    await _to_identity(chat)
    assert "help" in chat.choice_ids
    await chat.tap("help")
    assert {"restart", "status", "cancel", "back"} <= set(chat.choice_ids)


async def test_an_identity_number_at_the_first_step_is_not_a_status_question(chat: Chat) -> None:
    await chat.command("start")
    await chat.text(RESIDENT)
    # kept for the request (test_first_number.py), never looked up as a request number
    assert "في رقم الطلب خطأ" not in chat.said and "احتفظتُ برقم الهوية" in chat.said


class _BrokenGateway(MemoryGateway):
    async def submit(self, submission: Submission) -> SubmittedRequest:
        raise ConnectionError("database away")


async def test_a_failure_on_our_side_is_an_apology_and_loses_nothing() -> None:
    gateway = _BrokenGateway()
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await _to_attachments(chat)
    await chat.media()
    await chat.tap("done")
    replies = await chat.tap("confirm")
    assert replies and "حدث خطأ" in chat.said
    # the draft is still there: confirming again once the database is back files it
    gateway.__class__ = MemoryGateway
    await chat.tap("confirm")
    assert len(gateway.submissions) == 1


async def test_the_words_sent_with_a_document_stay_with_it(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_attachments(chat)
    await chat.media(ref="p1", caption="صورة الإقامة من الأمام")
    await chat.media(ref="p2")
    await chat.tap("done")
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert [(a.ref, a.caption) for a in filed.attachments] == [
        ("p1", "صورة الإقامة من الأمام"),
        ("p2", None),
    ]


async def test_a_stray_digit_at_the_share_my_number_step_is_told_what_the_step_needs(
    chat: Chat, gateway: MemoryGateway
) -> None:
    # found by the fresh-clone tester: «١» was read as the first button («رجوع») and the
    # step went back without a word (Telegram sent a lone «✅» as it hid the keyboard)
    await _to_identity(chat)
    await chat.text(RESIDENT)
    assert "share_contact" in chat.choice_ids
    for stray in ("١", "1"):
        await chat.text(stray)
        assert "مشاركة رقمي" in chat.said, stray  # the share button, named
        assert chat.last[-1].ask_contact  # the share-my-number keyboard stays
        assert "رقم هوية" not in chat.said  # not sent back to the identity question
    await chat.contact(PHONE)
    await chat.text("انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert filed.identity_number == RESIDENT  # nothing given before is lost
