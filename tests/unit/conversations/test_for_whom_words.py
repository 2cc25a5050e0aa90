"""«لمن هذا الطلب؟» answered with a family word that has the article or «لل» («للزوجه»,
«للمدام», «الولد»): helper 23's probe, «للزوجه» got «لم أفهم إجابتك» while «لمرتي» was
read."""

from __future__ import annotations

import pytest

from .fakes import Chat


@pytest.mark.parametrize("typed", ["للزوجه", "للمدام", "الولد", "للوالد"])
async def test_a_family_word_with_the_article_answers_for_whom(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.text("ابي اجدد اقامة")
    await chat.tap("s:iqama_renew")
    assert "لمن هذا الطلب؟" in chat.last[-1].text
    await chat.text(typed)
    assert "لم أفهم" not in chat.said and "أين صاحب الإقامة الآن؟" in chat.last[-1].text
