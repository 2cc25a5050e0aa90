"""`tawasul chat` as tester 12 used it (fault 14): a story typed at «ما الخدمة التي
تحتاجها؟» picks the service, and at the description step it is offered back with
«الإبقاء على وصفي» rather than asked for again."""

from __future__ import annotations

import re
from pathlib import Path

from domain.normalize import clean_input
from tests.e2e.test_console_chat import STARTUP_S, Session, _env

STORY = "الاقامة خلصت من شهر وابي اجددها بس النظام في ابشر يطلع لي خطأ 😢 وش اسوي؟؟ والله تعبت"


def test_a_story_at_the_service_step_is_offered_at_the_description_step(
    redis_url: str, tmp_path: Path
) -> None:
    chat = Session(_env(tmp_path, redis_url))
    chat.wait_for("1) فرد", STARTUP_S)
    chat.say("1", "ما الخدمة")
    chat.say(STORY, "تجديد هوية مقيم")
    renew = re.search(r"(\d)\) تجديد هوية مقيم", chat.text)
    assert renew, chat.text
    chat.say(renew.group(1), "لمن هذا الطلب")
    chat.say("1", "أين أنت الآن")
    chat.say("1", "كتابة رقم هوي")
    chat.say("2000000006", "كتابة رقم جوالك")
    chat.say("0501234567", "الإبقاء على وصفي")
    assert "النظام في ابشر يطلع لي خطأ" in clean_input(chat.text)
    chat.close()
