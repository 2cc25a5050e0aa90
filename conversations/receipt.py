"""The receipt card: an image of the request number (with a QR code of it), the service
and both dates, sent after a request is filed. The dialogue only asks for it; the bot
layer draws it (``bot/receipt.py``), since drawing is I/O and fonts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

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
    async def make(self, receipt: Receipt) -> str | None:
        """The path of a local image file of the card, or None when it could not be made
        (the request is filed either way; the card is a courtesy, never a reason to fail)."""
        ...
