"""A long story is a status question only where a cue and the request it is about meet in
one sentence or the next. Helper 233's probe: an iqama story whose fear of «التأخير»
(the late-renewal fine) came three sentences after «وما يكمل الطلب» (Absher's form) was
asked for a request number."""

from __future__ import annotations

import pytest

from conversations.status_question import is_status_question

from .fakes import Chat, MemoryGateway, MemoryLimiter
from .status_views import FILED, _chat

STORY = (
    "السلام عليكم ورحمة الله وبركاته، الله يعطيكم العافية. انا مقيم هنا من سنوات طويلة "
    "وشغال في شركة مقاولات، والمشكلة ان الاقامة حقتي انتهت قبل ثلاثة اسابيع تقريبا، ودخلت "
    "على منصة ابشر اكثر من مرة عشان اجددها بس كل مرة يطلع لي خطأ غير معروف وما يكمل الطلب، "
    "وكلمت الكفيل وقال انه مسافر برا المملكة وما يقدر يسوي شي الحين، وانا خايف من الغرامة "
    "لان التأخير عليه غرامات، وايش المطلوب مني بالضبط؟"
)
#: a long status question: the request in one sentence, «no answer yet» in the next
WAITING = (
    "السلام عليكم، قدمت طلب تجديد اقامة لزوجتي قبل اسبوعين عن طريق تواصل، وللحين ما جاني "
    "اي رد، ممكن تفيدوني وش صار عليه؟"
)


def test_a_cue_far_from_the_request_in_a_story_is_no_status_question() -> None:
    assert not is_status_question(STORY)
    assert is_status_question(WAITING)


@pytest.mark.parametrize("first", [True, False])
async def test_a_long_iqama_story_is_offered_the_iqama_services(chat: Chat, first: bool) -> None:
    await chat.command("start")
    if not first:
        await chat.tap("ind")
    await chat.text(STORY)
    assert "رقم الطلب" not in chat.said, chat.said
    assert "s:iqama_renew" in chat.choice_ids, chat.choice_ids
    assert "احتفظتُ بما كتبته" in chat.said  # the story kept for the description


async def test_a_long_status_question_still_asks_for_the_request_number() -> None:
    chat = _chat(MemoryGateway(), MemoryLimiter(), FILED)  # an engine with the look-up
    await chat.command("start")
    await chat.text(WAITING)
    assert "يُرجى كتابة رقم الطلب" in chat.said, chat.said
