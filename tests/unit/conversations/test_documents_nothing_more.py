"""At the documents step, a short «nothing more» («ما تغير شي، تمام», «لا شيء، تمام»,
«nothing changed, ok») is «Done», not words of the description (found by the fresh-clone
tester: it was «Added to your description» and reached the officer). Through the real
dialogue, for the iqama renewal (one document at least)."""

from __future__ import annotations

import pytest

from .fakes import Chat, MemoryGateway
from .test_intake import _done_after_a_file_files_the_description, _to_attachments

WORDS = ["ما تغير شي، تمام", "لا شيء، تمام", "nothing changed, ok", "هذا كل شي"]


@pytest.mark.parametrize("typed", WORDS)
async def test_nothing_more_after_the_files_is_done(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    await _done_after_a_file_files_the_description(chat, gateway, typed)


@pytest.mark.parametrize("typed", WORDS)
async def test_nothing_more_before_any_file_asks_for_the_documents(chat: Chat, typed: str) -> None:
    await _to_attachments(chat)
    await chat.text(typed)
    assert "أُضيف إلى وصفك" not in chat.said
    assert "مستند واحد على الأقل" in chat.said


async def test_a_sentence_with_those_words_still_joins_the_description(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_attachments(chat)
    await chat.text("ما تغير شي في بياناتي بعد التجديد، تمام")
    assert "أُضيف إلى وصفك" in chat.said
    await chat.media(ref="p1")
    await chat.tap("done")
    await chat.tap("confirm")
    assert "ما تغير شي في بياناتي" in gateway.submissions[0].description
