"""An album sent at the description step is answered once, after its last file, with
what was kept and what was a repeat, then the description's question (or its caption is
the description). Found in session 11: a photo sent before and a new one in one album got
«أرسلت هذا الملف من قبل» at the repeat's turn and nothing at the new photo's, so the person
never heard that the new photo was kept."""

from __future__ import annotations

import hashlib

import pytest

from conversations.events import Media

from .fakes import Chat, WhatsAppChat
from .test_intake import RESIDENT

DESCRIPTION = "انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام"


async def _to_description(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text(RESIDENT)
    await chat.contact("+966501234567")


def _photo(
    chat: Chat, album: str | None, size: int, name: str, caption: str | None = None
) -> Media:
    """A photo of an album of ``size`` as the channel hands it over once the album is
    whole (WhatsApp's; Telegram's since its albums are counted); the same ``name`` is the
    same photo."""
    checksum = hashlib.sha256(name.encode()).hexdigest()
    return Media(chat.origin(), "photo", f"ref-{name}", "image/jpeg", 50_000, album,
                 checksum=checksum, album_size=size if album else None,
                 album_photos=size if album else None, caption=caption)  # fmt: skip


async def _said(chat: Chat, *files: Media) -> list[str]:
    said: list[str] = []
    for event in files:
        said += [r.text for r in await chat.send(event)]
    return said


@pytest.mark.parametrize("repeat_first", [True, False], ids=["repeat-first", "repeat-last"])
async def test_a_repeat_and_a_new_photo_at_the_description_are_both_told(
    chat: Chat, repeat_first: bool
) -> None:
    await _to_description(chat)
    await _said(chat, _photo(chat, None, 1, "iqama"))
    album = [_photo(chat, "a-2", 2, "iqama"), _photo(chat, "a-2", 2, "passport")]
    said = await _said(chat, *(album if repeat_first else album[::-1]))
    assert len(said) == 1, said
    assert said[0].startswith(
        "احتفظتُ بصورة جديدة لطلبك. ووصلتني صورة أرسلتها من قبل، فاحتفظتُ بها مرة واحدة."
    ), said
    assert "يُرجى وصف طلبك بالكلمات" in said[0], said
    assert "أرسلت هذا الملف من قبل" not in said[0], said
    await chat.text(DESCRIPTION)
    assert "أرسلت ملفين لهذا الطلب من قبل" in chat.said, chat.said


async def test_an_album_at_the_description_is_counted_once(chat: WhatsAppChat) -> None:
    await _to_description(chat)
    album = [_photo(chat, "a-1", 3, n) for n in ("iqama", "passport", "visa")]
    said = await _said(chat, *album)
    assert len(said) == 1 and said[0].startswith("احتفظتُ بـ٣ صور لطلبك"), said
    assert "يُرجى وصف طلبك بالكلمات" in said[0], said


async def test_the_caption_of_an_album_at_the_description_is_the_description(
    chat: Chat,
) -> None:
    await _to_description(chat)
    await _said(chat, _photo(chat, None, 1, "iqama"))
    album = [
        _photo(chat, "a-2", 2, "iqama", caption=DESCRIPTION),
        _photo(chat, "a-2", 2, "passport"),
    ]
    said = await _said(chat, *album)
    joined = "\n".join(said)
    assert joined.startswith("حُفظ وصفك."), joined
    assert "احتفظتُ بصورة جديدة لطلبك. ووصلتني صورة أرسلتها من قبل" in joined, joined
    assert "الآن إرسال صور أو ملفات PDF" in joined, joined
    await chat.tap("done")
    assert DESCRIPTION in chat.said and "المرفقات: ملفان" in chat.said, chat.said


async def test_in_english(chat: Chat) -> None:
    await chat.text("English")
    await _to_description(chat)
    await _said(chat, _photo(chat, None, 1, "iqama"))
    album = [_photo(chat, "a-2", 2, "iqama"), _photo(chat, "a-2", 2, "passport")]
    said = await _said(chat, *album)
    assert len(said) == 1 and said[0].startswith(
        "I have kept 1 new photo for your request. Also received 1 photo you had already sent;"
        " it is kept once."
    ), said
