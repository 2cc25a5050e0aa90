"""«انا برا» typed at «أين صاحب الإقامة الآن؟» of a wife's renewal, across two webhook
workers on one Redis and SQLite: the question comes again, about the iqama holder, and
her place typed on the other worker answers it (session 12's open list: the sender's
place was filed as hers, as a shared location was before dea2a46)."""

from __future__ import annotations

from standins.telegram_updates import TgUser
from tests.integration.test_resident_findings_workers import _say
from tests.integration.test_telegram_webhook import Harness, h

__all__ = ["h"]  # the fixture

FAHAD = TgUser(5_400_000_051, "فهد")
ABOUT_HOLDER = "فهمتُ أنك أنت خارج المملكة، أما هذا السؤال فعن صاحب الإقامة."


async def test_my_place_typed_for_my_wife_is_asked_again_over_two_workers(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    await _say(a, h, FAHAD, h.updates.text(FAHAD, "/start"))
    await _say(b, h, FAHAD, h.updates.callback(FAHAD, "ind"))
    await _say(a, h, FAHAD, h.updates.text(FAHAD, "ابي اجدد اقامة زوجتي"))
    said = await _say(b, h, FAHAD, h.updates.callback(FAHAD, "s:iqama_renew"))
    assert "أين صاحب الإقامة الآن؟" in said, said
    said = await _say(a, h, FAHAD, h.updates.text(FAHAD, "انا برا"))
    assert ABOUT_HOLDER in said and said.endswith("أين صاحب الإقامة الآن؟"), said
    said = await _say(b, h, FAHAD, h.updates.text(FAHAD, "هي داخل المملكة"))
    state = await h.services.engine.store.load("telegram", str(FAHAD.id))
    assert state.answers["eligibility"].get("location") == "inside", said
