"""`tawasul data purge` as an operator runs it (the real CLI process, SQLite and
PostgreSQL): it answers in Arabic unless `--lang en`, with the counts in the right plural
form and the request numbers, first as a dry run that changes nothing, then for real."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.requests_repo import SqlRequestGateway
from bot.db.retention import REDACTED, PurgeReport
from bot.media_store import MediaStore
from bot.retention import purge_lines
from tests.integration.test_retention import _decide, _file, _request
from tests.integration.test_staff_cli import ROOT

# decided long before any instant the command may run at (it runs on the real clock)
LONG_AGO = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def purge(db_url: str, data_dir: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAWASUL_")}
    env |= {
        "TAWASUL_DATA_DIR": str(data_dir),
        "TAWASUL_DATABASE_URL": db_url,
        "TAWASUL_LOG_LEVEL": "WARNING",
        "TAWASUL_RETENTION_DAYS": "30",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "data", "purge", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=240,
    )
    assert done.returncode == 0, (done.stdout, done.stderr)
    return done.stdout


# each command is a whole process (imports, migrations): tens of seconds on a busy machine
@pytest.mark.timeout(400)
async def test_purge_answers_in_arabic_by_default_and_in_english_when_asked(
    db_url: str,
    tmp_path: Path,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    gateway: SqlRequestGateway,
) -> None:
    store = MediaStore(tmp_path)
    numbers = [await _file(gateway, store, key, key.encode()) for key in ("a", "b")]
    for number in numbers:
        await _decide(db_sessionmaker, number, "rejected", LONG_AGO)

    dry = purge(db_url, tmp_path, "--dry-run")
    assert dry.splitlines()[:2] == [
        "طلبان مضى على البتّ فيهما أكثر من 30 يومًا ستُحجب بياناتهما الشخصية.",
        "وسيُحذف معها ملفان مرفقان.",
    ]
    assert all(n in dry for n in numbers)
    assert (await _request(db_sessionmaker, numbers[0])).phone != REDACTED  # a dry run

    done = purge(db_url, tmp_path, "--lang", "en")
    assert done.splitlines() == [
        "2 requests decided more than 30 days ago had their personal data redacted.",
        "Attachments removed: 2; files deleted from the disk: 2 (a file another request still uses is kept).",
        *(f"  {number}" for number in sorted(numbers)),
    ]
    for number in numbers:
        assert (await _request(db_sessionmaker, number)).phone == REDACTED


def test_arabic_plural_forms_of_the_counts() -> None:
    def head(count: int, days: int) -> str:
        report = PurgeReport(tuple(str(i) for i in range(count)), attachments=count, files=0)
        return purge_lines(report, days=days, dry_run=True, locale="ar")[0]

    assert head(1, 1) == "طلب واحد مضى على البتّ فيه أكثر من يوم واحد ستُحجب بياناته الشخصية."
    assert head(3, 2) == "3 طلبات مضى على البتّ فيها أكثر من يومين ستُحجب بياناتها الشخصية."
    assert head(11, 365) == "11 طلبًا مضى على البتّ فيها أكثر من 365 يومًا ستُحجب بياناتها الشخصية."
    assert head(100, 10) == "100 طلب مضى على البتّ فيها أكثر من 10 أيام ستُحجب بياناتها الشخصية."


def test_nothing_to_purge_is_one_line() -> None:
    nothing = PurgeReport((), attachments=0, files=0)
    assert purge_lines(nothing, days=30, dry_run=False, locale="en") == [
        "0 requests decided more than 30 days ago had their personal data redacted."
    ]
    assert purge_lines(nothing, days=30, dry_run=True, locale="ar") == [
        "لا توجد طلبات مضى على البتّ فيها أكثر من 30 يومًا وما زالت بياناتها الشخصية محفوظة."
    ]
