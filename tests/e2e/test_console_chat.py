"""`tawasul chat` as a person uses it: a real process, real Redis, a real SQLite file.

The dialogue survives the process being killed in the middle: the next run continues
where the person was. The chat speaks first, keeps its log in a file, says goodbye at
Ctrl-D, and two chats on one data directory share the embedded Redis: the last to leave
stops it. Nothing it writes is readable by other users.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests import samples

ROOT = Path(__file__).resolve().parents[2]
# start-up (imports, migrations, the embedded server) has a budget of its own: on a loaded
# machine it alone takes longer than an answer may
STARTUP_S = 90


def _env(tmp_path: Path, redis_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAWASUL_")}
    env["TAWASUL_DATA_DIR"] = str(tmp_path / "data")
    env["TAWASUL_LOG_LEVEL"] = "WARNING"
    if redis_url:
        env["TAWASUL_REDIS_URL"] = redis_url
    return env


class Session:
    """A running `tawasul chat` fed line by line, its output collected as it comes."""

    def __init__(
        self, env: dict[str, str], *args: str, cwd: Path = ROOT, own_group: bool = False
    ) -> None:
        # own_group: a process group of its own, as a terminal's foreground job, which
        # Ctrl-C signals as a whole (see ctrl_c)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "chat", *args],
            cwd=cwd,
            env=env,
            start_new_session=own_group,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.out: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.out.append(line)

    @property
    def text(self) -> str:
        return "".join(self.out)

    def say(self, line: str, expect: str, timeout: float = 30) -> None:
        assert self.proc.stdin is not None
        seen = len(self.text)
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        deadline = time.monotonic() + timeout
        while expect not in self.text[seen:]:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                # still running: its standard error ends (and can be read) only once it has
                if self.proc.poll() is None:
                    self.kill()
                err = self.proc.stderr.read() if self.proc.stderr else ""
                pytest.fail(f"no {expect!r} after {line!r}:\n{self.text[seen:]}\n{err}")
            time.sleep(0.05)

    def wait_for(self, expect: str, timeout: float = 30) -> None:
        """Waits for output that no line of ours prompted (a notification)."""
        deadline = time.monotonic() + timeout
        while expect not in self.text:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                pytest.fail(f"no {expect!r}:\n{self.text[-2000:]}")
            time.sleep(0.1)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def ctrl_c(self) -> None:
        """What a terminal does at Ctrl-C: SIGINT to the whole foreground process group
        (the session must have been started with ``own_group``)."""
        os.killpg(self.proc.pid, signal.SIGINT)

    def close(self) -> str:
        """Ends the input (Ctrl-D) and waits for the process to exit on its own."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self._reader.join(timeout=5)
        return self.text

    @property
    def stderr(self) -> str:
        assert self.proc.stderr is not None and self.proc.poll() is not None
        return self.proc.stderr.read()


def _private(data: Path) -> None:
    """Every directory under ``data`` is 0700 and every file 0600."""
    assert data.stat().st_mode & 0o777 == 0o700
    seen = 0
    for path in data.rglob("*"):
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            assert mode & 0o777 == 0o700, path
        elif stat.S_ISREG(mode):
            assert mode & 0o777 == 0o600, path
            seen += 1
    assert seen >= 3


