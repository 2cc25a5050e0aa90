"""Ctrl-C under `make run`, the way the README starts the bot: the chat says its goodbye
and make adds nothing after it; a real failure is make's error still.

Found by tester 14 (§12): after the goodbye, make printed «make: *** [Makefile:15: run]
Error 130» (the chat's status for an interrupted program), which a newcomer read as a
crash. A real `make run` in this checkout (its .venv and catalogues are up to date when
the tests run), in a process group of its own as a terminal's foreground job, on a real
Redis and a SQLite file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests import proc_tree, samples
from tests.e2e.test_console_chat import ROOT, STARTUP_S

# the goodbye reads Redis, then the chat closes its database and Redis
EXIT_S = 30


def _env(tmp_path: Path, redis_url: str | None, **extra: str) -> dict[str, str]:
    # nothing of the caller's settings or of an outer make (`make test` runs pytest)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TAWASUL_") and k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    }
    env |= {"TAWASUL_DATA_DIR": str(tmp_path / "data"), "TAWASUL_LOG_LEVEL": "WARNING"}
    if redis_url is not None:
        env["TAWASUL_REDIS_URL"] = redis_url
    return env | extra


class MakeRun:
    """`make run` with its input a pipe and its output collected as it comes."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.out: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.out.append(line)

    @property
    def text(self) -> str:
        return "".join(self.out)

    def wait_for(self, expect: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while expect not in self.text:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                pytest.fail(f"no {expect!r}:\n{self.text[-2000:]}")
            time.sleep(0.1)

    def say(self, line: str, expect: str) -> None:
        assert self.proc.stdin is not None
        seen = len(self.text)
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        deadline = time.monotonic() + 30
        while expect not in self.text[seen:]:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                pytest.fail(f"no {expect!r} after {line!r}:\n{self.text[seen:]}")
            time.sleep(0.05)

    def bot(self) -> int:
        """The pid of the bot make started (under the recipe's shell)."""
        todo, found = [self.proc.pid], []
        while todo:
            for pid in proc_tree.children(todo.pop()):
                (found if proc_tree.name(pid) == "tawasul" else todo).append(pid)
        assert len(found) == 1, found
        return found[0]

    def ended(self) -> tuple[str, str]:
        """Waits for make to end: (what the chat printed, make's standard error)."""
        # waited for, not communicate(): that reads standard output too, and took the
        # goodbye from under the reader now and then
        try:
            self.proc.wait(timeout=EXIT_S)
        except subprocess.TimeoutExpired:
            self.stop()
            pytest.fail(f"make run did not end within {EXIT_S} s:\n{self.text[-1000:]}")
        self.reader.join(timeout=5)
        assert self.proc.stderr is not None
        return self.text, self.proc.stderr.read()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


@pytest.mark.timeout(STARTUP_S + 120)
@pytest.mark.parametrize("ctrl_c", ["terminal", "bot"])
def test_ctrl_c_under_make_run_ends_with_the_goodbye_and_no_make_error(
    ctrl_c: str, redis_url: str, tmp_path: Path
) -> None:
    run = MakeRun(_env(tmp_path, redis_url))
    try:
        run.wait_for("1) فرد", STARTUP_S)
        run.say("1", "ما الخدمة")
        if ctrl_c == "terminal":
            # what a terminal does at Ctrl-C: SIGINT to the whole foreground job (make,
            # the recipe's shell and the bot); make then ends itself by the same signal
            os.killpg(run.proc.pid, signal.SIGINT)
        else:
            # SIGINT to the bot alone (`kill -INT`): make ends on the bot's status
            os.kill(run.bot(), signal.SIGINT)
        out, err = run.ended()
    finally:
        run.stop()
    assert out.rstrip().splitlines()[-1].startswith("مع السلامة"), out[-500:]
    assert "make:" not in err and "Error" not in err, err
    assert "Traceback" not in err
    if ctrl_c == "bot":
        assert run.proc.returncode == 0, err


@pytest.mark.timeout(STARTUP_S + 180)
def test_ctrl_c_after_a_request_was_filed_prints_only_the_goodbye(
    redis_url: str, tmp_path: Path
) -> None:
    """Issue 11 (session 15): a request filed, its receipt card drawn in the cards'
    process pool, then Ctrl-C: the terminal's SIGINT reached the pool's process too,
    which printed a 17-line «Process SpawnProcess-1: … KeyboardInterrupt» traceback
    under the goodbye."""
    run = MakeRun(_env(tmp_path, redis_url))
    photo = tmp_path / "iqama.png"
    photo.write_bytes(samples.png(seed=31))
    try:
        run.wait_for("1) فرد", STARTUP_S)
        run.say("1", "ما الخدمة")
        run.say("ابي اجدد اقامتي", "1) تجديد هوية مقيم")
        run.say("1", "أين أنت الآن؟")
        run.say("1", "كتابة رقم هوي")
        run.say("2000000006", "كتابة رقم جوالك")
        run.say("/contact 0501234567", "يُرجى وصف طلبك")
        run.say("انتهت صلاحية إقامتي وتظهر رسالة خطأ عند التجديد في أبشر", "PDF")
        run.say(f"/photo {photo}", "وصلتني الصورة")
        run.say("تم", "يُرجى مراجعة طلبك")
        run.say("1", "الصورة محفوظة في")  # the card drawn: the pool has started
        os.killpg(run.proc.pid, signal.SIGINT)  # Ctrl-C in the terminal
        out, err = run.ended()
    finally:
        run.stop()
    assert out.rstrip().splitlines()[-1].startswith("مع السلامة"), out[-500:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert "make:" not in err, err


def test_a_refused_start_under_make_run_is_still_makes_error(tmp_path: Path) -> None:
    # a setting refused at start-up: its line, then make's error, as before
    env = _env(tmp_path, None, TAWASUL_HTTP_PORT="not-a-port")
    done = subprocess.run(
        ["make", "--no-print-directory", "run"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=STARTUP_S,
    )
    assert done.returncode != 0
    assert "TAWASUL_HTTP_PORT" in done.stderr
    assert "make: ***" in done.stderr and "Error 1" in done.stderr, done.stderr
