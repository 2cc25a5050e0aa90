"""New requests a day, per chat and per identity number, across two workers (two engines,
each with its own Redis client, on one Redis and one database, SQLite and PostgreSQL); and
``tawasul staff block | unblock`` from the terminal, seen by a worker's inbound guard."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.abuse.blocks import BlockList
from bot.abuse.filing import FilingLimits
from bot.abuse.guard import InboundGuard
from bot.db.models import Block, OutboxMessage, Request, utcnow
from bot.db.requests_repo import SqlRequestGateway
from bot.gateway import Gateway
from bot.redis_store.dialogue import RedisDialogueStore
from bot.staff.desk import StaffDesk
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.ports import FilingPaused
from domain.catalogue import load_catalogue
from tests.integration.test_db_requests import submission
from tests.unit.conversations.fakes import Chat

ROOT = Path(__file__).resolve().parents[2]
PHONE = "+966501234567"
RESIDENT = "2000000006"
OTHER_RESIDENT = "2000000014"


@pytest.fixture
async def engines(
    redis_url: str, redis_client: Redis, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[list[Engine]]:
    clients = [Redis.from_url(redis_url) for _ in range(2)]
    try:
        yield [
            Engine(
                RedisDialogueStore(redis),
                INTAKE,
                load_catalogue(),
                Gateway(
                    SqlRequestGateway(db_sessionmaker),
                    StaffDesk(db_sessionmaker, load_catalogue()),
                    FilingLimits(redis, per_account=1, per_identity=2),
                ),
            )
            for redis in clients
        ]
    finally:
        for client in clients:
            await client.aclose()


async def _to_summary(chat: Chat, identity: str) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    await chat.text(identity)
    await chat.contact(PHONE)
    await chat.text("انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام")
    await chat.media(ref="p1")
    await chat.tap("done")
    assert "confirm" in chat.choice_ids


async def _requests(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count(Request.id))) or 0)


async def test_requests_a_day_per_chat_and_per_identity_across_workers(
    engines: list[Engine], db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    first, second = engines
    salem = Chat(first.handle, channel="telegram", user="101")
    await _to_summary(salem, RESIDENT)
    await salem.tap("confirm")
    assert "رقم الطلب" in salem.said
    assert await _requests(db_sessionmaker) == 1
    async with db_sessionmaker() as session:
        filed_row = await session.scalar(select(Request))
    assert filed_row is not None
    salem_first_key, salem_number = filed_row.idempotency_key, filed_row.number

    # the same chat on the other worker: one a day, so the second is held, and kept
    salem_again = Chat(second.handle, channel="telegram", user="101")
    await _to_summary(salem_again, OTHER_RESIDENT)
    await salem_again.tap("confirm")
    said = salem_again.said
    assert "قدّمت طلبًا واحدًا خلال الساعات الـ٢٤ الماضية" in said, said
    when = re.search(r"(اليوم|غدًا) ابتداءً من الساعة ([٠-٩]{2}:[٠-٩]{2}) بتوقيت الرياض", said)
    assert when is not None, said  # when they can go on, in Arabic digits
    assert "confirm" in salem_again.choice_ids  # still at the summary: nothing lost
    assert await _requests(db_sessionmaker) == 1

    # the draft that filed the first request, confirmed again (a compare-and-set retry of
    # the same turn), is the same request, not one over the limit
    gateway = first.gateway
    assert isinstance(gateway, Gateway)
    again = submission(key=salem_first_key, user_key="101", identity_number=RESIDENT)
    filed = await gateway.submit(again)
    assert not filed.created and filed.number == salem_number

    # the identity number: two a day, whichever chats file them
    for user, worker in (("102", first), ("103", second)):
        chat = Chat(worker.handle, channel="telegram", user=user)
        await _to_summary(chat, RESIDENT)
        await chat.tap("confirm")
        if user == "102":
            assert "رقم الطلب" in chat.said
        else:
            assert "قُدِّم طلبان برقم الهوية هذا خلال الساعات الـ٢٤ الماضية" in chat.said
    assert await _requests(db_sessionmaker) == 2


async def test_two_confirmations_at_once_never_pass_the_days_limit(
    redis_url: str, redis_client: Redis, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Ten drafts of one identity number confirmed at the same moment on two workers (each
    with its own Redis client), three a day allowed: three filed, seven told to wait."""
    clients = [Redis.from_url(redis_url) for _ in range(2)]
    try:
        gateways = [
            Gateway(
                SqlRequestGateway(db_sessionmaker),
                StaffDesk(db_sessionmaker, load_catalogue()),
                FilingLimits(redis, per_account=5, per_identity=3),
            )
            for redis in clients
        ]
        drafts = [
            submission(key=f"draft-{i}", user_key=str(200 + i), identity_number=RESIDENT)
            for i in range(10)
        ]
        results = await asyncio.gather(
            *(gateways[i % 2].submit(draft) for i, draft in enumerate(drafts)),
            return_exceptions=True,
        )
    finally:
        for client in clients:
            await client.aclose()
    paused = [r for r in results if isinstance(r, FilingPaused)]
    filed = [r for r in results if not isinstance(r, BaseException)]
    assert len(filed) == 3 and len(paused) == 7, results
    assert all(p.per == "identity" and p.count == 3 and 0 < p.wait_s <= 24 * 3600 for p in paused)
    assert await _requests(db_sessionmaker) == 3
    # the refused ones took nothing of their chats' own windows: each can file another
    # identity's request at once
    gateway = Gateway(
        SqlRequestGateway(db_sessionmaker),
        StaffDesk(db_sessionmaker, load_catalogue()),
        FilingLimits(redis_client, per_account=1, per_identity=3),
    )
    refused_user = next(
        d.user_key for d, r in zip(drafts, results, strict=True) if isinstance(r, FilingPaused)
    )
    other = submission(key="other", user_key=refused_user, identity_number=OTHER_RESIDENT)
    assert (await gateway.submit(other)).created


