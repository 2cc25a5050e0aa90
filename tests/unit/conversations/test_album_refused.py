"""A file of a counted album that the abuse screen refused (too many messages a minute)
is handed over undownloaded, ``problem`` «refused»: counted, never kept, so the album is
answered with what was kept and how many were not taken. Found in session 12: the album's
answer waited for the refused file and never came."""

from __future__ import annotations

import hashlib

from conversations.engine import Engine
from conversations.events import Media
from conversations.flows.file_counts import REFUSED

from .fakes import Chat
from .test_album_counts import _to_documents


def _photo(chat: Chat, n: int, size: int, *, refused: bool = False) -> Media:
    return Media(chat.origin(), "photo", f"ref-{n}", "image/jpeg", 50_000, "tg-9",
                 checksum=None if refused else hashlib.sha256(bytes([n])).hexdigest(),
                 album_size=size, album_photos=size,
                 problem=REFUSED if refused else None)  # fmt: skip


async def _answers(engine: Engine) -> dict[str, object]:
    state = await engine.store.load("test", "u1")
    return state.answers


async def test_an_album_with_refused_files_is_answered_after_its_last(
    chat: Chat, engine: Engine
) -> None:
    await _to_documents(chat)
    assert await chat.send(_photo(chat, 1, 4)) == []
    assert await chat.send(_photo(chat, 2, 4)) == []
    assert await chat.send(_photo(chat, 3, 4, refused=True)) == []
    said = "\n".join(r.text for r in await chat.send(_photo(chat, 4, 4, refused=True)))
    assert said.startswith("وصلتني صورتان."), said
    assert "لم نستلم ملفين مما أرسلته للتو" in said
    kept = (await _answers(engine))["attachments"]
    assert isinstance(kept, list) and len(kept) == 2  # the refused are not kept


async def test_a_refused_file_of_no_album_being_counted_is_dropped_unanswered(
    chat: Chat, engine: Engine
) -> None:
    await _to_documents(chat)
    assert await chat.send(_photo(chat, 5, 2, refused=True)) == []
    assert not (await _answers(engine)).get("attachments")
