"""A delivery worker in a process of its own, for the crash tests: the real wiring
(settings from the environment, :func:`bot.app.build_services`,
:func:`bot.outbox.wiring.build_delivery`) delivering until it is killed.

    python -m tests.integration.outbox_worker LEASE_SECONDS

It also ends when its standard input closes (the test's process is gone), so a test that
failed or was killed leaves no worker behind delivering into other tests' databases.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading

from bot.app import build_services
from bot.channels.telegram import make_bot
from bot.outbox.ratelimit import TelegramLimits
from bot.outbox.wiring import build_delivery
from bot.settings import load_settings


async def main(lease_s: float) -> None:
    settings = load_settings()
    if not settings.telegram_token:
        raise SystemExit("TAWASUL_TELEGRAM_TOKEN is required")
    async with build_services(settings, migrate=False) as services:
        bot = make_bot(settings.telegram_token, settings.telegram_api_url)
        # fast pacing: the test is about crashes, not rate limits
        dispatcher = build_delivery(
            services, bot, lease_s=lease_s, limits=TelegramLimits().scaled(0.01)
        )
        print("ready", flush=True)
        await dispatcher.run_forever(asyncio.Event(), poll_s=0.05)


def _end_with_the_parent() -> None:
    sys.stdin.read()  # returns at end of input: the test closed it or its process is gone
    os._exit(0)


if __name__ == "__main__":
    threading.Thread(target=_end_with_the_parent, daemon=True).start()
    asyncio.run(main(float(sys.argv[1])))
