"""Shared steps of the terminal-chat end-to-end tests: a whole request filed by typing, and
the officers' CLI run beside it on the same data."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from domain.normalize import clean_input
from tests import samples
from tests.e2e.test_console_chat import ROOT, Session


def staff(env: dict[str, str], *args: str) -> str:
    """`tawasul staff --officer نورة ARGS` on `env`'s data; its standard output. Fails the
    test, with what the command printed, when it exits non-zero."""
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "staff", "--officer", "نورة", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, (done.stdout, done.stderr)
    return done.stdout


def file_request(chat: Session, tmp_path: Path, *, seed: int) -> str:
    """From the first question, file a technical-issue request with an identity number, a
    phone, words and one photo (`seed` makes the photo's bytes); the 10-digit request number
    the chat gave."""
    chat.say("1", "ما الخدمة")
    chat.say("مشكلة تقنية في ابشر", "مشكلة تقنية")
    chat.say("1", "كتابة رقم هوي")
    chat.say("2000000006", "كتابة رقم جوالك")
    chat.say("/contact 0501234567", "يُرجى وصف طلبك")
    chat.say("لا يفتح حسابي في أبشر منذ أسبوع وتظهر رسالة خطأ", "PDF")
    shot = tmp_path / f"error-{seed}.png"
    shot.write_bytes(samples.png(seed=seed))
    chat.say(f"/photo {shot}", "تم")
    chat.say("تم", "يُرجى مراجعة طلبك")
    chat.say("1", "رقم الطلب")
    found = re.search(r"رقم الطلب: (\d{10})", clean_input(chat.text))
    assert found, chat.text
    return found.group(1)
