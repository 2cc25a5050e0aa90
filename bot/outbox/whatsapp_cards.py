"""The receipt card to a person on WhatsApp (a ``receipt`` row, see
:mod:`bot.outbox.receipts`): uploaded from its local file as an image message."""

from __future__ import annotations

from pathlib import Path

from pywa_async.errors import WhatsAppError

from bot.channels.whatsapp import WhatsAppSender
from bot.channels.whatsapp_render import OutMedia
from bot.outbox.handlers import OutboxRow, Skipped, TemporaryFailure


class WhatsAppCardSend:
    def __init__(self, sender: WhatsAppSender) -> None:
        self.sender = sender

    async def __call__(self, row: OutboxRow, path: str) -> str | None:
        if not await self.sender.window_open(row.target):
            # only a template may go now, and a card is not worth one: the text has the number
            raise Skipped("24-hour window closed; the card is not sent")
        to = await self.sender.recipient(row.target)
        try:
            return await self.sender.send_message(to, OutMedia("image", "", Path(path)))
        except WhatsAppError as exc:
            raise TemporaryFailure(f"Graph API error {exc.code}") from exc
