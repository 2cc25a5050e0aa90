"""What every channel does with a photo or file before the dialogue sees it.

A file is fetched only when it can be used: the person is at a step that takes files (or
an officer waits for their answer), the kind is a photo or document, the declared type is
one that may turn out to be an image or a PDF, the declared size fits, and the person's
daily allowance has room. The download stops as soon as it passes the size limit. Then
the bytes decide, not the declared type: :func:`inspect` keeps only what really is an
image or a PDF, and turns an iPhone's HEIC photo into a JPEG every officer can open.

Why Pillow and a PDF header check rather than a MIME-sniffing library (``filetype``,
``puremagic``): Pillow is already here for the receipt card, it identifies an image by
its bytes *and* parses it (a file that only starts like a PNG is refused), and with the
pillow-heif plugin it reads and converts HEIC, which a sniffing library would only name.
A PDF is recognised by its ``%PDF-`` header and ``%%EOF`` trailer, the two marks the PDF
standard requires, which is all a sniffing library checks too.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import functools
import hashlib
import io
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Final

from PIL import Image, ImageOps
from redis.asyncio import Redis

from bot.media_store import MediaStore
from bot.redis_store.errors import unreachable_as_unavailable
from conversations.events import Media
from domain.attachments import ACCEPTED_KINDS, MAX_FILE_BYTES, worth_inspecting
from domain.sla import riyadh_date

log = logging.getLogger(__name__)

#: Pillow's names for the image formats officers can open, and their MIME types. MPO is
#: what Pillow calls the JPEG files of phones that store a second picture inside.
_IMAGE_FORMATS: Final = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "HEIF": "image/heic",
}
#: The decoders tried (a JPEG with a second picture opens through JPEG as MPO); HEIF only
#: for the files that can be one (:func:`_openers`).
_OPENERS: Final = ("JPEG", "PNG", "WEBP")
_OPENERS_WITH_HEIF: Final = (*_OPENERS, "HEIF")
#: The PDF standard allows the header anywhere in the first 1024 bytes, the end-of-file
#: mark in the last ones (some writers add a few bytes after it).
_PDF_HEAD: Final = 1024
_PDF_TAIL: Final = 1024
#: Quality of the JPEG an HEIC photo becomes: documents stay legible at a third the size.
_JPEG_QUALITY: Final = 88
#: The ref of a file whose bytes only the media store has (a converted photo): delivery
#: uploads them instead of passing the channel's own reference on.
STORE_REF: Final = "sha256:"

#: The person's day, for the daily allowance, is Riyadh's day.
_QUOTA_TTL_S: Final = 2 * 24 * 3600
DEFAULT_DAILY_BYTES: Final = 100 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Inspected:
    """Bytes that really are an image or a PDF, as they will be kept."""

    data: bytes
    mime: str
    converted: bool = False


def inspect(data: bytes) -> Inspected | None:
    """The file as it will be kept, or None when its bytes are not an image or a PDF that
    officers can open, whatever its name or declared type says. HEIC/HEIF photos become
    JPEG (rotated as shot, without the photo's metadata, which may hold a location)."""
    if data[:_PDF_HEAD].find(b"%PDF-") >= 0 and b"%%EOF" in data[-_PDF_TAIL:]:
        return Inspected(data, "application/pdf")
    try:
        with warnings.catch_warnings():
            # a small file that unpacks into a huge picture is refused, not decoded
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=_openers(data)) as image:
                image_format = image.format or ""
                if _IMAGE_FORMATS.get(image_format) == "image/heic":
                    return Inspected(_to_jpeg(image), "image/jpeg", converted=True)
                image.verify()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):  # fmt: skip
        return None
    mime = _IMAGE_FORMATS.get(image_format)
    return None if mime is None else Inspected(data, mime)


def _openers(data: bytes) -> tuple[str, ...]:
    """The decoders worth trying on `data`. An HEIC/HEIF photo is an ISO media file
    («ftyp» box first); only then is pillow-heif imported: it holds about 3 MB of a
    worker's memory that most workers, sent JPEGs, never need."""
    if data[4:8] != b"ftyp":
        return _OPENERS
    _register_heif()
    return _OPENERS_WITH_HEIF


@functools.cache
def _register_heif() -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()


def _to_jpeg(image: Image.Image) -> bytes:
    upright = ImageOps.exif_transpose(image) or image
    out = io.BytesIO()
    upright.convert("RGB").save(out, format="JPEG", quality=_JPEG_QUALITY)
    return out.getvalue()


class TooLarge(Exception):
    """The download passed the size limit; ``seen`` bytes had arrived."""

    def __init__(self, seen: int) -> None:
        super().__init__(seen)
        self.seen = seen


class CappedBuffer(io.BytesIO):
    """A download destination that refuses to grow past ``cap`` bytes (raises
    :class:`TooLarge`), so a file that lied about its size is never read whole."""

    def __init__(self, cap: int = MAX_FILE_BYTES) -> None:
        super().__init__()
        self.cap = cap

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.tell() + len(data) > self.cap:
            raise TooLarge(self.tell() + len(data))
        return super().write(data)


