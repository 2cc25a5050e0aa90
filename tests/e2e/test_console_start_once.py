"""A /start typed as the first line of `tawasul chat` (which greets the person as it
opens) does not repeat the welcome: a real process on a real Redis and SQLite file, as the
fresh-clone tester met it with `make run`."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_console_chat import STARTUP_S, Session, _env

WELCOME = "أهلًا بك في «تواصل»"


def test_a_first_typed_start_shows_the_welcome_once(redis_url: str, tmp_path: Path) -> None:
    chat = Session(_env(tmp_path, redis_url))
    chat.wait_for("1) فرد", STARTUP_S)
    assert chat.text.count(WELCOME) == 1
    before = len(chat.text)
    chat.say("/start", "نحن في بداية المحادثة")
    # the welcome and the first question are just above: neither printed again (tester 12, §20)
    assert WELCOME not in chat.text[before:] and "1) فرد" not in chat.text[before:]
    chat.say("1", "ما الخدمة")
    chat.close()
    assert chat.text.count(WELCOME) == 1
