"""Issue 13 in the terminal, whole processes: a resident in `tawasul chat` rates the decision
an officer took in `tawasul staff` with the /rate command the notice shows, adds a comment,
and the officer sees it in `tawasul staff show`."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.normalize import clean_input
from tests.e2e.console_filing import file_request, staff
from tests.e2e.test_console_chat import STARTUP_S, Session, _env


@pytest.mark.timeout(400)
def test_the_resident_rates_the_decision_from_the_terminal(tmp_path: Path, redis_url: str) -> None:
    env = _env(tmp_path, redis_url)
    env["TAWASUL_DECISION_GRACE_S"] = "0"
    chat = Session(env)
    chat.wait_for("1) ", STARTUP_S)  # the chat greets first
    n = file_request(chat, tmp_path, seed=32)
    staff(env, "reject", n, "المستندات ناقصة")
    chat.wait_for(f"/rate {n} 2")  # the survey, as commands
    assert f"/reconsider {n}" in chat.text
    chat.say(f"/rate {n} 2", "بلا تعليق")
    chat.say("لم يتصل بي أحد", "سُجّل تعليقك")
    chat.say(f"/reconsider {n}", "ما سبب طلب إعادة النظر")
    chat.say("أرفقت صورة الخطأ كاملة", "أُرسل طلب إعادة النظر")
    shown = clean_input(staff(env, "show", n))
    assert "2 من 5" in shown and "لم يتصل بي أحد" in shown
    assert "أرفقت صورة الخطأ كاملة" in shown
    kept = staff(env, "keep", n)
    assert "يبقى الطلب" in kept
    chat.wait_for("بقي القرار كما هو")
    chat.close()
