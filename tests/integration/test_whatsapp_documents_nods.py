"""Tester 14 §8, §12 on WhatsApp, two web apps on one real Redis and one database (SQLite
and PostgreSQL), fed real Cloud API webhook payloads: at the documents step «ok» with no
file yet was taken for «تم» («يُرجى إرسال مستند واحد على الأقل»); «الحين ارسل الباقي» was
added to the description; «تمام» right after it closed the step, and the next nod at the
summary filed the request without the rest. Now the nods are answered, the chatter kept
out of the description, and the request filed with every file sent."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Attachment, Request
from tests.integration.test_whatsapp_album_count import Workers
from tests.integration.test_whatsapp_phone_in_description import w as w
from tests.integration.test_whatsapp_webhook import DESCRIPTION, MONA

__all__ = ["w"]  # the fixture


async def test_nods_at_the_documents_do_not_close_the_step(w: Workers) -> None:
    p = w.payloads
    await w.say(p.text(MONA, "مرحبا"))
    await w.say(p.button_reply(MONA, "ind", "فرد"), worker=1)
    await w.say(p.text(MONA, "ابي اجدد اقامتي"))
    await w.say(p.list_reply(MONA, "s:iqama_renew", "1. تجديد هوية مقيم"), worker=1)
    await w.say(p.button_reply(MONA, "q:inside", "داخل المملكة"))
    await w.say(p.text(MONA, "2000000006"), worker=1)
    await w.say(p.text(MONA, DESCRIPTION), worker=0)
    before = len(w.texts())
    await w.say(p.text(MONA, "ok"), worker=1)
    said = "\n".join(w.texts()[before:])
    assert "على الأقل" not in said and "حسنًا" in said, said
    await w.say(w.photo(1), worker=0)
    await w.say(p.text(MONA, "الحين ارسل الباقي"), worker=1)
    before = len(w.texts())
    await w.say(p.text(MONA, "تمام"), worker=0)
    said = "\n".join(w.texts()[before:])
    assert "يُرجى مراجعة طلبك" not in said and "هل اكتمل إرسال المستندات" in said, said
    await w.say(w.photo(2), worker=1)
    await w.say(p.button_reply(MONA, "done", "تم"), worker=0)
    assert "يُرجى مراجعة طلبك" in w.texts()[-1], w.texts()[-1]
    await w.say(p.button_reply(MONA, "confirm", "تأكيد وإرسال"), worker=1)
    async with w.services.sessions() as session:
        [request] = list(await session.scalars(select(Request)))
        files = list(await session.scalars(select(Attachment)))
    assert request.description == DESCRIPTION
    assert len(files) == 2
