"""Checks of what Meta sends: the ``X-Hub-Signature-256`` of a webhook body (HMAC-SHA256
under the app secret, compared in constant time) and the SHA-256 checksum announced for a
downloaded medium. Pure: no network. Split from bot/channels/whatsapp_inbound.py (past 400
lines) to keep one idea a file."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re


def signature_for(secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature-256`` value Meta sends with `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str | None) -> bool:
    """True when `header` is the HMAC-SHA256 of the raw `body` under the app secret.
    Compared in constant time, so the answer time says nothing about a forged value."""
    if not header:
        return False
    expected = signature_for(secret, body)
    return hmac.compare_digest(expected.encode(), header.strip().lower().encode())


def sha256_matches(announced: str, data: bytes) -> bool:
    """Whether `data` has the checksum WhatsApp announced. Webhooks give it in base64 and
    the media endpoint in hex; both are accepted."""
    digest = hashlib.sha256(data).digest()
    text = announced.strip()
    if re.fullmatch(r"[0-9a-fA-F]{64}", text):
        return hmac.compare_digest(digest.hex(), text.lower())
    try:
        decoded = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(digest, decoded)
