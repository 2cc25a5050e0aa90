"""A yes with a word more under the one service offered chooses it (helper 26: «ايه غيرها»
after a change asked for at the summary offered «أخرى»)."""

from __future__ import annotations

import pytest

from .fakes import Chat, MemoryGateway
from .test_intake import _to_attachments


async def _at_summary_changing(chat: Chat) -> None:
    await _to_attachments(chat)  # an iqama renewal, at the documents
    await chat.media()
    await chat.tap("done")
    await chat.text("لا غلطت ابي خروج نهائي")
    assert chat.choice_ids[0] == "s:final_exit_visa", chat.choice_ids


@pytest.mark.parametrize("typed", ["ايه غيرها", "ايوه هذي", "نعم هي"])
async def test_a_yes_and_a_word_chooses_the_one_service(chat: Chat, typed: str) -> None:
    await _at_summary_changing(chat)
    await chat.text(typed)
    assert "s:other" not in chat.choice_ids and "هل هذه هي الخدمة" not in chat.said, chat.said


async def test_a_yes_naming_another_service_is_read_anew(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _at_summary_changing(chat)
    await chat.text("ايوه بس ابي تأشيرة خروج وعودة")
    assert "s:exit_reentry_visa" in chat.choice_ids, chat.choice_ids
