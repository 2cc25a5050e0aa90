"""One border number among words and a date at the identity step, on the other webhook
worker, over one Redis (the number and the kept words live in the dialogue state):
fresh-clone tester 15 (§5), where «رقم الحدود حق الوالده ٣٠٠٠٠٠٠٠٠٤ وتاشيرتها تخلص ١٥
ديسمبر» got «يجب أن يتكون الرقم من أرقام فقط» and the visa's end date was lost."""

from __future__ import annotations

from standins.telegram_updates import TgUser
from tests.integration.test_resident_findings_workers import _say
from tests.integration.test_telegram_webhook import Harness, h

__all__ = ["h"]  # the fixture

HIND = TgUser(5_400_000_152, "هند")


async def test_the_number_is_taken_and_the_date_kept_over_two_workers(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    await _say(a, h, HIND, h.updates.text(HIND, "ابي امدد زيارة امي"))
    await _say(b, h, HIND, h.updates.text(HIND, "ايوه"))
    said = await _say(a, h, HIND, h.updates.text(HIND, "سورية"))
    assert "رقم حدود" in said, said
    typed = "رقم الحدود حق الوالده ٣٠٠٠٠٠٠٠٠٤ وتاشيرتها تخلص ١٥ ديسمبر"
    said = await _say(b, h, HIND, h.updates.text(HIND, typed))
    assert "أرقام فقط" not in said and "احتفظتُ بما كتبته" in said, said
    state = await h.services.engine.store.load("telegram", str(HIND.id))
    assert state.answers["identity"] == "3000000004"
    assert typed in state.answers["description_pending"]
