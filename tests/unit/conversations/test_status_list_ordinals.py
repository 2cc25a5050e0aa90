"""Ordinals at the status list pick the listed request (review 11, §5). With two requests
listed («طلباتك (الأحدث أولًا)…») and a draft waiting, «الاول» got «يبدو أن هذا طلب
طلب لخدمة «إصدار جواز سفر سعودي»…», a service never named; «الثاني» and «اخر واحد» got
«اكتب رقم الطلب» instead of the second or last request."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.flows.status_ordinals import ordinal_position
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore, TerminalChat, WhatsAppChat
from .test_intake import RESIDENT
from .test_status import FILED, MINE, _view, plain
from .test_status_prompt_exits import _to_summary

SECOND = "5000000009"
THIRD = "9000000001"
PROMPT = "كتابة رقم الطلب"
LISTED = "طلباتك"
CHANNELS = [Chat, WhatsAppChat, TerminalChat]


def _setup(kind: type[Chat] = Chat, *, three: bool = True) -> tuple[Chat, MemoryGateway]:
    """A person with two or three requests filed from this chat, listed newest first in
    this order: MINE, SECOND, THIRD."""
    gateway = MemoryGateway()
    gateway.views[MINE] = (_view(MINE, "under_review"), ("test", "u1"), RESIDENT)
    gateway.views[SECOND] = (_view(SECOND, "received"), ("test", "u1"), RESIDENT)
    if three:
        gateway.views[THIRD] = (_view(THIRD, "accepted"), ("test", "u1"), RESIDENT)
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter(),
        clock=lambda: FILED,
    )  # fmt: skip
    return kind(engine.handle), gateway


async def _at_the_list(chat: Chat, *, draft: bool) -> None:
    if draft:
        await _to_summary(chat)
        await chat.command("status")
    else:
        await chat.command("start")
        await chat.text("وين طلبي")
    assert LISTED in plain(chat.said), chat.said


def _shown(chat: Chat) -> str:
    """The request whose status was answered, by its number."""
    said = plain(chat.said)
    shown = [n for n in (MINE, SECOND, THIRD) if f"الطلب رقم {n}" in said]
    assert len(shown) == 1, said
    return shown[0]


@pytest.mark.parametrize("draft", [False, True], ids=["no-draft", "draft-waiting"])
@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("الاول", MINE),
        ("الأول", MINE),
        ("الأولى", MINE),
        ("اول واحد", MINE),
        ("الطلب الأول", MINE),
        ("ابي الاول", MINE),
        ("first", MINE),
        ("the first one", MINE),
        ("1", MINE),
        ("١", MINE),
        ("الثاني", SECOND),
        ("ثاني واحد", SECOND),
        ("الثانية", SECOND),
        ("second", SECOND),
        ("٢", SECOND),
        ("الثالث", THIRD),
        ("third", THIRD),
        ("اخر واحد", THIRD),
        ("آخر واحد", THIRD),
        ("الأخير", THIRD),
        ("last", THIRD),
        ("the last one", THIRD),
    ],
)
async def test_an_ordinal_at_the_list_picks_the_listed_request(
    typed: str, number: str, draft: bool
) -> None:
    chat, gateway = _setup()
    await _at_the_list(chat, draft=draft)
    await chat.text(typed)
    said = plain(chat.said)
    assert "إصدار جواز سفر سعودي" not in said and PROMPT not in said, said
    assert _shown(chat) == number
    assert not gateway.submissions


@pytest.mark.parametrize("kind", CHANNELS)
async def test_the_reviews_sequence_on_every_channel(kind: type[Chat]) -> None:
    """Two requests listed, a draft waiting at its summary: «الاول», then «الثاني»."""
    chat, gateway = _setup(kind, three=False)
    await _at_the_list(chat, draft=True)
    await chat.text("الاول")
    assert "إصدار جواز سفر سعودي" not in plain(chat.said) and _shown(chat) == MINE
    await chat.command("status")
    await chat.text("اخر واحد")
    assert _shown(chat) == SECOND
    assert not gateway.submissions


async def test_an_ordinal_past_the_list_says_how_many_there_are() -> None:
    chat, _gateway = _setup(three=False)
    await _at_the_list(chat, draft=False)
    await chat.text("الثالث")
    said = plain(chat.said)
    assert "في القائمة طلبان فقط" in said and PROMPT not in said, said
    assert chat.choice_ids[:3] == [f"r:{MINE}", f"r:{SECOND}", "other"]
    await chat.text("الثاني")  # still at the list
    assert _shown(chat) == SECOND


async def test_in_english_the_list_takes_english_ordinals_and_says_how_many() -> None:
    chat, _gateway = _setup(three=False)
    await chat.command("start")
    await chat.text("English")
    await chat.text("where is my request")
    assert "Your requests" in chat.said, chat.said
    await chat.text("third")
    assert "The list has only 2 requests" in chat.said, chat.said
    await chat.text("the last one")
    assert f"Request {SECOND}" in chat.said, chat.said


@pytest.mark.parametrize("typed", ["اخر", "آخر", "رقم طلب آخر", "طلب آخر"])
async def test_another_is_not_an_ordinal_and_still_asks_for_a_number(typed: str) -> None:
    """«آخر» alone is «another», not «the last»: the list's «رقم طلب آخر»."""
    assert ordinal_position(typed) is None
    chat, _gateway = _setup()
    await _at_the_list(chat, draft=False)
    await chat.text(typed)
    assert PROMPT in plain(chat.said), chat.said


def test_ordinals_are_not_read_in_longer_words() -> None:
    for typed in ("اول مرة اجدد الجواز", "ابي اصدار جواز لاول مرة", "second passport"):
        assert ordinal_position(typed) is None, typed
