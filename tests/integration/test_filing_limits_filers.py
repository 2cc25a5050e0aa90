"""The identity number's daily window counts a person's own filings apart from an
establishment's for them (helper 233: an employer's requests for a worker used up the
worker's own three), on the shared Redis from two workers' clients."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from bot.abuse.filing import FilingLimits
from conversations.ports import FilingPaused, Submission
from tests.integration.test_db_requests import submission

WORKER = "2000000006"


@pytest.fixture
async def limits(redis_url: str, redis_client: Redis) -> AsyncIterator[list[FilingLimits]]:
    clients = [Redis.from_url(redis_url) for _ in range(2)]
    try:
        yield [FilingLimits(c, per_account=0, per_identity=2) for c in clients]
    finally:
        for client in clients:
            await client.aclose()


def _by_employer(key: str, establishment: str = "7001234567") -> Submission:
    return submission(
        key=key,
        user_key="employer",
        applicant_kind="establishment",
        establishment_number=establishment,
        identity_number=WORKER,
    )


async def test_an_employers_filings_do_not_use_up_the_workers_own(
    limits: list[FilingLimits],
) -> None:
    first, second = limits
    await first.take(_by_employer("e1"))
    await second.take(_by_employer("e2"))
    with pytest.raises(FilingPaused):  # the employer's own two a day for this worker
        await first.take(_by_employer("e3"))
    await second.take(submission(key="w1", user_key="worker", identity_number=WORKER))
    await first.take(submission(key="w2", user_key="worker", identity_number=WORKER))
    with pytest.raises(FilingPaused):  # the worker's own two
        await second.take(submission(key="w3", user_key="worker2", identity_number=WORKER))


async def test_two_establishments_are_counted_apart(limits: list[FilingLimits]) -> None:
    first, second = limits
    for key in ("a1", "a2"):
        await first.take(_by_employer(key, "7001234567"))
    await second.take(_by_employer("b1", "7009876543"))
