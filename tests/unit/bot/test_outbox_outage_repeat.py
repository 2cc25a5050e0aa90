"""A long outbox outage is not one line and then silence (review 15 §4): the first failed
round of an outage is a WARNING, the outage is logged again every REPEAT_S seconds with the
time so far, and one line says when it is over. The clock is injected."""

from __future__ import annotations

import logging

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from bot.outbox.outage import REPEAT_S, RoundLog


def test_a_continuing_outage_is_logged_again_with_its_length(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [1000.0]
    rounds = RoundLog(logging.getLogger("test.outbox"), clock=lambda: now[0])
    caplog.set_level(logging.INFO, logger="test.outbox")
    for _ in range(int(REPEAT_S * 2.5)):  # one failed round a second for 12.5 minutes
        rounds.failed(RedisConnectionError("refused"), 1.0)
        now[0] += 1.0
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 3, [r.getMessage() for r in warnings]
    assert "after 300 s" in warnings[1].getMessage() and "after 600 s" in warnings[2].getMessage()
    assert all(r.exc_info is None for r in warnings)
    rounds.succeeded()
    assert "reachable again after 750.0 s" in caplog.records[-1].getMessage()
