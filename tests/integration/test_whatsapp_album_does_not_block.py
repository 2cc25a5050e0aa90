"""One person's album on WhatsApp does not hold up another person's message.

Found by review 10: each photo of an album is its own webhook item, and the album's first
photo waited for the album to be quiet (bot.channels.whatsapp_bursts.QUIET_S, 2.5 s) while
holding one of the process's queue workers; the album's other photos waited behind it,
each holding another. Ten photos held all eight, so another resident's «مرحبا» on the same
process was answered only after the album's wait (2.8 s). The album's files now wait
detached from the queue workers (bot.web_whatsapp_work), and the album is still answered
once with its count."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.web import WHATSAPP_KEY
from tests.integration.test_whatsapp_album_count import Workers, w
from tests.integration.test_whatsapp_webhook import KHALID

__all__ = ["w"]


@pytest.mark.parametrize("quiet_s,photos", [(2.5, 10), (0.05, 10), (2.5, 2)])
async def test_another_residents_text_is_not_held_behind_an_album(
    w: Workers, quiet_s: float, photos: int
) -> None:
    for app in w.apps:
        app[WHATSAPP_KEY].channel.bursts.quiet_s = quiet_s
    before = len(w.graph.texts(KHALID.wa_id or ""))
    mona_before = len(w.texts())
    # photos chosen together: one webhook call each, all on worker 0
    for n in range(photos):
        await w.post(0, w.photo(20 + n))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    await w.post(0, w.payloads.text(KHALID, "مرحبا"))
    async with asyncio.timeout(30):
        while len(w.graph.texts(KHALID.wa_id or "")) == before:  # noqa: ASYNC110 (stand-in)
            await asyncio.sleep(0.02)
    waited = time.monotonic() - started
    await w.settle()
    assert waited < 1.0, f"Khalid's «مرحبا» was answered after {waited:.2f} s"
    if quiet_s < 1:
        return  # so short a wait may close the album between two calls: no count to check
    # and the album is still acknowledged once, with every photo counted
    said = w.said_since(mona_before)
    counted = [line for line in said if line.startswith("وصلت")]
    assert len(counted) == 1, said
    assert {10: "١٠ صور", 2: "صورتان"}[photos] in counted[0], counted
