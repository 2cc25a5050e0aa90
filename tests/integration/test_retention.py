"""Retention (issue 14, Saudi PDPL): decided requests older than the retention period lose
their personal data and files, the audit trail keeps who decided what and when, open and
recent requests are untouched; two workers purging at once redact each request once; the
daily job runs once a Riyadh day across workers. On SQLite and PostgreSQL, real Redis."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import time
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Attachment, Block, OutboxMessage, Request, StatusEvent
from bot.db.requests_repo import SqlRequestGateway
from bot.db.retention import REDACTED, purge_decided
from bot.media_store import MediaStore
from bot.retention import purge_once_today, run_purge
from bot.settings import Settings
from conversations.ports import AttachmentInfo
from tests.integration.test_db_requests import submission

UTC = dt.UTC
# an instant the tests pretend it is; nothing depends on when they run
NOW = dt.datetime(2027, 12, 10, 6, 0, tzinfo=UTC)
GRACE = dt.timedelta(hours=72)
DAYS = 365


def _old(store: MediaStore, checksum: str) -> None:
    # file times are the file system's: aged relative to the real clock, past the grace
    then = time.time() - 100 * 3600
    os.utime(store.path_for(checksum), (then, then))


async def _file(
    gateway: SqlRequestGateway, store: MediaStore, key: str, photo: bytes, **fields: object
) -> str:
    checksum = store.save(photo)
    _old(store, checksum)
    info = AttachmentInfo("photo", f"file-{key}", "image/jpeg", len(photo), checksum)
    done = await gateway.submit(submission(key=key, attachments=(info,), **fields))
    return done.number


async def _decide(
    sessions: async_sessionmaker[AsyncSession], number: str, status: str, at: dt.datetime
) -> None:
    async with sessions.begin() as session:
        request = await session.scalar(select(Request).where(Request.number == number))
        assert request is not None
        session.add_all(
            [
                StatusEvent(
                    request_id=request.id,
                    actor="resident:telegram:5551001",
                    at=at - dt.timedelta(days=1),
                    from_status=request.status,
                    to_status=request.status,
                    reason="ملاحظتي: رقم جوازي القديم A1234567",
                    kind="note",
                ),
                StatusEvent(
                    request_id=request.id,
                    actor="officer:77",
                    at=at,
                    from_status=request.status,
                    to_status=status,
                    reason="المستندات غير مكتملة",
                ),
            ]
        )
        await session.execute(
            update(Request)
            .where(Request.id == request.id)
            .values(status=status, establishment_number="7001234567", satisfaction_comment="شكرا")
        )


async def _request(sessions: async_sessionmaker[AsyncSession], number: str) -> Request:
    async with sessions() as session:
        request = await session.scalar(select(Request).where(Request.number == number))
        assert request is not None
        await session.refresh(request, ["events", "attachments"])
        return request


async def _attach(
    sessions: async_sessionmaker[AsyncSession],
    number: str,
    *,
    kind: str,
    ref: str,
    size: int,
    checksum: str,
    caption: str | None = None,
) -> int:
    """A JPEG attachment added to request `number` (its file `checksum` in the store); the
    request's id."""
    request_id = (await _request(sessions, number)).id
    async with sessions.begin() as session:
        session.add(
            Attachment(
                request_id=request_id, kind=kind, channel_ref=ref, mime="image/jpeg",
                size=size, checksum=checksum, caption=caption,
            )
        )  # fmt: skip
    return request_id


