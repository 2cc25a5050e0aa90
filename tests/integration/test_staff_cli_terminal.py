"""`tawasul staff` where an officer runs it: from another folder than the bot's, and with
its output piped into a reader that stops early. Found by the fresh-clone tester: from
/tmp, `staff show N` made a new empty database there and answered «no such request»;
`staff show N | head -3` ended in a BrokenPipeError traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAWASUL_")}
    env["PYTHONPATH"] = str(ROOT)  # run from elsewhere, as the officer did
    return env | {"TAWASUL_LOG_LEVEL": "WARNING", **settings}


def _staff(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "staff", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def test_from_another_folder_the_officer_is_told_where_no_database_is(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for lang, words in (
        ("ar", "لا توجد قاعدة بيانات للبوت هنا"),
        ("en", "There is no bot database here"),
    ):
        done = _staff(elsewhere, _env(), "--lang", lang, "show", "4512345671")
        assert done.returncode == 1, done.stderr
        assert words in done.stderr, done.stderr
        assert str(elsewhere / ".data" / "tawasul.sqlite3") in done.stderr.splitlines()
        assert "TAWASUL_DATA_DIR" in done.stderr
        assert "Traceback" not in done.stderr
    assert not (elsewhere / ".data").exists()  # nothing made where the officer stood


def test_pointed_at_the_bots_data_directory_it_opens_that_database(tmp_path: Path) -> None:
    data = tmp_path / "bot" / ".data"
    data.mkdir(parents=True)
    (data / "tawasul.sqlite3").touch()  # the bot's, as its first start leaves it
    done = _staff(tmp_path, _env(TAWASUL_DATA_DIR=str(data)), "list")
    assert done.returncode == 0, done.stderr
    assert "لا توجد طلبات مفتوحة" in done.stdout


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before a word is written (`| head -0`)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "staff", "list"],
            cwd=tmp_path,
            env=_env(TAWASUL_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}"),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert done.returncode == 1