class DailyQuota:
    """The bytes one person may send in a Riyadh day, counted in Redis so every worker
    shares the count. A download reserves its expected size first (atomically: two at
    once cannot both squeeze under the limit), then settles with what it really took.
    A Redis that cannot be reached raises :class:`conversations.store.StoreUnavailable`
    (:mod:`bot.redis_store.errors`): a file's turn then waits for it, as for the dialogue
    store (conversations.store_outage)."""

    _RESERVE: Final = """
    local total = redis.call('INCRBY', KEYS[1], ARGV[1])
    if total == tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
    if total > tonumber(ARGV[2]) then
        redis.call('DECRBY', KEYS[1], ARGV[1])
        return 0
    end
    return 1
    """

    def __init__(
        self,
        redis: Redis,
        limit_bytes: int = DEFAULT_DAILY_BYTES,
        *,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.redis = redis
        self.limit = limit_bytes
        self.clock = clock
        self._reserve = redis.register_script(self._RESERVE)

    def _key(self, channel: str, user_key: str) -> str:
        # the user key (a phone number on WhatsApp) never appears in clear in Redis keys
        who = hashlib.sha256(f"{channel}:{user_key}".encode()).hexdigest()[:24]
        return f"tawasul:media-bytes:{riyadh_date(self.clock()).isoformat()}:{who}"

    async def reserve(self, channel: str, user_key: str, size: int) -> bool:
        """Takes ``size`` bytes of today's allowance; False (nothing taken) when it is
        used up."""
        if self.limit <= 0:
            return True
        key = self._key(channel, user_key)
        with unreachable_as_unavailable():
            taken = await self._reserve(keys=[key], args=[size, self.limit, _QUOTA_TTL_S])
        return bool(taken)

    async def settle(self, channel: str, user_key: str, reserved: int, used: int) -> None:
        """Gives back what a download reserved but did not use (or takes what it used
        beyond)."""
        if self.limit <= 0 or used == reserved:
            return
        with unreachable_as_unavailable():
            await self.redis.incrby(self._key(channel, user_key), used - reserved)


#: Whether a person's next photo or file would be used now (see Engine.wants_files).
WantsFiles = Callable[[str, str], Awaitable[bool]]


@dataclass
class MediaIntake:
    """The checks around a channel's download (see the module docstring). Without
    ``wants`` every photo and document is fetched; without ``quota`` there is no daily
    allowance (both are for tests of a channel alone)."""

    store: MediaStore
    quota: DailyQuota | None = None
    wants: WantsFiles | None = None

    @classmethod
    def of(cls, media: MediaIntake | MediaStore) -> MediaIntake:
        return media if isinstance(media, MediaIntake) else cls(media)

    async def should_fetch(self, media: Media, wanted: bool | None = None) -> bool:
        """Whether to download at all, from what the channel declared. ``wanted``: whether
        the dialogue would use a file now, when the caller knows (the engine's turn);
        None asks ``wants``."""
        if media.kind not in ACCEPTED_KINDS or not worth_inspecting(media.mime):
            return False
        if media.size > MAX_FILE_BYTES:
            return False
        if wanted is not None:
            if not wanted:
                log.info("%s file not fetched: no step takes files now", media.origin.channel)
            return wanted
        if self.wants is not None:
            origin = media.origin
            if not await self.wants(origin.channel, origin.user_key):
                log.info("%s file not fetched: no step takes files now", origin.channel)
                return False
        return True

    async def reserve(self, media: Media, size: int | None = None) -> int | None:
        """Reserves the download's bytes in the daily allowance: the amount reserved, or
        None when the allowance is used up. An unknown size reserves the most a file may
        have."""
        amount = size or media.size or MAX_FILE_BYTES
        if self.quota is None:
            return amount
        origin = media.origin
        if await self.quota.reserve(origin.channel, origin.user_key, amount):
            return amount
        log.info("%s file not fetched: the daily allowance is used up", origin.channel)
        return None

    async def settle(self, media: Media, reserved: int, used: int) -> None:
        if self.quota is not None:
            await self.quota.settle(media.origin.channel, media.origin.user_key, reserved, used)

    async def keep(self, media: Media, data: bytes) -> Media:
        """Inspects and stores downloaded bytes: the event with the real type, size and
        checksum, or with the type the bytes really have (nothing stored) when they are
        not an image or a PDF."""
        inspected = await asyncio.to_thread(inspect, data)
        if inspected is None:
            log.info("%s file refused: its bytes are not an image or a PDF", media.origin.channel)
            # said as a file that could not be read, not as a wrong type or size (found by
            # the tester: a damaged 13-byte PDF was told it was too large)
            return dataclasses.replace(
                media,
                mime="application/octet-stream",
                size=len(data),
                checksum=None,
                problem="unreadable",
            )
        # writing and fsyncing up to 10 MB would block the event loop for everyone else
        checksum = await asyncio.to_thread(self.store.save, inspected.data)
        kept = dataclasses.replace(
            media, mime=inspected.mime, size=len(inspected.data), checksum=checksum
        )
        if inspected.converted:
            name = PurePath(media.file_name).stem + ".jpg" if media.file_name else None
            # the channel's reference still points at the HEIC original
            kept = dataclasses.replace(kept, ref=STORE_REF + checksum, file_name=name)
        return kept
