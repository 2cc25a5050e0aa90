"""A photo sent on Telegram as the very first message, before any service is chosen, is
kept for the request and filed with it (conversations.flows.early_files), across two
webhook workers on one real Redis and SQLite database, the photo downloaded from the Bot
API stand-in: the draft that holds it lives in Redis, its bytes in the media store. Found
by the fresh-clone tester: the photo was answered «لم نحتفظ بها» and dropped."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select

from bot.db.models import Attachment, Request
from domain.normalize import clean_input
from standins.telegram_botapi import fake_file_id
from standins.telegram_updates import TgUser
from tests import samples
from tests.integration.test_telegram_webhook import Harness, Worker, h

__all__ = ["h"]  # the fixture, shared with the webhook tests

FARAH = TgUser(5_400_000_101, "فرح")


async def _say(w: Worker, h: Harness, user: TgUser, raw: dict[str, Any]) -> str:
    """One update posted to worker ``w``; what the person read in answer."""
    before = len(h.texts(user))
    assert (await w.post(raw)).status == 200
    await w.settle()
    return clean_input("\n".join(h.texts(user)[before:]))


async def test_a_photo_sent_first_is_filed_with_the_request_across_workers(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    u = h.updates
    data = samples.jpeg(seed=11)
    file_id = fake_file_id("photo")
    h.api.add_file(file_id, data)
    said = await _say(a, h, FARAH, u.photo(FARAH, file_id, file_size=len(data)))
    assert "احتفظتُ بصورتك لطلبك، وستُحسب ضمن المستندات عندما أطلبها." in said
    assert "لم نحتفظ" not in said
    assert "هل يُقدَّم الطلب بصفة فرد" in said
    workers = (b, a)
    steps = (
        u.callback(FARAH, "ind"),
        u.text(FARAH, "ابي اجدد اقامتي"),
        u.callback(FARAH, "s:iqama_renew"),
        u.callback(FARAH, "q:inside"),
        u.text(FARAH, "2000000006"),
        u.contact(FARAH, "966501234567", own=True),
    )
    for i, raw in enumerate(steps):
        await _say(workers[i % 2], h, FARAH, raw)
    said = await _say(b, h, FARAH, u.text(FARAH, "إقامتي انتهت ويظهر لي خطأ عند التجديد في أبشر"))
    # the documents step says it again: it counts among the files asked for
    assert "أرسلت ملفًا واحدًا لهذا الطلب من قبل، وهو محسوب ضمن المستندات." in said
    said = await _say(a, h, FARAH, u.callback(FARAH, "done"))
    assert "المرفقات: ملف واحد" in said
    said = await _say(b, h, FARAH, u.callback(FARAH, "confirm"))
    assert "رقم الطلب" in said
    async with h.services.sessions() as session:
        rows = (
            await session.execute(select(Request.id, Attachment.checksum).join(Attachment))
        ).all()
    checksum = hashlib.sha256(data).hexdigest()
    assert [c for _id, c in rows] == [checksum]
    assert h.services.media.read(checksum) == data  # the bytes kept, for the officers


async def test_photos_past_ten_before_the_documents_step_are_said_kept_across_workers(
    h: Harness,
) -> None:
    """Tester 13 (§7): the eleventh photo at the identity number's step got «اضغط «تم»
    للمتابعة», and «تم» typed there «يجب أن يتكون الرقم من أرقام فقط». The ten kept (in
    Redis, whichever worker took each) count as the documents; the question follows."""
    a, b = await h.worker(), await h.worker()
    u = h.updates
    person = TgUser(5_400_000_102, "هند")
    for i, raw in enumerate(
        (
            u.callback(person, "ind"),
            u.text(person, "ابي اجدد اقامتي"),
            u.callback(person, "s:iqama_renew"),
            u.callback(person, "q:inside"),
        )
    ):
        await _say((a, b)[i % 2], h, person, raw)
    said = ""
    for n in range(11):
        data = samples.jpeg(seed=100 + n)
        file_id = fake_file_id("photo")
        h.api.add_file(file_id, data)
        said = await _say((a, b)[n % 2], h, person, u.photo(person, file_id, file_size=len(data)))
    assert "«تم»" not in said and "احتفظتُ بـ10 ملفات" in said, said
    assert "رقم هوي" in said, said
