"""Issue 13 through the real channels: «أسئلة شائعة» and a question asked in the middle of
a request, on WhatsApp (signed webhook, Graph API stand-in) and Telegram (webhook, Bot API
stand-in), with the real engine, Redis and SQLite behind them."""

from __future__ import annotations

from conversations import knowledge
from conversations.stale_buttons import split_stamp
from tests.integration.test_telegram_webhook import SARA
from tests.integration.test_telegram_webhook import Harness as TgHarness
from tests.integration.test_telegram_webhook import h as tg  # noqa: F401 (a fixture)
from tests.integration.test_whatsapp_webhook import MONA, Harness, h  # noqa: F401


async def test_whatsapp_faq_is_a_list_and_a_row_answers(h: Harness) -> None:  # noqa: F811
    await h.send(h.payloads.text(MONA, "مرحبا"))
    assert ("faq", "4. أسئلة شائعة") in h.choices(MONA)  # a row of the first menu
    await h.send(h.payloads.list_reply(MONA, "faq", "أسئلة شائعة"))
    interactive = h.graph.last_interactive(MONA.wa_id or "")
    assert interactive is not None and interactive["type"] == "list"
    ids = [choice_id for choice_id, _title in h.choices(MONA)]
    assert ids == [f"kb:{t.id}" for t in knowledge.topics()]  # ten: one list, no «More»
    assert ids[1] == "kb:late_penalty"
    await h.send(h.payloads.list_reply(MONA, "kb:late_penalty", "غرامة التأخر في تجديد الإقامة"))
    assert any("٥٠٠ ريال" in text for text in h.texts(MONA)[-3:])


async def test_whatsapp_question_mid_request_keeps_the_step(h: Harness) -> None:  # noqa: F811
    for text in ("مرحبا", "1", "ابي اجدد اقامتي", "1", "داخل المملكة", "2000000006"):
        await h.send(h.payloads.text(MONA, text))
    # WhatsApp gives the number with the message: the next step is the description
    assert "يُرجى وصف طلبك" in h.texts(MONA)[-1]
    await h.send(h.payloads.text(MONA, "abi a3ref kam el gharama?"))
    texts = h.texts(MONA)
    assert "٥٠٠ ريال" in texts[-2] and "يُرجى وصف طلبك" in texts[-1]
    assert "نعود إلى الطلب" in texts[-1]
    await h.send(h.payloads.text(MONA, "انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ"))
    assert "يُرجى وصف طلبك" not in h.texts(MONA)[-1]  # taken as the description


async def test_telegram_faq_keyboard_and_a_tap_answer(tg: TgHarness) -> None:  # noqa: F811
    w = await tg.worker()
    await w.post(tg.updates.text(SARA, "/start"))
    await w.settle()
    markup = tg.api.last_keyboard(SARA.id)
    assert markup is not None
    data = [split_stamp(b["callback_data"])[0] for row in markup["inline_keyboard"] for b in row]
    assert "faq" in data
    await w.post(tg.updates.callback(SARA, "faq"))
    await w.settle()
    markup = tg.api.last_keyboard(SARA.id)
    assert markup is not None
    data = [split_stamp(b["callback_data"])[0] for row in markup["inline_keyboard"] for b in row]
    assert data[:2] == ["kb:iqama_conditions", "kb:late_penalty"]
    await w.post(tg.updates.callback(SARA, "kb:iqama_conditions"))
    await w.settle()
    assert any("الفحص الطبي" in text for text in tg.texts(SARA)[-3:])
    markup = tg.api.last_keyboard(SARA.id)
    assert markup is not None
    data = [split_stamp(b["callback_data"])[0] for row in markup["inline_keyboard"] for b in row]
    assert "file:iqama_renew" in data or "ind" in data