async def test_old_decided_requests_lose_personal_data_and_files(
    tmp_path: Path, db_sessionmaker: async_sessionmaker[AsyncSession], gateway: SqlRequestGateway
) -> None:
    store = MediaStore(tmp_path)
    old = await _file(gateway, store, "old", b"old passport photo")
    recent = await _file(gateway, store, "recent", b"recent passport photo")
    still_open = await _file(gateway, store, "open", b"open request photo")
    # the same photo in an old request and in a recent one: the recent one keeps it
    shared = store.save(b"old passport photo")
    await _decide(db_sessionmaker, old, "rejected", NOW - dt.timedelta(days=DAYS + 1))
    await _decide(db_sessionmaker, recent, "accepted", NOW - dt.timedelta(days=DAYS - 1))
    await _attach(db_sessionmaker, recent, kind="photo", ref="x", size=18, checksum=shared)
    own_photo = store.save(b"only in the old request")
    _old(store, own_photo)
    old_id = await _attach(
        db_sessionmaker, old, kind="document", ref="y", size=23, checksum=own_photo,
        caption="صورة الإقامة",
    )  # fmt: skip

    async with db_sessionmaker.begin() as session:
        card = OutboxMessage(
            kind="staff_card",
            target="staff",
            request_id=old_id,
            sent_at=NOW,
            payload={"text": "هوية 2000000006 جوال +966500000001"},
        )
        waiting = OutboxMessage(
            kind="notify",
            target="5551001",
            channel="telegram",
            request_id=old_id,
            payload={"text": "تم رفض طلبك"},
        )
        session.add_all([card, waiting])
    dry = await purge_decided(
        db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE, dry_run=True
    )
    assert dry.numbers == (old,) and dry.attachments == 2
    assert (await _request(db_sessionmaker, old)).identity_number == "2000000006"

    report = await purge_decided(db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE)
    assert report.numbers == (old,)
    assert report.attachments == 2 and report.files == 1

    gone = await _request(db_sessionmaker, old)
    assert (gone.identity_number, gone.phone, gone.description) == (REDACTED,) * 3
    assert gone.establishment_number == REDACTED and gone.satisfaction_comment == REDACTED
    assert gone.attachments == []
    assert not store.exists(own_photo) and store.exists(shared)
    # the audit trail: who decided what, when and why stays; the person's words do not
    decision = [e for e in gone.events if e.actor == "officer:77"]
    assert decision and decision[0].to_status == "rejected"
    assert decision[0].reason == "المستندات غير مكتملة"
    assert all(e.reason in (None, REDACTED) for e in gone.events if e.actor.startswith("resident"))
    assert (gone.number, gone.service_id, gone.status) == (old, "iqama_renew", "rejected")

    async with db_sessionmaker() as session:
        sent_card = await session.get(OutboxMessage, card.id)
        unsent = await session.get(OutboxMessage, waiting.id)
        assert sent_card is not None and "2000000006" not in str(sent_card.payload)
        assert unsent is not None and unsent.payload == {"text": "تم رفض طلبك"}
    for kept in (recent, still_open):
        request = await _request(db_sessionmaker, kept)
        assert request.identity_number == "2000000006" and request.phone == "+966500000001"
        assert request.attachments
    assert store.exists(store.save(b"open request photo"))

    again = await purge_decided(db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE)
    assert again.numbers == () and again.files == 0


async def test_two_workers_purging_at_once_redact_each_request_once(
    tmp_path: Path, db_sessionmaker: async_sessionmaker[AsyncSession], gateway: SqlRequestGateway
) -> None:
    store = MediaStore(tmp_path)
    numbers = [await _file(gateway, store, f"k{i}", f"photo {i}".encode()) for i in range(6)]
    for number in numbers:
        await _decide(db_sessionmaker, number, "accepted", NOW - dt.timedelta(days=400))
    reports = await asyncio.gather(
        purge_decided(db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE),
        purge_decided(db_sessionmaker, MediaStore(tmp_path), now=NOW, days=DAYS, media_grace=GRACE),
    )
    redacted = [n for report in reports for n in report.numbers]
    assert sorted(redacted) == sorted(numbers)
    assert sum(r.files for r in reports) == 6
    for number in numbers:
        assert (await _request(db_sessionmaker, number)).phone == REDACTED


