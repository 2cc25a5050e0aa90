"""The outbox handler for people on WhatsApp: their notifications, inside the 24-hour
window as messages and outside it as the configured template (the sender decides)."""

from __future__ import annotations

from pywa_async.errors import WhatsAppError

from bot.channels.whatsapp import WhatsAppSender, WindowClosed
from bot.channels.whatsapp_render import RenderError
from bot.outbox.handlers import OutboxRow, PermanentFailure, TemporaryFailure
from bot.outbox.queue import replies_from_payload

WHATSAPP = "whatsapp"


class WhatsAppDelivery:
    def __init__(self, sender: WhatsAppSender) -> None:
        self.sender = sender

    async def deliver(self, row: OutboxRow) -> str | None:
        replies = replies_from_payload(dict(row.payload))
        # the approved template's body parameters: the request number and its status, as
        # the person reads it
        params = [
            str(row.payload.get("number", "")),
            str(row.payload.get("status_label") or row.payload.get("status", "")),
        ]
        try:
            return await self.sender.send(row.target, replies, template_params=params)
        except WindowClosed as exc:
            raise PermanentFailure("24-hour window closed and no template configured") from exc
        except RenderError as exc:
            raise PermanentFailure(f"reply refused by our WhatsApp limits: {exc}") from exc
        except WhatsAppError as exc:
            raise TemporaryFailure(f"Graph API error {exc.code}") from exc
