"""Words typed at «أين صاحب الإقامة الآن؟» that say more than inside or outside reach
the summary and the officer (helper 21, §9): «في مصر» and «برا بس راجع بكرة» were
recorded «خارج المملكة» and the rest was lost."""

from __future__ import annotations

import pytest

from .fakes import Chat, MemoryGateway
from .test_intake import PHONE
from .test_status import plain

DESCRIBED = "اقامة زوجتي انتهت ونبي نجددها قبل ما ترجع"


async def _to_summary(chat: Chat, *where: str) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة زوجتي")
    await chat.tap("s:iqama_renew")
    for answer in where:
        if answer.startswith("q:") or answer == "back":
            await chat.tap(answer)
        else:
            await chat.text(answer)
    await chat.text("2000000006")
    await chat.contact(PHONE)
    await chat.text(DESCRIBED)
    await chat.media()
    await chat.tap("done")


@pytest.mark.parametrize("typed", ["برا بس راجع بكرة", "في مصر", "ما رجع للحين"])
async def test_the_words_about_where_are_shown_and_filed(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    await _to_summary(chat, typed)
    said = plain(chat.said)
    assert "أين صاحب الإقامة الآن؟ خارج المملكة" in said
    assert f"ما كُتب عن المكان: «{typed}»" in said, said
    await chat.tap("confirm")
    filed = gateway.submissions[0]
    assert filed.eligibility["location"] == "outside"
    assert filed.description.startswith(DESCRIBED) and typed in filed.description


@pytest.mark.parametrize("where", [("خارج المملكة",), ("برا",), ("q:outside",)])
async def test_a_bare_answer_adds_no_line(
    chat: Chat, gateway: MemoryGateway, where: tuple[str, ...]
) -> None:
    await _to_summary(chat, *where)
    assert "ما كُتب عن المكان" not in chat.said
    await chat.tap("confirm")
    assert gateway.submissions[0].description == DESCRIBED


async def test_a_changed_answer_drops_the_words(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_summary(chat, "برا بس راجع بكرة", "back", "q:inside")
    said = plain(chat.said)
    assert "داخل المملكة" in said and "راجع بكرة" not in said, said


@pytest.mark.parametrize(
    "typed", ["هي في دبي", "في الامارات", "بالبحرين", "في الكويت", "دبي", "مصر", "Dubai"]
)
async def test_a_gulf_place_is_outside(chat: Chat, gateway: MemoryGateway, typed: str) -> None:
    """Helper 22's recheck: Gulf places got «لم أفهم إجابتك» while «في مصر» was read; a
    bare «دبي» or «مصر» too (its second recheck)."""
    await _to_summary(chat, typed)
    assert "أين صاحب الإقامة الآن؟ خارج المملكة" in plain(chat.said), chat.said
