"""Fresh-clone tester 14, fault 2, in the terminal, a whole process: a line typed right
after a pasted description of 6,899 characters got no reply and was nowhere in the
request (taken for the rest of a paste the app split, which a terminal never does). It
is answered, and its words reach the request."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.normalize import clean_input
from tests import samples
from tests.e2e.test_console_chat import STARTUP_S, Session, _env

SENTENCE = "انتهت إقامتي وحاولت التجديد من أبشر فظهرت رسالة خطأ عند سداد الرسوم. "
AFTER = "نسيت اقول ان الجواز ينتهي بعد شهرين"


@pytest.mark.timeout(300)
def test_a_line_right_after_a_long_paste_is_answered_and_kept(
    tmp_path: Path, redis_url: str
) -> None:
    chat = Session(_env(tmp_path, redis_url))
    chat.wait_for("1) ", STARTUP_S)
    chat.say("1", "ما الخدمة")
    chat.say("مشكلة تقنية في ابشر", "مشكلة تقنية")
    chat.say("1", "كتابة رقم هوي")
    chat.say("2000000006", "كتابة رقم جوالك")
    chat.say("/contact 0501234567", "يُرجى وصف طلبك")
    chat.say((SENTENCE * 100).strip(), "فاحتفظتُ ببدايته")
    chat.say(AFTER, "PDF")  # at once: answered, on to the documents
    shot = tmp_path / "error.png"
    shot.write_bytes(samples.png(seed=7))
    chat.say(f"/photo {shot}", "تم")
    chat.say("تم", "يُرجى مراجعة طلبك")
    assert AFTER in clean_input(chat.text.rsplit("يُرجى مراجعة طلبك", 1)[-1])
    chat.close()
