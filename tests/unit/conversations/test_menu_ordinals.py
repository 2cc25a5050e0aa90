"""An option named by its place at a menu: «الثاني», «رقم 2», «الأخير». Helper 233: at
the services offered for «ابي خروج وعودة او تجديد اقامة», «الاول» was taken for the
citizens' passport (its synonyms hold «أول جواز»), «الثاني» for «أخرى», and «رقم 2» and
«التانيه» were not read at all."""

from __future__ import annotations

import pytest

from conversations.engine import Engine

from .fakes import Chat

TWO_NEEDS = "ابي خروج وعودة او تجديد اقامة"


async def _offered(chat: Chat) -> list[str]:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(TWO_NEEDS)
    return chat.choice_ids


@pytest.mark.parametrize(
    "typed, place",
    [
        ("الاول", 0),
        ("الاول وحده", 0),
        ("the first", 0),
        ("الثاني", 1),
        ("التانيه", 1),
        ("رقم 2", 1),
        ("الخيار ٢", 1),
    ],
)
async def test_an_option_named_by_its_place_is_chosen(
    chat: Chat, engine: Engine, typed: str, place: int
) -> None:
    offered = await _offered(chat)
    assert offered[:2] == ["s:iqama_renew", "s:exit_reentry_visa"], offered
    await chat.text(typed)
    state = await engine.store.load("test", "u1")
    assert state.answers.get("service") == offered[place].removeprefix("s:"), chat.said


@pytest.mark.parametrize("typed, shown", [("رقم ٥", "⁨٥⁩"), ("الخامس", "⁨الخامس⁩")])
async def test_a_place_past_the_options_says_how_many_there_are(
    chat: Chat, typed: str, shown: str
) -> None:
    await _offered(chat)
    await chat.text(typed)
    assert f"لا يوجد هنا خيار بالرقم {shown}" in chat.said, chat.said
    assert "من ١ إلى ٣" in chat.said, chat.said
    assert "s:iqama_renew" in chat.choice_ids  # the same question, nothing chosen


async def test_an_ordinal_at_the_first_question_picks_its_option(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("الثاني")  # «منشأة»: its services, without the citizens' passports
    assert "أجدد إقامة العامل" in chat.said and "g:passports" not in chat.choice_ids, chat.said


async def test_another_one_is_not_the_second(chat: Chat, engine: Engine) -> None:
    # «واحد ثاني» is «another one»: no option taken by its place
    await _offered(chat)
    await chat.text("واحد ثاني")
    state = await engine.store.load("test", "u1")
    assert state.answers.get("service") != "exit_reentry_visa", chat.said
