"""A burst of 100 new requests within a minute reaches the staff group within the group
limit, batched into digests when needed, without a 429 storm.

Time is scaled by 1/20 on both sides: the Bot API stand-in enforces Telegram's limits
(20 messages a minute in a group, one a second in a private chat, 30 a second overall)
with every window 20 times shorter, and the bot's limiter is configured with the same
factor. So "100 requests within a minute" is 100 requests within 3 seconds here, and the
group may take 20 messages in any 3 seconds.

Half the burst is filed before the workers' first round (requests that came in while the
workers were starting), the other half while they run, spread over one scaled minute. So
the burst is beyond the group's budget however long filing takes on a loaded machine:
the test used to file all 100 while the workers ran and asserted that filing took under
two scaled minutes, and on a busy machine filing alone took up to 11 s of the 6.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import make_engine, make_sessionmaker
from bot.db.requests_repo import SqlRequestGateway
from conversations.ports import AttachmentInfo
from standins.telegram_botapi import JSON, ApiError, RateLimitPolicy, fake_file_id
from tests.integration.outbox_support import STAFF_CHAT, Rig, rig
from tests.integration.test_db_requests import submission

SCALE = 0.05
GROUP_LIMIT, GROUP_WINDOW = 20, 60.0 * SCALE
REQUESTS = 100
AHEAD = 50  # filed before the workers start: already more than the group's budget


class Accepted:
    """Consulted after the rate-limit policy, so it sees only the calls let through: the
    test's own count of what reached the group, independent of the policy's."""

    def __init__(self) -> None:
        self.group: list[tuple[float, int]] = []  # (when, messages)

    def __call__(self, method: str, params: JSON) -> ApiError | None:
        name = method.lower()
        if params.get("chat_id") == STAFF_CHAT and (
            name.startswith("send") or name.startswith("edit") or name == "createforumtopic"
        ):
            media = params.get("media")
            self.group.append((time.monotonic(), len(media) if isinstance(media, list) else 1))
        return None


@pytest.fixture
async def r(
    db_sessionmaker: async_sessionmaker[AsyncSession], redis_client: Redis, tmp_path: Path
) -> AsyncIterator[Rig]:
    async with rig(db_sessionmaker, redis_client, tmp_path, scale=SCALE) as value:
        yield value


async def test_a_burst_of_new_requests_reaches_the_group_within_its_limit(
    r: Rig, db_url: str, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    policy = RateLimitPolicy(scale=SCALE)
    accepted = Accepted()
    r.api.add_policy(policy)
    r.api.add_policy(accepted)
    filing = SqlRequestGateway(db_sessionmaker)

    async def file_one(i: int, delay_s: float = 0.0) -> str:
        await asyncio.sleep(delay_s)
        attachments: tuple[AttachmentInfo, ...] = ()
        if i % 10 == 0:  # some come with documents: their albums cost budget too
            photo = fake_file_id("photo")
            r.api.add_file(photo, b"jpeg")
            attachments = (AttachmentInfo("photo", photo, "image/jpeg", 4, None),) * 2
        filed = await filing.submit(
            submission(f"burst-{i}", user_key=str(5_300_000_000 + i), attachments=attachments)
        )
        return filed.number

    async def file_rest() -> list[str]:
        # spread over one (scaled) minute while the workers run
        late = range(AHEAD, REQUESTS)
        spread = GROUP_WINDOW / len(late)
        return list(await asyncio.gather(*(file_one(i, (i - AHEAD) * spread) for i in late)))

    numbers = list(await asyncio.gather(*(file_one(i) for i in range(AHEAD))))
    assert len(await r.rows()) >= AHEAD > GROUP_LIMIT  # more waiting than the group may take

    # two workers, as in a deployment with more than one process
    engines = [make_engine(db_url) for _ in range(2)]
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    started = time.monotonic()
    try:
        workers = [r.dispatcher(sessions=make_sessionmaker(e)) for e in engines]
        tasks += [asyncio.create_task(w.run_forever(stop, poll_s=0.05)) for w in workers]
        numbers += await file_rest()
        filed_in = time.monotonic() - started
        await r.settled(within=60)
        stop.set()
        await asyncio.gather(*tasks)
    finally:
        # a failed assertion must not leave the workers delivering into the next test
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for engine in engines:
            await engine.dispose()

    group = r.api.messages(STAFF_CHAT)
    texts = "\n".join(m.get("text", "") for m in group)
    missing = [n for n in numbers if n not in texts]
    assert missing == []  # every request is in the group, on its card or in a digest

    digests = [m for m in group if "طلبات جديدة" in m.get("text", "")]
    assert digests, "a burst beyond the budget is announced in digests"
    assert all(len(m["reply_markup"]["inline_keyboard"]) <= 10 for m in digests)

    # no 429 storm: at most a couple (none expected: the limiter counts like Telegram)
    assert len(policy.rejected) <= 2, policy.rejected

    # never more than the group limit in any window, by our own count of what got through
    for i, (start, _cost) in enumerate(accepted.group):
        in_window = sum(c for t, c in accepted.group[i:] if t < start + GROUP_WINDOW)
        assert in_window <= GROUP_LIMIT

    # and in good time: every request announced within two windows after the burst, give
    # or take the time a loaded machine needs to render and post the last digests
    announced_by = max(t for t, _c in accepted.group) - started
    assert announced_by < filed_in + 2 * GROUP_WINDOW + 10, (announced_by, filed_in)

    # every row done, nothing failed; the documents of requests with a full card follow
    rows = await r.rows()
    assert {row.delivery_status for row in rows} == {"sent"}
    print(
        f"\nburst: {len(group)} group messages ({len(digests)} digests), "
        f"{len(policy.rejected)} 429s, filed in {filed_in:.1f}s, announced by {announced_by:.1f}s"
    )
