"""«ابي اكلم موظف» mid-request on one webhook worker, then the step answered on the other
(one Redis and SQLite): the wish is answered and the draft's step kept (tester 13 §17)."""

from __future__ import annotations

from standins.telegram_updates import TgUser
from tests.integration.test_resident_findings_workers import _say
from tests.integration.test_telegram_webhook import Harness, h

__all__ = ["h"]  # the fixture

SALEH = TgUser(5_400_000_117, "صالح")


async def test_a_wish_for_an_officer_keeps_the_draft_over_two_workers(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, SALEH, h.updates.text(SALEH, "ابي اكلم موظف"))
    assert "محادثة مباشرة مع موظف" in said, said
    await _say(b, h, SALEH, h.updates.text(SALEH, "ابي اجدد جواز"))
    said = await _say(a, h, SALEH, h.updates.text(SALEH, "ابغى رقم الجوازات اتصل عليهم"))
    assert "يقرؤه موظف" in said, said
    said = await _say(b, h, SALEH, h.updates.callback(SALEH, "s:passport_renew"))
    assert said.endswith("لمن هذا الطلب؟"), said
