"""What happens to a person's account when the platform tells us something changed about
them rather than something they said: they blocked or unblocked the bot, or WhatsApp
moved them to a new number (and a new business-scoped user id).

Notifications are outbox rows addressed to ``(channel, target=user_key)``. A blocked chat
holds them (delivery status "held": the dispatcher claims only "queued" rows) instead of
failing them one by one; unblocking puts them back in the queue, with the ones that failed
because the bot was blocked before we heard of it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import Account, OutboxMessage, Request, utcnow
from domain.status import FINAL, RequestStatus

log = logging.getLogger(__name__)

#: The outbox delivery status of a notification waiting for its chat to be unblocked.
HELD: Final = "held"
QUEUED: Final = "queued"
FAILED: Final = "failed"
#: How the Telegram delivery records a refusal from a chat that blocked the bot.
_BLOCKED_ERROR: Final = "%TelegramForbiddenError%"

_OPEN: Final = tuple(s.value for s in RequestStatus if s not in FINAL)


async def hold_notifications(
    sessions: async_sessionmaker[AsyncSession], channel: str, user_key: str
) -> int:
    """The person blocked the bot: their undelivered notifications wait. Returns how many."""
    async with sessions.begin() as session:
        result = await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.channel == channel,
                OutboxMessage.target == user_key,
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.delivery_status == QUEUED,
            )
            .values(delivery_status=HELD)
        )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def resume_notifications(
    sessions: async_sessionmaker[AsyncSession],
    channel: str,
    user_key: str,
    *,
    now: dt.datetime | None = None,
) -> int:
    """The person unblocked the bot: what waited, and what failed because the bot was
    blocked, is delivered now, in the order it was written. Returns how many rows."""
    async with sessions.begin() as session:
        result = await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.channel == channel,
                OutboxMessage.target == user_key,
                OutboxMessage.sent_at.is_(None),
                or_(
                    OutboxMessage.delivery_status == HELD,
                    and_(
                        OutboxMessage.delivery_status == FAILED,
                        OutboxMessage.last_error.like(_BLOCKED_ERROR),
                    ),
                ),
            )
            .values(
                delivery_status=QUEUED,
                next_attempt_at=now or utcnow(),
                claimed_until=None,
                attempts=0,
                last_error=None,
            )
        )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Moved:
    """What a change of number carried over: the account (0 or 1), requests, and
    notifications not delivered yet."""

    accounts: int
    requests: int
    notifications: int


async def move_account(
    sessions: async_sessionmaker[AsyncSession],
    channel: str,
    old_key: str,
    new_key: str,
    *,
    old_phone: str | None,
    new_phone: str | None,
) -> Moved:
    """Moves a person's account, requests and pending notifications from `old_key` to
    `new_key` (WhatsApp: a change of number gives a new wa_id and a new business-scoped
    user id), so status answers and decisions reach the new number. An open request's
    phone becomes the new number when it was the old one (officers call the number that
    works); a closed one keeps the number it was filed with. Idempotent: a redelivered
    change finds nothing left under the old key."""
    async with sessions.begin() as session:
        await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
        moved_accounts = await _move_account_row(session, channel, old_key, new_key, new_phone)
        requests = list(
            await session.scalars(
                select(Request)
                .where(Request.channel == channel, Request.user_key == old_key)
                .with_for_update()
            )
        )
        for request in requests:
            request.user_key = new_key
            if request.status in _OPEN and new_phone and old_phone and request.phone == old_phone:
                request.phone = new_phone
        result = await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.channel == channel,
                OutboxMessage.target == old_key,
                OutboxMessage.sent_at.is_(None),
            )
            .values(target=new_key)
        )
        notifications = int(result.rowcount or 0)  # type: ignore[attr-defined]
    return Moved(moved_accounts, len(requests), notifications)


async def _move_account_row(
    session: AsyncSession, channel: str, old_key: str, new_key: str, new_phone: str | None
) -> int:
    old = await session.scalar(
        select(Account).where(Account.channel == channel, Account.user_key == old_key)
    )
    if old is None:
        return 0
    new = await session.scalar(
        select(Account).where(Account.channel == channel, Account.user_key == new_key)
    )
    if new is None:
        old.user_key = new_key
        if new_phone:
            old.verified_phone = new_phone
        return 1
    # the new number wrote to us before the notice came: one person, one account
    await session.execute(
        update(Request).where(Request.account_id == old.id).values(account_id=new.id)
    )
    if new_phone:
        new.verified_phone = new_phone
    await session.delete(old)
    return 1


def membership_recorder(
    sessions: async_sessionmaker[AsyncSession],
    channel: str,
    *,
    kick: Callable[[], None] | None = None,
) -> Callable[[str, bool], Awaitable[None]]:
    """What a channel calls when a person blocks (False) or unblocks (True) the bot;
    `kick` wakes the outbox dispatcher so resumed notifications go out at once."""

    async def record(user_key: str, reachable: bool) -> None:
        if reachable:
            count = await resume_notifications(sessions, channel, user_key)
            log.info("%s chat unblocked the bot; %d notifications resumed", channel, count)
            if count and kick is not None:
                kick()
        else:
            count = await hold_notifications(sessions, channel, user_key)
            log.info("%s chat blocked the bot; %d notifications held", channel, count)

    return record