def _walk(redis_url: str | None, tmp_path: Path) -> None:
    env = _env(tmp_path, redis_url)
    first = Session(env)
    first.wait_for("1) فرد", STARTUP_S)  # the welcome, before anything is typed
    first.say("/start", "نحن في بداية المحادثة")  # the first question is just above
    first.say("1", "ما الخدمة")
    first.say("ابي اجدد اقامتي", "1) تجديد هوية مقيم")
    first.say("1", "أين أنت الآن؟")
    first.kill()  # mid-dialogue, no chance to clean up

    second = Session(env)
    # coming back to the draft: the question the person was at, asked again
    second.wait_for("أين أنت الآن؟", STARTUP_S)
    second.say("١", "كتابة رقم هوي")  # "inside the kingdom", in Arabic digits
    second.say("٢٠٠٠٠٠٠٠٠٦", "كتابة رقم جوالك")
    second.say("/contact 0501234567", "يُرجى وصف طلبك")
    second.say("انتهت صلاحية إقامتي وتظهر رسالة خطأ عند التجديد في أبشر", "PDF")
    photo = tmp_path / "iqama.png"
    photo.write_bytes(samples.png(seed=31))
    second.say(f"/photo {photo}", "وصلتني الصورة")
    second.say("تم", "يُرجى مراجعة طلبك")
    second.say("1", "رقم الطلب")
    out = second.close()
    assert "2000000006" in out  # the summary shows the number in ASCII digits

    db = sqlite3.connect(tmp_path / "data" / "tawasul.sqlite3")
    rows = db.execute("select number, service_id, identity_number, phone from requests").fetchall()
    assert len(rows) == 1
    number, service, identity, phone = rows[0]
    assert service == "iqama_renew" and identity == "2000000006" and phone == "+966501234567"
    assert f"رقم الطلب: \u2066{number}\u2069" in out
    # the receipt card was drawn and the terminal says where it is
    assert f"(الصورة محفوظة في {tmp_path / 'data' / 'receipts' / number}-ar-arab.png)" in out
    files = db.execute("select kind, mime, size, checksum from attachments").fetchall()
    size = len(samples.png(seed=31))
    assert files == [("photo", "image/png", size, files[0][3])] and len(files[0][3]) == 64
    db.close()
    # the database and its -wal/-shm, the embedded Redis's files, the log, the receipt,
    # the photo: the owner's only
    _private(tmp_path / "data")


def test_killed_mid_dialogue_continues_with_redis_server(redis_url: str, tmp_path: Path) -> None:
    _walk(redis_url, tmp_path)


def test_killed_mid_dialogue_continues_with_embedded_redis(tmp_path: Path) -> None:
    _walk(None, tmp_path)
    # the killed chat left the server running; the second one, the last to leave, stopped it
    assert not (tmp_path / "data" / "redis" / "redis.sock").exists()


def test_the_chat_speaks_first_logs_to_a_file_and_says_goodbye(
    redis_url: str, tmp_path: Path
) -> None:
    env = _env(tmp_path, redis_url) | {"TAWASUL_LOG_LEVEL": "INFO"}
    chat = Session(env)
    chat.wait_for("1) فرد", STARTUP_S)  # the welcome, before anything is typed
    chat.say("1", "ما الخدمة")
    started = time.monotonic()
    out = chat.close()
    took = time.monotonic() - started
    assert chat.proc.returncode == 0
    assert out.rstrip().splitlines()[-1].startswith("مع السلامة"), out[-300:]
    # no log line on the screen, before, during or after the conversation: they are in
    # the data directory's log file
    assert chat.stderr == ""
    assert " INFO " not in out
    logged = (tmp_path / "data" / "tawasul.log").read_text(encoding="utf-8")
    assert " INFO " in logged
    assert took < 5, f"Ctrl-D took {took:.1f}s"  # it took 4 s of interpreter teardown


def test_the_default_data_directory_starts_the_embedded_redis(tmp_path: Path) -> None:
    # `make run` on a fresh clone: no TAWASUL_DATA_DIR, so the relative default `.data`;
    # the embedded server once died at start-up («exited (1)») looking for `.data/redis`
    # inside `.data/redis`
    env = _env(tmp_path, None)
    del env["TAWASUL_DATA_DIR"]
    chat = Session(env, cwd=tmp_path)
    chat.wait_for("1) فرد", STARTUP_S)
    chat.say("1", "ما الخدمة")
    chat.close()
    assert chat.proc.returncode == 0, chat.stderr
    assert (tmp_path / ".data" / "redis" / "appendonlydir").is_dir()
    assert not (tmp_path / ".data" / "redis" / "redis.sock").exists()  # stopped at the end


