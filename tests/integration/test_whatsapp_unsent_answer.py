"""An answer to an officer's question that the person began on WhatsApp and never sent
is not silently lost: a reminder with the «Send answer» button reaches them inside the
24-hour window, and the staff group is told an answer was started. Real webhook, channel,
engine, Redis and SQLite; the person's side read from the Graph API stand-in."""

from __future__ import annotations

import time

from sqlalchemy import select

from bot.channels.whatsapp_reminders import REMIND_AFTER_S, REMINDERS_KEY
from bot.db.models import OutboxMessage
from bot.outbox.whatsapp_delivery import WHATSAPP
from bot.web import WHATSAPP_KEY
from officers.officer import Officer
from tests.integration.test_db_requests import submission

from .test_whatsapp_webhook import MONA, Harness, h

__all__ = ["h"]

OFFICER = Officer(7001, "نورة")


async def _staff_lines(h: Harness) -> list[str]:
    async with h.services.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage.payload).where(OutboxMessage.kind == "staff_text")
        )
        return [str(p["html"]) for p in rows]


async def test_an_answer_begun_and_not_sent_is_recalled_once_and_the_officer_told(
    h: Harness,
) -> None:
    reminders = h.app[WHATSAPP_KEY].reminders
    assert reminders is not None
    p = h.payloads
    await h.send(p.text(MONA, "مرحبا"))
    filed = await h.services.gateway.submit(
        submission(channel=WHATSAPP, user_key=MONA.key, phone="+" + (MONA.wa_id or ""))
    )
    await h.services.desk.ask(filed.number, OFFICER, "أرفق صورة الجواز من فضلك")
    await h.send(p.button_reply(MONA, f"ans:{filed.number}", "الإجابة عن السؤال"))
    await h.send(p.text(MONA, "سأرسل الصورة اليوم، رقم جوازي ينتهي بـ 45"))
    # nothing is due yet
    assert await reminders.run_once() == 0
    seen = len(h.texts(MONA))
    # three hours later, still inside the window (she wrote within the last day)
    later = time.time() + REMIND_AFTER_S + 1
    assert await reminders.run_once(at=later) == 1
    [reminder] = h.texts(MONA)[seen:]
    assert filed.number in reminder and "لم يُرسَل" in reminder
    assert h.choices(MONA) == [("send", "إرسال الرد")]
    [line] = [t for t in await _staff_lines(h) if filed.number in t]
    assert "بدأ" in line
    # once: a second round sends nothing more
    assert await reminders.run_once(at=later + 60) == 0
    # the button sends the answer, and nothing more is scheduled
    await h.send(p.button_reply(MONA, "send", "إرسال الرد"))
    assert await h.services.redis.zscore(REMINDERS_KEY, MONA.key) is None
    assert await reminders.run_once(at=later + 2 * REMIND_AFTER_S) == 0


async def test_no_reminder_without_an_unsent_answer(h: Harness) -> None:
    reminders = h.app[WHATSAPP_KEY].reminders
    assert reminders is not None
    await h.send(h.payloads.text(MONA, "مرحبا"))
    assert await h.services.redis.zscore(REMINDERS_KEY, MONA.key) is None
    assert await reminders.run_once(at=time.time() + 2 * REMIND_AFTER_S) == 0
