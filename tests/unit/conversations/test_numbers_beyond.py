"""A menu number past the choices on screen («٩» at the five groups of services): which
numbers there are, the choices again, nothing taken. Helper 22's probe: it got «لم أتمكن
من تحديد الخدمة المقصودة», as if a need had been typed."""

from __future__ import annotations

import pytest

from .fakes import Chat

GROUPS = ["g:passports", "g:residency", "g:visas", "g:work", "g:support"]


@pytest.mark.parametrize(("typed", "shown"), [("٩", "٩"), ("9", "9"), ("0", "0"), ("12", "12")])
async def test_a_number_past_the_groups_names_the_range(chat: Chat, typed: str, shown: str) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(typed)
    said = chat.last[-1].text
    assert f"لا يوجد هنا خيار بالرقم \u2068{shown}\u2069" in said, said
    assert "من ١ إلى ٥" in said and "لم أتمكن" not in said
    assert [c for c in chat.choice_ids if c.startswith("g:")] == GROUPS
    await chat.text("2")  # a number in range still picks
    assert "s:iqama_renew" in chat.choice_ids


async def test_at_a_question_of_two(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.text("7")
    # «١ أو ٢», not «من ١ إلى ٢» (helper 25)
    assert "يُرجى اختيار ١ أو ٢" in chat.last[-1].text and "q:inside" in chat.choice_ids


async def test_in_english(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("English")
    await chat.tap("ind")
    await chat.text("8")
    assert "There is no option" in chat.last[-1].text and "from 1 to 5" in chat.last[-1].text
