"""How updates reach the bot from the Bot API stand-in: getUpdates (long polling, with
Telegram's 409 when two pollers overlap or a webhook is set) and the webhook's
registration (setWebhook, deleteWebhook, getWebhookInfo)."""

from __future__ import annotations

import asyncio
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Final

from aiohttp import web

from standins.telegram_policies import ApiError

JSON = dict[str, Any]

#: The request being answered (each runs in a task of its own), for a method that needs
#: to know whether its caller is still connected.
CURRENT_REQUEST: ContextVar[web.Request | None] = ContextVar("standin_request", default=None)

# Upper bound on one getUpdates long poll, so a test never hangs on a forgotten poller.
_MAX_POLL_S: Final = 5.0


@dataclass
class Polling:
    """Updates and the webhook (a part of
    :class:`~standins.telegram_botapi.TelegramBotAPIStandin`)."""

    _updates: list[JSON] = field(default_factory=list, init=False)
    _updates_added: asyncio.Event = field(default_factory=asyncio.Event, init=False)
    _stopping: bool = field(default=False, init=False)
    #: the registered webhook (setWebhook's parameters, secret included), None when unset;
    #: getUpdates answers 409 while one is set, as Telegram does
    webhook: JSON | None = field(default=None, init=False)
    #: what getWebhookInfo reports as the last delivery error (a test sets it)
    webhook_last_error: str | None = field(default=None, kw_only=True)
    #: getUpdates calls ended with 409 because another began while they ran (two pollers
    #: at once, which Telegram refuses the same way); a caller that had gone away before
    #: does not count
    poll_conflicts: int = field(default=0, init=False)
    _poll_waiter: tuple[asyncio.Event, web.Request | None] | None = field(default=None, init=False)

    def queue_update(self, update: JSON) -> None:
        """Queue a raw Update for getUpdates (polling)."""
        self._updates.append(update)
        self._updates_added.set()

    @property
    def long_poll_pending(self) -> bool:
        """Whether a getUpdates is waiting for updates now (a long poll in flight)."""
        return self._poll_waiter is not None

    def _end_polls(self) -> None:
        """Release pending long polls now rather than after their timeout."""
        self._stopping = True
        self._updates_added.set()

    def _m_deletewebhook(self, params: JSON) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = None
        return True

    def _m_setwebhook(self, params: JSON) -> bool:
        url = params.get("url", "")
        if url and not str(url).startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = dict(params) if url else None
        return True

    def _m_getwebhookinfo(self, params: JSON) -> JSON:
        info: JSON = {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook:
            info["max_connections"] = self.webhook.get("max_connections", 40)
            if "allowed_updates" in self.webhook:
                info["allowed_updates"] = self.webhook["allowed_updates"]
            if self.webhook_last_error:
                info["last_error_date"] = int(time.time())
                info["last_error_message"] = self.webhook_last_error
        return info

    async def _m_getupdates(self, params: JSON) -> list[JSON]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        if isinstance(offset, int):
            # Like Telegram: asking from `offset` confirms every update before it.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        # Like Telegram: a getUpdates while another still runs ends the older one with 409
        superseded = asyncio.Event()
        before, self._poll_waiter = self._poll_waiter, (superseded, CURRENT_REQUEST.get())
        if before is not None:
            before[0].set()
            caller = before[1]
            if caller is not None and caller.transport is not None:
                if not caller.transport.is_closing():
                    self.poll_conflicts += 1
        timeout = params.get("timeout")
        wait = min(float(timeout), _MAX_POLL_S) if isinstance(timeout, int) else 0.0
        try:
            if not self._updates and wait > 0 and not self._stopping:
                self._updates_added.clear()
                waits = {
                    asyncio.ensure_future(self._updates_added.wait()),
                    asyncio.ensure_future(superseded.wait()),
                }
                try:
                    await asyncio.wait(waits, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for waiting in waits:
                        waiting.cancel()
            if superseded.is_set():
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
        finally:
            if self._poll_waiter is not None and self._poll_waiter[0] is superseded:
                self._poll_waiter = None
        limit = params.get("limit")
        count = limit if isinstance(limit, int) and 0 < limit <= 100 else 100
        return self._updates[:count]
