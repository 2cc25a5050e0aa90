"""What the outbox dispatcher asks of a channel: deliver one row, or say why not.

A handler is registered per outbox ``channel`` ("telegram", "staff", "whatsapp", ...).
It returns the platform's id of what it sent, or raises one of the exceptions below; the
dispatcher turns that into the row's next state:

- returns an id (or None)  → sent (``sent_at``, ``provider_message_id``)
- :class:`RetryAfter`      → tried again after exactly that long; *not* an attempt
  (a rate limit is our pacing, not the platform failing)
- :class:`TemporaryFailure` (or any unexpected exception) → exponential backoff, one attempt
  more; after the dispatcher's ``max_attempts`` the row is marked failed
- :class:`PermanentFailure` → failed now (blocked bot, chat gone, a request Telegram refuses)
- :class:`Skipped`         → done without sending (nothing is configured to receive it)

Error texts end up in ``outbox.last_error`` and in logs, so they name what went wrong and
never carry message text, names, identity or phone numbers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """A claimed outbox row as a handler sees it (no ORM object leaves the dispatcher)."""

    id: int
    kind: str
    channel: str
    target: str
    payload: Mapping[str, Any] = field(repr=False)
    request_id: int | None
    attempts: int


class DeliveryError(Exception):
    """Base of the outcomes other than "sent".

    `parts_sent` is for a row that takes several platform calls (a long text split in two):
    when the first ones went out before the failure, the dispatcher stores the count in the
    row's payload (``"parts_sent"``) so the retry sends only the rest.
    """

    def __init__(self, reason: str, *, parts_sent: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.parts_sent = parts_sent


class RetryAfter(DeliveryError):
    """Not now: try again in `seconds` (a rate limit, Telegram's 429 retry_after)."""

    def __init__(
        self, seconds: float, reason: str = "rate limited", *, parts_sent: int | None = None
    ) -> None:
        super().__init__(reason, parts_sent=parts_sent)
        self.seconds = max(0.0, float(seconds))


class TemporaryFailure(DeliveryError):
    """Might work later (network, a 5xx): back off and retry."""


class PermanentFailure(DeliveryError):
    """Will never work (the person blocked the bot, the chat is gone, a 400)."""


class Skipped(DeliveryError):
    """Nothing to deliver to (e.g. no staff group configured): the row is done, unsent."""


#: Payload key under which a partly delivered row remembers how many calls went out.
PARTS_SENT = "parts_sent"


class DeliveryHandler(Protocol):
    async def deliver(self, row: OutboxRow) -> str | None:
        """Send `row`; return the platform's message id (None when it has none)."""
        ...


#: One row's outcome in a batch: the provider message id, or the error it ended with.
Outcome = str | None | DeliveryError


@runtime_checkable
class BatchDeliveryHandler(Protocol):
    """A handler that sees all of its claimed rows at once (the staff group: several new
    requests can share one digest message when the group's budget is short).

    It yields ``(row id, outcome)`` as soon as each row is settled; the dispatcher records
    each one at once and may stop the iteration between two yields (its lease running
    out), so a handler yields after every send rather than at the end. Rows never yielded
    are released unchanged and come back next round.
    """

    async def deliver(self, row: OutboxRow) -> str | None: ...

    def deliver_batch(self, rows: Sequence[OutboxRow]) -> AsyncIterator[tuple[int, Outcome]]: ...
