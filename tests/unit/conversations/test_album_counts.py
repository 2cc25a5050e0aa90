"""An album's acknowledgement gives its count when the channel knows it (WhatsApp waits
for the whole album: bot.channels.whatsapp_bursts). Found by the fresh-clone tester: one
WhatsApp photo was answered «وصلتني ملفاتك», and several without a count."""

from __future__ import annotations

import hashlib

import pytest

from conversations.events import Media

from .fakes import Chat
from .test_intake import DESCRIPTION, RESIDENT


async def _album(chat: Chat, size: int, photos: int, album: str = "wa-1") -> str:
    """The files of one album as the WhatsApp channel hands them over: each with the
    album's count; the text of the answer to all of them."""
    said = []
    for n in range(size):
        kind = "photo" if n < photos else "document"
        mime = "image/jpeg" if kind == "photo" else "application/pdf"
        event = Media(chat.origin(), kind, f"ref-{album}-{n}", mime, 50_000, album,
                      checksum=hashlib.sha256(f"{album}-{n}".encode()).hexdigest(), album_size=size,
                      album_photos=photos)  # fmt: skip
        said += [r.text.split("\n")[0] for r in await chat.send(event)]
    return "\n".join(said)


async def _to_documents(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text(RESIDENT)
    await chat.contact("+966501234567")
    await chat.text(DESCRIPTION)


@pytest.mark.parametrize(
    ("size", "photos", "said"),
    [
        (1, 1, "وصلتني الصورة."),
        (1, 0, "وصلني ملف واحد."),
        (2, 2, "وصلتني صورتان."),
        (3, 3, "وصلتني ٣ صور."),
        (10, 10, "وصلتني ١٠ صور."),
        (3, 2, "وصلتني ٣ ملفات."),
    ],
)
async def test_the_album_is_answered_once_with_its_count(
    chat: Chat, size: int, photos: int, said: str
) -> None:
    await _to_documents(chat)
    answer = await _album(chat, size, photos)
    assert answer.startswith(said) and answer.count("\n") == 0, answer


async def test_an_album_of_unknown_size_is_your_files(chat: Chat) -> None:
    # a Telegram album, answered at its first photo: no count known
    await _to_documents(chat)
    await chat.media(album="tg-1")
    assert chat.said.startswith("وصلتني ملفاتك.")
    await chat.media(album="tg-1")
    assert chat.last == []


async def test_one_whatsapp_photo_before_the_service_is_your_photo(chat: Chat) -> None:
    await chat.command("start")
    await _album(chat, 1, 1)
    assert "احتفظتُ بصورتك لطلبك" in chat.said, chat.said
