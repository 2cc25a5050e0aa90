"""An officer's name in Latin letters (or with brackets, or «<» and «&») inside the group's
Arabic lines: escaped for Telegram's HTML, and kept in its own direction.

Session 14's brief: an officer of a national service expects a colleague named «Sarah
(HQ)» to read as such in «رُفِض الطلب رقم … بقرار من …». Only the decisions pressed on
a card's buttons isolated the name (FSI … PDI, :func:`conversations.formatting.isolate`);
a reason typed after «سبب آخر», a block, its lifting, and «already with» set the Latin
name bare inside the Arabic sentence, where the bidi algorithm moves its brackets and the
punctuation after it. Through the real router, the Bot API stand-in, Redis, SQLite and
PostgreSQL (the harness of test_staff_router), on two workers.
"""

from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.status import RequestStatus
from standins.telegram_updates import TgUser
from tests.integration.test_staff_menu_replies import REASON, _feed, _worker
from tests.integration.test_staff_router import COLLEAGUE, STAFF_CHAT, TOPIC, Harness, h

__all__ = ["h"]  # the fixture

SARAH = TgUser(7010, "Sarah", "<HQ> & co (2)")
FSI, PDI = "\u2068", "\u2069"
SHOWN = f"{FSI}Sarah &lt;HQ&gt; &amp; co (2){PDI}"


async def test_a_latin_name_is_escaped_and_isolated_in_every_confirmation(
    h: Harness,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    h.api.set_member(STAFF_CHAT, SARAH.id, "member")
    other = _worker(h, redis_client, db_sessionmaker, tmp_path)
    number = await h.file()
    card = await h.card(number)
    await h.press(SARAH, "take", card)
    # a colleague's take: «already with Sarah…», the name in its own direction
    await _feed(h, other, h.updates.callback(COLLEAGUE, h.data("take", card), message=card))
    assert f"لدى {FSI}Sarah <HQ> & co (2){PDI}" in str(h.answers()[-1].params["text"])
    # a typed reason: the prompt becomes the confirmation, naming her
    card = await h.card(number)
    await h.press(SARAH, "no", card)
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.press(SARAH, "nr:other", menu)
    prompt = h.api.last_message(STAFF_CHAT)
    assert prompt is not None
    await _feed(
        h, other, h.updates.group_text(SARAH, STAFF_CHAT, REASON, reply_to=prompt, thread_id=TOPIC)
    )
    assert await h.status(number) is RequestStatus.REJECTED
    confirmed = h.api.calls_for(STAFF_CHAT, "editMessageText")[-1].params["text"]
    assert SHOWN in confirmed, confirmed
    # a block with its reason, then its lifting: both name her, escaped and isolated
    await _feed(h, other, h.updates.group_text(SARAH, STAFF_CHAT, f"/block {number} رسائل مسيئة"))
    blocked = h.api.calls_for(STAFF_CHAT, "sendMessage")[-1].params["text"]  # as sent: HTML
    assert SHOWN in blocked, blocked
    await h.feed(h.updates.group_text(SARAH, STAFF_CHAT, f"/unblock {number}"))
    lifted = h.api.calls_for(STAFF_CHAT, "sendMessage")[-1].params["text"]
    assert lifted.count(SHOWN) == 2, lifted  # she lifted it, she had laid it
