"""The toast of a tap that opens a typed prompt says what the officer is to type: the
question for «سؤال آخر (يُكتب)», the reason for «سبب آخر» (found by tester 14, §15: both
said «يُرجى كتابة الإجابة ردًّا على رسالتي.», «the answer», while the prompt asked for a
question). Real Telegram updates through the staff router, its Bot API stand-in."""

from __future__ import annotations

from .test_staff_router import OFFICER, STAFF_CHAT, Harness, ask_typed, h

__all__ = ["h"]  # the fixture


async def test_another_question_toast_asks_for_the_question(h: Harness) -> None:
    number = await h.file()
    await ask_typed(h, OFFICER, await h.card(number))
    toast = str(h.answers()[-1].params.get("text", ""))
    assert "السؤال" in toast and "الإجابة" not in toast, toast


async def test_another_reason_toast_asks_for_the_reason(h: Harness) -> None:
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.press(OFFICER, "nr:other", menu)
    toast = str(h.answers()[-1].params.get("text", ""))
    assert "السبب" in toast and "الإجابة" not in toast, toast
