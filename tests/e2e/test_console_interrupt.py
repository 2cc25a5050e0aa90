"""Ctrl-C in `tawasul chat`: a real process in a process group of its own, signalled as a
terminal signals its foreground job, on a real Redis and SQLite file.

Found by the fresh-clone tester: Ctrl-C froze the chat until Enter (asyncio.run waited at
exit for the thread blocked reading the terminal), then ended it without a goodbye. Now
Ctrl-C ends it at once the way Ctrl-D does: the goodbye, the draft kept for next time, and
the shell's status for an interrupted program (130).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.test_console_chat import STARTUP_S, Session, _env

KEPT = "ما أدخلته محفوظ"
# generous: the goodbye reads Redis and the chat then closes its database and Redis
EXIT_S = 30


def _ended_by_ctrl_c(chat: Session) -> str:
    chat.ctrl_c()
    try:
        chat.proc.wait(timeout=EXIT_S)
    except subprocess.TimeoutExpired:
        chat.kill()
        pytest.fail(f"Ctrl-C did not end the chat within {EXIT_S} s:\n{chat.text[-1000:]}")
    chat._reader.join(timeout=5)
    assert chat.proc.returncode == 130, chat.stderr
    assert "Traceback" not in chat.stderr
    return chat.text.rstrip().splitlines()[-1]


@pytest.mark.timeout(2 * STARTUP_S + 120)
@pytest.mark.parametrize("redis", ["server", "embedded"])
def test_ctrl_c_ends_the_chat_at_once_with_the_goodbye_and_the_draft_kept(
    redis: str, redis_url: str, tmp_path: Path
) -> None:
    env = _env(tmp_path, redis_url if redis == "server" else None)
    chat = Session(env, own_group=True)
    chat.wait_for("1) فرد", STARTUP_S)
    chat.say("1", "ما الخدمة")
    chat.say("ابي اجدد اقامتي", "1) تجديد هوية مقيم")
    chat.say("1", "أين أنت الآن؟")
    chat.say("1", "كتابة رقم هوي")
    chat.say("2000000006", "كتابة رقم جوالك")
    goodbye = _ended_by_ctrl_c(chat)  # waiting for the next line, as a person reads
    assert goodbye.startswith("مع السلامة") and KEPT in goodbye, goodbye

    again = Session(env, own_group=True)
    # the draft was kept: the question the person was at, asked again
    again.wait_for("كتابة رقم جوالك", STARTUP_S)
    assert "أهلًا بعودتك" in again.text
    _ended_by_ctrl_c(again)
    if redis == "embedded":
        # the embedded server (a session of its own) was stopped by the chat, not orphaned
        assert not (tmp_path / "data" / "redis" / "redis.sock").exists()
