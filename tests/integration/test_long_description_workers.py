"""A description cut to the limit, then a new text at the «الإبقاء على وصفي» prompt
(tester 13, fault 19), across two webhook workers on one Redis and SQLite: a second long
text a moment later is answered (it got no reply at all: taken for the tail of a split
paste), and a short new text replaces the kept start, as the prompt says, rather than
being refused as an addition. What was kept lives in Redis with the draft, so either
worker may take the next message."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Request
from domain.normalize import clean_input
from tests.integration.test_story_at_service_workers import _questions
from tests.integration.test_telegram_album_count import SARA, Rig, rig
from tests.integration.webhook_steps import say

__all__ = ["rig"]  # the fixture

FIRST = ("انتهت إقامتي وحاولت التجديد من أبشر فظهرت رسالة خطأ عند سداد الرسوم. " * 20).strip()
REST = ("وبعدها راجعت الفرع وطلبوا مني أوراقًا لم أفهمها فرجعت للبيت. " * 28).strip()


async def test_new_texts_after_a_cut_description_are_answered_and_replace_it_over_two_workers(
    rig: Rig,
) -> None:
    a, b = await rig.worker(), await rig.worker()
    u = rig.updates
    await say(a, u.text(SARA, "/start"))
    await say(b, u.callback(SARA, "ind"))
    await say(a, u.text(SARA, "ابي اجدد اقامتي"))
    if not _questions(rig):  # offered among others rather than taken at once
        await say(b, u.callback(SARA, "s:iqama_renew"))
    workers = [a, b]
    while questions := _questions(rig):
        workers.reverse()
        await say(workers[0], u.callback(SARA, questions[0]))
    await say(a, u.text(SARA, "2000000006"))
    await say(b, u.contact(SARA, "966501234567", own=True))
    before = len(rig.texts())
    await say(a, u.text(SARA, FIRST))
    said = clean_input("\n".join(rig.texts()[before:]))
    assert "فاحتفظتُ ببدايته" in said, said
    before = len(rig.texts())
    await say(b, u.text(SARA, REST))  # a moment later, on the other worker
    said = clean_input("\n".join(rig.texts()[before:]))
    assert "فاحتفظتُ ببدايته" in said and "راجعت الفرع" in said, said
    before = len(rig.texts())
    await say(a, u.text(SARA, "اقامتي خلصت"))
    said = clean_input("\n".join(rig.texts()[before:]))
    assert "سيحلّ نصّك الجديد محلّ" in said and "بلغ أقصى" not in said, said
    await say(b, u.text(SARA, "ولا اقدر اجددها من ابشر"))
    await say(a, rig.photo(51))
    await say(b, u.callback(SARA, "done"))
    await say(a, u.callback(SARA, "confirm"))
    async with rig.services.sessions() as session:
        (filed,) = (await session.scalars(select(Request))).all()
    assert filed.description == "اقامتي خلصت\nولا اقدر اجددها من ابشر"
