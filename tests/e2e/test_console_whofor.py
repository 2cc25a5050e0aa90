"""`tawasul chat` (the terminal, with `make run`'s defaults: the embedded Valkey/Redis and
SQLite): who a request is for, read from the first words as the fresh-clone tester typed
them (tester 16 §1-3). A citizen filing for his foreign wife and a sender renewing his
driver's iqama are not filed as the sender's own; one resident's run-on is one request,
his iqama's renewal first."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_console_chat import STARTUP_S, Session, _env

ONE_EACH = "كل طلب هنا لشخص واحد"
SEVERAL = "في رسالتك أكثر من طلب"


@pytest.mark.timeout(STARTUP_S + 120)
def test_who_a_request_is_for_in_the_terminal(tmp_path: Path) -> None:
    env = _env(tmp_path, None)
    chat = Session(env, "--user", "whofor-wife")
    chat.wait_for("1) فرد", STARTUP_S)
    chat.say("انا سعودي وزوجتي اجنبيه ابي اجدد اقامتها", "تجديد هوية مقيم")
    assert ONE_EACH not in chat.text
    chat.say("1", "أين صاحب الإقامة الآن؟")
    assert "«تابع لي أو مكفول لدي»" in chat.text and "«لي أنا»" not in chat.text
    chat.close()
    assert chat.proc.returncode == 0

    chat = Session(env, "--user", "whofor-driver")
    chat.wait_for("1) فرد", STARTUP_S)
    chat.say("ابغا اجدد اقامة السواق حقي", "تجديد هوية مقيم")
    chat.say("1", "أين صاحب الإقامة الآن؟")
    assert "«تابع لي أو مكفول لدي»" in chat.text and "«لي أنا»" not in chat.text
    chat.close()
    assert chat.proc.returncode == 0

    chat = Session(env, "--user", "whofor-runon")
    chat.wait_for("1) فرد", STARTUP_S)
    chat.say(
        "السلام عليكم ورحمة الله اخوي انا مقيم في الرياض واقامتي رقمها ٢٠٠٠٠٠٠٠٠٦ خلصت"
        " قبل اسبوع وابي اجددها بس ابشر يطلع لي خطا ان الجواز منتهي وانا جددت الجواز من"
        " السفاره وجوالي ٠٥٠١٢٣٤٥٦٧ الله يجزاكم خير",
        "1) تجديد هوية مقيم",
    )
    assert ONE_EACH not in chat.text and SEVERAL not in chat.text
    chat.close()
    assert chat.proc.returncode == 0
