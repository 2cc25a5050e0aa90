"""A need and a documents question said with a word several services share, and a need
that is no Tawasul service (registering fingerprints), over two webhook workers on one
Redis (helper 22's recheck: «ابي جواز» and «الاوراق المطلوبه للجواز» were not understood;
«ابي اسجل بصمه» was offered «مشكلة تقنية»): what one worker offers, the other takes."""

from __future__ import annotations

from standins.telegram_updates import TgUser
from tests.integration.test_resident_findings_workers import _say
from tests.integration.test_telegram_webhook import Harness, h

__all__ = ["h"]  # the fixture

NOURA = TgUser(5_400_000_171, "نورة")


async def test_a_shared_word_then_a_service_on_another_worker(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, NOURA, h.updates.text(NOURA, "الاوراق المطلوبه للجواز"))
    assert "تختلف المستندات المطلوبة باختلاف الخدمة" in said, said
    said = await _say(b, h, NOURA, h.updates.text(NOURA, "ابي جواز"))
    assert "أيّ هذه الخدمات هي المطلوبة؟" in said, said
    said = await _say(a, h, NOURA, h.updates.callback(NOURA, "s:passport_renew"))
    assert "لمن هذا الطلب؟" in said, said


async def test_the_iqamas_documents_and_its_conditions_on_another_worker(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    # helper 23: worded so, the conditions were not offered
    said = await _say(a, h, NOURA, h.updates.text(NOURA, "وش يبون اوراق عشان اجدد الاقامه"))
    assert "المستندات المطلوبة لخدمة «تجديد هوية مقيم»" in said, said
    said = await _say(b, h, NOURA, h.updates.callback(NOURA, "kb:iqama_conditions"))
    assert "اجتياز الفحص الطبي" in said, said


async def test_registering_fingerprints_then_a_service_on_another_worker(h: Harness) -> None:
    # helper 22's probe: «ابي اسجل بصمه» was offered «مشكلة تقنية»
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, NOURA, h.updates.text(NOURA, "ابي اسجل بصمه"))
    assert "تسجيل البصمة ليس من الخدمات التي تُقدَّم عبر «تواصل»" in said, said
    assert "مشكلة تقنية" not in said, said
    said = await _say(b, h, NOURA, h.updates.text(NOURA, "ابي اجدد اقامتي"))
    assert "هل هذه هي الخدمة المطلوبة؟" in said, said


async def test_a_word_with_its_hamza_on_two_workers(h: Harness) -> None:
    # helper 23: «ابي تأشيرة» with its hamza got «يُرجى اختيار واحد من ٤ خيارات»
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, NOURA, h.updates.text(NOURA, "ابي تأشيرة"))
    assert "أيّ هذه الخدمات هي المطلوبة؟" in said, said
    said = await _say(b, h, NOURA, h.updates.callback(NOURA, "s:exit_reentry_visa"))
    assert "لمن هذا الطلب؟" in said, said


async def test_a_word_of_one_offered_label_on_two_workers(h: Harness) -> None:
    # helper 23: «تجديد» at the services offered searched again (the passport's renewal)
    a, b = await h.worker(), await h.worker()
    await _say(a, h, NOURA, h.updates.text(NOURA, "ابي اجدد اقامة زوجتي"))
    said = await _say(b, h, NOURA, h.updates.text(NOURA, "تجديد"))
    assert "أين صاحب الإقامة الآن؟" in said and "جواز" not in said, said
