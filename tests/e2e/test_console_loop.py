"""The whole loop with no Telegram at all: a resident in `tawasul chat`, an officer in
`tawasul staff`, and every decision reaching the resident's terminal."""

from __future__ import annotations

from pathlib import Path

from domain.normalize import clean_input
from tests import samples
from tests.e2e.console_filing import file_request, staff
from tests.e2e.test_console_chat import Session, _env


def test_officer_decisions_reach_the_resident(tmp_path: Path, redis_url: str) -> None:
    env = _env(tmp_path, redis_url)
    # decisions wait a grace period (60 s by default) before the person is told
    env["TAWASUL_DECISION_GRACE_S"] = "0"
    chat = Session(env)
    chat.say("/start", "1) ")
    n = file_request(chat, tmp_path, seed=32)
    shot = tmp_path / "error.png"  # the same photo, sent again with the answer below
    shot.write_bytes(samples.png(seed=32))

    assert n in clean_input(staff(env, "list"))
    staff(env, "ask", n, "أرسل لقطة شاشة كاملة للرسالة")
    chat.wait_for("أرسل لقطة شاشة كاملة للرسالة")  # the notification, in the chat
    chat.say(f"/answer {n}", "إرسال الرد")
    chat.say("أرفقت لقطة الشاشة كاملة", "إرسال الرد")
    chat.say(f"/photo {shot}", "إرسال الرد")
    chat.say("إرسال الرد", "أُضيف ردّك")
    shown = clean_input(staff(env, "show", n))
    assert "أرفقت لقطة الشاشة كاملة" in shown

    staff(env, "accept", n, "تمت معالجة المشكلة")
    chat.wait_for("تمت الموافقة على طلبك")
    assert "تمت معالجة المشكلة" in chat.text
    chat.close()
