"""A batch delivery (the staff group's) cut off by an outage: the load test's Sentinel
failover logged «outbox: staff batch failed» as an ERROR with a traceback (issue 11),
which reads as a bug to whoever watches the logs. An outage (Redis's connection lost, a
write refused by a master just demoted) is one warning naming the error's type; what was
sent stays sent and the rest is tried again. A bug is still an error with its traceback.
On SQLite and PostgreSQL with the real dispatcher."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ReadOnlyError

from bot.outbox.claims import OutboxRow
from bot.outbox.handlers import Outcome
from tests.integration.outbox_support import Rig
from tests.integration.test_outbox_dispatcher import r as r

CHANNEL = "batchy"


class _CutOff:
    """A batch handler that sends the first row, then meets ``error``."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.sent: list[int] = []

    async def deliver(self, row: OutboxRow) -> str | None:
        raise AssertionError("a batch handler is called by batch")

    async def deliver_batch(self, rows: Sequence[OutboxRow]) -> AsyncIterator[tuple[int, Outcome]]:
        first, *_ = rows
        self.sent.append(first.id)
        yield first.id, f"m{first.id}"
        if self.error is not None:
            raise self.error


@pytest.mark.parametrize(
    "error",
    [RedisConnectionError("Connection closed by server."), ReadOnlyError("READONLY replica")],
)
async def test_an_outage_mid_batch_is_one_warning_and_the_rest_is_tried_again(
    r: Rig, error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    # three chats: one person's rows are claimed one at a time
    (first,), (second,), (third,) = [await r.notify(n, "أ", channel=CHANNEL) for n in (1, 2, 3)]
    handler = _CutOff(error)
    dispatcher = r.dispatcher({CHANNEL: handler}, backoff_base_s=60)
    with caplog.at_level(logging.INFO, logger="bot.outbox.dispatcher"):
        await dispatcher.run_once()
    lines = [rec for rec in caplog.records if rec.name == "bot.outbox.dispatcher"]
    assert [rec.levelno for rec in lines] == [logging.WARNING], [rec.message for rec in lines]
    assert type(error).__name__ in lines[0].message and lines[0].exc_info is None
    assert (await r.row(first)).sent_at is not None
    for waiting in (second, third):
        row = await r.row(waiting)
        assert row.sent_at is None and row.delivery_status == "queued" and row.attempts == 1
    # once the outage is over, the rest goes out
    handler.error = None  # type: ignore[assignment]
    r.clock.advance(3600)
    await dispatcher.run_once()
    await dispatcher.run_once()
    assert all(row.sent_at is not None for row in await r.rows())


async def test_a_bug_mid_batch_is_still_an_error_with_its_traceback(
    r: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    await r.notify(1, "أ", channel=CHANNEL)
    await r.notify(2, "ب", channel=CHANNEL)
    dispatcher = r.dispatcher({CHANNEL: _CutOff(KeyError("payload"))}, backoff_base_s=60)
    with caplog.at_level(logging.INFO, logger="bot.outbox.dispatcher"):
        await dispatcher.run_once()
    (line,) = [rec for rec in caplog.records if rec.name == "bot.outbox.dispatcher"]
    assert line.levelno == logging.ERROR and line.exc_info is not None
