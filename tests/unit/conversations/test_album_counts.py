"""An album's acknowledgement gives its count when the channel knows it (WhatsApp waits
for the whole album: bot.channels.whatsapp_bursts). Found by the fresh-clone tester: one
WhatsApp photo was answered «وصلتني ملفاتك», and several without a count."""

from __future__ import annotations

import hashlib

import pytest

from conversations.engine import Engine
from conversations.events import Media

from .fakes import Chat, TerminalChat
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


async def _to_documents(chat: Chat, typed_phone: bool = False) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text(RESIDENT)
    if typed_phone:  # the terminal has no button that shares a number
        await chat.text("0501234567")
    else:
        await chat.contact("+966501234567")
    await chat.text(DESCRIPTION)


@pytest.mark.parametrize(
    ("size", "photos", "said"),
    [
        (1, 1, "وصلتني الصورة."),
        (1, 0, "وصلني الملف."),
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


@pytest.mark.parametrize("terminal", [False, True], ids=["telegram", "terminal"])
async def test_a_photo_or_a_file_sent_alone_is_said_as_on_whatsapp(
    engine: Engine, terminal: bool
) -> None:
    # found after 98557b6: a photo alone on Telegram or in the terminal was «وصلني ملف واحد»
    # (the second «وصلني ملفان»), where WhatsApp says «وصلتني الصورة»
    chat = TerminalChat(engine.handle) if terminal else Chat(engine.handle)
    await _to_documents(chat, typed_phone=terminal)
    await chat.media()
    assert chat.said.startswith("وصلتني الصورة.") and "ملف" not in chat.said, chat.said
    await chat.media(ref="file-2")
    assert chat.said.startswith("وصلتني الصورة."), chat.said
    await chat.media("document", "application/pdf", ref="file-3")
    assert chat.said.startswith("وصلني الملف."), chat.said
    await chat.tap("done")
    assert "المرفقات: ٣ ملفات" in chat.said, chat.said


@pytest.mark.parametrize(
    ("size", "photos", "said", "counted"),
    [
        (2, 2, "احتفظتُ بالصورتين لطلبك، وستُحسبان ضمن المستندات", "ملفين"),
        (3, 3, "احتفظتُ بـ٣ صور لطلبك، وستُحسب ضمن المستندات", "٣ ملفات"),
        (10, 10, "احتفظتُ بـ١٠ صور لطلبك", "١٠ ملفات"),
        (2, 0, "احتفظتُ بالملفين لطلبك، وسيُحسبان ضمن المستندات", "ملفين"),
        (3, 1, "احتفظتُ بـ٣ ملفات لطلبك", "٣ ملفات"),
    ],
)
async def test_an_album_before_the_service_is_counted_when_the_count_is_known(
    chat: Chat, size: int, photos: int, said: str, counted: str
) -> None:
    # found after 98557b6: a WhatsApp album sent first was «احتفظتُ بملفاتك» with no count
    await chat.command("start")
    answer = await _album(chat, size, photos)
    assert answer.startswith(said), answer
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text(RESIDENT)
    await chat.contact("+966501234567")
    await chat.text(DESCRIPTION)
    # and the documents step counts them all, as before
    assert chat.said.startswith(f"أرسلت {counted} لهذا الطلب من قبل"), chat.said


async def test_an_album_of_unknown_size_before_the_service_is_your_files(chat: Chat) -> None:
    await chat.command("start")
    answer = "\n".join(r.text for r in await chat.media(album="tg-1"))
    assert answer.startswith("احتفظتُ بملفاتك لطلبك"), answer


def _file(chat: Chat, album: str, size: int, name: str) -> Media:
    """One photo of a WhatsApp album of ``size`` photos, its bytes named ``name``: the
    same name is the same photo."""
    checksum = hashlib.sha256(name.encode()).hexdigest()
    return Media(chat.origin(), "photo", f"ref-{name}", "image/jpeg", 50_000, album,
                 checksum=checksum, album_size=size, album_photos=size)  # fmt: skip


async def _said(chat: Chat, *files: Media) -> list[str]:
    said: list[str] = []
    for event in files:
        said += [r.text for r in await chat.send(event)]
    return said


@pytest.mark.parametrize("repeat_first", [True, False], ids=["repeat-first", "repeat-last"])
async def test_a_photo_sent_again_in_an_album_is_one_answer_with_what_was_kept(
    chat: Chat, repeat_first: bool
) -> None:
    # tester 10b: a photo sent again inside a WhatsApp album of two got «أرسلت هذا الملف من
    # قبل…» and then «وصلتني صورتان», though one photo only was new
    await _to_documents(chat)
    assert (await _said(chat, _file(chat, "wa-1", 1, "iqama")))[0].startswith("وصلتني الصورة.")
    album = [_file(chat, "wa-2", 2, "iqama"), _file(chat, "wa-2", 2, "passport")]
    said = await _said(chat, *(album if repeat_first else album[::-1]))
    assert said == [
        "وصلتني صورة جديدة. ووصلتني صورة أرسلتها من قبل، فاحتفظتُ بها مرة واحدة."
        " يمكنك إرسال المزيد، أو الضغط على «تم» عند الانتهاء."
    ], said
    await chat.tap("done")
    assert "المرفقات: ملفان" in chat.said, chat.said


async def test_an_album_all_sent_before_says_so_once(chat: Chat) -> None:
    await _to_documents(chat)
    await _said(chat, _file(chat, "wa-1", 2, "iqama"), _file(chat, "wa-1", 2, "passport"))
    said = await _said(chat, _file(chat, "wa-2", 2, "passport"), _file(chat, "wa-2", 2, "iqama"))
    assert said == [
        "أرسلت هاتين الصورتين من قبل، لذا نحتفظ بكلٍّ منهما مرة واحدة."
        " يمكنك إرسال بقية المستندات، أو الضغط على «تم» عند الانتهاء."
    ], said


async def test_three_photos_two_new_one_repeated_in_english(chat: Chat) -> None:
    await chat.text("English")
    await _to_documents(chat)
    await _said(chat, _file(chat, "wa-1", 1, "iqama"))
    album = [_file(chat, "wa-2", 3, n) for n in ("a", "iqama", "b")]
    assert await _said(chat, *album) == [
        "Received 2 new photos. Also received 1 photo you had already sent; it is kept once."
        " Send more, or press «Done» when you have finished."
    ]


async def test_an_album_kept_early_with_a_repeat_is_one_answer(chat: Chat) -> None:
    await chat.command("start")
    await _said(chat, _file(chat, "wa-1", 1, "iqama"))
    said = await _said(chat, _file(chat, "wa-2", 2, "iqama"), _file(chat, "wa-2", 2, "passport"))
    assert len(said) == 1 and said[0].startswith(
        "احتفظتُ بصورة جديدة لطلبك. ووصلتني صورة أرسلتها من قبل، فاحتفظتُ بها مرة واحدة."
        " وستُحسب الملفات المحفوظة ضمن المستندات عندما أطلبها.\n"
    ), said


def _pdf(chat: Chat, album: str, size: int, name: str) -> Media:
    """One PDF of a WhatsApp album of ``size`` files, its bytes named ``name``."""
    checksum = hashlib.sha256(name.encode()).hexdigest()
    return Media(chat.origin(), "document", f"ref-{name}", "application/pdf", 50_000, album,
                 checksum=checksum, album_size=size, album_photos=0)  # fmt: skip


async def test_one_photo_twice_in_an_album_is_not_a_file_sent_before(chat: Chat) -> None:
    # review 11, §7: a double tap in the gallery read «وصلتني صورة جديدة. ووصلني ملف أرسلته
    # من قبل، فاحتفظتُ به مرة واحدة.»: it was not sent before, and it is a photo
    await _to_documents(chat)
    said = await _said(chat, _file(chat, "wa-1", 2, "iqama"), _file(chat, "wa-1", 2, "iqama"))
    assert said == [
        "وصلتني الصورة نفسها مرتين، فاحتفظتُ بها مرة واحدة. يمكنك إرسال المزيد، أو الضغط على «تم» عند الانتهاء."
    ], said
    await chat.tap("done")
    assert "المرفقات: ملف واحد" in chat.said, chat.said


async def test_a_photo_twice_in_an_album_beside_another_is_counted_apart(chat: Chat) -> None:
    await _to_documents(chat)
    album = [_file(chat, "wa-1", 3, n) for n in ("iqama", "passport", "iqama")]
    assert await _said(chat, *album) == [
        "وصلتني صورتان. ووصلتني إحدى الصور مرتين فيما أرسلته الآن، فاحتفظتُ بها مرة واحدة."
        " يمكنك إرسال المزيد، أو الضغط على «تم» عند الانتهاء."
    ]


async def test_a_repeat_sent_before_and_one_twice_in_the_album_are_both_said(chat: Chat) -> None:
    await _to_documents(chat)
    await _said(chat, _file(chat, "wa-1", 1, "iqama"))
    album = [_file(chat, "wa-2", 3, n) for n in ("passport", "iqama", "passport")]
    assert await _said(chat, *album) == [
        "وصلتني صورة جديدة. ووصلتني صورة أرسلتها من قبل، فاحتفظتُ بها مرة واحدة."
        " ووصلتني إحدى الصور مرتين فيما أرسلته الآن، فاحتفظتُ بها مرة واحدة."
        " يمكنك إرسال المزيد، أو الضغط على «تم» عند الانتهاء."
    ]


async def test_a_pdf_twice_in_an_album_is_a_file_and_in_english(chat: Chat) -> None:
    await chat.text("English")
    await _to_documents(chat)
    said = await _said(chat, _pdf(chat, "wa-1", 2, "contract"), _pdf(chat, "wa-1", 2, "contract"))
    assert said == [
        "The same file came twice; it is kept once. Send more, or press «Done» when you have finished."
    ], said
    album = [_file(chat, "wa-2", 3, n) for n in ("a", "b", "a")]
    assert await _said(chat, *album) == [
        "Received 2 photos. One of the photos came twice in what you just sent; it is kept once."
        " Send more, or press «Done» when you have finished."
    ]


async def test_a_pdf_sent_before_is_still_a_file(chat: Chat) -> None:
    await _to_documents(chat)
    await _said(chat, _pdf(chat, "wa-1", 1, "contract"))
    said = await _said(chat, _file(chat, "wa-2", 2, "iqama"), _pdf(chat, "wa-2", 2, "contract"))
    assert said[0].startswith(
        "وصلتني صورة جديدة. ووصلني ملف أرسلته من قبل، فاحتفظتُ به مرة واحدة."
    ), said


async def test_one_photo_twice_before_the_documents_step(chat: Chat) -> None:
    await chat.command("start")
    said = await _said(chat, _file(chat, "wa-1", 2, "iqama"), _file(chat, "wa-1", 2, "iqama"))
    assert len(said) == 1 and said[0].startswith(
        "وصلتني الصورة نفسها مرتين، فاحتفظتُ بها مرة واحدة."
        " وستُحسب الملفات المحفوظة ضمن المستندات عندما أطلبها."
    ), said
