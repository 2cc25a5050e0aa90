"""What a person may attach to a request, and why the limits are what they are."""

from __future__ import annotations

from typing import Literal

RejectReason = Literal["type", "size", "count"]

# Photos from any phone camera (HEIC is the iPhone default) and PDF scans; officers must be
# able to open every file on the desk without converting it, and nothing executable or
# archived can slip through.
ALLOWED_MIME: frozenset[str] = frozenset(
    {"image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf"}
)

# Telegram lets a bot download at most 20 MB per file; 10 MiB keeps a clear margin, fits
# several files in one staff album, and is far above a phone photo or a scanned page.
MAX_FILE_BYTES = 10 * 1024 * 1024

# Telegram sends at most 10 items in one album, so a request's files fit one staff album.
MAX_FILES = 10

# A sticker, voice note or video is refused whatever MIME type it claims.
ACCEPTED_KINDS: frozenset[str] = frozenset({"photo", "document"})


def check_attachment(kind: str, mime: str, size: int, count_so_far: int) -> RejectReason | None:
    """Why this file cannot be added to a request that already has ``count_so_far`` files,
    or None when it can. ``kind`` is the channel's media kind (photo, document, ...).

    A size of 0 or less means the channel did not say (WhatsApp webhooks carry no size
    before the download), so it passes here and the size is checked again once known."""
    if count_so_far >= MAX_FILES:
        return "count"
    if kind not in ACCEPTED_KINDS or mime.split(";")[0].strip().lower() not in ALLOWED_MIME:
        return "type"
    if size > MAX_FILE_BYTES:
        return "size"
    return None