@pytest.mark.redis_both  # the standalone server and the embedded one `make run` starts
@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
async def test_the_daily_job_runs_once_a_riyadh_day_across_workers(
    tmp_path: Path,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    gateway: SqlRequestGateway,
    redis_client: Redis,
) -> None:
    store = MediaStore(tmp_path)
    first = await _file(gateway, store, "a", b"a")
    await _decide(db_sessionmaker, first, "accepted", NOW - dt.timedelta(days=400))

    async def worker(now: dt.datetime) -> object:
        return await purge_once_today(
            redis_client, db_sessionmaker, store, now=now, days=DAYS, media_grace=GRACE
        )

    # 23:30 Riyadh on the 9th and 00:30 Riyadh on the 10th (both UTC the 9th) are two days
    evening = dt.datetime(2027, 12, 9, 20, 30, tzinfo=UTC)
    ran = await asyncio.gather(worker(evening), worker(evening))
    assert sum(r is not None for r in ran) == 1
    second = await _file(gateway, store, "b", b"b")
    await _decide(db_sessionmaker, second, "rejected", NOW - dt.timedelta(days=400))
    assert await worker(evening + dt.timedelta(minutes=20)) is None  # same day: done already
    after_midnight = evening + dt.timedelta(hours=1)
    report = await worker(after_midnight)
    assert report is not None and report.numbers == (second,)  # type: ignore[attr-defined]


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
async def test_purge_command_lists_and_then_redacts(
    tmp_path: Path,
    db_url: str,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    gateway: SqlRequestGateway,
) -> None:
    store = MediaStore(tmp_path)
    number = await _file(gateway, store, "cli", b"cli photo")
    # the command runs on the real clock: decided long before any instant it may run at
    await _decide(db_sessionmaker, number, "accepted", dt.datetime(2000, 1, 1, tzinfo=UTC))
    long_ago = dt.datetime(2000, 1, 1, tzinfo=UTC)
    async with db_sessionmaker.begin() as session:
        session.add(
            Block(
                channel="telegram", user_key="5551001", locale="ar", reason="سبّ",
                blocked_by="terminal:نورة", blocked_at=long_ago,
                unblocked_by="terminal:سعد", unblocked_at=long_ago,
            )
        )  # fmt: skip
    settings = Settings(database_url=db_url, data_dir=tmp_path, retention_days=30)
    out = io.StringIO()
    await run_purge(settings, dry_run=True, out=out, locale="en")
    assert (
        "1 request decided more than 30 days ago would have its personal data redacted."
        in out.getvalue()
    )
    assert (
        "1 block lifted more than 30 days ago would have its person and reason redacted."
        in out.getvalue()
    )
    assert number in out.getvalue()
    assert (await _request(db_sessionmaker, number)).phone != REDACTED
    out = io.StringIO()
    await run_purge(settings, dry_run=False, out=out, locale="en")
    assert "Attachments removed: 1; files deleted from the disk: 1" in out.getvalue()
    assert (
        "1 block lifted more than 30 days ago had its person and reason redacted." in out.getvalue()
    )
    assert (await _request(db_sessionmaker, number)).phone == REDACTED


async def test_purge_on_a_database_never_served_answers_nothing_to_redact(tmp_path: Path) -> None:
    """An operator runs the purge before the bot ever started: the schema is made, the
    answer is the count (none), not a traceback about a missing table."""
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}", data_dir=tmp_path
    )
    out = io.StringIO()
    await run_purge(settings, dry_run=True, out=out, locale="en")
    assert "0 requests decided" in out.getvalue()


