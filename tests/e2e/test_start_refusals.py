"""`tawasul run` refuses a malformed setting with one line and an exit code, and any
start-up failure ends the process (a supervisor must not see a live process that will
never serve). Real processes, as an operator starts them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.db.migrate import head_revision

ROOT = Path(__file__).resolve().parents[2]
#: a bound, not what it takes: the refusals come at settings load (a second or two); the
#: failure after start-up comes after the bot's imports (10-60 s on a loaded machine)
BOUND_S = 150
TOKEN = "123456789:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAWASUL_")}
    return (
        env
        | {
            "TAWASUL_TELEGRAM_TOKEN": TOKEN,
            # nothing listens there: nothing may be asked of Telegram before the refusal
            "TAWASUL_TELEGRAM_API_URL": "http://127.0.0.1:9",
            "TAWASUL_TELEGRAM_WEBHOOK_URL": "https://bot.example.sa/telegram/webhook",
            "TAWASUL_TELEGRAM_WEBHOOK_SECRET": "s3cret",
            "TAWASUL_HTTP_PORT": str(_free_port()),
            "TAWASUL_DATA_DIR": str(data),
            "TAWASUL_STAFF_SCHEDULE": "off",
        }
        | extra
    )


def _run(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=tmp_path, env=_env(tmp_path / "data", **extra),
        capture_output=True, text=True, timeout=BOUND_S, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("setting", "value", "says"),
    [
        ("TAWASUL_REDIS_URL", "http://localhost", "redis://HOST:PORT/DB"),
        ("TAWASUL_REDIS_URL", "redis://localhost:six/0", "not a number"),
        ("TAWASUL_REDIS_URL", "redis+sentinel://10.0.0.5:26379", "TAWASUL_REDIS_SENTINELS"),
        ("TAWASUL_LOG_LEVEL", "LOUD", "DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("TAWASUL_DATABASE_URL", "mysql://x", "SQLite"),
    ],
)
def test_a_malformed_setting_is_one_line_and_exit_1(
    tmp_path: Path, setting: str, value: str, says: str
) -> None:
    done = _run(tmp_path, "run", **{setting: value})
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1, done.stderr[-2000:]
    assert len(lines) == 1, done.stderr[-2000:]
    assert f"setting {setting} is invalid" in lines[0] and says in lines[0]
    assert "PostgreSQL" in lines[0] or setting != "TAWASUL_DATABASE_URL"


_FAILING_START = """
import sys, threading
import bot.runner

async def serve(settings, *, listen_fd=None):
    # what a failed start-up may leave behind: a thread that is not a daemon (as
    # aiosqlite's connection threads are not), waiting for ever
    threading.Thread(target=threading.Event().wait, name="left-behind").start()
    raise RuntimeError("start-up failed")

bot.runner.serve = serve
from bot.cli import main
main(["run"])
"""


def test_a_failure_at_start_up_ends_the_process(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _FAILING_START],
        cwd=tmp_path, env=_env(tmp_path / "data"),
        capture_output=True, text=True, timeout=BOUND_S, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr[-2000:]
    assert "RuntimeError: start-up failed" in done.stderr


def test_without_auto_migrate_a_data_dir_not_made_yet_says_to_upgrade(tmp_path: Path) -> None:
    done = _run(tmp_path, "run", TAWASUL_AUTO_MIGRATE="false")
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1, done.stderr[-2000:]
    assert len(lines) == 1 and "run `tawasul db upgrade`" in lines[0], done.stderr[-2000:]
    assert not (tmp_path / "data" / "tawasul.sqlite3").exists()


def test_db_upgrade_says_in_one_line_what_it_did(tmp_path: Path) -> None:
    head = head_revision(f"sqlite+aiosqlite:///{tmp_path / 'data' / 'tawasul.sqlite3'}")
    first = _run(tmp_path, "db", "upgrade", TAWASUL_LOG_LEVEL="INFO")
    assert first.returncode == 0, first.stderr[-2000:]
    assert first.stdout.splitlines() == [
        f"database upgraded from revision none (empty) to {head}"
    ], first.stdout
    assert first.stderr == ""  # no alembic progress lines
    again = _run(tmp_path, "db", "upgrade", TAWASUL_LOG_LEVEL="INFO")
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stdout.splitlines() == [f"database already up to date (revision {head})"]
    assert again.stderr == ""
    # and a run without auto-migrate now starts past the database check: the Redis is
    # what it stops at (nothing listens on port 9)
    ran = _run(
        tmp_path, "run", TAWASUL_AUTO_MIGRATE="false", TAWASUL_REDIS_URL="redis://127.0.0.1:9/0"
    )
    assert ran.returncode == 1 and "db upgrade" not in ran.stderr, ran.stderr[-2000:]


def test_workers_that_cannot_start_make_the_supervisor_give_up_with_one_line(
    tmp_path: Path,
) -> None:
    """Nothing listens where Redis should be: each worker exits at its start. The
    supervisor starts them again later and later (1, 2, 4, 8 s), then, at the fifth failure
    in a row, stops with one line saying so and exit 1 rather than trying for ever."""
    done = _run(tmp_path, "run", "--workers", "2", TAWASUL_REDIS_URL="redis://127.0.0.1:9/0")
    assert done.returncode == 1, done.stderr[-3000:]
    gave_up = [line for line in done.stderr.splitlines() if "times in a row" in line]
    assert len(gave_up) == 1, done.stderr[-3000:]
    assert "failed 5 times in a row within 30 s of its start" in gave_up[0]
    assert "stopping every worker" in gave_up[0]
    assert "starting it again in 8 s" in done.stderr  # it backed off before giving up
    assert "starting it again in 16 s" not in done.stderr


def _one_line_naming(done: subprocess.CompletedProcess[str], where: str, secret: str) -> str:
    """The refusal: the last line, after the migration's log lines if any, and the only
    one from tawasul; no traceback, no password."""
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert [line for line in lines if line.startswith("tawasul")] == lines[-1:], lines
    assert where in lines[-1], lines[-1]
    assert "cannot be reached" in lines[-1] or "could not be migrated" in lines[-1], lines[-1]
    assert secret not in done.stderr
    return lines[-1]


def test_a_redis_not_answering_at_start_is_one_line_naming_it_and_exit_1(tmp_path: Path) -> None:
    """Issue 11: `tawasul run` with Redis unreachable ended in a 40-line traceback (redis-
    py's ConnectionError out of the version check), the password-less URL's host:port
    nowhere but inside it."""
    port = _free_port()  # nothing listens there
    done = _run(tmp_path, "run", TAWASUL_REDIS_URL=f"redis://:pa55-w0rd@127.0.0.1:{port}/0")
    line = _one_line_naming(done, f"127.0.0.1:{port}", "pa55-w0rd")
    assert line.startswith("tawasul: Redis at ") and "TAWASUL_REDIS_URL" in line


def test_a_database_not_answering_at_start_is_one_line_naming_it_and_exit_1(
    tmp_path: Path,
) -> None:
    port = _free_port()
    url = f"postgresql+asyncpg://tawasul:pa55-w0rd@127.0.0.1:{port}/tawasul"
    migrating = _run(tmp_path, "run", TAWASUL_DATABASE_URL=url)
    _one_line_naming(migrating, f"127.0.0.1:{port}", "pa55-w0rd")
    checking = _run(tmp_path, "run", TAWASUL_DATABASE_URL=url, TAWASUL_AUTO_MIGRATE="false")
    _one_line_naming(checking, f"127.0.0.1:{port}", "pa55-w0rd")
