"""Photos and files people send on WhatsApp: fetched while the media URL is valid (5
minutes; the media id lives 7 days), only when a step can use them, checked against the
checksum WhatsApp announced and against what their bytes really are (see
:mod:`bot.media_intake`)."""

from __future__ import annotations

import dataclasses
import logging

import httpx
from pywa_async.client import WhatsApp
from pywa_async.errors import WhatsAppError

from bot.channels.whatsapp_signatures import sha256_matches
from bot.media_intake import MediaIntake
from bot.media_store import MediaStore
from conversations.events import Media
from domain.attachments import MAX_FILE_BYTES

log = logging.getLogger(__name__)


def _describe(exc: Exception) -> str:
    if isinstance(exc, WhatsAppError):
        return f"error {exc.code} (HTTP {exc.status_code})"
    return type(exc).__name__


async def fetch_media(
    wa: WhatsApp, media: Media, announced: str | None, intake: MediaIntake | MediaStore
) -> Media:
    """Download a photo or document when it can be used, check it against the checksum
    the webhook announced and inspect its bytes, store it and return the event with
    checksum, real size and type. Otherwise the event goes on with what the Graph API
    said (the flow refuses it), or marked ``problem="quota"`` when the person's daily
    allowance is used up. A download that fails twice goes on without a checksum (the
    media id stays valid for a week)."""
    checks = MediaIntake.of(intake)
    if not await checks.should_fetch(media):
        return media
    corrupt = False
    for attempt in (1, 2):
        try:
            info = await wa.get_media_url(media.ref)
        except (WhatsAppError, httpx.TransportError) as exc:
            log.warning("media %s: no URL (%s)", media.ref, _describe(exc))
            continue
        declared = dataclasses.replace(
            media, mime=info.mime_type or media.mime, size=int(info.file_size or 0)
        )
        if not await checks.should_fetch(declared):
            return declared
        reserved = await checks.reserve(declared)
        if reserved is None:
            return dataclasses.replace(declared, problem="quota")
        try:
            data, seen = await _download(wa, info.url)
        except (WhatsAppError, httpx.HTTPError) as exc:
            await checks.settle(declared, reserved, 0)
            log.warning("media %s: download failed (%s)", media.ref, _describe(exc))
            continue
        await checks.settle(declared, reserved, seen)
        if data is None:
            return dataclasses.replace(declared, size=seen)
        expected = announced or info.sha256
        if expected and not sha256_matches(expected, data):
            log.warning("media %s: checksum mismatch (attempt %d)", media.ref, attempt)
            corrupt = True
            continue
        return await checks.keep(declared, data)
    if corrupt:
        # bytes that are not what WhatsApp announced are never accepted: the flow refuses
        # a file of no usable type, and the person is asked to send it again
        return dataclasses.replace(
            media, mime="application/octet-stream", checksum=None, problem="unreadable"
        )
    return media


async def _download(wa: WhatsApp, url: str) -> tuple[bytes | None, int]:
    """The file's bytes and their count; None as soon as it proves larger than the
    attachment limit (with the bytes seen so far)."""
    chunks: list[bytes] = []
    total = 0
    async for chunk in wa.stream_media(url):
        total += len(chunk)
        if total > MAX_FILE_BYTES:
            return None, total
        chunks.append(chunk)
    return b"".join(chunks), total
