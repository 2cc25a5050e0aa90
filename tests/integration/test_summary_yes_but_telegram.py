"""Tester 14 §1 on Telegram, across two webhook workers on one Redis and SQLite: at the
summary a yes-word inside a correction («صحيح بس ابي اعدل الوصف», «لا لحظة رقم اقامتها
غلط الصحيح ٢٠٠٠٠٠٠٠٢٢») filed the request with the wrong data, which cannot be changed
after. Now nothing is filed until a clear confirmation, and the request filed carries
the corrections."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Request
from standins.telegram_botapi import fake_file_id
from standins.telegram_updates import TgUser
from tests import samples
from tests.integration.test_early_files_telegram import _say
from tests.integration.test_telegram_webhook import Harness, h

__all__ = ["h"]  # the fixture, shared with the webhook tests

NAWAL = TgUser(5_400_000_141, "نوال")


async def _filed(h: Harness) -> list[Request]:
    async with h.services.sessions() as session:
        return list((await session.scalars(select(Request))).all())


async def test_a_yes_word_in_a_correction_files_nothing_across_workers(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    u = h.updates
    data = samples.jpeg(seed=141)
    file_id = fake_file_id("photo")
    h.api.add_file(file_id, data)
    steps = (
        u.callback(NAWAL, "ind"),
        u.text(NAWAL, "ابي اجدد اقامتي"),
        u.callback(NAWAL, "s:iqama_renew"),
        u.callback(NAWAL, "q:inside"),
        u.text(NAWAL, "2000000006"),
        u.contact(NAWAL, "966501234567", own=True),
        u.text(NAWAL, "إقامتي انتهت ويظهر لي خطأ عند التجديد في أبشر"),
        u.photo(NAWAL, file_id, file_size=len(data)),
        u.callback(NAWAL, "done"),
    )
    for i, raw in enumerate(steps):
        said = await _say((a, b)[i % 2], h, NAWAL, raw)
    assert "يُرجى مراجعة طلبك" in said, said
    said = await _say(a, h, NAWAL, u.text(NAWAL, "صحيح بس ابي اعدل الوصف"))
    assert "رقم الطلب" not in said and await _filed(h) == [], said
    assert "وصف" in said and "يُرجى مراجعة طلبك" not in said, said
    said = await _say(b, h, NAWAL, u.text(NAWAL, "إقامتي انتهت منذ شهر ويظهر لي خطأ في أبشر"))
    assert "يُرجى مراجعة طلبك" in said, said
    said = await _say(a, h, NAWAL, u.text(NAWAL, "لا لحظة رقم اقامتها غلط الصحيح ٢٠٠٠٠٠٠٠٢٢"))
    assert "رقم الطلب" not in said and await _filed(h) == [], said
    assert "2000000022" in said, said
    said = await _say(b, h, NAWAL, u.callback(NAWAL, "e:id_typed"))
    assert "2000000022" in said and "يُرجى مراجعة طلبك" in said, said
    said = await _say(a, h, NAWAL, u.text(NAWAL, "رقم الجوال صح؟"))
    assert "رقم الطلب" not in said and await _filed(h) == [], said
    said = await _say(b, h, NAWAL, u.text(NAWAL, "تمام ارسله"))
    assert "رقم الطلب" in said, said
    (filed,) = await _filed(h)
    assert filed.identity_number == "2000000022"
    assert filed.description == "إقامتي انتهت منذ شهر ويظهر لي خطأ في أبشر"
