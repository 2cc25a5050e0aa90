"""A mistyped request number in a status question, in a draft, over two webhook workers
on one Redis and SQLite: named as mistyped, and the corrected number typed on the other
worker is looked up (tester 13 §14: it was dropped and asked for again)."""

from __future__ import annotations

from standins.telegram_updates import TgUser
from tests.integration.test_resident_findings_workers import _say
from tests.integration.test_telegram_webhook import Harness, h

__all__ = ["h"]  # the fixture

HAMAD = TgUser(5_400_000_114, "حمد")


async def test_a_mistyped_number_in_a_status_question_over_two_workers(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    await _say(a, h, HAMAD, h.updates.text(HAMAD, "ابي اجدد جواز"))
    said = await _say(b, h, HAMAD, h.updates.text(HAMAD, "وش صار على طلبي ٥٠٢٢٤٧٧٠١٢"))
    assert "يبدو أن في رقم الطلب خطأ" in said, said
    state = await h.services.engine.store.load("telegram", str(HAMAD.id))
    assert state.flow == "status"


SALMA = TgUser(5_400_000_115, "سلمى")


async def test_a_number_in_a_sentence_at_the_number_prompt_over_two_workers(h: Harness) -> None:
    # helper 21: «رقم طلبي 6443424277 لو سمحت» there got «رقم الطلب يتكون من ١٠ أرقام»
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, SALMA, h.updates.text(SALMA, "حالة طلبي"))
    assert "يُرجى كتابة رقم الطلب" in said, said
    said = await _say(b, h, SALMA, h.updates.text(SALMA, "رقم طلبي 6443424277 لو سمحت"))
    assert "لم يُقدَّم هذا الطلب من هذه المحادثة" in said and "يتكون من" not in said, said


NOURA = TgUser(5_400_000_116, "نورة")


async def test_a_forgotten_request_number_at_the_first_question_over_two_workers(
    h: Harness,
) -> None:
    # helper 21: «نسيت رقم الطلب» got «يُرجى اختيار واحد من ٤ خيارات»
    a, b = await h.worker(), await h.worker()
    await _say(a, h, NOURA, h.updates.text(NOURA, "/start"))
    said = await _say(b, h, NOURA, h.updates.text(NOURA, "نسيت رقم الطلب"))
    assert "موجود في رسالة «تم استلام طلبك»" in said, said
    said = await _say(a, h, NOURA, h.updates.text(NOURA, "6443424277"))  # found, then typed
    assert "لم يُقدَّم هذا الطلب من هذه المحادثة" in said, said
