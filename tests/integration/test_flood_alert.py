"""The staff group's flood alert when it cannot be queued (issue 14): the new chat past the
limit is still dropped (before, the alert's error reached the guard's catch-all, which lets
a message through when the check itself fails, so the flood chat was served), and the
alert is tried again on the next dropped chat. Real Redis; the alert is the real
``flood_alert`` on an SQLite file whose directory does not exist yet (the database cannot
be opened), then does."""

from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.abuse.alert import flood_alert
from bot.abuse.blocks import BlockList
from bot.abuse.guard import FLOOD_ALERT_KEY, InboundGuard
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.models import Base, OutboxMessage
from bot.redis_store.dialogue import RedisDialogueStore


async def test_a_flood_chat_is_dropped_even_when_the_alert_fails_and_the_alert_is_retried(
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    outbox_dir = tmp_path / "outbox"  # not there yet: the alert's database cannot be opened
    engine = make_engine(f"sqlite+aiosqlite:///{outbox_dir / 'tawasul.db'}")
    try:
        alerts = make_sessionmaker(engine)
        guard = InboundGuard(
            redis_client,
            BlockList(db_sessionmaker, redis_client),
            RedisDialogueStore(redis_client),
            messages_per_minute=0,
            new_chats_limit=2,
            new_chats_window_s=600,
            alert=flood_alert(alerts),
        )
        assert (await guard.screen("whatsapp", "new-1", "m1")).admit
        assert (await guard.screen("whatsapp", "new-2", "m2")).admit
        # the third new chat: the alert fails, the chat is dropped anyway, without a word
        refused = await guard.screen("whatsapp", "new-3", "m3")
        assert (refused.admit, refused.replies, refused.why) == (False, (), "flood")
        assert not await redis_client.exists(FLOOD_ALERT_KEY)  # free for another try
        # the database comes back; the next dropped chat raises the one alert
        outbox_dir.mkdir()
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        assert not (await guard.screen("whatsapp", "new-4", "m4")).admit
        assert not (await guard.screen("telegram", "new-5", "u5")).admit
        async with alerts() as session:
            rows = list(await session.scalars(select(OutboxMessage)))
        assert [row.kind for row in rows] == ["staff_text"]
        # people admitted before the flood are still served
        assert (await guard.screen("whatsapp", "new-1", "m6")).admit
    finally:
        await engine.dispose()
