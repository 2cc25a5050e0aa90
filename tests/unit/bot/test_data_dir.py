"""The data directory holds identity and phone numbers: it is the owner's only (0700), and
the files an older version of the bot left readable by others are tightened at start-up,
while an operator's own files there are left alone. (That new files are 0600 is checked
after a whole request in tests/e2e/test_console_chat.py.)"""

from __future__ import annotations

from pathlib import Path

from bot.db.startup import prepare_data_dir


def test_files_an_older_version_left_readable_are_tightened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "redis").mkdir(parents=True)
    data.chmod(0o755)
    left = [data / "tawasul.sqlite3", data / "tawasul.log", data / "redis" / "dialogues.rdb"]
    for path in left:
        path.write_bytes(b"")
        path.chmod(0o644)
    mine = data / "notes.sh"  # an operator's own file in the directory is not ours to change
    mine.write_text("#!/bin/sh\n")
    mine.chmod(0o755)
    prepare_data_dir(data)
    assert data.stat().st_mode & 0o777 == 0o700
    assert [p.stat().st_mode & 0o777 for p in left] == [0o600] * 3
    assert mine.stat().st_mode & 0o777 == 0o755