async def test_words_the_person_adds_after_a_redaction_are_redacted_in_turn(
    tmp_path: Path, db_sessionmaker: async_sessionmaker[AsyncSession], gateway: SqlRequestGateway
) -> None:
    """Redacted, then the person rates with a comment, asks for reconsideration and sends a
    file while it is open again; decided again long ago: the next purge takes those too."""
    store = MediaStore(tmp_path)
    number = await _file(gateway, store, "late", b"first photo")
    await _decide(db_sessionmaker, number, "rejected", NOW - dt.timedelta(days=DAYS + 30))
    assert (
        await purge_decided(db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE)
    ).numbers == (number,)
    late_photo = store.save(b"a photo sent after the redaction")
    _old(store, late_photo)
    async with db_sessionmaker.begin() as session:
        request = await session.scalar(select(Request).where(Request.number == number))
        assert request is not None
        request.satisfaction_comment = "الموظف لم يقرأ طلبي، رقم جوالي 0500000009"
        request.reconsider_reason = "أرفقت الآن صورة جواز السفر الجديد"
        session.add(
            Attachment(
                request_id=request.id, kind="photo", channel_ref="z", mime="image/jpeg",
                size=30, checksum=late_photo, caption="جوازي",
            )
        )  # fmt: skip
    # reopened on the reconsideration (a resident's reason), decided again, long ago too
    await _decide(db_sessionmaker, number, "accepted", NOW - dt.timedelta(days=DAYS + 1))
    dry = await purge_decided(
        db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE, dry_run=True
    )
    assert dry.numbers == (number,) and dry.attachments == 1
    report = await purge_decided(db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE)
    assert report.numbers == (number,) and report.attachments == 1 and report.files == 1
    gone = await _request(db_sessionmaker, number)
    assert gone.satisfaction_comment == REDACTED and gone.reconsider_reason == REDACTED
    assert gone.attachments == [] and not store.exists(late_photo)
    assert all(e.reason in (None, REDACTED) for e in gone.events if e.actor.startswith("resident"))
    assert [e.reason for e in gone.events if e.actor == "officer:77"] == [
        "المستندات غير مكتملة"
    ] * 2
    again = await purge_decided(db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE)
    assert again.numbers == () and again.blocks == 0


async def test_blocks_lifted_longer_ago_than_the_retention_lose_the_person(
    tmp_path: Path, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    long_ago, lately = NOW - dt.timedelta(days=DAYS + 1), NOW - dt.timedelta(days=DAYS - 1)
    async with db_sessionmaker.begin() as session:
        rows = {
            name: Block(
                channel="whatsapp", user_key=f"SA.{name}", locale="ar", request_number="4512345671",
                reason=f"شتم الموظفين ({name})", blocked_by="officer:77:نورة",
                blocked_at=long_ago - dt.timedelta(days=10),
                unblocked_by=None if lifted is None else "officer:78:سعد", unblocked_at=lifted,
            )
            for name, lifted in (("old", long_ago), ("recent", lately), ("standing", None))
        }  # fmt: skip
        session.add_all(rows.values())
    store = MediaStore(tmp_path)
    dry = await purge_decided(
        db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE, dry_run=True
    )
    assert dry.blocks == 1
    reports = await asyncio.gather(
        purge_decided(db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE),
        purge_decided(db_sessionmaker, store, now=NOW, days=DAYS, media_grace=GRACE),
    )
    assert sorted(r.blocks for r in reports) == [0, 1]  # two workers: redacted once
    async with db_sessionmaker() as session:
        found = {b.id: b for b in await session.scalars(select(Block))}
    old, recent, standing = (found[rows[n].id] for n in ("old", "recent", "standing"))
    assert (old.user_key, old.reason) == (REDACTED, REDACTED)
    # the officers' actions stay accounted for
    assert (old.blocked_by, old.unblocked_by, old.request_number) == (
        "officer:77:نورة",
        "officer:78:سعد",
        "4512345671",
    )
    assert old.blocked_at and old.unblocked_at
    assert (recent.user_key, standing.user_key) == ("SA.recent", "SA.standing")
    # a block in force is kept whole however old: it keeps the person out
    assert standing.reason == "شتم الموظفين (standing)"
