"""Telegram → neutral events.

The translation itself (:func:`translate_message`, :func:`translate_callback`) is pure: it
only reads the aiogram objects, so it is tested on raw Update JSON without a network.
:func:`fetch_media` is the one step that talks to the Bot API: it downloads photos and
documents when a step can use them (never voice, video and the like, which the flow
refuses anyway), checks their bytes and stores them by checksum.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from typing import Final

import aiohttp
from aiogram import Bot
from aiogram.enums import ContentType
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import GetFile
from aiogram.types import CallbackQuery, File, Message, PhotoSize, User

from bot.channels.telegram_calls import call_with_retry
from bot.channels.telegram_keyboards import message_ref
from bot.channels.telegram_render import MAX_TEXT_LENGTH
from bot.media_intake import CappedBuffer, MediaIntake, TooLarge
from bot.media_store import MediaStore
from conversations.events import (
    Choice,
    Command,
    Contact,
    Event,
    Media,
    MediaKind,
    Origin,
    Text,
    Unsupported,
)
from conversations.stale_buttons import split_stamp
from domain.attachments import MAX_FILE_BYTES

log = logging.getLogger(__name__)

CHANNEL: Final = "telegram"

#: Bots may download files of up to 20 MB through the public Bot API (getFile). Larger
#: files are passed on with their size and no checksum, so the flow can refuse them.
MAX_DOWNLOAD_BYTES: Final = 20 * 1024 * 1024

# Telegram's own rule for command names: 1-32 Latin letters, digits and underscores.
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{3,64})?(?:\s+(.*))?", re.DOTALL)

# Things a person can send that the dialogue has no use for. Everything not listed here and
# not translated below is a service message (pinned message, payment receipt, "allowed the
# bot to write" ...) which deserves no answer at all.
_UNSUPPORTED: Final = frozenset(
    {
        ContentType.LOCATION,
        ContentType.VENUE,
        ContentType.POLL,
        ContentType.DICE,
        ContentType.GAME,
        ContentType.STORY,
        ContentType.CHECKLIST,
        ContentType.PAID_MEDIA,
        ContentType.INVOICE,
        ContentType.LIVE_PHOTO,
    }
)

# Default MIME types for the kinds the flow refuses; only informative.
_DEFAULT_MIME: Final[dict[str, str]] = {
    "voice": "audio/ogg",
    "audio": "audio/mpeg",
    "video": "video/mp4",
    "animation": "video/mp4",
    "sticker": "image/webp",
}


def origin_for(
    update_id: int, user: User, message_id: int | None = None, *, edited: bool = False
) -> Origin:
    # The update id is what Telegram redelivers unchanged, so it makes a deterministic
    # event id for the engine's SET NX dedupe (each album item is its own update; an edit
    # comes in an update of its own). An edit names its message by the message_id.
    return Origin(
        channel=CHANNEL,
        user_key=str(user.id),
        event_id=str(update_id),
        message_id=None if message_id is None else str(message_id),
        edits=str(message_id) if edited and message_id is not None else None,
        # the app's language: the dialogue greets an English-set Telegram in English
        language=user.language_code,
        # the apps send a longer paste as several messages: the dialogue may join them
        splits_texts_at=MAX_TEXT_LENGTH,
    )


def parse_command(text: str) -> tuple[str, str] | None:
    """``"/start@TawasulBot abc"`` → ``("start", "abc")``; None when `text` is not a
    command (a lone "/", a path, an Arabic word after the slash ...)."""
    match = _COMMAND.fullmatch(text.strip())
    if match is None:
        return None
    return match.group(1).lower(), (match.group(2) or "").strip()


def normalise_phone(raw: str) -> str:
    """Telegram sends the shared number as digits, with or without "+"; make it
    ``+<digits>``. Non-ASCII digits are folded to ASCII, separators dropped, a leading
    international "00" read as "+"."""
    digits = "".join(str(d) for ch in raw if (d := unicodedata.decimal(ch, -1)) >= 0)
    if not raw.strip().startswith("+") and digits.startswith("00"):
        digits = digits[2:]
    return "+" + digits


def _largest(photo: list[PhotoSize]) -> PhotoSize:
    # Telegram lists the sizes smallest first, but do not rely on the order.
    return max(photo, key=lambda p: (p.width * p.height, p.file_size or 0))


def translate_message(message: Message, update_id: int, *, edited: bool = False) -> Event | None:
    """The event for a private-chat message, or None when it needs no answer. With
    `edited` (an ``edited_message`` update) the event's origin names the message it
    replaces."""
    user = message.from_user
    if user is None:
        return None
    origin = origin_for(update_id, user, message.message_id, edited=edited)

    if message.text is not None:
        command = parse_command(message.text)
        if command is not None:
            return Command(origin=origin, name=command[0], args=command[1])
        return Text(origin=origin, text=message.text)

    if message.contact is not None:
        contact = message.contact
        return Contact(
            origin=origin,
            phone=normalise_phone(contact.phone_number),
            # Only a contact whose user_id is the sender's own was shared with the
            # request_contact button; anyone can forward someone else's card.
            is_own=contact.user_id is not None and contact.user_id == user.id,
        )

    photo = message.photo
    if not photo and message.live_photo is not None and message.live_photo.photo:
        photo = message.live_photo.photo  # its still image is an ordinary photo
    if photo:
        best = _largest(photo)
        return Media(
            origin=origin,
            kind="photo",
            ref=best.file_id,
            mime="image/jpeg",  # Telegram re-encodes every photo as JPEG
            size=best.file_size or 0,
            album_id=message.media_group_id,
            caption=message.caption,
        )

    # Animations (GIFs) also carry a `document` for old clients: test them first.
    if message.animation is not None:
        a = message.animation
        return _refused(origin, "animation", a.file_id, a.mime_type, a.file_size, message)
    if message.document is not None:
        d = message.document
        return Media(
            origin=origin,
            kind="document",
            ref=d.file_id,
            mime=d.mime_type or "application/octet-stream",
            size=d.file_size or 0,
            album_id=message.media_group_id,
            file_name=d.file_name,
            caption=message.caption,
        )
    if message.voice is not None:
        v = message.voice
        return _refused(origin, "voice", v.file_id, v.mime_type, v.file_size, message)
    if message.audio is not None:
        au = message.audio
        return _refused(origin, "audio", au.file_id, au.mime_type, au.file_size, message)
    if message.video is not None:
        vi = message.video
        return _refused(origin, "video", vi.file_id, vi.mime_type, vi.file_size, message)
    if message.video_note is not None:
        # A round video message is a video to the flow; the neutral model has no
        # separate kind for it.
        vn = message.video_note
        return _refused(origin, "video", vn.file_id, None, vn.file_size, message)
    if message.sticker is not None:
        s = message.sticker
        mime = "video/webm" if s.is_video else "application/x-tgsticker" if s.is_animated else None
        return _refused(origin, "sticker", s.file_id, mime, s.file_size, message)

    content_type = message.content_type
    if content_type in _UNSUPPORTED:
        # ContentType is a str enum; str() of it would give "ContentType.LOCATION".
        # A location's (or a venue's) point may answer where the iqama holder is.
        point = message.location
        place = None if point is None else (float(point.latitude), float(point.longitude))
        return Unsupported(origin=origin, kind=ContentType(content_type).value, place=place)
    log.debug("ignoring a %s message in chat %s", content_type, message.chat.id)
    return None


def _refused(
    origin: Origin,
    kind: MediaKind,
    file_id: str,
    mime: str | None,
    size: int | None,
    message: Message,
) -> Media:
    return Media(
        origin=origin,
        kind=kind,
        ref=file_id,
        mime=mime or _DEFAULT_MIME[kind],
        size=size or 0,
        album_id=message.media_group_id,
        caption=message.caption,
    )


def translate_callback(query: CallbackQuery, update_id: int) -> Choice | None:
    """A tapped inline button → :class:`Choice` with the id the flow put in callback_data
    and the stamp rendered with it (conversations.stale_buttons). Game callbacks carry no
    data and are not ours."""
    if not query.data:
        return None
    # «s:iqama_renew~3fa9c2»: the id and the stamp of the question it was shown under
    button, stamp = split_stamp(query.data)
    return Choice(
        origin=origin_for(update_id, query.from_user),
        id=button,
        stamp=stamp,
        message=message_ref(query.message),
    )


async def fetch_media(
    bot: Bot, media: Media, intake: MediaIntake | MediaStore, wanted: bool | None = None
) -> Media:
    """Download a photo or document when it can be used, inspect its bytes, store it and
    return the event with its checksum and real type and size (see
    :mod:`bot.media_intake`). Otherwise the event comes back as declared, or marked
    ``problem="quota"`` when the person's daily allowance is used up: nothing is downloaded
    that the flow will refuse, and nothing is stored that is not an image or a PDF.
    ``wanted``: whether the dialogue would use the file now, when the caller knows."""
    checks = MediaIntake.of(intake)
    if not await checks.should_fetch(media, wanted) or media.size > MAX_DOWNLOAD_BYTES:
        return media
    try:
        # a 429 is waited out as a reply's is (bench/load.py's api fault: a getFile refused
        # for a second failed the person's whole turn, and they were asked to send it again)
        # and a 502 tried once more, as a reply's is
        file: File = await call_with_retry(bot, GetFile(file_id=media.ref))
        if file.file_size is not None and file.file_size > MAX_FILE_BYTES:
            return dataclasses.replace(media, size=file.file_size)
        if file.file_path is None:
            log.warning("getFile gave no file_path for %s", media.ref)
            return media
        reserved = await checks.reserve(media, file.file_size)
        if reserved is None:
            return dataclasses.replace(media, problem="quota")
        # the declared size may be wrong: the buffer stops the download past the limit
        buffer = CappedBuffer(MAX_FILE_BYTES)
        try:
            await bot.download_file(file.file_path, destination=buffer)
        except TooLarge as exc:
            await checks.settle(media, reserved, exc.seen)
            return dataclasses.replace(media, size=exc.seen, checksum=None)
        except BaseException:
            await checks.settle(media, reserved, buffer.tell())
            raise
    except TelegramBadRequest as exc:
        if "too big" in exc.message.lower():
            # The update did not say how big the file was, but the Bot API does: over the
            # limit. Report a size over the limit so the flow refuses it.
            return dataclasses.replace(media, size=max(media.size, MAX_DOWNLOAD_BYTES + 1))
        raise
    except (
        TelegramNetworkError,
        TelegramServerError,
        TelegramRetryAfter,
        # aiogram's download_file raises aiohttp's own errors (a 5xx, a cut line), unwrapped
        aiohttp.ClientError,
        TimeoutError,
    ) as exc:
        # The file_id stays valid for this bot, so the attachment is not lost: pass the
        # event on without a checksum rather than leaving the person without an answer.
        # An expected fault (a 429 or 5xx lasting, a cut line): one line, no traceback.
        log.warning(
            "could not download %s (%s); passing it on without a checksum",
            media.ref,
            getattr(exc, "message", None) or type(exc).__name__,
        )
        return media
    data = buffer.getvalue()
    await checks.settle(media, reserved, len(data))
    return await checks.keep(media, data)
