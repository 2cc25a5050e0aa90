"""pywa's async client for the configured business number: made against
TAWASUL_WHATSAPP_API_URL (Meta's Graph API, a business solution provider or a local
stand-in) and closed. Split from bot/channels/whatsapp.py (past 400 lines) to keep one
idea a file."""

from __future__ import annotations

import logging
import re

import httpx
from pywa_async.client import WhatsApp

from bot.settings import Settings

_API_VERSION = re.compile(r"/v(\d+\.\d+)/?$")


def make_client(settings: Settings, *, timeout_s: float = 30.0) -> WhatsApp:
    """pywa's async client for the configured business number, talking to
    TAWASUL_WHATSAPP_API_URL (Meta's Graph API, a business solution provider or a local
    stand-in). pywa always points its session at graph.facebook.com, so the base URL is
    set back on our own session afterwards. Close it with :func:`close_client`."""
    if not settings.whatsapp_enabled:
        raise ValueError("WhatsApp is not configured")
    # pywa logs whole requests and responses (numbers, message texts) at DEBUG; keep it
    # at INFO whatever the root level.
    for name in ("pywa", "pywa_async"):
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger(name).level))
    match = _API_VERSION.search(settings.whatsapp_api_url)
    session = httpx.AsyncClient(timeout=timeout_s)
    wa = WhatsApp(
        phone_id=settings.whatsapp_phone_id,
        token=settings.whatsapp_token,
        session=session,
        app_secret=settings.whatsapp_app_secret,
        verify_token=settings.whatsapp_verify_token,
        api_version=match.group(1) if match else "23.0",
        validate_updates=False,  # the web app checks signatures on the raw body itself
    )
    session.base_url = httpx.URL(settings.whatsapp_api_url + "/")
    return wa


async def close_client(wa: WhatsApp) -> None:
    await wa.api._session.aclose()
