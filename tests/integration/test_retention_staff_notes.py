"""Officers' internal notes (``/note``, table staff_notes) are redacted with the request's
other personal data, on the same schedule.

Found by the fresh-clone tester: a decided request older than the retention period lost
its identity and phone numbers, description and files, yet the officers' notes on it
(«اتصلت به، رقم جوازه القديم A1234567») stayed whole. On SQLite and PostgreSQL: the notes
of old decided requests lose their words (who wrote each and when stay), those of recent
and open requests are untouched, a note written after the redaction goes at the next
purge, and two workers purging at once redact each request once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Request, StaffNote
from bot.db.requests_repo import SqlRequestGateway
from bot.db.retention import REDACTED, purge_decided
from bot.media_store import MediaStore
from bot.staff.desk import StaffDesk
from domain.catalogue import load_catalogue
from officers.officer import Officer
from tests.integration.test_retention import DAYS, GRACE, NOW, _decide, _file

OFFICER = Officer(7001, "نورة")
WORDS = "اتصلت به، رقم جوازه القديم A1234567 وجواله 0500000009"


async def _notes(sessions: async_sessionmaker[AsyncSession], number: str) -> list[StaffNote]:
    async with sessions() as session:
        rows = await session.scalars(
            select(StaffNote)
            .join(Request, Request.id == StaffNote.request_id)
            .where(Request.number == number)
            .order_by(StaffNote.id)
        )
        return list(rows)


async def test_old_decided_requests_lose_their_notes_words_recent_and_open_keep_them(
    tmp_path: Path, db_sessionmaker: async_sessionmaker[AsyncSession], gateway: SqlRequestGateway
) -> None:
    store = MediaStore(tmp_path)
    desk = StaffDesk(db_sessionmaker, load_catalogue(), clock=lambda: NOW - dt.timedelta(days=400))
    old = await _file(gateway, store, "old", b"old photo")
    recent = await _file(gateway, store, "recent", b"recent photo")
    still_open = await _file(gateway, store, "open", b"open photo")
    for number in (old, recent, still_open):
        await desk.note(number, OFFICER, WORDS)
        await desk.note(number, OFFICER, "الصورة تصل مساءً")
    await _decide(db_sessionmaker, old, "rejected", NOW - dt.timedelta(days=DAYS + 1))
    await _decide(db_sessionmaker, recent, "accepted", NOW - dt.timedelta(days=DAYS - 1))

    dry = await purge_decided(
        db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE, dry_run=True
    )
    assert dry.numbers == (old,)
    assert [n.text for n in await _notes(db_sessionmaker, old)] == [WORDS, "الصورة تصل مساءً"]

    report = await purge_decided(db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE)
    assert report.numbers == (old,)
    gone = await _notes(db_sessionmaker, old)
    assert [n.text for n in gone] == [REDACTED, REDACTED]
    # the officers' own account stays: who wrote each note, and when
    assert {n.author for n in gone} == {OFFICER.signature}
    assert all(n.at == NOW - dt.timedelta(days=400) for n in gone)
    # the desk shows the redaction, not the words
    assert [n.text for n in await desk.internal_notes(old)] == [REDACTED, REDACTED]
    for kept in (recent, still_open):
        texts = [n.text for n in await _notes(db_sessionmaker, kept)]
        assert texts == [WORDS, "الصورة تصل مساءً"]


async def test_a_note_written_after_the_redaction_goes_at_the_next_purge(
    tmp_path: Path, db_sessionmaker: async_sessionmaker[AsyncSession], gateway: SqlRequestGateway
) -> None:
    store = MediaStore(tmp_path)
    desk = StaffDesk(db_sessionmaker, load_catalogue(), clock=lambda: NOW)
    number = await _file(gateway, store, "late", b"photo")
    await _decide(db_sessionmaker, number, "accepted", NOW - dt.timedelta(days=DAYS + 10))
    first = await purge_decided(db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE)
    assert first.numbers == (number,)

    await desk.note(number, OFFICER, WORDS)  # an officer looks it up a year on
    again = await purge_decided(db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE)
    assert again.numbers == (number,)
    assert [n.text for n in await _notes(db_sessionmaker, number)] == [REDACTED]
    # nothing left: the request is no longer due
    last = await purge_decided(db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE)
    assert last.numbers == ()


async def test_two_workers_redact_the_notes_once(
    tmp_path: Path, db_sessionmaker: async_sessionmaker[AsyncSession], gateway: SqlRequestGateway
) -> None:
    store = MediaStore(tmp_path)
    desk = StaffDesk(db_sessionmaker, load_catalogue(), clock=lambda: NOW)
    numbers = [await _file(gateway, store, f"n{i}", f"photo {i}".encode()) for i in range(4)]
    for number in numbers:
        await desk.note(number, OFFICER, WORDS)
        await _decide(db_sessionmaker, number, "rejected", NOW - dt.timedelta(days=DAYS + 5))
    reports = await asyncio.gather(
        purge_decided(db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE),
        purge_decided(db_sessionmaker, MediaStore(tmp_path), now=NOW, days=DAYS, media_grace=GRACE),
    )
    assert sorted(n for r in reports for n in r.numbers) == sorted(numbers)
    for number in numbers:
        assert [n.text for n in await _notes(db_sessionmaker, number)] == [REDACTED]
