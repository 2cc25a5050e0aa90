"""«الإبقاء على وصفي» answered in words (helper 22): with a story kept before the
description step, «ايوه», «تمام», «ok» or the option's number «1» were kept as a new, too
short description in its place («احتفظت بما كتبت… ١٥ حرفًا»). They keep the story."""

from __future__ import annotations

import pytest

from .fakes import Chat, MemoryGateway
from .test_describe import _to_description
from .test_intake import PHONE, RESIDENT

STORY = "اقامتي انتهت من شهر والكفيل مسافر وابي اجددها قبل ما تزيد الغرامة"


async def _offered(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(STORY)
    await chat.tap("s:iqama_renew")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    assert "keep_description" in chat.choice_ids


@pytest.mark.parametrize(
    "typed", ["ايوه", "نعم", "تمام", "ok", "1", "١", "خلها زي ما هي", "خليه كما هو", "نفس الوصف"]
)
async def test_a_yes_or_the_number_keeps_the_story(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    await _offered(chat)
    await chat.text(typed)
    assert "للمستندات" in chat.said and "احتفظت بما كتبت" not in chat.said, chat.said
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == STORY


async def test_a_new_text_still_replaces_it(chat: Chat, gateway: MemoryGateway) -> None:
    await _offered(chat)
    await chat.text("ابي اجدد الاقامة والجواز ساري لمدة سنة")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == "ابي اجدد الاقامة والجواز ساري لمدة سنة"


@pytest.mark.parametrize("typed", ["لا", "no", "لا ابي اغيره"])
async def test_a_no_asks_for_the_new_text_and_keeps_the_story_until_it_comes(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    """Helper 22: «لا» was taken as the first word of a new description («احتفظت بما
    كتبت… ١٥ حرفًا»)."""
    await _offered(chat)
    await chat.text(typed)
    assert "يُرجى كتابة الوصف الجديد" in chat.said and "احتفظت بما كتبت" not in chat.said
    await chat.text("ابي اجدد الاقامة والجواز ساري لمدة سنة")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == "ابي اجدد الاقامة والجواز ساري لمدة سنة"


@pytest.mark.parametrize("typed", ["1", "٢", "12"])
async def test_a_bare_number_with_nothing_offered_is_no_description(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    # helper 22's recheck: «1» typed at the description step was kept as its start
    await _to_description(chat)  # an iqama renewal, nothing written yet
    await chat.text(typed)
    assert "الرقم وحده لا يُضاف إلى وصفك" in chat.said and "احتفظت" not in chat.said
    await chat.text(STORY)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == STORY
