"""What a person may attach to a request, and why the limits are what they are."""

from __future__ import annotations

from typing import Literal

RejectReason = Literal["type", "size", "count", "quota", "unreadable"]

# Photos from any phone camera and PDF scans; officers must be able to open every file on
# the desk, and nothing executable or archived can slip through. HEIC (the iPhone default)
# is accepted, and the channels turn it into JPEG once they have the bytes
# (bot.media_intake).
ALLOWED_MIME: frozenset[str] = frozenset(
    {"image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf"}
)

# Declared types that may hide an image or a PDF, so the bytes are worth a look: phones
# sending a photo "as file" often say nothing better than application/octet-stream, and
# image types come in many spellings (image/jpg, image/pjpeg, image/heif...). Anything
# else (an archive, a video, a spreadsheet) is refused without being downloaded.
_GENERIC_MIME: frozenset[str] = frozenset(
    {"", "application/octet-stream", "binary/octet-stream", "application/x-download",
     "application/download", "application/force-download", "application/unknown"}
)  # fmt: skip

# Telegram lets a bot download at most 20 MB per file; 10 MiB keeps a clear margin, fits
# several files in one staff album, and is far above a phone photo or a scanned page.
MAX_FILE_BYTES = 10 * 1024 * 1024

# Telegram sends at most 10 items in one album, so a request's files fit one staff album.
MAX_FILES = 10

# A sticker, voice note or video is refused whatever MIME type it claims.
ACCEPTED_KINDS: frozenset[str] = frozenset({"photo", "document"})


def _bare(mime: str) -> str:
    return mime.split(";")[0].strip().lower()


def worth_inspecting(declared_mime: str) -> bool:
    """Whether a file declared as ``declared_mime`` may turn out to be an image or a PDF,
    so its bytes are worth downloading and looking at. The declared type is a hint, never
    the answer: what is kept is decided from the bytes."""
    bare = _bare(declared_mime)
    return bare in ALLOWED_MIME or bare in _GENERIC_MIME or bare.startswith("image/")


def check_attachment(
    kind: str, mime: str, size: int, count_so_far: int, *, problem: str | None = None
) -> RejectReason | None:
    """Why this file cannot be added to a request that already has ``count_so_far`` files,
    or None when it can. ``kind`` is the channel's media kind (photo, document, ...);
    ``mime`` the type the channel found in the bytes (or declared, when it did not look);
    ``problem`` "quota" when the channel did not fetch the file because the person's
    daily allowance of bytes was used up, "unreadable" when it fetched the file and its
    bytes are not an image or a PDF that can be opened (a damaged or truncated file).

    A size of 0 or less means the channel did not say (WhatsApp webhooks carry no size
    before the download), so it passes here and the size is checked again once known."""
    if count_so_far >= MAX_FILES:
        return "count"
    if problem == "quota":
        return "quota"
    if problem == "unreadable":
        return "unreadable"
    if kind not in ACCEPTED_KINDS or _bare(mime) not in ALLOWED_MIME:
        return "type"
    if size > MAX_FILE_BYTES:
        return "size"
    return None
