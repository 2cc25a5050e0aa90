"""At Telegram's share-my-number step (tester 13, §6), across two webhook workers on one
Redis and SQLite: «ما ابي اشارك رقمي، ليش تحتاجونه؟» and «الزر ما يشتغل عندي» are told
why the number is needed and what to do when the button does not work (the Telegram app
on a phone), «مساعدة» says it too, and none of it is kept as the request's description."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Request
from standins.telegram_botapi import fake_file_id
from standins.telegram_updates import TgUser
from tests import samples
from tests.integration.test_early_files_telegram import _say
from tests.integration.test_telegram_webhook import Harness, h

__all__ = ["h"]  # the fixture, shared with the webhook tests

MONA = TgUser(5_400_000_131, "منى")


async def test_phone_step_questions_are_answered_and_not_kept_across_workers(
    h: Harness,
) -> None:
    a, b = await h.worker(), await h.worker()
    u = h.updates
    steps = (
        u.callback(MONA, "ind"),
        u.text(MONA, "ابي اجدد اقامتي"),
        u.callback(MONA, "s:iqama_renew"),
        u.callback(MONA, "q:inside"),
        u.text(MONA, "2000000006"),
    )
    for i, raw in enumerate(steps):
        said = await _say((a, b)[i % 2], h, MONA, raw)
    assert "مشاركة رقمي" in said, said
    said = await _say(a, h, MONA, u.text(MONA, "ما ابي اشارك رقمي، ليش تحتاجونه؟"))
    assert "نحتاج رقم جوالك لأن المديرية" in said and "ليس لدي جواب" not in said, said
    assert "في التطبيق على الجوال" in said, said
    said = await _say(b, h, MONA, u.text(MONA, "الزر ما يشتغل عندي"))
    assert "وإن لم يظهر الزر" in said and "احتفظتُ بما كتبته" not in said, said
    said = await _say(a, h, MONA, u.text(MONA, "مساعدة"))
    assert "نحتاج رقم جوالك لأن المديرية" in said, said
    said = await _say(b, h, MONA, u.contact(MONA, "966501234567", own=True))
    assert "الزر ما يشتغل" not in said and "الإبقاء على وصفي" not in said, said
    await _say(a, h, MONA, u.text(MONA, "إقامتي انتهت ويظهر لي خطأ عند التجديد في أبشر"))
    said = await _say(b, h, MONA, u.callback(MONA, "done"))
    if "مستند واحد على الأقل" in said:  # the service asks for a document first
        data = samples.jpeg(seed=131)
        file_id = fake_file_id("photo")
        h.api.add_file(file_id, data)
        await _say(a, h, MONA, u.photo(MONA, file_id, file_size=len(data)))
        await _say(b, h, MONA, u.callback(MONA, "done"))
    await _say(a, h, MONA, u.callback(MONA, "confirm"))
    async with h.services.sessions() as session:
        (filed,) = (await session.scalars(select(Request))).all()
    assert filed.description == "إقامتي انتهت ويظهر لي خطأ عند التجديد في أبشر"


async def test_a_voice_note_or_a_sticker_at_the_phone_step_is_told_the_button(
    h: Harness,
) -> None:
    """Tester 13, §18 (Telegram): a voice note at the share-my-number step was answered
    «…يُرجى كتابة إجابتك.», though the step's answer is the button."""
    salma = TgUser(5_400_000_132, "سلمى")
    a, b = await h.worker(), await h.worker()
    u = h.updates
    steps = (
        u.callback(salma, "ind"),
        u.text(salma, "ابي اجدد اقامتي"),
        u.callback(salma, "s:iqama_renew"),
        u.callback(salma, "q:inside"),
        u.text(salma, "2000000006"),
    )
    for i, raw in enumerate(steps):
        said = await _say((a, b)[i % 2], h, salma, raw)
    assert "مشاركة رقمي" in said, said
    for worker, raw in ((a, u.voice(salma)), (b, u.sticker(salma)), (a, u.location(salma))):
        said = await _say(worker, h, salma, raw)
        assert "كتابة إجابتك" not in said, said
        assert "المطلوب في هذه الخطوة رقم جوالك" in said and "«مشاركة رقمي»" in said, said
    said = await _say(b, h, salma, u.contact(salma, "966501234567", own=True))
    assert "حفظتُ رقم جوالك" in said or "وصف" in said, said
