"""A request's files as Bot API calls for the staff group, under the request's card.

Photos go in albums of up to ten and documents in their own (Telegram does not mix the
two in one album), each file with the words the person sent with it. Files that came
through Telegram go by file_id; others are uploaded from the media store by checksum,
under a name cleaned of what a sender's phone may put in it (a line break in a file
name would make the whole upload fail: a header may not hold one).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Final

from aiogram.methods import SendDocument, SendMediaGroup, SendPhoto
from aiogram.types import (
    BufferedInputFile,
    InputFile,
    InputMediaDocument,
    InputMediaPhoto,
    ReplyParameters,
)

from bot.db.requests_repo import AttachmentRecord, RequestRecord
from bot.media_intake import STORE_REF
from bot.media_store import MediaStore
from domain.file_names import safe_file_name

log = logging.getLogger(__name__)

_ALBUM_MAX: Final = 10
#: Telegram's limit for a photo's or document's caption.
_CAPTION_MAX: Final = 1024

AlbumCall = SendMediaGroup | SendPhoto | SendDocument


def album_calls(
    chat_id: int,
    record: RequestRecord,
    attachments: Sequence[AttachmentRecord],
    thread: int | None,
    media: MediaStore,
) -> list[tuple[AlbumCall, int]]:
    """The calls that send `attachments` under the record's card in `thread`, each with
    how many messages it costs (every file of an album counts as one)."""
    photos: list[tuple[str | InputFile, str | None]] = []
    documents: list[tuple[str | InputFile, str | None]] = []
    for attachment in attachments:
        source = file_source(media, record, attachment)
        if source is None:
            continue
        caption = (attachment.caption or "").strip()
        if len(caption) > _CAPTION_MAX:
            caption = caption[: _CAPTION_MAX - 1] + "…"
        (photos if attachment.kind == "photo" else documents).append((source, caption or None))
    reply = (
        ReplyParameters(message_id=record.staff_message_id, allow_sending_without_reply=True)
        if record.staff_message_id is not None
        else None
    )
    calls: list[tuple[AlbumCall, int]] = []
    for files, is_photo in ((photos, True), (documents, False)):
        for start in range(0, len(files), _ALBUM_MAX):
            chunk = files[start : start + _ALBUM_MAX]
            if len(chunk) == 1:
                ((file, single_caption),) = chunk
                single: SendPhoto | SendDocument = (
                    SendPhoto(chat_id=chat_id, message_thread_id=thread, photo=file,
                              caption=single_caption, reply_parameters=reply)
                    if is_photo
                    else SendDocument(chat_id=chat_id, message_thread_id=thread,
                                      document=file, caption=single_caption,
                                      reply_parameters=reply)
                )  # fmt: skip
                calls.append((single, 1))
                continue
            items: list[Any] = [
                InputMediaPhoto(media=f, caption=c)
                if is_photo
                else InputMediaDocument(media=f, caption=c)
                for f, c in chunk
            ]
            calls.append(
                (
                    SendMediaGroup(
                        chat_id=chat_id,
                        message_thread_id=thread,
                        media=items,
                        reply_parameters=reply,
                    ),
                    len(chunk),
                )
            )
    return calls


def file_source(
    media: MediaStore, record: RequestRecord, attachment: AttachmentRecord
) -> str | InputFile | None:
    if record.channel == "telegram" and not attachment.ref.startswith(STORE_REF):
        return attachment.ref  # a file_id of this bot: no upload needed
    # otherwise the bytes are ours (another channel's, or a photo converted to JPEG)
    if attachment.checksum and media.exists(attachment.checksum):
        name = safe_file_name(
            attachment.file_name,
            kind=attachment.kind,
            checksum=attachment.checksum,
            mime=attachment.mime,
        )
        return BufferedInputFile(media.read(attachment.checksum), filename=name)
    log.warning("request %s: an attachment is not in the media store", record.number)
    return None
