"""What a delivery's outcome writes on its outbox row.

**Outcomes** (see :mod:`bot.outbox.handlers`): sent (the platform's message id), skipped
(nothing to send any more: counted as done), retry after a time the platform named,
failed for good, or failed for now (tried again with an exponential backoff, until the
dispatcher's most attempts). The dispatcher writes them one row at a time, right after each
delivery, and only while it still holds the claim (:mod:`bot.outbox.dispatcher`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from bot.outbox.handlers import (
    PARTS_SENT,
    DeliveryError,
    OutboxRow,
    Outcome,
    PermanentFailure,
    RetryAfter,
    Skipped,
)

# the lines keep the logger they were written under before the dispatcher was split
log = logging.getLogger("bot.outbox.dispatcher")

SENT: Final = "sent"
FAILED: Final = "failed"
SKIPPED: Final = "skipped"

#: last_error is a short technical reason, never message content.
MAX_ERROR_LENGTH: Final = 200


@dataclass(frozen=True, slots=True)
class OutcomeWrite:
    """The row's new column values; when it is due again (None: not to be tried again);
    whether it is finished as delivered (sent, or skipped)."""

    values: dict[str, Any]
    retry_at: dt.datetime | None
    delivered: bool


def outcome_write(
    row: OutboxRow,
    outcome: Outcome,
    now: dt.datetime,
    *,
    max_attempts: int,
    backoff: Callable[[int], float],
) -> OutcomeWrite:
    """What ``outcome`` writes on ``row`` at ``now`` (the claim is always cleared). A
    temporary failure counts an attempt and is due again after ``backoff(attempts)``
    seconds, or fails for good at ``max_attempts``."""
    values: dict[str, Any] = {"claimed_until": None}
    retry_at: dt.datetime | None = None
    delivered = False
    if not isinstance(outcome, DeliveryError):
        values.update(
            sent_at=now, provider_message_id=outcome, delivery_status=SENT, last_error=None
        )
        delivered = True
    elif isinstance(outcome, Skipped):
        values.update(sent_at=now, delivery_status=SKIPPED, last_error=_error(outcome))
        delivered = True
    elif isinstance(outcome, RetryAfter):
        retry_at = now + dt.timedelta(seconds=outcome.seconds)
        values.update(next_attempt_at=retry_at)
    elif isinstance(outcome, PermanentFailure):
        values.update(delivery_status=FAILED, last_error=_error(outcome))
        log.warning("outbox row %s (%s) failed: %s", row.id, row.kind, _error(outcome))
    else:
        attempts = row.attempts + 1
        values.update(attempts=attempts, last_error=_error(outcome))
        if attempts >= max_attempts:
            values.update(delivery_status=FAILED)
            log.warning(
                "outbox row %s (%s) failed after %d attempts: %s",
                row.id, row.kind, attempts, _error(outcome),
            )  # fmt: skip
        else:
            retry_at = now + dt.timedelta(seconds=backoff(attempts))
            values.update(next_attempt_at=retry_at)
    if isinstance(outcome, DeliveryError) and outcome.parts_sent is not None:
        values["payload"] = {**row.payload, PARTS_SENT: outcome.parts_sent}
    return OutcomeWrite(values, retry_at, delivered)


def _error(error: DeliveryError) -> str:
    return f"{type(error).__name__}: {error.reason}"[:MAX_ERROR_LENGTH]
