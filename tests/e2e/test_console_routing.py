"""Choosing a service in `tawasul chat` as the fresh users of session 15 did (a real
process, a real Redis, a real SQLite file): «يا هلا» greeted back, a resident's number at
the Saudi passport's renewal told what the service is for, «ابي اجدد اقامتي» typed there
choosing the iqama's renewal with the number already typed, «دخل المملكه» answering where
the holder is; and «انا مقيم» at «لمن هذا الطلب؟» understood."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_console_chat import STARTUP_S, Session, _env


@pytest.mark.timeout(STARTUP_S + 120)
def test_a_resident_finds_their_service_from_the_citizens_one(
    redis_url: str, tmp_path: Path
) -> None:
    chat = Session(_env(tmp_path, redis_url), "--user", "routing-resident")
    chat.wait_for("1) فرد", STARTUP_S)
    chat.say("يا هلا", "هلا بك.")  # greeted, the first question still there
    chat.say("فرد", "ما الخدمة")
    chat.say("ابي اجدد جوازي", "تجديد جواز السفر (للمواطنين فقط)")
    chat.say("تجديد جواز السفر", "رقم هوية وطنية")  # «جوازي»: «لي أنا», noted
    chat.say("2000000006", "للمواطنين السعوديين فقط")
    chat.say("ابي اجدد اقامتي", "أين أنت الآن؟")
    chat.say("دخل المملكه", "سأستخدم رقم الهوية الذي أرسلته سابقًا")
    out = chat.close()
    assert "احتفظتُ بما كتبته" not in out and "أيّها المقصود" not in out
    assert chat.proc.returncode == 0


@pytest.mark.timeout(STARTUP_S + 120)
def test_i_am_a_resident_at_for_whom_is_understood(redis_url: str, tmp_path: Path) -> None:
    chat = Session(_env(tmp_path, redis_url), "--user", "routing-for-whom")
    chat.wait_for("1) فرد", STARTUP_S)
    chat.say("فرد", "ما الخدمة")
    chat.say("الجوازات", "تجديد جواز السفر (للمواطنين فقط)")
    chat.say("تجديد جواز السفر", "لمن هذا الطلب؟")
    chat.say("انا مقيم", "للمواطنين السعوديين فقط")
    out = chat.close()
    assert "لم أفهم إجابتك" not in out and "اختيار خدمة أخرى" in out


@pytest.mark.timeout(STARTUP_S + 120)
def test_a_residents_passport_and_a_saudi_wifes(redis_url: str, tmp_path: Path) -> None:
    """«انا مقيم ابي اجدد جوازي» lists the residents' service first, under the line saying
    the passport's renewal is the Saudi passport's; «انا مقيم وابي اجدد جواز زوجتي
    السعودية» lists the passport first and asks for the wife's national ID (it was told
    «للمواطنين فقط» since 8070ff2)."""
    chat = Session(_env(tmp_path, redis_url), "--user", "routing-passports")
    chat.wait_for("1) فرد", STARTUP_S)
    chat.say("انا مقيم ابي اجدد جوازي", "1) تجديد هوية مقيم")
    assert "للمواطنين السعوديين فقط" in chat.text
    chat.say("ابدأ من جديد", "هل يُحذف")
    chat.say("1", "1) فرد")
    chat.say("فرد", "ما الخدمة")
    chat.say("انا مقيم وابي اجدد جواز زوجتي السعودية", "1) تجديد جواز السفر")
    chat.say("1", "رقم هوية وطنية")
    out = chat.close()
    assert out.count("للمواطنين السعوديين فقط") == 1, out


@pytest.mark.timeout(STARTUP_S + 120)
def test_not_inside_the_kingdom_is_recorded_as_outside(redis_url: str, tmp_path: Path) -> None:
    """«مو داخل المملكة» at «أين صاحب الإقامة الآن؟» is outside, said back (routing
    engineer, session 16: the holder was recorded inside the kingdom)."""
    chat = Session(_env(tmp_path, redis_url), "--user", "routing-not-inside")
    chat.wait_for("1) فرد", STARTUP_S)
    chat.say("فرد", "ما الخدمة")
    chat.say("ابي اجدد اقامتي", "تجديد هوية مقيم")
    chat.say("تجديد هوية مقيم", "أين أنت الآن؟")
    chat.say("مو داخل المملكة", "رقم هوي")
    assert "سجّلتُ إجابة «أين أنت الآن؟»: «خارج المملكة»" in chat.text
    out = chat.close()
    assert "«داخل المملكة». ويمكن" not in out


@pytest.mark.timeout(STARTUP_S + 120)
def test_an_establishments_story_at_the_first_question(redis_url: str, tmp_path: Path) -> None:
    """Review 16 §3: a story at «فرد أم منشأة؟» naming no service was filed as a person's
    and offered the individuals' services («الجوازات»). An establishment's goes on as one,
    said back; one saying neither is kept and the question asked again."""
    chat = Session(_env(tmp_path, redis_url), "--user", "routing-establishment")
    chat.wait_for("1) فرد", STARTUP_S)
    seen = len(chat.text)
    chat.say(
        "مؤسستي تبي تشتكي على الموظف اللي في فرع الرياض لانه كان سيء جدا مع مندوبنا وما احترمه",
        "خدمات العمالة",
    )
    shown = chat.text[seen:]
    assert "بحسب ما ورد في رسالتك، يُقدَّم هذا الطلب بصفة منشأة" in shown, shown
    assert "احتفظتُ بما كتبته" in shown and "الجوازات" not in shown, shown
    chat.say("ابدأ من جديد", "هل يُحذف")
    chat.say("1", "1) فرد")
    seen = len(chat.text)
    chat.say("ابي اتظلم على الموظف اللي في فرع الرياض لانه كان سيء جدا معي وما احترمني", "2) منشأة")
    shown = chat.text[seen:]
    assert "احتفظتُ بما كتبته" in shown and "ما الخدمة" not in shown, shown
    chat.say("فرد", "الجوازات")
    chat.close()
