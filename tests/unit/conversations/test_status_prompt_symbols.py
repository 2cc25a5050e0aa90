"""An emoji alone («👍», «🙏», «✅») at the status look-up's number prompt or list, with no
draft waiting, gets a clear answer: what to type there and how to leave. It got «رقم
الطلب يتكون من 10 أرقام. فضلًا تأكد منه واكتبه مرة أخرى.», as if a number had been
mistyped. (With a draft waiting, an emoji is a yes taken to the draft: review 11, §1,
tests/unit/conversations/test_status_prompt_exits.py.)"""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore, TerminalChat, WhatsAppChat
from .test_intake import RESIDENT
from .test_status import FILED, MINE, THEIRS, _view, plain

TEN_DIGITS = "رقم الطلب يتكون من 10 أرقام"
PROMPT = "كتابة رقم الطلب"
CHANNELS = [Chat, WhatsAppChat, TerminalChat]


def _setup(kind: type[Chat] = Chat, *, requests: int = 0) -> Chat:
    gateway = MemoryGateway()
    if requests >= 1:
        gateway.views[MINE] = (_view(MINE, "under_review"), ("test", "u1"), RESIDENT)
    if requests >= 2:
        gateway.views[THEIRS] = (_view(THEIRS, "received"), ("test", "u1"), RESIDENT)
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter(),
        clock=lambda: FILED,
    )  # fmt: skip
    return kind(engine.handle)


@pytest.mark.parametrize("kind", CHANNELS)
@pytest.mark.parametrize("symbol", ["👍", "🙏", "✅", "👍🏽", "👍 👍"])
async def test_an_emoji_at_the_number_prompt_says_what_to_type_and_how_to_leave(
    kind: type[Chat], symbol: str
) -> None:
    chat = _setup(kind)
    await chat.command("start")
    await chat.command("status")  # nothing filed from this chat: the prompt
    assert PROMPT in plain(chat.said)
    await chat.text(symbol)
    said = plain(chat.said)
    assert TEN_DIGITS not in said, said
    assert "رقم الطلب المكوّن من 10 أرقام" in said and "«تم استلام طلبك»" in said, said
    assert "«إلغاء»" in said and "cancel" in chat.choice_ids, said
    await chat.text("إلغاء")  # the way out it names works
    assert PROMPT not in plain(chat.said)


async def test_an_emoji_at_the_list_says_to_choose_or_type_a_number() -> None:
    chat = _setup(requests=2)
    await chat.command("start")
    await chat.command("status")
    assert "طلباتك" in plain(chat.said)
    await chat.text("👍")
    said = plain(chat.said)
    assert TEN_DIGITS not in said and "اختيار أحد طلباتك" in said and "«إلغاء»" in said, said
    assert chat.choice_ids[:2] == [f"r:{MINE}", f"r:{THEIRS}"]


async def test_an_emoji_then_a_number_still_looks_it_up() -> None:
    chat = _setup(requests=1)
    await chat.command("start")
    await chat.command("status")
    await chat.tap("another")
    await chat.text("👍")
    await chat.text(MINE)
    assert f"الطلب رقم {MINE}" in plain(chat.said)


async def test_in_english_an_emoji_at_the_number_prompt_gets_the_english_answer() -> None:
    chat = _setup()
    await chat.command("start")
    await chat.text("English")
    await chat.command("status")
    await chat.text("👍")
    assert "10-digit request number" in chat.said and "«Cancel»" in chat.said, chat.said
