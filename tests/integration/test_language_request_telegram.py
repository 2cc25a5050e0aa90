"""«I do not read Arabic, please answer in English» on Telegram switches at once, on two
webhook workers sharing one real Redis: the choice lives in the dialogue store, so the
other worker answers the next message in English too. Found by the fresh-clone tester: it
was answered in Arabic until the third English message."""

from __future__ import annotations

from typing import Any

from domain.normalize import clean_input
from standins.telegram_updates import TgUser
from tests.integration.test_telegram_webhook import Harness, Worker, h

__all__ = ["h"]  # the fixture, shared with the webhook tests

KHALID = TgUser(5_400_000_201, "خالد")


async def _say(w: Worker, h: Harness, user: TgUser, raw: dict[str, Any]) -> str:
    """One update posted to worker ``w``; what the person read in answer."""
    before = len(h.texts(user))
    assert (await w.post(raw)).status == 200
    await w.settle()
    return clean_input("\n".join(h.texts(user)[before:]))


async def test_a_request_for_english_switches_at_once_on_either_worker(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, KHALID, h.updates.text(KHALID, "/start"))
    assert "هل يُقدَّم الطلب بصفة فرد" in said
    said = await _say(
        b, h, KHALID, h.updates.text(KHALID, "I do not read Arabic, please answer in English")
    )
    assert said.startswith("I'll continue in English.")
    assert "Are you filing as an individual" in said
    said = await _say(a, h, KHALID, h.updates.callback(KHALID, "ind"))
    assert "Which service do you need?" in said
    # an Arabic sentence now: the chosen language stands, the way back offered
    said = await _say(b, h, KHALID, h.updates.text(KHALID, "ابي اجدد جواز السفر لو سمحت"))
    assert "Is this the service you need?" in said
    state = await h.services.engine.store.load("telegram", str(KHALID.id))
    assert (state.locale, state.locale_chosen) == ("en", True)
    # and «كلمني بالعربي» back, at once, keeping the place
    said = await _say(a, h, KHALID, h.updates.text(KHALID, "كلمني بالعربي"))
    assert said.startswith("سأكمل معك باللغة العربية.")
    assert "هل هذه هي الخدمة المطلوبة؟" in said
