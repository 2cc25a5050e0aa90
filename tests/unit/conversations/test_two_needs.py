"""Two needs in one message are offered in the order said, under a line saying that one
request is filed at a time. Found by tester 13 (§18, terminal): «ابي اجدد اقامتي وكمان ابي
اجدد جواز ولدي» offered both services, the passport first, and nothing said that only one
could be filed now."""

from __future__ import annotations

import pytest

from .fakes import Chat

ONE_AT_A_TIME = "يُقدَّم كل طلب على حدة"


@pytest.mark.parametrize("first", [True, False])
async def test_two_needs_are_offered_in_order_one_at_a_time(chat: Chat, first: bool) -> None:
    await chat.command("start")
    if not first:
        await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي وكمان ابي اجدد جواز ولدي")
    text = "\n".join(r.text for r in chat.last)
    assert ONE_AT_A_TIME in text, text
    assert chat.choice_ids[:2] == ["s:iqama_renew", "s:passport_renew"], chat.choice_ids
    await chat.tap("s:iqama_renew")  # the first is filed as ever
    assert ONE_AT_A_TIME not in chat.said


async def test_only_the_needs_said_are_offered(chat: Chat) -> None:
    """Session 26's probe: «ابي اجدد اقامتي وبعدين ابي خروج وعودة» offered the two needs
    and a third, «تجديد جواز السفر (للمواطنين فقط)», which only the word «اجدد» fitted."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي وبعدين ابي خروج وعودة")
    services = [c for c in chat.choice_ids if c.startswith("s:")]
    assert services == ["s:iqama_renew", "s:exit_reentry_visa"], chat.choice_ids


@pytest.mark.parametrize(
    "typed",
    [
        "ابي اجدد اقامتي",
        "ابي تاشيرة خروج وعودة لزوجتي",
        "ابي اجدد اقامتي وكمان ابي اجددها بسرعة",  # the same need, said twice
        "ابي اجدد اقامتي وكمان ابي اعرف الرسوم",  # a question beside it
        "ابي اجدد اقامتي وكمان كم رسوم تجديد الجواز؟",
    ],
)
async def test_one_need_gets_no_such_line(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(typed)
    assert ONE_AT_A_TIME not in "\n".join(r.text for r in chat.last)


THREE = "ابي اجدد اقامتي واقامة زوجتي وجواز ولدي"


async def test_the_writers_own_need_comes_first_and_is_theirs(chat: Chat) -> None:
    """Fresh-clone tester 15 (§4): «ابي اجدد اقامتي واقامة زوجتي وجواز ولدي» was answered
    «نبدأ بطلبك أنت» under «1) تجديد جواز السفر 2) تجديد هوية مقيم…», and «1» recorded
    «لمن هذا الطلب؟»: «لي أنا» for the son's passport."""
    await chat.command("start")
    await chat.text(THREE)
    assert chat.choice_ids[:2] == ["s:iqama_renew", "s:passport_renew"], chat.choice_ids
    await chat.text("1")
    said = "\n".join(r.text for r in chat.last)
    assert "«لي أنا»" in said, said


async def test_the_sons_passport_chosen_is_for_a_family_member(chat: Chat) -> None:
    await chat.command("start")
    await chat.text(THREE)
    await chat.tap("s:passport_renew")
    said = "\n".join(r.text for r in chat.last)
    assert "«لي أنا»" not in said and "أسرت" in said, said


async def test_the_sons_passport_said_first_still_comes_after_the_writers(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("ابي اجدد جواز ولدي وكمان ابي اجدد اقامتي")
    assert chat.choice_ids[:2] == ["s:iqama_renew", "s:passport_renew"], chat.choice_ids
    await chat.tap("s:passport_renew")
    assert "«لي أنا»" not in "\n".join(r.text for r in chat.last)


RUN_ON = (
    "السلام عليكم ورحمة الله اخوي انا مقيم في الرياض واقامتي رقمها ٢٠٠٠٠٠٠٠٠٦ خلصت قبل اسبوع"
    " وابي اجددها بس ابشر يطلع لي خطا ان الجواز منتهي وانا جددت الجواز من السفاره"
    " وجوالي ٠٥٠١٢٣٤٥٦٧ الله يجزاكم خير"
)


async def test_a_run_on_for_one_request_is_one_request_the_iqama_first(chat: Chat) -> None:
    """Tester 16 §3: one resident's run-on (his iqama ran out, Absher names his passport,
    which he renewed) got «في رسالتك أكثر من طلب» and «كل طلب هنا لشخص واحد… لكل فرد من
    أسرتك» («اخوي» addressed, «يطلع لي… وانا» read as two people), and citizens-only
    passport services first. One request, the iqama's renewal first, for himself."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(RUN_ON)
    text = "\n".join(r.text for r in chat.last)
    assert ONE_AT_A_TIME not in text and "كل طلب هنا لشخص واحد" not in text, text
    assert chat.choice_ids[0] == "s:iqama_renew", chat.choice_ids
    await chat.tap("s:iqama_renew")
    assert "«لي أنا»" in chat.said
