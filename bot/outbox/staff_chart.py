"""The chart that follows a staff text (the weekly report's), sent as a photo in the same
topic as the text: the PNG the schedule drew when it queued the row (kept in the media store
under its checksum, ``"png"``), or, when that file is not there (swept after
``TAWASUL_MEDIA_GRACE_HOURS`` while the group was unreachable, or a worker on another
machine), drawn again from the numbers and words the row carries. Drawing takes seconds of
CPU; done at queue time it never holds up the cards' edits queued behind the report.

A text with a chart is a row of two parts; the dispatcher's ``parts_sent`` keeps a retry
of the chart (a 429, a network failure) from sending the text again. A chart that cannot
be drawn or that Telegram refuses leaves the text alone: one warning line says why, and
the row counts as sent, since trying again would meet the same fault.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import SendPhoto
from aiogram.types import BufferedInputFile

from bot.media_store import MediaStore
from bot.outbox.telegram_send import describe, message_id
from bot.staff.chart import draw_stats_chart
from bot.staff.chart_payload import chart_from_payload

log = logging.getLogger(__name__)

#: The part of a row with a chart that the chart is (the text is part 0).
CHART_PART = 1

#: Sends a call built for a topic (None: the group itself) and returns what Telegram
#: answered; raises the dispatcher's outcomes with ``parts_sent`` set (the staff delivery's
#: ``_in_topic``).
SendInTopic = Callable[[Callable[[int | None], Any]], Awaitable[Any]]


async def chart_png(chart: Mapping[str, Any], media: MediaStore) -> bytes | None:
    """The PNG of a row's ``chart`` payload: the stored one, else drawn off the event loop;
    None (and one warning) when it cannot be drawn."""
    checksum = chart.get("png")
    if isinstance(checksum, str):
        try:
            return await asyncio.to_thread(media.read, checksum)
        except (OSError, ValueError):
            log.info("the report's chart is not in the media store; drawing it again")
    try:
        data, texts = chart_from_payload(chart)
        return await asyncio.to_thread(draw_stats_chart, data, texts)
    except Exception as exc:
        log.warning("a staff report's chart was not drawn: %s: %s", type(exc).__name__, exc)
        return None


async def send_chart(
    chat_id: int, chart: Mapping[str, Any], media: MediaStore, send: SendInTopic
) -> str | None:
    """Sends ``chart``'s PNG through ``send``; the message id, or None when there was
    nothing to send or Telegram refused this photo."""
    png = await chart_png(chart, media)
    if png is None:
        return None

    def build(thread: int | None) -> SendPhoto:
        return SendPhoto(
            chat_id=chat_id,
            message_thread_id=thread,
            photo=BufferedInputFile(png, filename="report.png"),
        )

    try:
        result = await send(build)
    except TelegramBadRequest as exc:
        log.warning("a staff report's chart was refused: %s", describe(exc))
        return None
    sent = message_id(result)
    return None if sent is None else str(sent)
