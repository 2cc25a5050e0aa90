"""Two terminal chats on one database: each gets its own person's notifications, at once.

Each chat runs a dispatcher for the console channel. A chat that claimed another
person's notification could only put it back for later (30 s); it then woke first at
that time and claimed it again, so the person in the other chat never got it."""

from __future__ import annotations

import io

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.console import CHANNEL
from bot.channels.console_delivery import ConsoleDelivery
from bot.db.models import OutboxMessage
from bot.outbox.dispatcher import OutboxDispatcher
from bot.outbox.queue import replies_to_payload
from conversations.events import Reply


async def test_each_chat_delivers_only_its_own_persons_notifications(
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    screens = {"local": io.StringIO(), "other": io.StringIO()}
    chats = {
        user: OutboxDispatcher(
            db_sessionmaker, {CHANNEL: ConsoleDelivery(user, screen)}, target=user
        )
        for user, screen in screens.items()
    }
    async with db_sessionmaker() as session, session.begin():
        session.add(
            OutboxMessage(
                kind="notify",
                channel=CHANNEL,
                target="local",
                payload={"replies": replies_to_payload([Reply("تمت الموافقة على طلبك")])},
            )
        )
    # the other chat's round comes first, as it did every time before
    assert await chats["other"].run_once() == 0
    assert await chats["local"].run_once() == 1
    assert "تمت الموافقة على طلبك" in screens["local"].getvalue()
    assert screens["other"].getvalue() == ""
    async with db_sessionmaker() as session:
        row = await session.scalar(select(OutboxMessage))
    assert row is not None and row.delivery_status == "sent"
