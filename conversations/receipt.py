"""The receipt card: an image of the request number (with a QR code of it), the service
and both dates, sent after a request is filed. The dialogue only asks for it; the bot
layer draws and sends it (``bot/receipt.py``, ``bot/outbox/receipts.py``), since drawing
is I/O and fonts, and it happens after the turn, off the update path."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from conversations.events import Origin, Reply
from conversations.formatting import Digits


@dataclass(frozen=True, slots=True)
class Receipt:
    number: str
    service_id: str
    filed: dt.date  # the Riyadh day the request was filed
    due: dt.date
    working_days: int
    locale: str
    arabic_digits: Digits = "arab"


class ReceiptMaker(Protocol):
    async def send_after(self, receipt: Receipt, confirmation: Reply, origin: Origin) -> str:
        """Arrange, durably, for the card to reach `origin`'s person after `confirmation`
        (the text with the request number, not yet presented). Returns the key the channel
        hands back once it has sent the confirmation itself (``Reply.follow_up``); until
        then nothing goes out, and if that never happens (the process died) the
        confirmation is sent again with the card. Asking twice for one request is one card.
        The card is a courtesy: one that cannot be drawn or sent holds nothing back."""
        ...
