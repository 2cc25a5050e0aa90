"""A photo sent right after filing, with the request still open (the document the person
forgot), is offered as an addition to that request and goes to the officer as a note with
the file; no new draft holds it. Found by tester 14 (§3, Telegram and WhatsApp): it got
«احتفظتُ بصورتك لطلبك» for a request never begun, the officer never saw it, and every
later reply ended with «والآن نعود إلى الطلب الذي بدأت تعبئته».

Real WhatsApp payloads (image, button reply, text) through the web app and channel, two
workers on one Redis and one database."""

from __future__ import annotations

from bot.outbox.whatsapp_delivery import WHATSAPP
from conversations.their_say import note_id
from tests.integration.test_db_requests import submission

from .test_whatsapp_webhook import MONA, PNG
from .test_whatsapp_window_wait import Workers, w

__all__ = ["w"]


async def test_a_photo_after_filing_is_offered_to_the_open_request_and_reaches_the_officer(
    w: Workers,
) -> None:
    await w.a.send(w.a.payloads.text(MONA, "مرحبا"))
    filed = await w.a.services.gateway.submit(
        submission(channel=WHATSAPP, user_key=MONA.key, phone="+" + (MONA.wa_id or ""))
    )
    photo = w.graph.add_media(PNG, "image/png")
    await w.a.send(w.a.payloads.image(MONA, photo.id, photo.sha256_b64))
    said = w.a.texts(MONA)[-1]
    assert "احتفظتُ بصورتك" not in said
    assert filed.number in said and "هل أضيفها" in said, said
    offered = dict(w.a.choices(MONA))
    assert note_id(filed.number) in offered
    # she adds it, on the other worker, then sends the note
    await w.b.send(w.b.payloads.button_reply(MONA, note_id(filed.number), "إضافتها إلى طلبي"))
    said = w.b.texts(MONA)[-1]
    assert filed.number in said and "لم تُرسل بعد" in said, said
    await w.a.send(w.a.payloads.text(MONA, "ارسال"))
    assert "أُضيفت ملاحظتك" in w.a.texts(MONA)[-1]
    record = await w.a.services.desk.find(filed.number)
    assert record is not None
    assert [e.kind for e in record.events].count("note") == 1
    assert len(record.attachments) == 1 + len(submission().attachments)
    # nothing is being filled in: no «نعود إلى الطلب الذي بدأت تعبئته» after it
    await w.b.send(w.b.payloads.text(MONA, "شكرا"))
    assert "بدأت تعبئته" not in w.b.texts(MONA)[-1]


async def test_a_forgotten_document_said_in_words_opens_the_note_for_the_file(
    w: Workers,
) -> None:
    """Tester 14, §3 (WhatsApp): the words met «هل هذه هي الخدمة المطلوبة؟» and the
    passport photo sent next went into that new draft."""
    await w.a.send(w.a.payloads.text(MONA, "مرحبا"))
    filed = await w.a.services.gateway.submit(
        submission(channel=WHATSAPP, user_key=MONA.key, phone="+" + (MONA.wa_id or ""))
    )
    await w.b.send(w.b.payloads.text(MONA, "نسيت ارسل صورة الجواز مع الطلب اللي ارسلته"))
    said = "\n".join(w.b.texts(MONA)[-2:])
    assert "هل هذه هي الخدمة" not in said and filed.number in said, said
    photo = w.graph.add_media(PNG, "image/png")
    await w.a.send(w.a.payloads.image(MONA, photo.id, photo.sha256_b64))
    assert "احتفظتُ بصورتك" not in w.a.texts(MONA)[-1]
    await w.b.send(w.b.payloads.text(MONA, "ارسال"))
    assert "أُضيفت ملاحظتك" in w.b.texts(MONA)[-1]
    record = await w.a.services.desk.find(filed.number)
    assert record is not None
    assert len(record.attachments) == 1 + len(submission().attachments)
