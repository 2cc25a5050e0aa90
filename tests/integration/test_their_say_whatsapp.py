"""Issue 13 on WhatsApp, through the real web app, channel, outbox dispatcher and staff desk,
two workers on one Redis and one database, the person's side read from the Graph API
stand-in: the satisfaction question is sent only inside the 24-hour window (no template asks
it), as a list the person answers with a real list_reply payload, and a low rating's comment
reaches the staff group's queue."""

from __future__ import annotations

import time

from sqlalchemy import select

from bot.channels.whatsapp import last_inbound_key
from bot.db.models import OutboxMessage, Request
from bot.outbox.whatsapp_delivery import WHATSAPP
from standins.graph_api import interactive_choices
from tests.integration.test_db_requests import submission

from .test_whatsapp_webhook import MONA
from .test_whatsapp_window_wait import (
    DAY_S,
    OFFICER,
    Workers,
    _filed_by_mona_who_then_went_quiet,
    w,
)

__all__ = ["w"]  # the fixture, shared with the window tests


def _surveys(w: Workers, number: str) -> list[list[tuple[str, str]]]:
    sent = w.graph.sent_to(MONA.wa_id or "")
    return [
        interactive_choices(m["interactive"])
        for m in sent
        if m.get("type") == "interactive"
        and any(i.startswith(f"rate:{number}:") for i, _t in interactive_choices(m["interactive"]))
    ]


async def test_inside_the_window_the_survey_is_a_list_answered_with_a_list_reply(
    w: Workers,
) -> None:
    await w.a.send(w.a.payloads.text(MONA, "مرحبا"))
    filed = await w.a.services.gateway.submit(
        submission(channel=WHATSAPP, user_key=MONA.key, phone="+" + (MONA.wa_id or ""))
    )
    await w.a.services.desk.accept(filed.number, OFFICER)
    await w.dispatcher(w.a).run_once()
    [rows] = _surveys(w, filed.number)
    assert [i for i, _t in rows] == [f"rate:{filed.number}:{n}" for n in (1, 2, 3, 4, 5)]
    assert all(len(title) <= 24 for _i, title in rows)
    # she picks «⭐ غير مُرضٍ إطلاقًا» on the other worker, then writes why
    await w.b.send(w.b.payloads.list_reply(MONA, rows[0][0], rows[0][1]))
    assert "يمكنك إضافة تعليق" in w.b.texts(MONA)[-1]
    await w.a.send(w.a.payloads.text(MONA, "تأخر الرد كثيرا"))
    assert "سُجّل تعليقك" in w.a.texts(MONA)[-1]
    async with w.a.services.sessions() as session:
        stored = await session.scalar(select(Request).where(Request.number == filed.number))
        assert stored is not None
        assert (stored.satisfaction, stored.satisfaction_comment) == (1, "تأخر الرد كثيرا")
        low = await session.scalars(
            select(OutboxMessage.payload).where(OutboxMessage.kind == "staff_text")
        )
        assert any("تأخر الرد كثيرا" in p["html"] and "1 من 5" in p["html"] for p in low)


async def test_outside_the_window_the_survey_waits_for_the_person_and_no_template_asks_it(
    w: Workers,
) -> None:
    number = await _filed_by_mona_who_then_went_quiet(w)
    await w.a.services.desk.reject(number, OFFICER, "المستندات غير مكتملة")
    await w.dispatcher(w.a).run_once()
    assert not _surveys(w, number)
    assert not [m for m in w.graph.sent_to(MONA.wa_id or "") if m.get("type") == "template"]
    # days later she writes: the decision and its question come, inside the window now
    await w.a.services.redis.set(last_inbound_key(MONA.key), int(time.time()) - DAY_S - 7200)
    await w.b.send(w.b.payloads.text(MONA, "السلام عليكم"))
    [rows] = _surveys(w, number)
    assert len(rows) == 5
    # the rejection came with its «طلب إعادة النظر» button, within WhatsApp's 20 characters
    buttons = [
        interactive_choices(m["interactive"])
        for m in w.graph.sent_to(MONA.wa_id or "")
        if m.get("type") == "interactive"
    ]
    assert any((f"recon:{number}", "طلب إعادة النظر") in b for b in buttons)


async def test_a_number_typed_at_the_list_rates_as_the_row_shown_with_that_number(
    w: Workers,
) -> None:
    """Tester 14, §2: the list read «1. ⭐⭐⭐⭐⭐ راضٍ جدًا … 5. ⭐ غير راضٍ إطلاقًا» while a
    typed «1» stored one star; the number she types, the row's number and its stars agree."""
    await w.a.send(w.a.payloads.text(MONA, "مرحبا"))
    filed = await w.a.services.gateway.submit(
        submission(channel=WHATSAPP, user_key=MONA.key, phone="+" + (MONA.wa_id or ""))
    )
    await w.a.services.desk.accept(filed.number, OFFICER)
    await w.dispatcher(w.a).run_once()
    [rows] = _surveys(w, filed.number)
    for n, (_id, title) in enumerate(rows, start=1):
        assert title.startswith(f"{n}. ") and title.count("⭐") == n, title
    # she answers the first row by its number, on the other worker
    await w.b.send(w.b.payloads.text(MONA, "1"))
    async with w.a.services.sessions() as session:
        stored = await session.scalar(select(Request).where(Request.number == filed.number))
        assert stored is not None
        assert stored.satisfaction == rows[0][1].count("⭐") == 1
