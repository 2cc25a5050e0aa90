"""A person's steps through a Telegram webhook worker
(:class:`tests.integration.test_telegram_webhook.Worker`), for the tests that kill or
starve workers mid-dialogue: one update accepted and handled, a bounded wait for what a
person would notice, and the updates that bring a request to its documents step."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from standins.telegram_updates import TgUser, UpdateFactory
from tests.integration.test_telegram_webhook import Worker

#: How long a test waits for what a person would notice, at most (a loaded machine).
WAIT_S = 30.0


async def say(w: Worker, raw: dict[str, Any]) -> None:
    """Posts one update to the worker's webhook, accepted (200), and waits until the
    worker has handled it."""
    assert (await w.post(raw)).status == 200
    await w.settle()


async def until(condition: Callable[[], object], timeout_s: float = WAIT_S) -> None:
    """Waits until ``condition()`` is true; TimeoutError after ``timeout_s``."""
    async with asyncio.timeout(timeout_s):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


def to_documents(updates: UpdateFactory, user: TgUser, description: str) -> list[dict[str, Any]]:
    """``user``'s updates from /start to the documents question (the «Done» button) of
    an iqama renewal inside the kingdom, described as ``description``."""
    return [
        updates.text(user, "/start"),
        updates.callback(user, "ind"),
        updates.text(user, "ابي اجدد اقامتي"),
        updates.callback(user, "s:iqama_renew"),
        updates.callback(user, "q:inside"),
        updates.text(user, "2000000006"),
        updates.contact(user, "966501234567", own=True),
        updates.text(user, description),
    ]
