"""`tawasul chat` as tester 11 used it: ``/contact`` at the identity step and at «صِف طلبك».
A real process, real Redis, a real SQLite file: a landline is said not to be a mobile,
with what a mobile looks like, and a mobile given at the description is the filed
request's contact number (it was «لا أحتاج إلى رقم جوال في هذه الخطوة» at both)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from domain.normalize import clean_input
from tests import samples
from tests.e2e.test_console_chat import STARTUP_S, Session, _env


def test_contact_at_the_identity_and_description_steps(tmp_path: Path, redis_url: str) -> None:
    env = _env(tmp_path, redis_url)
    chat = Session(env)
    chat.wait_for("1) فرد", STARTUP_S)
    chat.say("1", "ما الخدمة")
    chat.say("مشكلة تقنية في ابشر", "مشكلة تقنية")
    chat.say("1", "كتابة رقم هوي")
    chat.say("/contact 0412345678", "لا يبدو هذا رقم جوال")
    chat.say("2000000006", "كتابة رقم جوالك")
    chat.say("/contact 0501234567", "يُرجى وصف طلبك")
    chat.say("/contact 0551234567", "سجّلتُ الرقم")
    chat.say("لا يفتح حسابي في أبشر منذ أسبوع وتظهر رسالة خطأ", "PDF")
    shot = tmp_path / "error.png"
    shot.write_bytes(samples.png(seed=7))
    chat.say(f"/photo {shot}", "تم")
    chat.say("تم", "يُرجى مراجعة طلبك")
    chat.say("1", "رقم الطلب")
    assert "لا أحتاج إلى رقم جوال" not in chat.text, chat.text
    found = re.search(r"رقم الطلب: (\d{10})", clean_input(chat.text))
    assert found, chat.text
    chat.close()
    db = sqlite3.connect(tmp_path / "data" / "tawasul.sqlite3")
    try:
        row = db.execute(
            "select phone, phone_verified from requests where number = ?", (found.group(1),)
        ).fetchone()
    finally:
        db.close()
    assert tuple(row) == ("+966551234567", 1), row
