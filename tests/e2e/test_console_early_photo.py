"""`/photo` typed as the first thing in the terminal chat, before any service is chosen:
the photo is kept for the request and filed with it, though the chat that took it is
closed and another process (another worker on the same Redis and data directory) takes
the rest of the request. Found by the fresh-clone tester: it was answered «لم نحتفظ بها»."""

from __future__ import annotations

import re
from pathlib import Path

from domain.normalize import clean_input
from tests import samples
from tests.e2e.console_filing import staff
from tests.e2e.test_console_chat import STARTUP_S, Session, _env


def test_a_photo_sent_first_is_filed_with_the_request(redis_url: str, tmp_path: Path) -> None:
    env = _env(tmp_path, redis_url)
    photo = tmp_path / "iqama.jpg"
    photo.write_bytes(samples.jpeg(seed=21))

    first = Session(env)
    first.wait_for("1) فرد", STARTUP_S)
    first.say(f"/photo {photo}", "احتفظتُ بصورتك لطلبك")
    assert "لم نحتفظ" not in first.text
    assert "ما أدخلته محفوظ" in first.close()  # the photo is the person's: kept

    second = Session(env)  # another process: what it needs is in Redis and the store
    second.wait_for("1) فرد", STARTUP_S)
    second.say("1", "ما الخدمة")
    second.say("مشكلة تقنية في ابشر", "مشكلة تقنية")
    second.say("1", "كتابة رقم هوي")
    # the phone step worded for the terminal, which has no «مشاركة رقمي» button: typed
    second.say("2000000006", "يُرجى كتابة رقم جوالك")
    assert "مشاركة رقمي" not in second.text
    second.say("0501234567", "يُرجى وصف طلبك")
    second.say("لا يفتح حسابي في أبشر منذ أسبوع وتظهر رسالة خطأ", "PDF")
    assert "أرسلت ملفًا واحدًا لهذا الطلب من قبل، وهو محسوب ضمن المستندات." in clean_input(
        second.text
    )
    second.say("تم", "يُرجى مراجعة طلبك")
    assert "المرفقات: ملف واحد" in clean_input(second.text)
    second.say("1", "رقم الطلب")
    found = re.search(r"رقم الطلب: (\d{10})", clean_input(second.text))
    assert found, second.text
    second.close()

    shown = staff(env, "show", found.group(1))
    assert "iqama.jpg (image/jpeg" in shown, shown
