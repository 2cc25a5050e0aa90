"""A message sent a few seconds after a description over 4,000 characters (fresh-clone
tester 14, fault 2: it got no reply at all and its words were lost, taken for the rest of
a paste the app split). Only an app that splits a long paste (Origin.splits_texts_at:
Telegram's, at 4096) sends its rest as more messages; the terminal and WhatsApp deliver a
text whole. Every message is answered and nothing typed is lost."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.describe import ADD_REST, KEEP
from conversations.flows.description_text import MAX_DESCRIPTION
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_describe import Clock, _file, _to_description

SENTENCE = "انتهت إقامتي وحاولت التجديد من أبشر فظهرت رسالة خطأ عند سداد الرسوم. "
PASTE = (SENTENCE * 100).strip()  # 6,899 characters, as the tester's
AFTER = "نسيت اقول ان الجواز ينتهي بعد شهرين"
ENGLISH = "My sponsor is travelling and Absher shows an error when I try to renew my iqama"


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def chat(gateway: MemoryGateway, clock: Clock) -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway, clock=clock).handle)


@pytest.mark.parametrize("after", [AFTER, ENGLISH])
async def test_a_message_right_after_a_long_paste_in_the_terminal_is_answered_and_kept(
    chat: Chat, gateway: MemoryGateway, clock: Clock, after: str
) -> None:
    """The terminal never splits a message: what follows a long one is a message of its
    own, answered and kept, however soon it comes."""
    await _to_description(chat)
    await chat.text(PASTE)
    assert "فاحتفظتُ ببدايته" in chat.said
    clock.advance(2)
    assert await chat.text(after) != []
    await chat.media()
    await _file(chat, gateway)
    assert after in gateway.submissions[0].description


async def test_the_rest_of_a_split_paste_is_answered_and_can_still_be_added(
    chat: Chat, gateway: MemoryGateway, clock: Clock
) -> None:
    """On an app that splits a paste (Telegram's, at 4096), the parts after the first
    are answered as its rest; the last is kept, and «أضفه إلى وصفي» adds it at the end,
    the kept start cut shorter to make room, and saying so."""
    chat.splits_texts_at = 4096
    await _to_description(chat)
    paste = f"{PASTE} {PASTE}"  # 13,799 characters: two full parts, then the person's line
    parts = [paste[:4096], paste[4096:8192], ENGLISH]
    await chat.text(parts[0])
    assert "فاحتفظتُ ببدايته" in chat.said
    clock.advance(1)
    # a middle part: answered in a line, no second «too long» answer
    assert len(await chat.text(parts[1])) == 1 and "جزء آخر من رسالتك الطويلة" in chat.said
    clock.advance(1)
    said = await chat.text(parts[2])
    assert said and "بقيّتها" in chat.said and "أضفه إلى وصفي" in chat.said
    assert chat.choice_ids[:2] == [KEEP, ADD_REST]
    await chat.tap(ADD_REST)
    assert "أضفتُه في آخر وصفك" in chat.said and "ينتهي عند" in chat.said
    assert "للمستندات" in chat.said
    await chat.media()
    await _file(chat, gateway)
    filed = gateway.submissions[0].description
    assert filed.startswith(SENTENCE.strip()) and filed.endswith(f"\n{ENGLISH}")
    assert len(filed) <= MAX_DESCRIPTION


async def test_an_afterthought_right_after_a_split_paste_is_added_at_once(
    chat: Chat, gateway: MemoryGateway, clock: Clock
) -> None:
    """«نسيت اقول…» opens a thought of its own: not the paste's rest, but added to the
    kept start (fresh-clone tester 14, faults 2 and 3)."""
    chat.splits_texts_at = 4096
    await _to_description(chat)
    await chat.text(PASTE[:4096])
    clock.advance(1)
    await chat.text(AFTER)
    assert "بقيّتها" not in chat.said and "أضفتُه في آخر وصفك" in chat.said
    await chat.media()
    await _file(chat, gateway)
    filed = gateway.submissions[0].description
    assert filed.startswith(SENTENCE.strip()) and filed.endswith(f"\n{AFTER}")
    assert len(filed) <= MAX_DESCRIPTION


async def test_the_rest_not_added_is_offered_once(
    chat: Chat, gateway: MemoryGateway, clock: Clock
) -> None:
    """The button is for the message right after: «Keep my description» then goes on
    with the kept start alone, and the button is not offered again."""
    chat.splits_texts_at = 4096
    await _to_description(chat)
    await chat.text(PASTE[:4096])
    clock.advance(1)
    await chat.text(PASTE[4096:5000])
    assert ADD_REST in chat.choice_ids
    await chat.tap(KEEP)
    assert ADD_REST not in chat.choice_ids
    await chat.media()
    await _file(chat, gateway)
    assert PASTE.startswith(gateway.submissions[0].description)


async def test_a_split_paste_at_the_documents_step_is_answered(
    chat: Chat, gateway: MemoryGateway, clock: Clock
) -> None:
    chat.splits_texts_at = 4096
    await _to_description(chat)
    await chat.text("انتهت صلاحية إقامتي الشهر الماضي وحاولت التجديد من أبشر")
    await chat.text(PASTE[:4096])  # at the documents step: the start of it is added
    assert "أُضيفت بداية هذه الرسالة فقط" in chat.said
    clock.advance(1)
    assert await chat.text(PASTE[4096:5000]) != []
    assert "باقي رسالتك الطويلة" in chat.said and "لم يُضَف منه شيء" in chat.said
