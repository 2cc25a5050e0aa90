"""«بياناتي» / «احذف بياناتي» end to end on a real Redis and SQL (SQLite and PostgreSQL):
the person sees only their own requests and numbers; deletion redacts their decided
requests (files deleted), keeps their open one with the explanation, leaves another
person's request whole, clears their draft and remembered language, and both asks are in
the audit log without personal data."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Attachment, AuditEntry, Block, Request
from bot.db.personal_data import EXPORT_TTL, SqlPersonalData
from bot.db.requests_repo import SqlRequestGateway
from bot.db.retention import REDACTED
from bot.media_store import MediaStore
from bot.redis_store.dialogue import RedisDialogueStore
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from tests.integration.test_retention import GRACE, _decide, _file
from tests.unit.conversations.fakes import Chat, MemoryGateway

NOW = dt.datetime(2027, 12, 10, 6, 0, tzinfo=dt.UTC)
MINE, THEIRS = "2000000006", "1000000008"
MY_PHONE, THEIR_PHONE = "+966500000001", "+966500000002"
LOCALE_KEY = "tawasul:locale:{telegram:u1}"


async def test_see_and_delete_only_ones_own(
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    gateway: SqlRequestGateway,
    tmp_path: Path,
) -> None:
    media = MediaStore(tmp_path)
    decided = await _file(gateway, media, "mine-1", b"\xff\xd8decided", user_key="u1")
    still_open = await _file(gateway, media, "mine-2", b"\xff\xd8open", user_key="u1")
    other = await _file(
        gateway,
        media,
        "theirs",
        b"\xff\xd8theirs",
        user_key="u2",
        identity_number=THEIRS,
        phone=THEIR_PHONE,
    )
    # decided yesterday: far from the retention period, deleted only because asked
    await _decide(db_sessionmaker, decided, "accepted", NOW - dt.timedelta(days=1))
    await _decide(db_sessionmaker, other, "rejected", NOW - dt.timedelta(days=1))
    exports = tmp_path / "exports"
    personal = SqlPersonalData(
        db_sessionmaker, media, 365, GRACE, clock=lambda: NOW, exports=exports
    )
    store = RedisDialogueStore(redis_client)
    engine = Engine(store, INTAKE, load_catalogue(), MemoryGateway(), personal_data=personal)
    chat = Chat(engine.handle, channel="telegram", user="u1")

    await chat.command("start")
    await chat.text("English")
    await chat.tap("ind")
    await chat.text("renew my iqama")
    assert await redis_client.get(LOCALE_KEY) == b"en:chosen"
    assert (await store.load("telegram", "u1")).answers
    await chat.text("my data")
    said = chat.said
    assert decided in said and still_open in said and MINE in said and MY_PHONE in said
    assert other not in said and THEIRS not in said and THEIR_PHONE not in said
    assert "Accepted" in said and "photo" in said and "(JPEG)" in said and "image/jpeg" not in said
    # the same as a JSON file the channel sends as a document, readable only by the bot
    (document,) = chat.last[0].media
    mode, copy = _read(document)
    assert mode == 0o600
    assert {r["number"] for r in copy["requests"]} == {decided, still_open}
    assert copy["language"] == "en" and MINE in json.dumps(copy)
    # their say is held data too: the decided request's comment is in the copy
    by_number = {r["number"]: r for r in copy["requests"]}
    assert by_number[decided]["satisfaction_comment"] == "شكرا"
    assert by_number[still_open]["satisfaction_comment"] is None
    assert THEIRS not in json.dumps(copy) and THEIR_PHONE not in json.dumps(copy)

    await chat.text("delete my data")
    assert chat.choice_ids[:2] == ["mydata:yes", "mydata:no"]
    await chat.tap("mydata:yes")
    said = chat.said
    assert decided in said
    assert still_open in said and "still being handled" in said

    async with db_sessionmaker() as session:
        requests = {r.number: r for r in await session.scalars(select(Request))}
        files = {
            r.number: await session.scalar(
                select(Attachment.checksum).where(Attachment.request_id == r.id)
            )
            for r in requests.values()
        }
        audit = list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    mine = requests[decided]
    assert (mine.identity_number, mine.phone, mine.description) == (REDACTED,) * 3
    assert files[decided] is None
    # the open request and the other person's decided one keep everything
    assert requests[still_open].identity_number == MINE and files[still_open]
    assert requests[other].identity_number == THEIRS and files[other]
    assert media.path_for(files[other]).exists()

    assert [(a.actor, a.action) for a in audit] == [
        ("resident:telegram:u1", "data_access"),
        ("resident:telegram:u1", "data_delete"),
    ]
    details = json.dumps([a.detail for a in audit])
    assert MINE not in details and MY_PHONE not in details
    assert audit[1].detail["redacted"] == [decided]
    assert audit[1].detail["kept_open"] == [still_open]

    # the draft and the language are gone from Redis: the next message is in Arabic, anew
    assert not await redis_client.exists(LOCALE_KEY)
    state = await store.load("telegram", "u1")
    assert state.locale == "ar" and not state.answers and state.suspended is None

    # asked again: nothing of the decided request's personal data is shown any more
    await chat.text("بياناتي")
    said = chat.said
    assert "حُذفت بياناته الشخصية ومرفقاته" in said and other not in said


async def test_old_copies_are_swept_at_the_next_ask(
    db_sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    wall = [1_000_000.0]
    personal = SqlPersonalData(
        db_sessionmaker,
        MediaStore(tmp_path),
        365,
        GRACE,
        clock=lambda: NOW,
        exports=tmp_path / "exports",
        wall_clock=lambda: wall[0],
    )
    first = Path((await personal.held("telegram", "u1", "ar")).document or "")
    _age(first, wall[0])
    wall[0] += EXPORT_TTL.total_seconds() - 1
    second = Path((await personal.held("telegram", "u1", "ar")).document or "")
    assert _exist(first, second) == [True, True] and first != second
    wall[0] += 2
    await personal.held("telegram", "u2", "ar")
    assert _exist(first, first.parent, second) == [False, False, True]


def _read(path: str) -> tuple[int, dict[str, Any]]:
    copy: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return Path(path).stat().st_mode & 0o777, copy


def _age(path: Path, at: float) -> None:
    os.utime(path, (at, at))


def _exist(*paths: Path) -> list[bool]:
    return [p.exists() for p in paths]


async def test_delete_my_data_takes_their_say_and_lifted_blocks_and_keeps_a_block_in_force(
    db_sessionmaker: async_sessionmaker[AsyncSession],
    gateway: SqlRequestGateway,
    tmp_path: Path,
) -> None:
    media = MediaStore(tmp_path)
    mine = await _file(gateway, media, "say-1", b"\xff\xd8mine", user_key="u1")
    theirs = await _file(gateway, media, "say-2", b"\xff\xd8theirs", user_key="u2")
    for number in (mine, theirs):
        await _decide(db_sessionmaker, number, "rejected", NOW - dt.timedelta(days=1))
    async with db_sessionmaker.begin() as session:
        for request in await session.scalars(select(Request)):
            request.reconsider_reason = "أرفقت صورة الجواز الجديد"
        lifted, standing, other = (
            Block(
                channel="telegram", user_key=user, locale="ar", request_number=mine,
                reason=f"رسائل مسيئة {user}", blocked_by="officer:77:نورة",
                blocked_at=NOW - dt.timedelta(days=5),
                unblocked_by=None if end is None else "officer:78:سعد", unblocked_at=end,
            )
            for user, end in (
                ("u1", NOW - dt.timedelta(days=4)),
                ("u1", None),
                ("u2", NOW - dt.timedelta(days=4)),
            )
        )  # fmt: skip
        session.add_all([lifted, standing, other])
    personal = SqlPersonalData(db_sessionmaker, media, 365, GRACE, clock=lambda: NOW)
    await personal.erase("telegram", "u1")

    async with db_sessionmaker() as session:
        requests = {r.number: r for r in await session.scalars(select(Request))}
        blocks = {b.id: b for b in await session.scalars(select(Block))}
        audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "data_delete"))
    # their say on their own decided request goes with the rest; the other person's stays
    assert requests[mine].satisfaction_comment == REDACTED
    assert requests[mine].reconsider_reason == REDACTED
    assert requests[theirs].satisfaction_comment == "شكرا"
    assert requests[theirs].reconsider_reason == "أرفقت صورة الجواز الجديد"
    # the lifted block no longer names them nor says why; who and when stay
    done = blocks[lifted.id]
    assert (done.user_key, done.reason) == (REDACTED, REDACTED)
    assert (done.blocked_by, done.unblocked_by) == ("officer:77:نورة", "officer:78:سعد")
    # the block in force is kept whole (it keeps them out), and said so in the audit row
    assert (blocks[standing.id].user_key, blocks[standing.id].reason) == ("u1", "رسائل مسيئة u1")
    assert blocks[other.id].user_key == "u2"
    assert audit is not None
    assert audit.detail["blocks_redacted"] == 1 and audit.detail["blocks_kept_in_force"] == 1


async def test_my_data_lists_blocks_on_the_person_without_why_or_by_whom(
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    gateway: SqlRequestGateway,
    tmp_path: Path,
) -> None:
    media = MediaStore(tmp_path)
    mine = await _file(gateway, media, "blk-1", b"\xff\xd8mine", user_key="u1")
    async with db_sessionmaker.begin() as session:
        session.add_all(
            [
                Block(
                    channel=channel, user_key=user, locale="ar", request_number=mine,
                    reason=f"سبب داخلي {n}", blocked_by=f"officer:77:نورة {n}",
                    blocked_at=dt.datetime(2027, 11, start, 9, 0, tzinfo=dt.UTC),
                    unblocked_by=None if end is None else f"officer:78:سعد {n}",
                    unblocked_at=None
                    if end is None
                    else dt.datetime(2027, 11, end, 9, 0, tzinfo=dt.UTC),
                )
                for n, (channel, user, start, end) in enumerate(
                    [
                        ("telegram", "u1", 2, 3),  # theirs, lifted
                        ("telegram", "u1", 20, None),  # theirs, in force
                        ("telegram", "u2", 14, 15),  # someone else's
                        ("whatsapp", "u1", 16, None),  # another channel's u1
                    ]
                )
            ]
        )  # fmt: skip
    personal = SqlPersonalData(
        db_sessionmaker, media, 365, GRACE, clock=lambda: NOW, exports=tmp_path / "exports"
    )
    engine = Engine(
        RedisDialogueStore(redis_client), INTAKE, load_catalogue(), MemoryGateway(),
        personal_data=personal,
    )  # fmt: skip
    chat = Chat(engine.handle, channel="telegram", user="u1")

    await chat.text("بياناتي")
    said = chat.said
    # dates in Arabic-Indic digits, as everything the Arabic answer says
    assert (
        "حُظرت رسائلك في ٣ جمادى الآخرة ١٤٤٩هـ (٢ نوفمبر ٢٠٢٧م)، ثم رُفع الحظر في"
        " ٤ جمادى الآخرة ١٤٤٩هـ (٣ نوفمبر ٢٠٢٧م)." in said
    ), said
    assert "رسائلك محظورة منذ ٢١ جمادى الآخرة ١٤٤٩هـ (٢٠ نوفمبر ٢٠٢٧م)، ولا يزال" in said, said
    # only their own blocks; never the officers' reasons or names
    for hidden in ("(١٤ نوفمبر", "(١٥ نوفمبر", "(١٦ نوفمبر", "سبب", "نورة", "سعد", "officer"):
        assert hidden not in said.replace(mine, ""), hidden
    (document,) = chat.last[0].media
    _mode, copy = _read(document)
    assert copy["blocks"] == [
        {"blocked_at": "2027-11-02T09:00:00+00:00", "lifted_at": "2027-11-03T09:00:00+00:00",
         "request_number": mine},
        {"blocked_at": "2027-11-20T09:00:00+00:00", "lifted_at": None, "request_number": mine},
    ]  # fmt: skip
    for hidden in ("سبب", "نورة", "سعد", "officer"):
        assert hidden not in json.dumps(copy, ensure_ascii=False), hidden

    await chat.text("English")
    await chat.text("my data")
    said = chat.said
    assert (
        "Your messages were blocked on 2 November 2027 (3 Jumada al-Akhirah 1449 AH); the block"
        " was lifted on 3 November 2027 (4 Jumada al-Akhirah 1449 AH)." in said
    ), said
    assert "blocked since 20 November 2027 (21 Jumada al-Akhirah 1449 AH); the block is" in said

    # once they delete their data, the lifted block no longer names them: not listed
    await personal.erase("telegram", "u1")
    held = await personal.held("telegram", "u1", "en")
    assert [(b.lifted_at, b.request_number) for b in held.blocks] == [(None, mine)]


async def test_many_asks_at_once_on_two_workers_are_all_answered(
    db_url: str, gateway: SqlRequestGateway, tmp_path: Path
) -> None:
    """«بياناتي» reads, then writes its audit row: on SQLite a deferred transaction whose
    snapshot another writer overtook failed at once with «database is locked» (found by
    the fresh-clone tester, one person alone at the terminal, beside the outbox). Twelve
    people asking at once on two workers (two engines on one database) are all answered,
    each ask audited."""
    from bot.db.engine import make_engine, make_sessionmaker

    media = MediaStore(tmp_path)
    for i in range(3):
        await _file(gateway, media, f"ask-{i}", b"\xff\xd8" + bytes([i]), user_key=f"p{i}")
    engines = [make_engine(db_url) for _ in range(2)]
    try:
        workers = [
            SqlPersonalData(make_sessionmaker(e), media, 365, GRACE, clock=lambda: NOW)
            for e in engines
        ]
        held = await asyncio.gather(
            *(workers[i % 2].held("telegram", f"p{i % 3}", "ar") for i in range(12))
        )
        assert [len(h.requests) for h in held] == [1] * 12
        async with make_sessionmaker(engines[0])() as session:
            audited = (
                await session.scalars(select(AuditEntry).where(AuditEntry.action == "data_access"))
            ).all()
        assert len(audited) == 12
    finally:
        for e in engines:
            await e.dispose()


async def test_the_copy_carries_null_for_deleted_data_never_the_placeholder(
    redis_client: Redis, db_url: str, gateway: SqlRequestGateway, tmp_path: Path
) -> None:
    """Found by the review of session 10: after «delete my data», the JSON copy asked for
    on the other worker read "identity_number": "[redacted]" (the phone, the comment and
    the reconsideration reason likewise) beside "personal_data_deleted": true. A machine
    reading it took the placeholder for a value; it now carries null, and the readable
    answer says the data was deleted. Two workers (two engines on the shared Redis and
    database): the deletion on one, the copy on the other."""
    from bot.db.engine import make_engine, make_sessionmaker

    media = MediaStore(tmp_path)
    decided = await _file(gateway, media, "del-1", b"\xff\xd8gone", user_key="u1")
    engines = [make_engine(db_url) for _ in range(2)]
    try:
        sessions = [make_sessionmaker(e) for e in engines]
        await _decide(sessions[0], decided, "rejected", NOW - dt.timedelta(days=1))
        async with sessions[0].begin() as session:
            request = await session.scalar(select(Request).where(Request.number == decided))
            assert request is not None
            request.reconsider_reason = "أرفقت صورة الجواز الجديد"
        chats = []
        for worker in sessions:
            personal = SqlPersonalData(
                worker, media, 365, GRACE, clock=lambda: NOW, exports=tmp_path / "exports"
            )
            engine = Engine(
                RedisDialogueStore(redis_client), INTAKE, load_catalogue(), MemoryGateway(),
                personal_data=personal,
            )  # fmt: skip
            chats.append(Chat(engine.handle, channel="telegram", user="u1"))

        await chats[0].text("احذف بياناتي")
        await chats[0].tap("mydata:yes")
        await chats[1].text("بياناتي")
        said = chats[1].said
        assert "حُذفت بياناته الشخصية ومرفقاته" in said
        assert REDACTED not in said and "redacted" not in said
        (document,) = chats[1].last[0].media
        raw = json.dumps(_read(document)[1], ensure_ascii=False)
        assert REDACTED not in raw and "redacted" not in raw
        [held] = json.loads(raw)["requests"]
        assert held["number"] == decided and held["personal_data_deleted"] is True
        for field in (
            "identity_number",
            "establishment_number",
            "phone",
            "description",
            "satisfaction_comment",
            "reconsideration_reason",
        ):
            assert held[field] is None, field
        assert held["your_messages"] == [] and held["files"] == []
        # the decision and the rating are not personal data of the kind deleted: kept
        assert (held["status"], held["service"]) == ("rejected", "iqama_renew")
    finally:
        for e in engines:
            await e.dispose()
