"""«Keep rejected», the staff group's answer to a person's request for reconsideration,
asks for the reason as «reject» does (a ForceReply prompt to the officer who pressed), and
the person's notice carries it. Before, the button kept the rejection at once and the
person read that the officer gave no reason (found by the fresh-clone tester). Through the
real router, the Bot API stand-in, Redis, SQLite and PostgreSQL (the harness of
test_staff_router)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.db.models import OutboxMessage
from bot.outbox.queue import replies_from_payload
from domain.status import RequestStatus
from officers.officer import Officer
from tests.integration.test_staff_router import (
    COLLEAGUE,
    GRACE_S,
    OFFICER,
    STAFF_CHAT,
    TOPIC,
    Harness,
    h,
)
from tests.integration.test_their_say import _notice_sent

__all__ = ["h"]  # the fixture

REASON = "التأمين المرفق منتهي الصلاحية"


async def _notices(h: Harness) -> list[str]:
    async with h.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "notify").order_by(OutboxMessage.id)
        )
        return [r.text for row in rows for r in replies_from_payload(row.payload)]


async def test_keep_rejected_asks_for_the_reason_and_the_person_reads_it(h: Harness) -> None:
    number = await h.file()
    noura = Officer(OFFICER.id, "نورة العتيبي")
    await h.desk.reject(number, noura, "المستندات ناقصة")
    h.clock.now += dt.timedelta(seconds=GRACE_S + 1)
    await _notice_sent(h.sessions, number)  # the person has been told
    await h.desk.reconsider(number, "telegram", "5551001", "أرفقت التأمين الطبي")
    told_before = len(await _notices(h))

    await h.press(OFFICER, "kr", await h.card(number))
    prompt = h.api.last_message(STAFF_CHAT)
    assert prompt is not None
    assert h.sent()[-1].params["reply_markup"]["force_reply"] is True
    assert "يُرجى كتابة سبب إبقاء رفض الطلب" in prompt["text"] and number in prompt["text"]
    # nothing is decided, nor sent to the person, until the reason comes
    record = await h.desk.find(number)
    assert record is not None and record.reconsider_reason == "أرفقت التأمين الطبي"
    assert len(await _notices(h)) == told_before

    # a colleague's reply is not the reason; the officer's is
    await h.feed(
        h.updates.group_text(COLLEAGUE, STAFF_CHAT, "أوافق", reply_to=prompt, thread_id=TOPIC)
    )
    assert (await h.desk.find(number)).reconsider_reason is not None  # type: ignore[union-attr]
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=prompt, thread_id=TOPIC)
    )
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.reconsider_reason is None and record.events[-1].kind == "kept"
    told = (await _notices(h))[-1]
    assert "بقي القرار كما هو" in told and REASON in told
    assert "لم يذكر" not in told  # not «the officer gave no further reason»


async def test_a_kept_rejections_reason_in_another_script_is_flagged_before_it_is_sent(
    h: Harness,
) -> None:
    """Session 12's notes: a `keep` reason not in the person's language was flagged only in
    the confirmation, after it was on its way. Now it is shown back with the warning and
    «إرسال السبب»/«إلغاء», as a rejection's reason is, and nothing goes before «إرسال»."""
    number = await h.file()
    noura = Officer(OFFICER.id, "نورة العتيبي")
    await h.desk.reject(number, noura, "المستندات ناقصة")
    h.clock.now += dt.timedelta(seconds=GRACE_S + 1)
    await _notice_sent(h.sessions, number)
    await h.desk.reconsider(number, "telegram", "5551001", "أرفقت التأمين الطبي")
    told_before = len(await _notices(h))
    await h.press(OFFICER, "kr", await h.card(number))
    prompt = h.api.last_message(STAFF_CHAT)
    assert prompt is not None
    english = "The insurance attached has expired"
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, english, reply_to=prompt, thread_id=TOPIC)
    )
    record = await h.desk.find(number)
    assert record is not None and record.reconsider_reason == "أرفقت التأمين الطبي"
    assert len(await _notices(h)) == told_before  # nothing sent
    proposal = h.api.last_message(STAFF_CHAT)
    assert proposal is not None
    assert f"هل يبقى الطلب رقم {number} مرفوضًا بهذا السبب؟" in proposal["text"]
    assert "تنبيه: لغة صاحب الطلب العربية، والسبب مكتوب بغيرها." in proposal["text"]
    send, _cancel = (b["callback_data"] for b in proposal["reply_markup"]["inline_keyboard"][0])
    assert proposal["reply_markup"]["inline_keyboard"][0][0]["text"] == "إرسال السبب"
    await h.press(OFFICER, send, proposal)
    record = await h.desk.find(number)
    assert record is not None and record.reconsider_reason is None
    assert record.events[-1].kind == "kept"
    assert english in (await _notices(h))[-1]
    confirmed = h.api.calls_for(STAFF_CHAT, "editMessageText")[-1].params["text"]
    assert "تنبيه" not in confirmed  # said before, not again after
