"""`tawasul chat` as the fresh-clone tester used it: ``/photo`` with several paths, one
with spaces in quotes and one that names no file. A real process, real Redis, a real
SQLite file: the request filed carries each file that exists, once, and the missing one
is said in Arabic without losing the others or the draft; the files are one album, answered
once with their count."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from domain.normalize import clean_input
from tests import samples
from tests.e2e.test_console_chat import STARTUP_S, Session, _env


def test_several_paths_each_sent_and_a_missing_one_said(tmp_path: Path, redis_url: str) -> None:
    env = _env(tmp_path, redis_url)
    chat = Session(env)
    chat.wait_for("1) فرد", STARTUP_S)
    chat.say("1", "ما الخدمة")
    chat.say("مشكلة تقنية في ابشر", "مشكلة تقنية")
    chat.say("1", "كتابة رقم هوي")
    chat.say("2000000006", "كتابة رقم جوالك")
    chat.say("/contact 0501234567", "يُرجى وصف طلبك")
    chat.say("لا يفتح حسابي في أبشر منذ أسبوع وتظهر رسالة خطأ", "PDF")
    first, spaced, third = tmp_path / "a.png", tmp_path / "لقطة الشاشة 2.png", tmp_path / "c.png"
    for seed, path in enumerate((first, spaced, third), start=40):
        path.write_bytes(samples.png(seed=seed))
    missing = tmp_path / "gone.png"
    chat.say(f'/photo {first} "{spaced}" {missing} {third}', "لم يضِع شيء مما أرسلته", 60)
    assert f"(لا يوجد ملف بهذا المسار: {missing})" in chat.text
    # one answer for the three files, counted (session 11: «وصلتني الصورة» three times)
    assert chat.text.count("وصلتني ٣ صور.") == 1 and "وصلتني الصورة" not in chat.text, chat.text
    chat.say("تم", "يُرجى مراجعة طلبك")
    chat.say("1", "رقم الطلب")
    found = re.search(r"رقم الطلب: (\d{10})", clean_input(chat.text))
    assert found, chat.text
    chat.close()

    db = sqlite3.connect(tmp_path / "data" / "tawasul.sqlite3")
    try:
        sizes = db.execute(
            "select a.size from attachments a join requests r on r.id = a.request_id"
            " where r.number = ? order by a.id",
            (found.group(1),),
        ).fetchall()
    finally:
        db.close()
    expected = [len(samples.png(seed=seed)) for seed in (40, 41, 42)]
    assert sorted(s for (s,) in sizes) == sorted(expected)
