"""Issue 13 in the terminal, whole processes: a resident in `tawasul chat` rates the decision
an officer took in `tawasul staff` with the /rate command the notice shows, adds a comment,
and the officer sees it in `tawasul staff show`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain.normalize import clean_input
from tests import samples
from tests.e2e.test_console_chat import STARTUP_S, Session, _env
from tests.e2e.test_console_loop import _staff


@pytest.mark.timeout(400)
def test_the_resident_rates_the_decision_from_the_terminal(tmp_path: Path, redis_url: str) -> None:
    env = _env(tmp_path, redis_url)
    env["TAWASUL_DECISION_GRACE_S"] = "0"
    chat = Session(env)
    chat.wait_for("1) ", STARTUP_S)  # the chat greets first
    chat.say("1", "ما الخدمة")
    chat.say("مشكلة تقنية في ابشر", "مشكلة تقنية")
    chat.say("1", "اكتب رقم هوية")
    chat.say("2000000006", "مشاركة رقمي")
    chat.say("/contact 0501234567", "صِف طلبك")
    chat.say("لا يفتح حسابي في أبشر منذ أسبوع وتظهر رسالة خطأ", "PDF")
    shot = tmp_path / "error.png"
    shot.write_bytes(samples.png(seed=32))
    chat.say(f"/photo {shot}", "تم")
    chat.say("تم", "فضلًا راجع طلبك")
    chat.say("1", "رقم الطلب")
    found = re.search(r"رقم الطلب: (\d{10})", clean_input(chat.text))
    assert found, chat.text
    n = found.group(1)
    _staff(env, "reject", n, "المستندات ناقصة")
    chat.wait_for(f"/rate {n} 2")  # the survey, as commands
    assert f"/reconsider {n}" in chat.text
    chat.say(f"/rate {n} 2", "بلا تعليق")
    chat.say("لم يتصل بي أحد", "سُجّل تعليقك")
    chat.say(f"/reconsider {n}", "لماذا تطلب إعادة النظر")
    chat.say("أرفقت صورة الخطأ كاملة", "أُرسل طلب إعادة النظر")
    shown = clean_input(_staff(env, "show", n))
    assert "2 من 5" in shown and "لم يتصل بي أحد" in shown
    assert "أرفقت صورة الخطأ كاملة" in shown
    kept = _staff(env, "keep", n)
    assert "يبقى الطلب" in kept
    chat.wait_for("بقي القرار كما هو")
    chat.close()
