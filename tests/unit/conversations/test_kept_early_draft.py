"""A draft holding only what was kept before its step (an identity number and words typed
at «لمن هذا الطلب؟», found by the fresh-clone tester) is something the person gave: «cancel»
asks before deleting it, and «Undo» brings it back, as for a number taken at its own step."""

from __future__ import annotations

import pytest

from .fakes import Chat
from .test_intake import CITIZEN, PHONE, _to_whose

WORDS = "ابي جواز لولدي عمره ٥ سنوات"


@pytest.mark.parametrize("kept", [[CITIZEN], [WORDS], [CITIZEN, WORDS]])
async def test_cancel_asks_before_deleting_what_was_kept_early_and_undo_brings_it_back(
    chat: Chat, kept: list[str]
) -> None:
    await _to_whose(chat)
    assert "لمن هذا الطلب؟" in chat.said
    for typed in kept:
        await chat.text(typed)
    assert "احتفظتُ" in chat.said
    await chat.text("إلغاء")
    assert "هل يُحذف" in chat.said and "تم الإلغاء" not in chat.said
    await chat.tap("discard")
    assert "undo" in chat.choice_ids
    await chat.text("تراجع")
    assert "استرجعنا طلبك" in chat.said
    assert "لمن هذا الطلب؟" in chat.said  # back at its step
    await chat.tap("q:self")
    if CITIZEN in kept:  # used, not asked for again
        assert "1******008" in chat.said and "مشاركة رقمي" in chat.said
    else:
        await chat.text(CITIZEN)
    await chat.contact(PHONE)
    if WORDS in kept:  # offered at the description step
        assert "هذا ما كتبته سابقًا" in chat.said and WORDS in chat.said


async def test_undo_typed_at_the_question_keeps_the_draft(chat: Chat) -> None:
    """The tester's order: «إلغاء», then «تراجع» while «Delete it?» is asked, meaning
    «take that back»: the draft stays at its step (it was «لم أفهم» with the step's
    options, the question gone)."""
    await _to_whose(chat)
    assert "لمن هذا الطلب؟" in chat.said
    await chat.text(CITIZEN)
    await chat.text("إلغاء")
    await chat.text("تراجع")
    assert "لم أفهم" not in chat.said
    assert "لمن هذا الطلب؟" in chat.said and "q:self" in chat.choice_ids
    await chat.tap("q:self")
    assert "1******008" in chat.said  # the kept number still there