def test_two_chats_share_the_embedded_redis(tmp_path: Path) -> None:
    env = _env(tmp_path, None)
    first, second = Session(env, "--user", "first"), Session(env, "--user", "second")
    try:
        first.wait_for("1) فرد", STARTUP_S)
        second.wait_for("1) فرد", STARTUP_S)
        first.say("1", "ما الخدمة")
        first.close()
        assert first.proc.returncode == 0
        # the first chat has gone: the server it started serves the second one still
        second.say("1", "ما الخدمة")
        second.say("ابي اجدد اقامتي", "1) تجديد هوية مقيم")
        second.close()
        assert second.proc.returncode == 0, second.stderr
        assert "Traceback" not in second.text
    finally:
        for chat in (first, second):
            if chat.proc.poll() is None:
                chat.kill()
    # the last to leave stopped it
    assert not (tmp_path / "data" / "redis" / "redis.sock").exists()


# start-up and ten answers: on a loaded machine more than the default two minutes
@pytest.mark.timeout(STARTUP_S + 120)
def test_questions_in_the_terminal_mid_request(redis_url: str, tmp_path: Path) -> None:
    # issue 13 in `tawasul chat`: the FAQ as a numbered list, a number picks a question, and
    # a typed question mid-request is answered with the step asked again
    # a person of its own: the session's Redis keeps "local"'s draft from the tests before
    chat = Session(_env(tmp_path, redis_url), "--user", "faq-asker")
    chat.wait_for("4) أسئلة شائعة", STARTUP_S)
    chat.say("4", "الأسئلة الشائعة")
    chat.wait_for("2) غرامة التأخر في تجديد الإقامة")
    chat.say("2", "١٬٠٠٠ ريال")
    chat.wait_for("5) تقديم طلب الآن")  # after the first question's own choices
    chat.say("فرد", "ما الخدمة")
    chat.say("ابي اجدد اقامتي", "تجديد هوية مقيم")
    chat.say("1", "أين أنت الآن؟")
    chat.say("1", "كتابة رقم هوي")
    chat.say("2000000006", "رقم جوالك")
    chat.say("kam yom ya5od el talab?", "٧ أيام عمل")
    chat.wait_for("نعود إلى الطلب الذي بدأت تعبئته")
    chat.close()
    assert chat.proc.returncode == 0


def _until(what: str, path: Path, proc: subprocess.Popen[str], timeout: float) -> str:
    """The text of ``path`` once it holds ``what`` (a file another process writes)."""
    deadline = time.monotonic() + timeout
    while True:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if what in text:
            return text
        if time.monotonic() > deadline or proc.poll() is not None:
            pytest.fail(f"no {what!r} in the chat's output:\n{text[-2000:]}")
        time.sleep(0.1)


def test_ctrl_c_with_the_output_in_a_file_keeps_every_reply(redis_url: str, tmp_path: Path) -> None:
    # found by the fresh-clone tester: `tawasul chat --user x < fifo > out &`, «فرد» written
    # into the fifo, then `kill -INT <pid>`: every reply must be in `out` as it is printed
    # (a script reads them live) and still there after Ctrl-C. The signal goes to the
    # process alone, as `kill` sends it, and the input stays open, as a fifo's writer does
    out = tmp_path / "out"
    env = _env(tmp_path, redis_url)
    env.pop("PYTHONUNBUFFERED", None)  # a fresh machine's default: a file is block-buffered
    with out.open("w", encoding="utf-8") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "chat", "--user", "piped"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=sink,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
    try:
        _until("1) فرد", out, proc, STARTUP_S)  # the welcome, while the chat runs
        assert proc.stdin is not None
        proc.stdin.write("فرد\n")
        proc.stdin.flush()
        _until("ما الخدمة", out, proc, 60)  # the answer, while the chat still runs
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 128 + signal.SIGINT
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    text = out.read_text(encoding="utf-8")
    assert "1) فرد" in text and "ما الخدمة" in text
    assert text.rstrip().splitlines()[-1].startswith("مع السلامة"), text[-300:]