async def test_a_draft_filed_before_is_not_counted_again_when_its_entry_is_gone(
    redis_client: Redis, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    gateway = Gateway(
        SqlRequestGateway(db_sessionmaker),
        StaffDesk(db_sessionmaker, load_catalogue()),
        FilingLimits(redis_client, per_account=1, per_identity=3),
    )
    first = await gateway.submit(submission(key="d1", user_key="300"))
    assert first.created
    await redis_client.flushdb()  # Redis lost the day's windows
    again = await gateway.submit(submission(key="d1", user_key="300"))
    assert not again.created and again.number == first.number
    # the repeat gave its entry back: the chat's one request a day is still free
    assert (await gateway.submit(submission(key="d2", user_key="300"))).created
    with pytest.raises(FilingPaused):
        await gateway.submit(submission(key="d3", user_key="300"))


# ---- the terminal ---------------------------------------------------------------------------


def _staff(
    db_url: str, redis_url: str, tmp_path: Path, *args: str, code: int = 0
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAWASUL_")}
    env |= {
        "TAWASUL_DATA_DIR": str(tmp_path / "data"),
        "TAWASUL_DATABASE_URL": db_url,
        "TAWASUL_REDIS_URL": redis_url,
        "TAWASUL_LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "staff", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == code, (done.stdout, done.stderr)
    return done


async def test_block_and_unblock_from_the_terminal(
    db_url: str,
    redis_url: str,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    number = (await SqlRequestGateway(db_sessionmaker).submit(submission(user_key="777"))).number
    guard = InboundGuard(
        redis_client,
        BlockList(db_sessionmaker, redis_client),
        RedisDialogueStore(redis_client),
        messages_per_minute=20,
        new_chats_limit=300,
        new_chats_window_s=600,
    )
    assert (await guard.screen("telegram", "777")).admit

    async def redraws() -> int:
        """Card redraws waiting in the outbox; the filing's own row marked drawn first."""
        async with db_sessionmaker() as session, session.begin():
            rows = list(
                await session.scalars(
                    select(OutboxMessage).where(
                        OutboxMessage.kind == "staff_card", OutboxMessage.sent_at.is_(None)
                    )
                )
            )
            for row in rows:
                row.sent_at = utcnow()
        return len(rows)

    await redraws()
    out = _staff(
        db_url, redis_url, tmp_path, "--officer", "نورة", "block", number, "رسائل", "مسيئة"
    )
    assert "حُظر صاحب الطلب رقم " + number in out.stdout
    # the card in the staff group says so at once, as after /block (it waited for its next
    # redraw for another reason: session 12's notes)
    assert await redraws() == 1
    verdict = await guard.screen("telegram", "777")
    assert not verdict.admit and "لم تعد رسائلك" in verdict.replies[0].text
    again = _staff(db_url, redis_url, tmp_path, "block", number, "مرة", "أخرى")
    assert "محظور من قبل" in again.stdout
    _staff(db_url, redis_url, tmp_path, "block", number, code=2)  # no reason
    # a letter is no reason, as in the staff group (typed_words)
    nod = _staff(db_url, redis_url, tmp_path, "block", number, "x", code=2)
    assert nod.stderr.strip() == "يُرجى كتابة السبب بالكلمات."
    _staff(db_url, redis_url, tmp_path, "block", "4512345671", "سبب", code=1)  # no such request

    await redraws()
    out = _staff(db_url, redis_url, tmp_path, "unblock", number, "--officer", "سعد")
    assert "رُفع الحظر عن صاحب الطلب رقم " + number in out.stdout
    assert await redraws() == 1
    assert (await guard.screen("telegram", "777")).admit
    async with db_sessionmaker() as session:
        [row] = list(await session.scalars(select(Block)))
    assert (row.blocked_by, row.unblocked_by, row.reason) == (
        "terminal:نورة",
        "terminal:سعد",
        "رسائل مسيئة",
    )
