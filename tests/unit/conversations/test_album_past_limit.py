"""An album that goes past the ten files a request keeps (domain.attachments.MAX_FILES) is
answered with what was kept and the limit, once. Found in session 11: eleven photos were
answered «وصلتني ١١ صورة» while the draft kept ten, and five sent after eight «وصلتني ٥ صور»
while it kept two; the summary then said «١٠ ملفات»."""

from __future__ import annotations

import hashlib

import pytest

from conversations.events import Media

from .fakes import Chat
from .test_album_counts import _to_documents
from .test_intake import DESCRIPTION, RESIDENT


async def _album(chat: Chat, size: int, photos: int, album: str = "wa-1") -> str:
    """The files of one album as the WhatsApp channel hands them over (each with the
    album's count); everything said to all of them, one message a line."""
    said = []
    for n in range(size):
        kind = "photo" if n < photos else "document"
        mime = "image/jpeg" if kind == "photo" else "application/pdf"
        event = Media(chat.origin(), kind, f"ref-{album}-{n}", mime, 50_000, album,
                      checksum=hashlib.sha256(f"{album}-{n}".encode()).hexdigest(), album_size=size,
                      album_photos=photos)  # fmt: skip
        said += [r.text.replace("\n", " / ") for r in await chat.send(event)]
    return "\n".join(said)


async def test_eleven_photos_at_once_are_ten_kept_and_the_limit_said(chat: Chat) -> None:
    await _to_documents(chat)
    said = await _album(chat, 11, 11)
    # one answer: what was kept, the limit, and what to do; no refusal of the 11th after it
    assert said == "وصلتني ١١ صورة، واحتفظتُ منها بـ١٠ فقط. لا يأخذ الطلب الواحد أكثر من ١٠ ملفات، فلم أُضِف الباقي. / يُرجى الضغط على «تم» للمتابعة.", said  # fmt: skip
    await chat.tap("done")
    assert "المرفقات: ١٠ ملفات" in chat.said, chat.said


async def test_an_album_after_eight_kept_says_two_of_five_were_kept(chat: Chat) -> None:
    await _to_documents(chat)
    assert (await _album(chat, 8, 8, "a")).startswith("وصلتني ٨ صور.")
    said = await _album(chat, 5, 3, "b")
    assert said.startswith("وصلتني ٥ ملفات، واحتفظتُ باثنين فقط."), said
    assert "لا يأخذ الطلب الواحد أكثر من ١٠ ملفات" in said and said.count("\n") == 0, said
    # the draft already full: the next album is refused once, as before
    assert (await _album(chat, 2, 2, "c")).startswith("أرسلت ١٠ ملفات، وهو الحد الأقصى")


async def test_within_the_limit_the_count_is_as_before(chat: Chat) -> None:
    await _to_documents(chat)
    assert (await _album(chat, 7, 7, "a")).startswith("وصلتني ٧ صور.")
    assert (await _album(chat, 3, 3, "b")).startswith("وصلتني ٣ صور.")


async def test_twelve_photos_before_the_service_are_ten_kept(chat: Chat) -> None:
    await chat.command("start")
    said = await _album(chat, 12, 12)
    assert said.startswith("وصلتني ١٢ صورة، واحتفظتُ منها بـ١٠ فقط."), said
    assert "احتفظتُ بـ١٢" not in said and said.count("\n") == 0, said


async def test_eleven_photos_at_the_description_step(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text(RESIDENT)
    await chat.contact("+966501234567")
    said = await _album(chat, 11, 11)
    assert said.startswith("وصلتني ١١ صورة، واحتفظتُ منها بـ١٠ فقط."), said
    assert said.count("\n") == 0 and "وصف طلبك بالكلمات" in said, said
    await chat.text(DESCRIPTION)
    assert "أرسلت ١٠ ملفات لهذا الطلب من قبل" in chat.said, chat.said


@pytest.mark.parametrize(
    ("before", "size", "photos", "said"),
    [
        # review 11, §7: «وصلتني ٤ صور، واحتفظتُ منها بـ١ فقط» is how nobody writes it
        (9, 4, 4, "وصلتني ٤ صور، واحتفظتُ بواحدة فقط."),
        (8, 4, 4, "وصلتني ٤ صور، واحتفظتُ باثنتين فقط."),
        (9, 2, 2, "وصلتني صورتان، واحتفظتُ بواحدة فقط."),
        (9, 3, 0, "وصلتني ٣ ملفات، واحتفظتُ بواحد فقط."),
        (8, 5, 3, "وصلتني ٥ ملفات، واحتفظتُ باثنين فقط."),
        (7, 5, 5, "وصلتني ٥ صور، واحتفظتُ منها بـ٣ فقط."),
    ],
)
async def test_the_files_kept_are_said_in_their_own_plural_form(
    chat: Chat, before: int, size: int, photos: int, said: str
) -> None:
    await _to_documents(chat)
    await _album(chat, before, before, "a")
    answer = await _album(chat, size, photos, "b")
    assert answer.startswith(said), answer
    assert "بـ١ " not in answer and "بـ٢ " not in answer, answer


async def test_the_files_kept_in_english(chat: Chat) -> None:
    await _to_documents(chat)
    await chat.text("English")
    await _album(chat, 9, 9, "a")
    said = await _album(chat, 4, 4, "b")
    assert said.startswith("Received 4 photos; only one of those photos was kept."), said
