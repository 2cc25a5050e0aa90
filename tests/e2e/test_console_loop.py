"""The whole loop with no Telegram at all: a resident in `tawasul chat`, an officer in
`tawasul staff`, and every decision reaching the resident's terminal."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from domain.normalize import clean_input
from tests import samples
from tests.e2e.test_console_chat import ROOT, Session, _env


def _staff(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "staff", "--officer", "نورة", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return done.stdout


def test_officer_decisions_reach_the_resident(tmp_path: Path, redis_url: str) -> None:
    env = _env(tmp_path, redis_url)
    # decisions wait a grace period (60 s by default) before the person is told
    env["TAWASUL_DECISION_GRACE_S"] = "0"
    chat = Session(env)
    chat.say("/start", "1) ")
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
    number = re.search(r"رقم الطلب: (\d{10})", clean_input(chat.text))
    assert number, chat.text
    n = number.group(1)

    assert n in clean_input(_staff(env, "list"))
    _staff(env, "ask", n, "أرسل لقطة شاشة كاملة للرسالة")
    chat.wait_for("أرسل لقطة شاشة كاملة للرسالة")  # the notification, in the chat
    chat.say(f"/answer {n}", "إرسال الرد")
    chat.say("أرفقت لقطة الشاشة كاملة", "إرسال الرد")
    chat.say(f"/photo {shot}", "إرسال الرد")
    chat.say("إرسال الرد", "أُضيف ردّك")
    shown = clean_input(_staff(env, "show", n))
    assert "أرفقت لقطة الشاشة كاملة" in shown

    _staff(env, "accept", n, "تمت معالجة المشكلة")
    chat.wait_for("تمت الموافقة على طلبك")
    assert "تمت معالجة المشكلة" in chat.text
    chat.close()
