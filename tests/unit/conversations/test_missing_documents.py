"""«تم» with a required document apparently missing names it and offers to add it or go
on without it (found by the fresh-clone tester: nothing was said). Through the real
dialogue, for the iqama renewal (three required documents)."""

from __future__ import annotations

from .fakes import Chat, MemoryGateway
from .test_intake import CITIZEN, PHONE, _to_attachments

RECEIPT = "إيصال سداد رسوم التجديد"
DESCRIPTION = "أحتاج جوازًا لابني الصغير قبل السفر الشهر القادم"


async def test_one_photo_names_the_documents_that_may_be_missing(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_attachments(chat)
    await chat.media(ref="p1")
    await chat.text("تم")  # the tester's word
    assert "أرسلت ملفًا واحدًا" in chat.said and RECEIPT in chat.said
    assert "صورة الجواز ساري المفعول" in chat.said
    assert "يُرجى مراجعة طلبك" in chat.said  # the summary, to send without them if so
    assert chat.choice_ids[0] == "confirm" and "e:more" in chat.choice_ids
    await chat.tap("e:more")  # add the rest, the first photo kept
    await chat.media(ref="p2")
    await chat.media(ref="p3")
    await chat.text("تم")
    assert "قد يكون الناقص" not in chat.said and "e:more" not in chat.choice_ids
    await chat.tap("confirm")
    assert [a.ref for a in gateway.submissions[0].attachments] == ["p1", "p2", "p3"]


async def test_captions_narrow_it_to_the_one_missing(chat: Chat) -> None:
    await _to_attachments(chat)
    await chat.media(ref="p1", caption="الإقامة")
    await chat.media(ref="p2", caption="صورة الجواز")
    await chat.tap("done")
    assert f"تتطلب هذه الخدمة «{RECEIPT}»" in chat.said
    assert "صورة الجواز ساري المفعول" not in chat.said.split("يُرجى مراجعة طلبك")[0]


async def test_going_on_without_it_files_what_was_sent(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_attachments(chat)
    await chat.media(ref="p1")
    await chat.tap("done")
    await chat.tap("confirm")
    assert [a.ref for a in gateway.submissions[0].attachments] == ["p1"]


async def test_an_optional_document_is_not_asked_for(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("تأشيرة خروج نهائي")
    await chat.tap("s:final_exit_visa")
    await chat.text("2000000006")
    await chat.contact("+966501234567")
    await chat.text("أريد خروجًا نهائيًا والنظام يرفض الطلب")
    await chat.media(ref="passport")
    await chat.tap("done")  # «صورة الإقامة إن وجدت» is optional
    assert "قد يكون الناقص" not in chat.said and "تتطلب هذه الخدمة" not in chat.said
    assert "e:more" not in chat.choice_ids


async def test_typed_confirm_and_a_bare_number_are_not_added_to_the_description(
    chat: Chat, gateway: MemoryGateway
) -> None:
    """The fresh-clone tester's words after «Please send at least 2 documents» (one now,
    as for every service): «5» and «confirm» were each «Added to your description» and
    reached the officer."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اصدار جواز سفر")
    await chat.tap("s:passport_issue")  # one document at least (the catalogue's rule)
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    await chat.text(CITIZEN)
    await chat.contact(PHONE)
    await chat.text(DESCRIPTION)
    await chat.tap("done")
    least = "مستند واحد على الأقل"
    assert least in chat.said
    await chat.text("5")
    assert "أُضيف إلى وصفك" not in chat.said and least in chat.said
    for word in ("confirm", "تأكيد"):
        await chat.text(word)
        assert "أُضيف إلى وصفك" not in chat.said and least in chat.said
    await chat.media(ref="p1")
    await chat.text("confirm")
    assert "يُرجى مراجعة طلبك" in chat.said
    await chat.tap("confirm")
    filed = gateway.submissions[0]
    assert filed.description == DESCRIPTION


async def test_photos_without_captions_are_counted_not_called_missing(chat: Chat) -> None:
    """The fresh-clone tester's two photos without captions were told every required
    document «may be missing». Nothing says which documents they show: the counts are
    said, the documents listed to check, none claimed missing."""
    await _to_attachments(chat)
    await chat.media(ref="p1")
    await chat.media(ref="p2")
    await chat.tap("done")
    warning = chat.said.split("يُرجى مراجعة طلبك")[0]
    assert "أرسلت ملفين، وتتطلب هذه الخدمة ٣ مستندات." in warning
    assert "يُرجى التحقق من أن ما أرسلته يشمل:" in warning
    for document in ("صورة الإقامة", "صورة الجواز ساري المفعول", RECEIPT):
        assert f"• {document}" in warning
    assert "الناقص" not in warning and "لا يظهر لي" not in warning
    assert "e:more" in chat.choice_ids


async def test_a_caption_narrows_the_documents_to_check(chat: Chat) -> None:
    await _to_attachments(chat)
    await chat.media(ref="p1", caption="الإقامة")
    await chat.media(ref="p2")
    await chat.tap("done")
    warning = chat.said.split("يُرجى مراجعة طلبك")[0]
    assert "أرسلت ملفين" in warning and "• صورة الإقامة" not in warning
    assert "• صورة الجواز ساري المفعول" in warning and f"• {RECEIPT}" in warning
    assert "الناقص" not in warning
