"""«فردد», «فردي» at «فرد أم منشأة؟» are «فرد» (helper 21, §15: «فردد» got «يُرجى اختيار
واحد من ٤ خيارات» while «منشاه» was understood); said back, as other words are."""

from __future__ import annotations

import pytest

from .fakes import Chat


@pytest.mark.parametrize("typed", ["فردد", "فردي"])
async def test_a_typo_of_individual_is_individual(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.text(typed)
    assert "المقصود «فرد»" in chat.said and "g:residency" in chat.choice_ids, chat.said
