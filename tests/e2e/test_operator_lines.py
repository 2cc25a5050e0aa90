"""Two of the operator's one-line refusals say what is wrong (found by the fresh-clone
tester): WhatsApp half configured names every setting that is missing, not the first; and
`tawasul db upgrade` on a SQLite file whose directory does not exist says so, not «the
database cannot be reached (OperationalError)». Real processes, as an operator starts them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tawasul(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TAWASUL_")}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=tmp_path,
        env=clean | {"TAWASUL_DATA_DIR": str(tmp_path / "data")} | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_whatsapp_with_only_its_token_names_the_three_missing(tmp_path: Path) -> None:
    done = _tawasul(tmp_path, "run", TAWASUL_WHATSAPP_TOKEN="abc")
    assert done.returncode == 1, done.stderr[-2000:]
    [line] = done.stderr.strip().splitlines()
    assert line == (
        "tawasul: WhatsApp is half configured: TAWASUL_WHATSAPP_TOKEN is set, but "
        "TAWASUL_WHATSAPP_PHONE_ID, TAWASUL_WHATSAPP_APP_SECRET and "
        "TAWASUL_WHATSAPP_VERIFY_TOKEN are missing (set all four, or none)"
    )
    assert "abc" not in line  # the token itself is not repeated


def test_db_upgrade_says_the_sqlite_files_directory_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent" / "dir"
    url = f"sqlite+aiosqlite:///{missing / 'x.db'}"
    done = _tawasul(tmp_path, "db", "upgrade", TAWASUL_DATABASE_URL=url)
    assert done.returncode == 1, done.stderr[-2000:]
    [line] = done.stderr.strip().splitlines()
    assert line == (
        f"tawasul: the directory {missing} of the SQLite file in TAWASUL_DATABASE_URL "
        "does not exist: create it, or correct the path"
    )
    assert not missing.exists()  # not made behind the operator's back
    # once it exists, the same command makes the database
    missing.mkdir(parents=True)
    done = _tawasul(tmp_path, "db", "upgrade", TAWASUL_DATABASE_URL=url)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "database upgraded" in done.stdout and (missing / "x.db").exists()
