"""`tawasul chat` (the terminal, with `make run`'s defaults: the embedded Valkey/Redis and
SQLite): «ما اعرف رقم اقامة ابوي» typed before a request and «ما اعرف رقم الحدود» at the
documents step are told where that number is written, not given the Absher article on an
iqama's validity nor added to the description (this session's brief, t4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_console_chat import STARTUP_S, Session, _env


@pytest.mark.timeout(STARTUP_S + 120)
def test_not_knowing_a_number_in_the_terminal(tmp_path: Path) -> None:
    chat = Session(_env(tmp_path, None), "--user", "number-unknown")
    chat.wait_for("1) فرد", STARTUP_S)
    chat.say("1", "ما الخدمة")
    chat.say("ما اعرف رقم اقامة ابوي", "بطاقة هوية مقيم")
    assert "صلاحية الإقامة" not in chat.text
    chat.say("ابي اجدد اقامتي", "تجديد هوية مقيم")
    chat.say("1", "أين أنت الآن؟")
    chat.say("1", "كتابة رقم هوي")
    chat.say("2000000006", "رقم جوالك")
    chat.say("0501234567", "يُرجى وصف طلبك")
    chat.say("انتهت صلاحية إقامتي وحاولت التجديد من أبشر", "للمستندات")
    seen = len(chat.text)
    chat.say("ما اعرف رقم الحدود", "ختم الدخول في جواز السفر")
    assert "أُضيف إلى وصفك" not in chat.text[seen:]
    chat.close()
    assert chat.proc.returncode == 0
