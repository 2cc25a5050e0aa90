"""A greeting before an answer in words, and Arabizi typed without vowels, over two
webhook workers on one Redis (helper 22's probe: «السلام عليكم ابي اسأل» got the greeting
back and «يُرجى اختيار واحد من ٤ خيارات»; «abi ajdd iqamti» was not understood): what one
worker offers, the other takes."""

from __future__ import annotations

from standins.telegram_updates import TgUser
from tests.integration.test_resident_findings_workers import _say
from tests.integration.test_telegram_webhook import Harness, h

__all__ = ["h"]  # the fixture

HIND = TgUser(5_400_000_181, "هند")


async def test_a_greeting_then_a_wish_for_the_questions_on_two_workers(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, HIND, h.updates.text(HIND, "السلام عليكم ابي اسأل"))
    assert "وعليكم السلام" in said and "الأسئلة الشائعة" in said, said
    assert "يُرجى اختيار واحد" not in said, said
    said = await _say(b, h, HIND, h.updates.callback(HIND, "kb:iqama_fees"))
    assert "رسوم" in said, said


async def test_a_greeting_then_who_files_after_start_on_two_workers(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    await _say(a, h, HIND, h.updates.text(HIND, "/start"))
    said = await _say(b, h, HIND, h.updates.text(HIND, "السلام عليكم منشأة"))
    assert "وعليكم السلام" in said and "ما الخدمة المطلوبة؟" in said, said


async def test_arabizi_without_vowels_names_the_need_on_two_workers(h: Harness) -> None:
    # a fresh-clone probe: «abi ajdd iqamti» got «يُرجى اختيار واحد من ٤ خيارات»
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, HIND, h.updates.text(HIND, "abi ajdd iqamti"))
    assert "يُرجى اختيار واحد" not in said and "هل هذه هي الخدمة المطلوبة؟" in said, said
    said = await _say(b, h, HIND, h.updates.callback(HIND, "s:iqama_renew"))
    assert "أين أنت الآن؟" in said or "لمن هذا الطلب؟" in said, said
