"""A negated answer in the first words is not kept, across two webhook workers on one
Redis and SQLite (the draft's early answers live in Redis): «ابي جواز مو لولدي» on one
worker, the service chosen on the other, asks «لمن هذا الطلب؟» (session 12's open list:
``early_answers`` had no negation check, «for my family» was kept)."""

from __future__ import annotations

from standins.telegram_updates import TgUser
from tests.integration.test_resident_findings_workers import _say
from tests.integration.test_telegram_webhook import Harness, h

__all__ = ["h"]  # the fixture

LAILA = TgUser(5_400_000_041, "ليلى")


async def test_not_for_my_son_is_asked_for_whom_over_two_workers(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, LAILA, h.updates.text(LAILA, "ابي جواز مو لولدي"))
    assert "هل هذه هي الخدمة المطلوبة؟" in said, said
    said = await _say(b, h, LAILA, h.updates.callback(LAILA, "s:passport_issue"))
    assert "سجّلتُ إجابة «لمن هذا الطلب؟»" not in said, said
    assert said.endswith("لمن هذا الطلب؟"), said
    state = await h.services.engine.store.load("telegram", str(LAILA.id))
    assert "for_whom" not in state.answers.get("eligibility", {})


async def test_whose_passport_after_jawaz_safar_is_kept_over_two_workers(h: Harness) -> None:
    # helper 24's probe: «تجديد جواز سفر ابني» was asked «لمن هذا الطلب؟» all the same
    a, b = await h.worker(), await h.worker()
    await _say(a, h, LAILA, h.updates.text(LAILA, "تجديد جواز سفر ابني"))
    said = await _say(b, h, LAILA, h.updates.callback(LAILA, "s:passport_renew"))
    assert "سجّلتُ إجابة «لمن هذا الطلب؟»: «فرد من أسرتي»" in said, said


async def test_exit_and_reentry_named_whole_is_offered_alone_over_two_workers(
    h: Harness,
) -> None:
    # helpers 23 and 24: final exit was offered beside it, sharing «خروج»
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, LAILA, h.updates.text(LAILA, "ابي تأشيرة خروج وعودة"))
    assert "هل هذه هي الخدمة المطلوبة؟" in said and "خروج نهائي" not in said, said
    said = await _say(b, h, LAILA, h.updates.callback(LAILA, "s:exit_reentry_visa"))
    assert "لمن هذا الطلب؟" in said, said
