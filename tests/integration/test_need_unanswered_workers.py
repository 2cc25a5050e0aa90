"""A need beside a question that has no answer here, in one message at «ما الخدمة التي
تحتاجها؟», across two webhook workers on one Redis and SQLite: the question is said to
have no answer (to be written in the description), the need's services are offered, and
the choice is taken on the other worker (session 12's open list: the need was dropped,
the group menu came back)."""

from __future__ import annotations

from standins.telegram_updates import TgUser
from tests.integration.test_resident_findings_workers import _say
from tests.integration.test_telegram_webhook import Harness, h

__all__ = ["h"]  # the fixture

RANA = TgUser(5_400_000_031, "رنا")


async def test_an_unanswerable_question_beside_a_need_keeps_the_need_over_two_workers(
    h: Harness,
) -> None:
    a, b = await h.worker(), await h.worker()
    await _say(a, h, RANA, h.updates.text(RANA, "/start"))
    await _say(b, h, RANA, h.updates.callback(RANA, "ind"))
    said = await _say(a, h, RANA, h.updates.text(RANA, "ابي اجدد اقامتي، وكم ساعات الدوام؟"))
    assert "ليس لدي جواب عن هذا السؤال" in said and "وصف الطلب" in said, said
    assert "هل هذه هي الخدمة المطلوبة؟" in said and "اختيار مجموعة" not in said, said
    said = await _say(b, h, RANA, h.updates.callback(RANA, "s:iqama_renew"))
    state = await h.services.engine.store.load("telegram", str(RANA.id))
    assert state.answers.get("service") == "iqama_renew", said
