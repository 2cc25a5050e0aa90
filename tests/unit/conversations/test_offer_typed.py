"""«تقديم طلب الآن» under an answer, typed instead of pressed, and what the question said
kept for the request it starts. Helper 233: after «وش المطلوب لتجديد اقامتي؟», «ايه»
and «ايه ابي اقدم» got «ليس لدي جواب عن هذا السؤال», «قدم» «يُرجى اختيار…», and the
button asked «لمن هذا الطلب؟» though the question said «اقامتي»."""

from __future__ import annotations

import pytest

from .fakes import Chat

ASKED = "وش المطلوب لتجديد اقامتي؟"
STARTED = "نبدأ طلبًا جديدًا لخدمة «تجديد هوية مقيم»"


async def _answered(chat: Chat, asked: str = ASKED) -> None:
    await chat.command("start")
    await chat.text(asked)
    assert "file:iqama_renew" in chat.choice_ids, chat.said


@pytest.mark.parametrize("typed", ["ايه", "نعم", "ايه ابي اقدم", "قدم", "ابي اقدم طلب", "apply"])
async def test_the_offer_typed_starts_the_request(chat: Chat, typed: str) -> None:
    await _answered(chat)
    await chat.text(typed)
    assert STARTED in chat.said and "ليس لدي جواب" not in chat.said, chat.said


@pytest.mark.parametrize("way", ["tap", "type"])
async def test_the_questions_own_words_answer_for_whom(chat: Chat, way: str) -> None:
    await _answered(chat)
    await (chat.tap("file:iqama_renew") if way == "tap" else chat.text("ايه"))
    assert "سجّلتُ إجابة «لمن هذا الطلب؟»: «لي أنا»" in chat.said, chat.said
    assert "أين أنت الآن؟" in chat.said  # the question after «لمن», asked of the writer


async def test_a_family_members_question_answers_for_whom_so(chat: Chat) -> None:
    await _answered(chat, "وش المطلوب لتجديد اقامة زوجتي؟")
    await chat.tap("file:iqama_renew")
    assert "«لمن هذا الطلب؟»: «تابع لي أو مكفول لدي»" in chat.said, chat.said


async def test_a_question_naming_nobody_leaves_for_whom_to_ask(chat: Chat) -> None:
    await _answered(chat, "وش شروط تجديد الاقامة؟")
    await chat.tap("file:iqama_renew")
    assert "سجّلتُ إجابة" not in chat.said and "لمن هذا الطلب؟" in chat.said, chat.said


async def test_an_earlier_questions_words_do_not_outlive_its_offer(chat: Chat) -> None:
    await _answered(chat)
    await chat.text("وش شروط تجديد الاقامة؟")
    await chat.tap("file:iqama_renew")
    assert "سجّلتُ إجابة" not in chat.said and "لمن هذا الطلب؟" in chat.said, chat.said
